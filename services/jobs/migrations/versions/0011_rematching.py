"""J6 re-matching: a match that no longer fits (the posting or the desired conditions changed) leaves the list"""
from alembic import op

from kit.migrations import timestamp

revision = "0011"
down_revision = "0010"


def upgrade() -> None:
    op.add_column("matches", timestamp("unmatched_at", nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("matches") as batch:
        batch.drop_column("unmatched_at")
