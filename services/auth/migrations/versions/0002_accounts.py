"""accounts, keys, login challenges and throttles, sessions, devices, mail outbox"""
import sqlalchemy as sa
from alembic import op

from kit.db import ROW_ID
from kit.migrations import seeker_id, seeker_number, timestamp

revision = "0002"
down_revision = "0001"


def _seeker():
    return seeker_id(sa.ForeignKey("accounts.seeker_id", ondelete="CASCADE"))


def _mailed_secret() -> list[sa.Column]:
    """The life of a secret mailed to the seeker (an 認証キー, a one-time password): sent, tried, used or voided."""
    return [timestamp("created_at"), timestamp("sent_at", nullable=True), timestamp("expires_at", nullable=True),
            sa.Column("wrong_entries", sa.Integer(), nullable=False), timestamp("used_at", nullable=True),
            timestamp("voided_at", nullable=True)]


def upgrade() -> None:
    op.create_table(
        "accounts",
        seeker_id(primary_key=True),
        seeker_number(unique=True),
        sa.Column("email", sa.String(254), nullable=True, unique=True),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=True),
        timestamp("opened_at", nullable=True),
        timestamp("withdrawn_at", nullable=True),
        sa.Column("usable", sa.Boolean(), nullable=False),
        sa.Column("terms_version", sa.String(20), nullable=True),
        sa.Column("privacy_version", sa.String(20), nullable=True),
        timestamp("consented_at", nullable=True),
        timestamp("created_at"),
        timestamp("updated_at"),
    )
    op.create_table(
        "auth_keys",
        sa.Column("id", ROW_ID, primary_key=True, autoincrement=True),
        _seeker(),
        sa.Column("purpose", sa.String(10), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        *_mailed_secret(),
        sa.Column("terms_version", sa.String(20), nullable=True),
        sa.Column("privacy_version", sa.String(20), nullable=True),
    )
    op.create_index("ix_auth_keys_seeker_created", "auth_keys", ["seeker_id", "created_at"])
    op.create_table(
        "login_challenges",
        sa.Column("id", ROW_ID, primary_key=True, autoincrement=True),
        _seeker(),
        sa.Column("ticket_digest", sa.String(64), nullable=False, unique=True),
        sa.Column("otp_digest", sa.String(64), nullable=False),
        *_mailed_secret(),
    )
    op.create_index("ix_login_challenges_seeker_id", "login_challenges", ["seeker_id"])
    op.create_table(
        "login_throttles",
        sa.Column("email_digest", sa.String(64), primary_key=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        timestamp("last_failed_at", nullable=True),
        timestamp("locked_until", nullable=True),
    )
    op.create_table(
        "sessions",
        sa.Column("id", sa.String(32), primary_key=True),
        _seeker(),
        sa.Column("refresh_digest", sa.String(64), nullable=False),
        timestamp("created_at"),
        timestamp("last_used_at"),
        timestamp("revoked_at", nullable=True),
        sa.Column("revoke_reason", sa.String(20), nullable=True),
    )
    op.create_index("ix_sessions_seeker_id", "sessions", ["seeker_id"])
    op.create_table(
        "devices",
        sa.Column("id", ROW_ID, primary_key=True, autoincrement=True),
        _seeker(),
        sa.Column("digest", sa.String(64), nullable=False, unique=True),
        timestamp("created_at"),
        timestamp("expires_at"),
        timestamp("revoked_at", nullable=True),
    )
    op.create_index("ix_devices_seeker_id", "devices", ["seeker_id"])
    op.create_table(
        "mail_outbox",
        sa.Column("id", ROW_ID, primary_key=True, autoincrement=True),
        sa.Column("template", sa.String(30), nullable=False),
        sa.Column("recipient", sa.String(254), nullable=False),
        sa.Column("params", sa.JSON(), nullable=True),
        sa.Column("key_id", ROW_ID, sa.ForeignKey("auth_keys.id", ondelete="CASCADE"), nullable=True),
        sa.Column("challenge_id", ROW_ID, sa.ForeignKey("login_challenges.id", ondelete="CASCADE"), nullable=True),
        timestamp("created_at"),
        timestamp("sent_at", nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        timestamp("next_attempt_at", nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
    )
    op.create_index("ix_mail_outbox_unsent", "mail_outbox", ["sent_at", "id"])


def downgrade() -> None:
    for table in ("mail_outbox", "devices", "sessions", "login_throttles", "login_challenges", "auth_keys",
                  "accounts"):
        op.drop_table(table)
