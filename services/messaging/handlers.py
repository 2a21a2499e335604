"""What the messaging service does with inbound events: routing key -> handler(event, uow).

They keep the local `seeker_status` projection (DESIGN §1) that gates messaging (P4) and maps
the 求職番号 staff use to the opaque seeker id (M2). The consumer runs each handler in a unit
of work it commits itself, after recording the event in the inbox (duplicates are skipped):
handlers never commit. Order: each registration event carries the whole state, and one older
than the state already applied (by its CloudEvents `time`) changes nothing.

Messaging depends on no other service's code (import-linter): the types are written out here,
the payloads are those of services/profile/events.py and services/auth/events.py.
"""

from __future__ import annotations

import logging
from datetime import datetime

from kit.events import Event
from kit.runtime import Handler
from kit.uow import UnitOfWork
from services.messaging import commands, domain
from services.messaging.erasure import ERASURE_REQUESTED, erase_seeker

log = logging.getLogger("mypage.messaging")

SEEKER_REGISTERED = "profile.seeker.registered.v1"
SEEKER_CHANGED = "profile.seeker.changed.v1"
REGISTRATION_VALIDATED = "profile.registration.validated.v1"
REGISTRATION_INVALIDATED = "profile.registration.invalidated.v1"
REGISTRATION_EXTENDED = "profile.registration.extended.v1"
MYPAGE_OPENED = "auth.mypage.opened.v1"
MYPAGE_USABILITY_CHANGED = "auth.mypage.usability_changed.v1"
MYPAGE_WITHDRAWN = "auth.mypage.withdrawn.v1"


def _seeker_id(event: Event) -> str | None:
    seeker_id = event.data.get("seeker_id")
    if isinstance(seeker_id, str) and 0 < len(seeker_id) <= 36:
        return seeker_id
    # A malformed event cannot become valid by retrying: log it and let it go.
    log.warning("%s %s without a usable seeker_id; ignored", event.type, event.id)
    return None


def _seeker_number(event: Event) -> str | None:
    number = event.data.get("seeker_number")
    return number if isinstance(number, str) and len(number) == 14 else None


def _time(event: Event, key: str) -> datetime | None:
    value = event.data.get(key)
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00")) if isinstance(value, str) else None
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        log.warning("%s %s without a usable %s; ignored", event.type, event.id, key)
        return None
    return parsed


def on_seeker_registered(event: Event, uow: UnitOfWork) -> None:
    """M2: a 求職登録 (or a correction of it) names the seeker by 求職番号; remember the pair.
    The email and birth date in the payload are auth's business and are not kept (E3)."""
    seeker_id, number = _seeker_id(event), _seeker_number(event)
    if seeker_id and number:
        commands.record_seeker(uow, seeker_id, number)


def on_registration_validated(event: Event, uow: UnitOfWork) -> None:
    """P4: the registration is valid (new, re-applied, set valid again): messaging opens."""
    if seeker_id := _seeker_id(event):
        commands.record_registration(uow, seeker_id, _seeker_number(event), domain.VALID, event.time)


def on_registration_extended(event: Event, uow: UnitOfWork) -> None:
    """P3a/P4: an extension is only ever of a valid registration: it says valid as of its time."""
    on_registration_validated(event, uow)


def on_registration_invalidated(event: Event, uow: UnitOfWork) -> None:
    """P4: the registration became invalid (by the seeker, staff, or expiry): messaging is refused."""
    if seeker_id := _seeker_id(event):
        commands.record_registration(uow, seeker_id, _seeker_number(event), domain.INVALID, event.time)


def on_usability_changed(event: Event, uow: UnitOfWork) -> None:
    """A10: 利用不可 refuses messaging and notices; lifting it gives them back."""
    seeker_id, usable = _seeker_id(event), event.data.get("usable")
    if seeker_id and isinstance(usable, bool):
        commands.record_usability(uow, seeker_id, usable, event.time)


def on_withdrawn(event: Event, uow: UnitOfWork) -> None:
    """A9: the seeker withdrew (退会): messaging and notices are refused from now on.
    (Erasure of their rows is retention's saga, R3 — not done here.)"""
    seeker_id, withdrawn_at = _seeker_id(event), _time(event, "withdrawn_at")
    if seeker_id and withdrawn_at:
        commands.record_withdrawal(uow, seeker_id, withdrawn_at)


def on_opened(event: Event, uow: UnitOfWork) -> None:
    """A6: a My Page opened after a withdrawal (re-registered at the counter) is usable again."""
    seeker_id, opened_at = _seeker_id(event), _time(event, "opened_at")
    if seeker_id and opened_at:
        commands.record_opening(uow, seeker_id, opened_at)


SUBSCRIPTIONS: dict[str, Handler] = {
    SEEKER_REGISTERED: on_seeker_registered,
    SEEKER_CHANGED: on_seeker_registered,
    REGISTRATION_VALIDATED: on_registration_validated,
    REGISTRATION_INVALIDATED: on_registration_invalidated,
    REGISTRATION_EXTENDED: on_registration_extended,
    MYPAGE_OPENED: on_opened,
    MYPAGE_USABILITY_CHANGED: on_usability_changed,
    MYPAGE_WITHDRAWN: on_withdrawn,
    ERASURE_REQUESTED: erase_seeker,  # R3/S12
}
