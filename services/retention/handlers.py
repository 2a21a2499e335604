"""What the retention service does with inbound events: routing key -> handler(event, uow).

- profile.registration.* (R2): keep per seeker the day the registration became invalid
  (`invalidated_on`, else the event's day in Japan), cleared by a later valid or extended one;
  each row keeps its event time, so an older event arriving late changes nothing.
- auth.mypage.withdrawn.v1 (A9): start an erasure at once (R3).
- <service>.erasure.completed.v1 (R3): record the confirmation of its round; the last one of round 1
  makes the final round due, the last one of the final round completes the saga.

The consumer runs each handler in a unit of work it commits itself, after recording the event in
the inbox (duplicates are skipped): handlers never commit. Retention imports no other service:
the types and payload fields are those of contracts/asyncapi.yaml.
"""

from __future__ import annotations

import logging
from datetime import date

from kit.clock import today_in_japan
from kit.erasure import SAGA_SERVICES
from kit.events import Event, seeker_id_of
from kit.runtime import Handler
from kit.uow import UnitOfWork
from services.retention import commands, domain

log = logging.getLogger("mypage.retention")

REGISTRATION_VALIDATED = "profile.registration.validated.v1"
REGISTRATION_INVALIDATED = "profile.registration.invalidated.v1"
REGISTRATION_EXTENDED = "profile.registration.extended.v1"
MYPAGE_WITHDRAWN = "auth.mypage.withdrawn.v1"
CONFIRMATIONS = {service: f"{service}.erasure.completed.v1" for service in SAGA_SERVICES}


def _invalidated_on(event: Event) -> date:
    try:
        return date.fromisoformat(event.data["invalidated_on"])
    except (KeyError, TypeError, ValueError):
        return today_in_japan(event.time)


def on_registration_invalidated(event: Event, uow: UnitOfWork) -> None:
    """R2: the registration became invalid on `invalidated_on` (求職無効日): the five years run from it."""
    if seeker_id := seeker_id_of(event):
        commands.record_registration(uow, seeker_id, _invalidated_on(event), event.time)


def on_registration_valid(event: Event, uow: UnitOfWork) -> None:
    """R2: valid again (a re-application 再求職申込, set valid, or extended): no five years run."""
    if seeker_id := seeker_id_of(event):
        commands.record_registration(uow, seeker_id, None, event.time)


def on_withdrawn(event: Event, uow: UnitOfWork) -> None:
    """A9: the seeker withdrew (退会): their erasure starts at once in every service (R3)."""
    if seeker_id := seeker_id_of(event):
        commands.start_erasure(uow, seeker_id, domain.WITHDRAWAL)


def on_erasure_completed(event: Event, uow: UnitOfWork) -> None:
    """R3: a service confirmed an erasure; the service is the event type's, never the payload's word alone."""
    service = event.type.split(".", 1)[0]
    erasure_id, rows_erased = event.data.get("erasure_id"), event.data.get("rows_erased")
    round_ = event.data.get("round", domain.FIRST_ROUND)
    if (event.data.get("service") != service or not isinstance(erasure_id, str)
            or not isinstance(rows_erased, int) or rows_erased < 0 or round_ not in (1, 2)):
        log.warning("%s %s is malformed; ignored", event.type, event.id)
        return
    commands.record_confirmation(uow, erasure_id, service, rows_erased, round_)


SUBSCRIPTIONS: dict[str, Handler] = {
    REGISTRATION_VALIDATED: on_registration_valid,
    REGISTRATION_INVALIDATED: on_registration_invalidated,
    REGISTRATION_EXTENDED: on_registration_valid,
    MYPAGE_WITHDRAWN: on_withdrawn,
    **{event_type: on_erasure_completed for event_type in CONFIRMATIONS.values()},
}
