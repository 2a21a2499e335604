"""The auth service's own tables: accounts, keys, login challenges, sessions, devices, the mail outbox.

Auth keeps only what it needs to verify a seeker (E3): the opaque seeker id, the 求職番号 (for
staff's 利用不可, A10), the login email (normalised) and the birth date. Keys, OTPs and tokens
are stored as HMAC digests only (S1); passwords as argon2id hashes (S4).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ColumnElement, Date, ForeignKey, Index, Integer, String, Text, or_
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from kit.db import ROW_ID, UtcDateTime
from kit.inbox import inbox_table
from kit.outbox import outbox_table
from services.auth import domain


def _seeker() -> ForeignKey:
    return ForeignKey("accounts.seeker_id", ondelete="CASCADE")


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UtcDateTime}


outbox = outbox_table(Base.metadata)
inbox = inbox_table(Base.metadata)


class Account(Base):
    """A seeker's login account: pending (registered at the counter) → open (A6) → withdrawn (A9).

    `usable` is false while staff have made the My Page 利用不可 (A10).
    """

    __tablename__ = "accounts"

    seeker_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seeker_number: Mapped[str] = mapped_column(String(14), unique=True)  # 求職番号
    email: Mapped[str | None] = mapped_column(String(254), unique=True)  # normalised (domain.normalise_email)
    birth_date: Mapped[date] = mapped_column(Date)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    opened_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    usable: Mapped[bool] = mapped_column(Boolean, default=True)
    terms_version: Mapped[str | None] = mapped_column(String(20))  # A2: consent recorded at opening
    privacy_version: Mapped[str | None] = mapped_column(String(20))
    consented_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # S2: consecutive wrong OTPs across every login challenge of the account (a new login does not reset them)
    otp_failures: Mapped[int] = mapped_column(Integer, default=0)
    otp_last_failed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    otp_locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime())

    @property
    def is_open(self) -> bool:
        return self.opened_at is not None and self.withdrawn_at is None


class SentCode:
    """A key (S1) or one-time password (A7) sent by mail: its time runs from sending (the mail dispatcher
    stamps `sent_at` and `expires_at`), a wrong entry counts (the 5th voids it), it is used once."""

    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    wrong_entries: Mapped[int] = mapped_column(Integer, default=0)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    voided_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

    def state(self) -> domain.CodeState:
        return domain.CodeState(self.sent_at, self.expires_at, self.wrong_entries, self.used_at, self.voided_at)

    def count_wrong_entry(self, now: datetime) -> None:
        self.wrong_entries += 1
        if self.wrong_entries >= domain.MAX_WRONG_ENTRIES:
            self.voided_at = now

    @classmethod
    def ended(cls, now: datetime) -> ColumnElement[bool]:
        """Used, voided or expired by `now` (R1: what the purge may delete)."""
        return or_(cls.used_at <= now, cls.voided_at <= now, cls.expires_at <= now)


class AuthKey(SentCode, Base):
    """認証キー (A3, A8, S1): one per opening or reset request; valid 50 min from sending."""

    __tablename__ = "auth_keys"

    id: Mapped[int] = mapped_column(ROW_ID, primary_key=True, autoincrement=True)
    seeker_id: Mapped[str] = mapped_column(String(36), _seeker())
    purpose: Mapped[str] = mapped_column(String(10))  # opening | reset
    digest: Mapped[str] = mapped_column(String(64))
    terms_version: Mapped[str | None] = mapped_column(String(20))  # A2: what was agreed when asking
    privacy_version: Mapped[str | None] = mapped_column(String(20))

    __table_args__ = (Index("ix_auth_keys_seeker_created", "seeker_id", "created_at"),)


class LoginChallenge(SentCode, Base):
    """A7: a password that matched, waiting for its ワンタイムパスワード (6 digits, 10 min, 5 tries)."""

    __tablename__ = "login_challenges"

    id: Mapped[int] = mapped_column(ROW_ID, primary_key=True, autoincrement=True)
    seeker_id: Mapped[str] = mapped_column(String(36), _seeker(), index=True)
    ticket_digest: Mapped[str] = mapped_column(String(64), unique=True)
    otp_digest: Mapped[str] = mapped_column(String(64))


class LoginThrottle(Base):
    """S2: consecutive login failures per login email (its HMAC), known or not, so a lock enumerates nothing.

    These are the failures of every device that is not a remembered one (a Device counts its own).
    """

    __tablename__ = "login_throttles"

    email_digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime())


class Session(Base):
    """DESIGN §5: a login session; its refresh token `<id>.<secret>` (secret hashed) rotates on every use.

    A token of this session whose secret is a rotated-out one (RetiredRefreshToken) is an old token
    used again — a sign it was stolen — so the session ends (S2). A secret it never issued is just refused.
    """

    __tablename__ = "sessions"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # the JWT `sid`
    seeker_id: Mapped[str] = mapped_column(String(36), _seeker(), index=True)
    refresh_digest: Mapped[str] = mapped_column(String(64))  # of the current token's secret part
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    last_used_at: Mapped[datetime] = mapped_column(UtcDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    revoke_reason: Mapped[str | None] = mapped_column(String(20))


class RetiredRefreshToken(Base):
    """S2: a refresh token the session really issued and has since rotated out (its HMAC), so that
    presenting it again is known reuse; gone with its session."""

    __tablename__ = "retired_refresh_tokens"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    session_id: Mapped[str] = mapped_column(String(32), ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    retired_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Device(Base):
    """A7: a device whose owner chose to skip the OTP for 30 days (revocable).

    S2 (the OWASP device-cookie pattern): its token also makes it a known device whose login
    failures are counted here, apart from the email's (LoginThrottle), so a stranger's failures
    cannot lock it out.
    """

    __tablename__ = "devices"

    id: Mapped[int] = mapped_column(ROW_ID, primary_key=True, autoincrement=True)
    seeker_id: Mapped[str] = mapped_column(String(36), _seeker(), index=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    failures: Mapped[int] = mapped_column(Integer, default=0)  # S2: consecutive wrong passwords on this device
    last_failed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime())


class Mail(Base):
    """S3: the mail outbox — a mail is a row committed with the change that needs it, sent by the worker.

    `params` holds what the template needs (the key or OTP among them) until the mail is sent,
    then it is cleared, so no one-time value stays at rest.
    """

    __tablename__ = "mail_outbox"

    id: Mapped[int] = mapped_column(ROW_ID, primary_key=True, autoincrement=True)
    template: Mapped[str] = mapped_column(String(30))
    recipient: Mapped[str] = mapped_column(String(254))
    params: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    key_id: Mapped[int | None] = mapped_column(ForeignKey("auth_keys.id", ondelete="CASCADE"))
    challenge_id: Mapped[int | None] = mapped_column(ForeignKey("login_challenges.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_mail_outbox_unsent", "sent_at", "id"),)


class EmployerClient(Base):
    """C1: an employer-side integration staff registered, bound to the establishments (事業所番号) it acts
    for. The secret is kept only as an HMAC (shown once); `credential_id` is the `sid` of its tokens —
    replaced when the secret or the establishments change or the client is revoked, so the gateway can
    refuse the tokens issued before (clients.py). No personal data."""

    __tablename__ = "employer_clients"

    client_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    establishments: Mapped[list[str]] = mapped_column(JSON)
    secret_digest: Mapped[str] = mapped_column(String(64))
    credential_id: Mapped[str] = mapped_column(String(32))
    created_by: Mapped[str] = mapped_column(String(100))  # the staff client that registered it
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class StaffAudit(Base):
    """C3: one staff write, recorded by the gateway before it is forwarded — who (the staff client id),
    for which office, what (method and path with every identifier replaced by `*`), where (the service),
    when and under which request id. Never the personal data itself (no 求職番号, no body). Kept five
    years (purge.AUDIT_RETENTION_YEARS)."""

    __tablename__ = "staff_audit"

    id: Mapped[int] = mapped_column(ROW_ID, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    client_id: Mapped[str] = mapped_column(String(100))
    office: Mapped[str | None] = mapped_column(String(5))
    action: Mapped[str] = mapped_column(String(200))
    service: Mapped[str] = mapped_column(String(20))
    request_id: Mapped[str] = mapped_column(String(64))

    __table_args__ = (Index("ix_staff_audit_office_at", "office", "at"), Index("ix_staff_audit_at", "at"))


OWN_TABLES = ("accounts", "auth_keys", "login_challenges", "login_throttles", "sessions", "retired_refresh_tokens",
              "devices", "mail_outbox", "employer_clients", "staff_audit")
