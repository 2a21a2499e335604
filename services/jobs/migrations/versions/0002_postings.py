"""postings (求人)"""
import sqlalchemy as sa
from alembic import op

from kit.db import DOCUMENT, ROW_ID
from kit.migrations import job_number, timestamp

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    op.create_table(
        "postings",
        sa.Column("id", ROW_ID, primary_key=True, autoincrement=True),
        job_number(),
        sa.Column("establishment_number", sa.String(20), nullable=False),
        sa.Column("establishment_name", sa.String(200), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("occupation_code", sa.String(10), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("category", sa.String(20), nullable=False),
        sa.Column("full_time", sa.Boolean(), nullable=False),
        sa.Column("employment_type", sa.String(20), nullable=False),
        sa.Column("prefecture_code", sa.String(2), nullable=False),
        sa.Column("prefecture", sa.String(10), nullable=False),
        sa.Column("municipality_code", sa.String(5), nullable=False),
        sa.Column("municipality", sa.String(40), nullable=False),
        sa.Column("station", sa.String(60), nullable=True),
        sa.Column("wage_type", sa.String(10), nullable=False),
        sa.Column("wage_min", sa.Integer(), nullable=False),
        sa.Column("wage_max", sa.Integer(), nullable=True),
        sa.Column("hours", sa.String(100), nullable=True),
        sa.Column("two_days_weekly", sa.String(10), nullable=True),
        sa.Column("annual_holidays", sa.SmallInteger(), nullable=True),
        sa.Column("publication_scope", sa.SmallInteger(), nullable=False),
        sa.Column("online_application", sa.Boolean(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("closed", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("document", DOCUMENT, nullable=False),
        timestamp("created_at"),
        timestamp("updated_at"),
        sa.UniqueConstraint("job_number", name="uq_postings_job_number"),
        sa.CheckConstraint("publication_scope BETWEEN 1 AND 4", name="ck_postings_publication_scope"),
        sa.CheckConstraint("wage_type IN ('monthly', 'hourly', 'daily')", name="ck_postings_wage_type"),
        sa.CheckConstraint("length(job_number) = 14", name="ck_postings_job_number"),
    )
    op.create_index("ix_postings_establishment_number", "postings", ["establishment_number"])
    op.create_index("ix_postings_received_on", "postings", ["received_on", "id"])
    op.create_index("ix_postings_deadline", "postings", ["deadline"])
    op.create_index("ix_postings_prefecture", "postings", ["prefecture_code", "received_on"])
    op.create_index("ix_postings_municipality", "postings", ["municipality_code", "received_on"])
    op.create_index("ix_postings_occupation", "postings", ["occupation_code"])
    op.create_index("ix_postings_wage", "postings", ["wage_type", "wage_min"])
    op.create_index("ix_postings_employment_type", "postings", ["employment_type"])


def downgrade() -> None:
    op.drop_table("postings")
