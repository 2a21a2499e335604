"""threads of applications (事業所番号, application status), recommendations in the inbox, read by either side"""
import sqlalchemy as sa
from alembic import op

from kit.migrations import job_number, timestamp

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    # M2/J7: a recommended posting is an inbox entry of its own kind, once per (seeker, 求人番号)
    op.add_column("notices", sa.Column("kind", sa.String(20), nullable=False, server_default="notice"))
    op.add_column("notices", job_number(nullable=True))
    op.create_index("ux_notices_seeker_kind_job", "notices", ["seeker_id", "kind", "job_number"], unique=True)
    # M1: a thread opened by jobs' application events knows the establishment by number and the status
    op.add_column("threads", sa.Column("establishment_number", sa.String(20), nullable=True))
    op.add_column("threads", sa.Column("application_status", sa.String(12), nullable=True))
    op.add_column("threads", timestamp("application_status_as_of", nullable=True))
    # M1: a seeker's message is now unread until the establishment reads it (no employer could read one before)
    op.execute("UPDATE messages SET read_at = NULL WHERE sender = 'seeker'")


def downgrade() -> None:
    # plain ALTER TABLE … DROP COLUMN (SQLite ≥ 3.35 too): a batch copy of threads, the parent of
    # messages, would fire their ON DELETE CASCADE
    op.execute("UPDATE messages SET read_at = sent_at WHERE sender = 'seeker' AND read_at IS NULL")
    op.drop_column("threads", "application_status_as_of")
    op.drop_column("threads", "application_status")
    op.drop_column("threads", "establishment_number")
    op.drop_index("ux_notices_seeker_kind_job", table_name="notices")
    op.drop_column("notices", "job_number")
    op.drop_column("notices", "kind")
