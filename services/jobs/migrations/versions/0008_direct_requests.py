"""disclosures (求職情報公開, from profile) and direct requests (直接リクエスト, J8a)"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"


def upgrade() -> None:
    op.create_table(
        "disclosures",
        sa.Column("seeker_id", sa.String(36), primary_key=True),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("public_ref", sa.String(32), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("public_ref", name="uq_disclosures_public_ref"),
    )
    op.create_table(
        "direct_requests",
        sa.Column("job_number", sa.String(14), primary_key=True),
        sa.Column("seeker_id", sa.String(36), primary_key=True),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_direct_requests_seeker", "direct_requests", ["seeker_id", "sent_at"])


def downgrade() -> None:
    op.drop_table("direct_requests")
    op.drop_table("disclosures")
