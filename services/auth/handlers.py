"""What the auth service does with inbound events: routing key -> handler(event, uow).

The consumer claims the event in the inbox and commits; handlers never commit.
"""

from __future__ import annotations

import logging
from datetime import date

from sqlalchemy import select, update

from kit.events import Event
from kit.runtime import Handler
from kit.uow import UnitOfWork
from services.auth.digests import SAVED_SEARCH_DIGEST_EVENT, on_saved_search_digest
from services.auth.domain import normalise_email
from services.auth.erasure import ERASURE_REQUESTED, erase_seeker
from services.auth.models import Account, AuthKey

log = logging.getLogger("mypage.auth")


def register_seeker(event: Event, uow: UnitOfWork) -> None:
    """A1: a 求職登録 with a login email makes a pending account (or updates the seeker's one).

    Only what verifying needs is kept: opaque seeker id, 求職番号 (for staff's 利用不可), the
    normalised email, the birth date. A registration of a seeker who had withdrawn makes the
    account pending again (a new My Page can be opened).
    """
    account = _apply_login_facts(event, uow)
    if account.withdrawn_at is not None:  # registered again after 退会
        account.withdrawn_at = account.opened_at = account.password_hash = None
        account.terms_version = account.privacy_version = account.consented_at = None


def change_seeker(event: Event, uow: UnitOfWork) -> None:
    """A1–A3, A8: staff changed the login email or birth date; opening and reset verify the new values."""
    _apply_login_facts(event, uow)


def _apply_login_facts(event: Event, uow: UnitOfWork) -> Account:
    """Create or update the account from an event's seeker id, 求職番号, email and birth date.

    A changed email or birth date voids keys already sent. If another account held the email,
    the counter's latest word wins and that account loses it.
    """
    data = event.data
    seeker_id = data["seeker_id"]
    email = normalise_email(data["email"])
    birth_date = date.fromisoformat(data["birth_date"])
    now = uow.clock.now()
    session = uow.session
    holder = session.scalar(select(Account).where(Account.email == email, Account.seeker_id != seeker_id))
    if holder is not None:
        holder.email, holder.updated_at = None, now
        _void_keys(uow, holder.seeker_id, now)
        session.flush()
        log.warning("login email moved from seeker %s to seeker %s", holder.seeker_id, seeker_id,
                    extra={"seeker": seeker_id})
    account = session.get(Account, seeker_id)
    if account is None:
        account = Account(seeker_id=seeker_id, seeker_number=data["seeker_number"], email=email,
                          birth_date=birth_date, usable=True, created_at=now, updated_at=now)
        session.add(account)
        log.info("pending account created", extra={"seeker": seeker_id, "event_id": event.id})
        return account
    if account.email != email or account.birth_date != birth_date:
        _void_keys(uow, seeker_id, now)
    account.seeker_number, account.email, account.birth_date, account.updated_at = (
        data["seeker_number"], email, birth_date, now)
    log.info("account updated from %s", event.type, extra={"seeker": seeker_id, "event_id": event.id})
    return account


def _void_keys(uow: UnitOfWork, seeker_id: str, now) -> None:
    uow.session.execute(update(AuthKey).where(AuthKey.seeker_id == seeker_id, AuthKey.used_at.is_(None),
                                              AuthKey.voided_at.is_(None)).values(voided_at=now))


SUBSCRIPTIONS: dict[str, Handler] = {
    "profile.seeker.registered.v1": register_seeker,
    "profile.seeker.changed.v1": change_seeker,
    ERASURE_REQUESTED: erase_seeker,  # R3/S12
    SAVED_SEARCH_DIGEST_EVENT: on_saved_search_digest,  # J3 alerts: auth owns the login email, so it mails
}
