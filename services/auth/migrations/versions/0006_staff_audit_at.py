"""C3: the audit trail's purge after five years walks an index on its time

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_staff_audit_at", "staff_audit", ["at"])


def downgrade() -> None:
    op.drop_index("ix_staff_audit_at", table_name="staff_audit")
