"""S2 as amended: login failures per remembered device, OTP failures per account, retired refresh tokens"""
import sqlalchemy as sa
from alembic import op

from kit.migrations import timestamp

revision = "0003"
down_revision = "0002"

COUNTERS = {"devices": ("failures", "last_failed_at", "locked_until"),
            "accounts": ("otp_failures", "otp_last_failed_at", "otp_locked_until")}


def upgrade() -> None:
    for table, (failures, last_failed_at, locked_until) in COUNTERS.items():
        op.add_column(table, sa.Column(failures, sa.Integer(), nullable=False, server_default="0"))
        op.add_column(table, timestamp(last_failed_at, nullable=True))
        op.add_column(table, timestamp(locked_until, nullable=True))
    op.create_table(
        "retired_refresh_tokens",
        sa.Column("digest", sa.String(64), primary_key=True),
        sa.Column("session_id", sa.String(32), sa.ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
        timestamp("retired_at"),
    )
    op.create_index("ix_retired_refresh_tokens_session_id", "retired_refresh_tokens", ["session_id"])


def downgrade() -> None:
    op.drop_table("retired_refresh_tokens")
    for table, columns in COUNTERS.items():
        for column in columns:
            op.drop_column(table, column)
