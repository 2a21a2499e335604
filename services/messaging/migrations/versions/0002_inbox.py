"""seeker_status projection, notices (お知らせ), threads and messages"""
import sqlalchemy as sa
from alembic import op

from kit.migrations import job_number, seeker_id, seeker_number, timestamp

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    op.create_table(
        "seeker_status",
        seeker_id(primary_key=True),
        seeker_number(nullable=True),
        sa.Column("registration", sa.String(10), nullable=True),
        timestamp("registration_as_of", nullable=True),
        sa.Column("usable", sa.Boolean(), nullable=False),
        timestamp("usable_as_of", nullable=True),
        timestamp("opened_at", nullable=True),
        timestamp("withdrawn_at", nullable=True),
        timestamp("updated_at"),
        sa.UniqueConstraint("seeker_number"),
        sa.CheckConstraint("registration IS NULL OR registration IN ('valid', 'invalid')",
                           name="ck_seeker_status_registration"),
    )
    op.create_table(
        "notices",
        sa.Column("id", sa.String(36), primary_key=True),
        seeker_id(),
        sa.Column("title", sa.String(100), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("posted_by", sa.String(120), nullable=False),
        timestamp("sent_at"),
        timestamp("read_at", nullable=True),
    )
    op.create_index("ix_notices_seeker", "notices", ["seeker_id", "sent_at"])
    op.create_index("ix_notices_sent_at", "notices", ["sent_at"])
    op.create_table(
        "threads",
        sa.Column("id", sa.String(36), primary_key=True),
        seeker_id(),
        sa.Column("application_id", sa.String(64), nullable=True),
        sa.Column("establishment_name", sa.String(200), nullable=False),
        job_number(nullable=True),
        timestamp("created_at"),
        timestamp("last_message_at", nullable=True),
        sa.UniqueConstraint("application_id"),
    )
    op.create_index("ix_threads_seeker", "threads", ["seeker_id", "last_message_at"])
    op.create_table(
        "messages",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("thread_id", sa.String(36), sa.ForeignKey("threads.id", ondelete="CASCADE"), nullable=False),
        seeker_id(),
        sa.Column("sender", sa.String(10), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        timestamp("sent_at"),
        timestamp("read_at", nullable=True),
        sa.CheckConstraint("sender IN ('seeker', 'employer')", name="ck_messages_sender"),
    )
    op.create_index("ix_messages_thread", "messages", ["thread_id", "sent_at"])
    op.create_index("ix_messages_seeker_unread", "messages", ["seeker_id", "read_at"])
    op.create_index("ix_messages_sent_at", "messages", ["sent_at"])


def downgrade() -> None:
    op.drop_table("messages")
    op.drop_table("threads")
    op.drop_table("notices")
    op.drop_table("seeker_status")
