"""threads.referral_id: a thread with the establishment of a counter referral (M1, J5)"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    with op.batch_alter_table("threads") as batch:
        batch.add_column(sa.Column("referral_id", sa.String(32), nullable=True))
        batch.create_unique_constraint("uq_threads_referral_id", ["referral_id"])


def downgrade() -> None:
    with op.batch_alter_table("threads") as batch:
        batch.drop_constraint("uq_threads_referral_id", type_="unique")
        batch.drop_column("referral_id")
