"""erasures: the final round (R3/S12: a second pass erases rows a late event made again)"""
import sqlalchemy as sa
from alembic import op

from kit.migrations import timestamp

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    op.add_column("erasures", sa.Column("round", sa.Integer(), nullable=False, server_default="1"))
    op.add_column("erasures", timestamp("first_round_completed_at", nullable=True))
    op.add_column("erasures", sa.Column("first_round_rows", sa.JSON(), nullable=True))
    op.add_column("erasures", timestamp("final_round_requested_at", nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("erasures") as batch:
        batch.drop_column("final_round_requested_at")
        batch.drop_column("first_round_rows")
        batch.drop_column("first_round_completed_at")
        batch.drop_column("round")
