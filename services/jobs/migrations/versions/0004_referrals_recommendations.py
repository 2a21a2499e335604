"""referrals (紹介, J5) and recommendations (おすすめ, J7)"""
import sqlalchemy as sa
from alembic import op

from kit.db import DOCUMENT
from kit.migrations import job_number, seeker_id, timestamp

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    op.create_table(
        "referrals",
        sa.Column("id", sa.String(32), primary_key=True),
        seeker_id(),
        job_number(),
        sa.Column("referred_on", sa.Date(), nullable=False),
        sa.Column("letter", DOCUMENT, nullable=False),
        timestamp("recorded_at"),
    )
    op.create_index("ix_referrals_seeker", "referrals", ["seeker_id", "referred_on"])
    op.create_table(
        "recommendations",
        seeker_id(primary_key=True),
        job_number(primary_key=True),
        sa.Column("comment", sa.Text(), nullable=True),
        timestamp("recommended_at"),
    )
    op.create_index("ix_recommendations_seeker_at", "recommendations", ["seeker_id", "recommended_at"])


def downgrade() -> None:
    op.drop_table("recommendations")
    op.drop_table("referrals")
