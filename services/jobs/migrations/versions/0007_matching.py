"""desired conditions (希望条件) and matches of new postings (J6)"""
import sqlalchemy as sa
from alembic import op

from kit.db import DOCUMENT
from kit.migrations import job_number, seeker_id, timestamp

revision = "0007"
down_revision = "0006"


def upgrade() -> None:
    op.create_table(
        "desired_conditions",
        seeker_id(primary_key=True),
        sa.Column("wage_type", sa.String(10), nullable=False),
        sa.Column("wage_min", sa.Integer(), nullable=True),
        sa.Column("desired", DOCUMENT, nullable=False),
        timestamp("changed_at"),
        timestamp("updated_at"),
    )
    op.create_table(
        "desired_condition_terms",
        seeker_id(primary_key=True),
        sa.Column("kind", sa.String(1), primary_key=True),
        sa.Column("value", sa.String(20), primary_key=True),
        sa.CheckConstraint("kind IN ('o', 'e', 'p')", name="ck_desired_condition_terms_kind"),
    )
    op.create_index("ix_desired_condition_terms_lookup", "desired_condition_terms", ["kind", "value", "seeker_id"])
    op.create_table(
        "matches",
        seeker_id(primary_key=True),
        job_number(primary_key=True),
        timestamp("matched_at"),
    )
    op.create_index("ix_matches_seeker_at", "matches", ["seeker_id", "matched_at"])


def downgrade() -> None:
    op.drop_table("matches")
    op.drop_table("desired_condition_terms")
    op.drop_table("desired_conditions")
