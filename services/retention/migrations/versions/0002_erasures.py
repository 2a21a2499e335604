"""registrations (R2), erasures, their confirmations and the audit (R3)"""
import sqlalchemy as sa
from alembic import op

from kit.migrations import seeker_id, timestamp

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    op.create_table(
        "registrations",
        seeker_id(primary_key=True),
        sa.Column("invalid_since", sa.Date(), nullable=True),
        timestamp("as_of"),
    )
    op.create_index("ix_registrations_invalid_since", "registrations", ["invalid_since"])
    op.create_table(
        "erasures",
        sa.Column("id", sa.String(36), primary_key=True),
        seeker_id(nullable=True),
        sa.Column("reason", sa.String(20), nullable=False),
        timestamp("requested_at"),
        timestamp("last_requested_at"),
        sa.Column("requests", sa.Integer(), nullable=False),
        timestamp("completed_at", nullable=True),
        sa.UniqueConstraint("seeker_id"),
        sa.CheckConstraint("reason IN ('withdrawal', 'retention_5y')", name="ck_erasures_reason"),
    )
    op.create_index("ix_erasures_open", "erasures", ["completed_at", "last_requested_at"])
    op.create_table(
        "erasure_confirmations",
        sa.Column("erasure_id", sa.String(36), sa.ForeignKey("erasures.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("service", sa.String(20), primary_key=True),
        sa.Column("rows_erased", sa.Integer(), nullable=False),
        timestamp("confirmed_at"),
    )
    op.create_table(
        "erasure_audit",
        sa.Column("erasure_id", sa.String(36), primary_key=True),
        sa.Column("reason", sa.String(20), nullable=False),
        timestamp("requested_at"),
        timestamp("completed_at"),
        sa.Column("rows_erased", sa.JSON(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("erasure_audit")
    op.drop_table("erasure_confirmations")
    op.drop_table("erasures")
    op.drop_table("registrations")
