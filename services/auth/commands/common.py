"""What the auth use cases share: the context the app builds once (AuthContext), the account and throttle
rows looked up and locked, and the log fields (the opaque seeker id only, S7)."""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from kit.db import insert_ignore
from kit.runtime import Runtime
from kit.uow import UnitOfWork
from services.auth import domain, mail
from services.auth.config import AuthSecrets, SystemClient
from services.auth.models import Account, LoginThrottle
from services.auth.passwords import Passwords

log = logging.getLogger("mypage.auth")

OPENING, RESET = "opening", "reset"
KEY, OTP, TICKET, EMAIL = "key", "otp", "ticket", "email"
_NO_CLIENT = SystemClient("", "", hashlib.sha256(secrets.token_bytes(32)).digest())


@dataclass
class AuthContext:
    """What the use cases need, built once per process by the app (the composition root)."""

    runtime: Runtime
    secrets: AuthSecrets
    passwords: Passwords
    wake_mail: Any = None  # callable: the in-process mail dispatcher's wake-up, if it runs here

    def uow(self) -> UnitOfWork:
        return self.runtime.uow()

    def now(self) -> datetime:
        return self.runtime.clock.now()

    def digest(self, purpose: str, value: str) -> str:
        return domain.digest(self.secrets.hmac_key, purpose, value)

    def mail_queued(self) -> None:
        if self.wake_mail is not None:
            self.wake_mail()


# -- helpers -----------------------------------------------------------------------------------------------

def _account_by_email(uow: UnitOfWork, email: str, *, lock: bool = False) -> Account | None:
    query = select(Account).where(Account.email == domain.normalise_email(email))
    return uow.session.scalar(query.with_for_update(key_share=True) if lock else query)


def _locked_account(uow: UnitOfWork, seeker_id: str) -> Account | None:
    """The account row locked for this transaction — FOR NO KEY UPDATE: its key never changes, and a
    stronger lock would block the key-share lock that inserting a session, challenge or key takes on
    it, so a login holding its device or challenge rows and a password change holding the account
    would wait for each other (a deadlock on PostgreSQL)."""
    return uow.session.get(Account, seeker_id, with_for_update={"key_share": True})


_THROTTLE_ATTEMPTS = 3


def _lock_throttle(uow: UnitOfWork, email_digest: str) -> LoginThrottle:
    """S2: the email's throttle row, created if new, locked for this transaction.

    Created first (insert … on conflict do nothing) so that the first failures of an email arriving
    at the same moment wait for each other and each counts, instead of racing to insert the row.
    The purge (R1) may delete the row (it had nothing left to remember) between the insert and the
    lock: then the lock finds nothing and the row is created again, as for a new email.
    """
    session = uow.session
    for _ in range(_THROTTLE_ATTEMPTS):
        session.execute(insert_ignore(session, LoginThrottle, on="email_digest")
                        .values(email_digest=email_digest, failures=0))
        throttle = session.scalar(select(LoginThrottle).where(LoginThrottle.email_digest == email_digest)
                                  .with_for_update().execution_options(populate_existing=True))
        if throttle is not None:
            return throttle
    raise RuntimeError("the login throttle row vanished repeatedly")


def _seeker(account: Account | None) -> dict[str, str]:
    return {"seeker": account.seeker_id} if account is not None else {}


def _seeker_id(seeker_id: str) -> dict[str, str]:
    return {"seeker": seeker_id}


def _queue_password_notice(uow: UnitOfWork, account: Account, now: datetime) -> None:
    """A8: the seeker learns by mail that their password was changed (or reset), in case it was not them."""
    mail.queue_mail(uow.session, mail.PASSWORD_CHANGED, account.email, {"changed_at": now.isoformat()}, now)
