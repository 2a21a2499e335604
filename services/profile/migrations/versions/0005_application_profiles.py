"""The applicant's profile for the employer (issue 13 item 3): 求職情報 frozen at each online application"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0005"
down_revision = "0004"

_DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "application_profiles",
        sa.Column("application_id", sa.String(32), primary_key=True),
        sa.Column("seeker_id", sa.String(36), nullable=False, index=True),
        sa.Column("establishment_number", sa.String(20), nullable=False),
        sa.Column("job_number", sa.String(14), nullable=False),
        sa.Column("shared_contact", _DOCUMENT, nullable=False),
        sa.Column("profile", _DOCUMENT, nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("application_profiles")
