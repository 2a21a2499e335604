"""Saved-search alerts: 「新着求人をメールで受け取る」 per saved search and the time its next digest counts from"""
import sqlalchemy as sa
from alembic import op

from kit.migrations import timestamp

revision = "0012"
down_revision = "0011"


def upgrade() -> None:
    op.add_column("saved_searches", sa.Column("email_alert", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("saved_searches", timestamp("alert_since", nullable=True))
    op.create_index("ix_saved_searches_alert_due", "saved_searches", ["email_alert", "alert_since"])
    op.create_index("ix_postings_created_at", "postings", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_postings_created_at", table_name="postings")
    op.drop_index("ix_saved_searches_alert_due", table_name="saved_searches")
    with op.batch_alter_table("saved_searches") as batch:
        batch.drop_column("alert_since")
        batch.drop_column("email_alert")
