"""J1 by events: employer clients' establishments (from auth, C2) and each posting's newest employer event"""
import sqlalchemy as sa
from alembic import op

from kit.db import DOCUMENT
from kit.migrations import job_number, timestamp

revision = "0010"
down_revision = "0009"


def upgrade() -> None:
    op.create_table(
        "employer_clients",
        sa.Column("client_id", sa.String(40), primary_key=True),
        sa.Column("establishments", DOCUMENT, nullable=False),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        timestamp("at"),
    )
    op.create_table(
        "posting_event_versions",
        job_number(primary_key=True),
        timestamp("event_time"),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("closed", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    op.drop_table("posting_event_versions")
    op.drop_table("employer_clients")
