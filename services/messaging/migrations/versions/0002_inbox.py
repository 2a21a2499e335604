"""seeker_status projection, notices (お知らせ), threads and messages"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def _time(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "seeker_status",
        sa.Column("seeker_id", sa.String(36), primary_key=True),
        sa.Column("seeker_number", sa.String(14), nullable=True),
        sa.Column("registration", sa.String(10), nullable=True),
        _time("registration_as_of"),
        sa.Column("usable", sa.Boolean(), nullable=False),
        _time("usable_as_of"),
        _time("opened_at"),
        _time("withdrawn_at"),
        _time("updated_at", nullable=False),
        sa.UniqueConstraint("seeker_number"),
        sa.CheckConstraint("registration IS NULL OR registration IN ('valid', 'invalid')",
                           name="ck_seeker_status_registration"),
    )
    op.create_table(
        "notices",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("seeker_id", sa.String(36), nullable=False),
        sa.Column("title", sa.String(100), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("posted_by", sa.String(120), nullable=False),
        _time("sent_at", nullable=False),
        _time("read_at"),
    )
    op.create_index("ix_notices_seeker", "notices", ["seeker_id", "sent_at"])
    op.create_index("ix_notices_sent_at", "notices", ["sent_at"])
    op.create_table(
        "threads",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("seeker_id", sa.String(36), nullable=False),
        sa.Column("application_id", sa.String(64), nullable=True),
        sa.Column("establishment_name", sa.String(200), nullable=False),
        sa.Column("job_number", sa.String(14), nullable=True),
        _time("created_at", nullable=False),
        _time("last_message_at"),
        sa.UniqueConstraint("application_id"),
    )
    op.create_index("ix_threads_seeker", "threads", ["seeker_id", "last_message_at"])
    op.create_table(
        "messages",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("thread_id", sa.String(36), sa.ForeignKey("threads.id", ondelete="CASCADE"), nullable=False),
        sa.Column("seeker_id", sa.String(36), nullable=False),
        sa.Column("sender", sa.String(10), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        _time("sent_at", nullable=False),
        _time("read_at"),
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
