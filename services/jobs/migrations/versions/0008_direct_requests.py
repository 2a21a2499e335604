"""disclosures (求職情報公開, from profile) and direct requests (直接リクエスト, J8a)"""
import sqlalchemy as sa
from alembic import op

from kit.migrations import job_number, seeker_id, timestamp

revision = "0008"
down_revision = "0007"


def upgrade() -> None:
    op.create_table(
        "disclosures",
        seeker_id(primary_key=True),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("public_ref", sa.String(32), nullable=True),
        timestamp("at"),
        sa.UniqueConstraint("public_ref", name="uq_disclosures_public_ref"),
    )
    op.create_table(
        "direct_requests",
        job_number(primary_key=True),
        seeker_id(primary_key=True),
        sa.Column("message", sa.Text(), nullable=True),
        timestamp("sent_at"),
    )
    op.create_index("ix_direct_requests_seeker", "direct_requests", ["seeker_id", "sent_at"])


def downgrade() -> None:
    op.drop_table("direct_requests")
    op.drop_table("disclosures")
