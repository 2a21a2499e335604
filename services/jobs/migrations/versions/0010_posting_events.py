"""J1 by events: employer clients' establishments (from auth, C2) and each posting's newest employer event"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0010"
down_revision = "0009"

_DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "employer_clients",
        sa.Column("client_id", sa.String(40), primary_key=True),
        sa.Column("establishments", _DOCUMENT, nullable=False),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "posting_event_versions",
        sa.Column("job_number", sa.String(14), primary_key=True),
        sa.Column("event_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("closed", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    op.drop_table("posting_event_versions")
    op.drop_table("employer_clients")
