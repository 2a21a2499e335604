"""accounts, keys, login challenges and throttles, sessions, devices, mail outbox"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIME = sa.DateTime(timezone=True)


def _seeker():
    return sa.Column("seeker_id", sa.String(36), sa.ForeignKey("accounts.seeker_id", ondelete="CASCADE"),
                     nullable=False)


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("seeker_id", sa.String(36), primary_key=True),
        sa.Column("seeker_number", sa.String(14), nullable=False, unique=True),
        sa.Column("email", sa.String(254), nullable=True, unique=True),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=True),
        sa.Column("opened_at", TIME, nullable=True),
        sa.Column("withdrawn_at", TIME, nullable=True),
        sa.Column("usable", sa.Boolean(), nullable=False),
        sa.Column("terms_version", sa.String(20), nullable=True),
        sa.Column("privacy_version", sa.String(20), nullable=True),
        sa.Column("consented_at", TIME, nullable=True),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("updated_at", TIME, nullable=False),
    )
    op.create_table(
        "auth_keys",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        _seeker(),
        sa.Column("purpose", sa.String(10), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("sent_at", TIME, nullable=True),
        sa.Column("expires_at", TIME, nullable=True),
        sa.Column("wrong_entries", sa.Integer(), nullable=False),
        sa.Column("used_at", TIME, nullable=True),
        sa.Column("voided_at", TIME, nullable=True),
        sa.Column("terms_version", sa.String(20), nullable=True),
        sa.Column("privacy_version", sa.String(20), nullable=True),
    )
    op.create_index("ix_auth_keys_seeker_created", "auth_keys", ["seeker_id", "created_at"])
    op.create_table(
        "login_challenges",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        _seeker(),
        sa.Column("ticket_digest", sa.String(64), nullable=False, unique=True),
        sa.Column("otp_digest", sa.String(64), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("sent_at", TIME, nullable=True),
        sa.Column("expires_at", TIME, nullable=True),
        sa.Column("wrong_entries", sa.Integer(), nullable=False),
        sa.Column("used_at", TIME, nullable=True),
        sa.Column("voided_at", TIME, nullable=True),
    )
    op.create_index("ix_login_challenges_seeker_id", "login_challenges", ["seeker_id"])
    op.create_table(
        "login_throttles",
        sa.Column("email_digest", sa.String(64), primary_key=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failed_at", TIME, nullable=True),
        sa.Column("locked_until", TIME, nullable=True),
    )
    op.create_table(
        "sessions",
        sa.Column("id", sa.String(32), primary_key=True),
        _seeker(),
        sa.Column("refresh_digest", sa.String(64), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("last_used_at", TIME, nullable=False),
        sa.Column("revoked_at", TIME, nullable=True),
        sa.Column("revoke_reason", sa.String(20), nullable=True),
    )
    op.create_index("ix_sessions_seeker_id", "sessions", ["seeker_id"])
    op.create_table(
        "devices",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        _seeker(),
        sa.Column("digest", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("expires_at", TIME, nullable=False),
        sa.Column("revoked_at", TIME, nullable=True),
    )
    op.create_index("ix_devices_seeker_id", "devices", ["seeker_id"])
    op.create_table(
        "mail_outbox",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("template", sa.String(30), nullable=False),
        sa.Column("recipient", sa.String(254), nullable=False),
        sa.Column("params", sa.JSON(), nullable=True),
        sa.Column("key_id", ID, sa.ForeignKey("auth_keys.id", ondelete="CASCADE"), nullable=True),
        sa.Column("challenge_id", ID, sa.ForeignKey("login_challenges.id", ondelete="CASCADE"), nullable=True),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("sent_at", TIME, nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", TIME, nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
    )
    op.create_index("ix_mail_outbox_unsent", "mail_outbox", ["sent_at", "id"])


def downgrade() -> None:
    for table in ("mail_outbox", "devices", "sessions", "login_throttles", "login_challenges", "auth_keys",
                  "accounts"):
        op.drop_table(table)
