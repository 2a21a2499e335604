"""desired conditions (希望条件) and matches of new postings (J6)"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0007"
down_revision = "0006"

DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "desired_conditions",
        sa.Column("seeker_id", sa.String(36), primary_key=True),
        sa.Column("wage_type", sa.String(10), nullable=False),
        sa.Column("wage_min", sa.Integer(), nullable=True),
        sa.Column("desired", DOCUMENT, nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "desired_condition_terms",
        sa.Column("seeker_id", sa.String(36), primary_key=True),
        sa.Column("kind", sa.String(1), primary_key=True),
        sa.Column("value", sa.String(20), primary_key=True),
        sa.CheckConstraint("kind IN ('o', 'e', 'p')", name="ck_desired_condition_terms_kind"),
    )
    op.create_index("ix_desired_condition_terms_lookup", "desired_condition_terms", ["kind", "value", "seeker_id"])
    op.create_table(
        "matches",
        sa.Column("seeker_id", sa.String(36), primary_key=True),
        sa.Column("job_number", sa.String(14), primary_key=True),
        sa.Column("matched_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_matches_seeker_at", "matches", ["seeker_id", "matched_at"])


def downgrade() -> None:
    op.drop_table("matches")
    op.drop_table("desired_condition_terms")
    op.drop_table("desired_conditions")
