"""What the messaging service does with inbound events: routing key -> handler(event, uow).

They keep the local `seeker_status` projection (DESIGN §1) that gates messaging (P4) and maps
the 求職番号 staff use to the opaque seeker id (M2). The consumer runs each handler in a unit
of work it commits itself, after recording the event in the inbox (duplicates are skipped):
handlers never commit. Order: each registration event carries the whole state, and one older
than the state already applied (by its CloudEvents `time`) changes nothing.

Messaging depends on no other service's code (import-linter): the types are written out here,
the payloads are those of services/profile/events.py, services/auth/events.py and
services/jobs/events.py (applications open threads, M1; recommendations and matching postings reach
the notices, M2).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import datetime

from kit.events import Event, seeker_id_of
from kit.runtime import Handler
from kit.uow import UnitOfWork
from services.messaging import commands, domain, seekers
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
APPLICATION_SUBMITTED = "jobs.application.submitted.v1"
APPLICATION_WITHDRAWN = "jobs.application.withdrawn.v1"
APPLICATION_STATUS_CHANGED = "jobs.application.status_changed.v1"
RECOMMENDATION_MADE = "jobs.recommendation.made.v1"
POSTING_MATCHED = "jobs.posting.matched.v1"
REFERRAL_RECORDED = "jobs.referral.recorded.v1"
DIRECT_REQUEST_SENT = "jobs.direct_request.sent.v1"

JOB_NUMBER = re.compile(r"^\d{5}-\d{8}$")  # 求人番号


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
    seeker_id, number = seeker_id_of(event), _seeker_number(event)
    if seeker_id and number:
        seekers.record_seeker(uow, seeker_id, number)


def on_registration_validated(event: Event, uow: UnitOfWork) -> None:
    """P4: the registration is valid (new, re-applied, set valid again): messaging opens."""
    if seeker_id := seeker_id_of(event):
        seekers.record_registration(uow, seeker_id, _seeker_number(event), domain.VALID, event.time)


def on_registration_extended(event: Event, uow: UnitOfWork) -> None:
    """P3a/P4: an extension is only ever of a valid registration: it says valid as of its time."""
    on_registration_validated(event, uow)


def on_registration_invalidated(event: Event, uow: UnitOfWork) -> None:
    """P4: the registration became invalid (by the seeker, staff, or expiry): messaging is refused."""
    if seeker_id := seeker_id_of(event):
        seekers.record_registration(uow, seeker_id, _seeker_number(event), domain.INVALID, event.time)


def on_usability_changed(event: Event, uow: UnitOfWork) -> None:
    """A10: 利用不可 refuses messaging and notices; lifting it gives them back."""
    seeker_id, usable = seeker_id_of(event), event.data.get("usable")
    if seeker_id and isinstance(usable, bool):
        seekers.record_usability(uow, seeker_id, usable, event.time)


def on_withdrawn(event: Event, uow: UnitOfWork) -> None:
    """A9: the seeker withdrew (退会): messaging and notices are refused from now on.
    (Erasure of their rows is retention's saga, R3 — not done here.)"""
    seeker_id, withdrawn_at = seeker_id_of(event), _time(event, "withdrawn_at")
    if seeker_id and withdrawn_at:
        seekers.record_withdrawal(uow, seeker_id, withdrawn_at)


def on_opened(event: Event, uow: UnitOfWork) -> None:
    """A6: a My Page opened after a withdrawal (re-registered at the counter) is usable again."""
    seeker_id, opened_at = seeker_id_of(event), _time(event, "opened_at")
    if seeker_id and opened_at:
        seekers.record_opening(uow, seeker_id, opened_at)


# -- jobs' events: applications open threads (M1), recommendations reach the notices (M2) -----------


def _text(event: Event, key: str, max_length: int) -> str | None:
    value = event.data.get(key)
    return value if isinstance(value, str) and 0 < len(value) <= max_length else None


def _job_number(event: Event) -> str | None:
    number = event.data.get("job_number")
    return number if isinstance(number, str) and JOB_NUMBER.match(number) else None


def _on_application(event: Event, uow: UnitOfWork, status: str | None) -> None:
    """M1: any application event carries the whole application (jobs' ApplicationPayload): it opens the
    thread if none is open yet — one per application id — and says the status as of its time."""
    seeker_id, application_id = seeker_id_of(event), _text(event, "application_id", 64)
    job_number, establishment_number = _job_number(event), _text(event, "establishment_number", 20)
    if not (seeker_id and application_id and job_number and establishment_number
            and status in domain.APPLICATION_STATUSES):
        log.warning("%s %s without a usable application; ignored", event.type, event.id)
        return
    commands.record_application(uow, seeker_id=seeker_id, application_id=application_id, job_number=job_number,
                                establishment_number=establishment_number, status=status, as_of=event.time,
                                establishment_name=_text(event, "establishment_name", 200))


def on_referral_recorded(event: Event, uow: UnitOfWork) -> None:
    """M1/J5: Hello Work referred the seeker: the thread with the referred establishment opens."""
    seeker_id, referral_id = seeker_id_of(event), _text(event, "referral_id", 32)
    job_number, establishment_number = _job_number(event), _text(event, "establishment_number", 20)
    if not (seeker_id and referral_id and job_number and establishment_number):
        log.warning("%s %s without a usable referral; ignored", event.type, event.id)
        return
    commands.record_referral(uow, seeker_id=seeker_id, referral_id=referral_id, job_number=job_number,
                             establishment_number=establishment_number,
                             establishment_name=_text(event, "establishment_name", 200))


def on_application_submitted(event: Event, uow: UnitOfWork) -> None:
    """M1/J8: the seeker applied: the thread with that establishment opens (応募中)."""
    _on_application(event, uow, domain.APPLIED)


def on_application_withdrawn(event: Event, uow: UnitOfWork) -> None:
    """M1/J8: the seeker withdrew the application (辞退): the thread says so and stays (readable and
    writable both ways, until M3 deletes its messages)."""
    _on_application(event, uow, domain.APPLICATION_WITHDRAWN)


def on_application_status_changed(event: Event, uow: UnitOfWork) -> None:
    """M1/J8: the employer moved the application to 選考中, 採用 or 不採用: the thread says so."""
    status = event.data.get("status")
    _on_application(event, uow, status if status in (domain.SCREENING, domain.HIRED, domain.REJECTED) else None)


def _deliver_posting(event: Event, uow: UnitOfWork, deliver: Callable[[UnitOfWork, str, str], object]) -> None:
    """M2: a notice about a posting for the event's seeker; an event without a usable 求人番号 is let go."""
    seeker_id, job_number = seeker_id_of(event), _job_number(event)
    if not job_number:
        log.warning("%s %s without a usable job_number; ignored", event.type, event.id)
    elif seeker_id:
        deliver(uow, seeker_id, job_number)


def on_recommendation_made(event: Event, uow: UnitOfWork) -> None:
    """M2/J7: staff recommended a posting: an entry 「ハローワークからおすすめの求人が届きました」 reaches the
    seeker's notices, once per (seeker, 求人番号)."""
    _deliver_posting(event, uow, commands.deliver_recommendation)


def on_posting_matched(event: Event, uow: UnitOfWork) -> None:
    """M2/J6: a new posting matched the seeker's desired conditions: an entry 「希望条件に合う新着求人が
    届きました」 reaches the seeker's notices, once per (seeker, 求人番号)."""
    _deliver_posting(event, uow, commands.deliver_matching)


def on_direct_request_sent(event: Event, uow: UnitOfWork) -> None:
    """J8a: an employer sent the seeker a posting: 「求人者から直接リクエストが届きました」 in the notices, once
    per (seeker, 求人番号)."""
    _deliver_posting(event, uow, commands.deliver_direct_request)


SUBSCRIPTIONS: dict[str, Handler] = {
    SEEKER_REGISTERED: on_seeker_registered,
    SEEKER_CHANGED: on_seeker_registered,
    REGISTRATION_VALIDATED: on_registration_validated,
    REGISTRATION_INVALIDATED: on_registration_invalidated,
    REGISTRATION_EXTENDED: on_registration_extended,
    MYPAGE_OPENED: on_opened,
    MYPAGE_USABILITY_CHANGED: on_usability_changed,
    MYPAGE_WITHDRAWN: on_withdrawn,
    APPLICATION_SUBMITTED: on_application_submitted,  # M1
    APPLICATION_WITHDRAWN: on_application_withdrawn,
    APPLICATION_STATUS_CHANGED: on_application_status_changed,
    REFERRAL_RECORDED: on_referral_recorded,  # M1/J5
    RECOMMENDATION_MADE: on_recommendation_made,  # M2/J7
    POSTING_MATCHED: on_posting_matched,  # M2/J6
    DIRECT_REQUEST_SENT: on_direct_request_sent,  # J8a
    ERASURE_REQUESTED: erase_seeker,  # R3/S12
}
