"""C3: the audit trail's purge after five years walks an index on its time"""
from alembic import op

revision = "0006"
down_revision = "0005"


def upgrade() -> None:
    op.create_index("ix_staff_audit_at", "staff_audit", ["at"])


def downgrade() -> None:
    op.drop_index("ix_staff_audit_at", table_name="staff_audit")
