"""C1: employer clients registered by staff, bound to their establishments"""
import sqlalchemy as sa
from alembic import op

from kit.migrations import timestamp

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    op.create_table(
        "employer_clients",
        sa.Column("client_id", sa.String(40), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("establishments", sa.JSON(), nullable=False),
        sa.Column("secret_digest", sa.String(64), nullable=False),
        sa.Column("credential_id", sa.String(32), nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        timestamp("created_at"),
        timestamp("updated_at"),
        timestamp("revoked_at", nullable=True),
    )


def downgrade() -> None:
    op.drop_table("employer_clients")
