"""referrals (紹介, J5) and recommendations (おすすめ, J7)"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004"
down_revision = "0003"

DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "referrals",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("seeker_id", sa.String(36), nullable=False),
        sa.Column("job_number", sa.String(14), nullable=False),
        sa.Column("referred_on", sa.Date(), nullable=False),
        sa.Column("letter", DOCUMENT, nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_referrals_seeker", "referrals", ["seeker_id", "referred_on"])
    op.create_table(
        "recommendations",
        sa.Column("seeker_id", sa.String(36), primary_key=True),
        sa.Column("job_number", sa.String(14), primary_key=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("recommended_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_recommendations_seeker_at", "recommendations", ["seeker_id", "recommended_at"])


def downgrade() -> None:
    op.drop_table("recommendations")
    op.drop_table("referrals")
