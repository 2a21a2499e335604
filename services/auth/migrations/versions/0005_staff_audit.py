"""C3: the audit trail of staff writes"""
import sqlalchemy as sa
from alembic import op

from kit.db import ROW_ID
from kit.migrations import timestamp

revision = "0005"
down_revision = "0004"


def upgrade() -> None:
    op.create_table(
        "staff_audit",
        sa.Column("id", ROW_ID, primary_key=True, autoincrement=True),
        timestamp("at"),
        sa.Column("client_id", sa.String(100), nullable=False),
        sa.Column("office", sa.String(5), nullable=True),
        sa.Column("action", sa.String(200), nullable=False),
        sa.Column("service", sa.String(20), nullable=False),
        sa.Column("request_id", sa.String(64), nullable=False),
    )
    op.create_index("ix_staff_audit_office_at", "staff_audit", ["office", "at"])


def downgrade() -> None:
    op.drop_table("staff_audit")
