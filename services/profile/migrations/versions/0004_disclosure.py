"""seekers.public_ref, disclosed_at: 求職情報公開 (J8a)"""
import sqlalchemy as sa
from alembic import op

from kit.migrations import timestamp

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    with op.batch_alter_table("seekers") as batch:
        batch.add_column(sa.Column("public_ref", sa.String(32), nullable=True))
        batch.add_column(timestamp("disclosed_at", nullable=True))
        batch.create_unique_constraint("uq_seekers_public_ref", ["public_ref"])


def downgrade() -> None:
    with op.batch_alter_table("seekers") as batch:
        batch.drop_constraint("uq_seekers_public_ref", type_="unique")
        batch.drop_column("disclosed_at")
        batch.drop_column("public_ref")
