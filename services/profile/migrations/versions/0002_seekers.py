"""seekers (求職者)"""
import sqlalchemy as sa
from alembic import op

from kit.db import DOCUMENT
from kit.migrations import seeker_number, timestamp

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    op.create_table(
        "seekers",
        sa.Column("id", sa.String(36), primary_key=True),
        seeker_number(),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("name_kana", sa.String(100), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("office_code", sa.String(5), nullable=False),
        sa.Column("office_name", sa.String(60), nullable=False),
        sa.Column("registration_status", sa.String(10), nullable=False),
        sa.Column("applied_on", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("invalidated_on", sa.Date(), nullable=True),
        sa.Column("document", DOCUMENT, nullable=False),
        timestamp("created_at"),
        timestamp("updated_at"),
        sa.UniqueConstraint("seeker_number", name="uq_seekers_seeker_number"),
        sa.CheckConstraint("kind IN ('registered', 'online')", name="ck_seekers_kind"),
        sa.CheckConstraint("registration_status IN ('valid', 'invalid')", name="ck_seekers_registration_status"),
        sa.CheckConstraint("length(seeker_number) = 14", name="ck_seekers_seeker_number"),
    )
    op.create_index("ix_seekers_email", "seekers", ["email"])
    op.create_index("ix_seekers_valid_until", "seekers", ["registration_status", "valid_until"])
    op.create_index("ix_seekers_invalidated_on", "seekers", ["invalidated_on"])


def downgrade() -> None:
    op.drop_table("seekers")
