"""The applicant's profile for the employer (issue 13 item 3): 求職情報 frozen at each online application"""
import sqlalchemy as sa
from alembic import op

from kit.db import DOCUMENT
from kit.migrations import job_number, seeker_id, timestamp

revision = "0005"
down_revision = "0004"


def upgrade() -> None:
    op.create_table(
        "application_profiles",
        sa.Column("application_id", sa.String(32), primary_key=True),
        seeker_id(index=True),
        sa.Column("establishment_number", sa.String(20), nullable=False),
        job_number(),
        sa.Column("shared_contact", DOCUMENT, nullable=False),
        sa.Column("profile", DOCUMENT, nullable=False),
        timestamp("submitted_at"),
    )


def downgrade() -> None:
    op.drop_table("application_profiles")
