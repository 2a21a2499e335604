"""What the jobs service does with inbound events: routing key -> handler(event, uow).

They keep the `seeker_status` projection (DESIGN §1) that gates the My Page job features (P4)
and knows each seeker's kind (P3b). The consumer runs each handler in a unit of work it
commits itself, after recording the event in the inbox (duplicates are skipped): handlers
never commit. Each part of the projection keeps its event time, so a late older event
changes nothing. The payloads are profile's and auth's (contracts/asyncapi.yaml); jobs reads
only the fields below and imports neither service.

J6: profile's desired conditions feed the `desired_conditions` projection (commands/matching.py), and jobs
consumes its own `jobs.posting.published.v1` to match a new posting against them — in the worker,
so the employer's POST only writes the posting and its event (DESIGN §3: requests never wait) — and its
`jobs.posting.changed.v1` to match a changed one again (commands/rematching.py), as a change of desired
conditions is.
"""

from __future__ import annotations

import logging
from datetime import date

from kit.events import Event, seeker_id_of
from kit.runtime import Handler
from kit.uow import UnitOfWork
from services.jobs import domain, intake, seekers
from services.jobs.commands import direct_requests, matching, rematching
from services.jobs.employer_events import CHANGED, CLOSED, PUBLISHED
from services.jobs.erasure import ERASURE_REQUESTED, erase_seeker

log = logging.getLogger("mypage.jobs")

SEEKER_REGISTERED = "profile.seeker.registered.v1"
REGISTRATION_VALIDATED = "profile.registration.validated.v1"
REGISTRATION_INVALIDATED = "profile.registration.invalidated.v1"
REGISTRATION_EXTENDED = "profile.registration.extended.v1"
SEEKER_CONFIRMED = "profile.seeker.confirmed.v1"
MYPAGE_OPENED = "auth.mypage.opened.v1"
MYPAGE_USABILITY_CHANGED = "auth.mypage.usability_changed.v1"
MYPAGE_WITHDRAWN = "auth.mypage.withdrawn.v1"
DESIRED_CONDITIONS_CHANGED = "profile.desired_conditions.changed.v1"
DISCLOSURE_CHANGED = "profile.disclosure.changed.v1"
EMPLOYER_CLIENT_CHANGED = "auth.employer_client.changed.v1"
POSTING_PUBLISHED = "jobs.posting.published.v1"  # jobs' own event (events.POSTING_PUBLISHED)
POSTING_CHANGED = "jobs.posting.changed.v1"  # jobs' own event (events.POSTING_CHANGED)


def _kind(event: Event) -> str | None:
    kind = event.data.get("kind")
    return kind if kind in (domain.REGISTERED, domain.ONLINE) else None


def _date(event: Event, key: str) -> date | None:
    try:
        return date.fromisoformat(event.data[key])
    except (KeyError, TypeError, ValueError):
        return None


def _number(event: Event) -> str | None:
    number = event.data.get("seeker_number")
    return number if isinstance(number, str) and len(number) <= 14 else None


def on_seeker_registered(event: Event, uow: UnitOfWork) -> None:
    """P1: a new 求職登録 — the seeker is known here (status comes with the validated event). Should the
    event ever carry the desired conditions (`desired`), they are kept as from their own event (J6)."""
    if seeker_id := seeker_id_of(event):
        seekers.change(uow, seeker_id, lambda status: status, seeker_number=_number(event))
        if isinstance(event.data.get("desired"), dict):
            matching.record_desired_conditions(uow, seeker_id, event.data["desired"], event.time)


def on_desired_conditions_changed(event: Event, uow: UnitOfWork) -> None:
    """J6/P1: the seeker's desired conditions (希望条件) were registered or changed; the newest event wins."""
    desired = event.data.get("desired")
    if not isinstance(desired, dict):
        log.warning("%s %s without usable desired conditions; ignored", event.type, event.id)
    elif seeker_id := seeker_id_of(event):
        rematching.change_desired_conditions(uow, seeker_id, desired, event.time)


def on_posting_published(event: Event, uow: UnitOfWork) -> None:
    """J6: a posting was published — the seekers whose desired conditions it matches get it on their
    My Page (a `matches` row and `jobs.posting.matched.v1` each); once per seeker and posting."""
    job_number = event.data.get("job_number")
    if isinstance(job_number, str) and len(job_number) == 14:
        matching.match_posting(uow, job_number)
    else:
        log.warning("%s %s without a usable job_number; ignored", event.type, event.id)


def on_posting_changed(event: Event, uow: UnitOfWork) -> None:
    """J6: a posting changed — matched again (commands/rematching.py): seekers it fits now get it once, those
    it no longer fits lose it from their list."""
    job_number = event.data.get("job_number")
    if isinstance(job_number, str) and len(job_number) == 14:
        rematching.rematch_posting(uow, job_number)
    else:
        log.warning("%s %s without a usable job_number; ignored", event.type, event.id)


def _registration(event: Event, uow: UnitOfWork, registration: str, *, with_valid_until: bool) -> None:
    if seeker_id := seeker_id_of(event):
        valid_until = _date(event, "valid_until") if with_valid_until else None
        seekers.change(uow, seeker_id, lambda status: domain.registration_changed(
            status, event.time, registration=registration, kind=_kind(event), valid_until=valid_until),
            seeker_number=_number(event))


def on_registration_validated(event: Event, uow: UnitOfWork) -> None:
    """P3: the registration is valid (new, re-applied or set valid again) — the features open."""
    _registration(event, uow, domain.VALID, with_valid_until=True)


def on_registration_invalidated(event: Event, uow: UnitOfWork) -> None:
    """P3/P4: the registration is invalid (by the seeker, staff or expiry) — the features are gated."""
    _registration(event, uow, domain.INVALID, with_valid_until=False)


def on_registration_extended(event: Event, uow: UnitOfWork) -> None:
    """P3a: extended by a month in its final month — valid, with the new end."""
    _registration(event, uow, domain.VALID, with_valid_until=True)


def on_seeker_confirmed(event: Event, uow: UnitOfWork) -> None:
    """P3b: staff confirmed an online registrant — a 利用登録者 from now on."""
    if (seeker_id := seeker_id_of(event)) and (kind := _kind(event) or domain.REGISTERED):
        seekers.change(uow, seeker_id, lambda status: domain.kind_changed(status, event.time, kind),
                       seeker_number=_number(event))


def on_usability_changed(event: Event, uow: UnitOfWork) -> None:
    """A10: 利用不可 (usable false) gates every My Page job feature until staff lift it."""
    usable = event.data.get("usable")
    if (seeker_id := seeker_id_of(event)) and isinstance(usable, bool):
        seekers.change(uow, seeker_id, lambda status: domain.usability_changed(status, event.time, usable))


def on_withdrawn(event: Event, uow: UnitOfWork) -> None:
    """A9: the seeker withdrew (退会); the features are closed. (Erasure itself is retention's saga, R3.)"""
    if seeker_id := seeker_id_of(event):
        seekers.change(uow, seeker_id, lambda status: domain.withdrawal_changed(status, event.time, True))


def on_mypage_opened(event: Event, uow: UnitOfWork) -> None:
    """A6: a My Page opened (again, after a withdrawal) — no longer withdrawn."""
    if seeker_id := seeker_id_of(event):
        seekers.change(uow, seeker_id, lambda status: domain.withdrawal_changed(status, event.time, False))


def on_disclosure_changed(event: Event, uow: UnitOfWork) -> None:
    """J8a: the seeker disclosed their job-seeking information under `public_ref` (or stopped): only a
    disclosed seeker can be sent a direct request. The newest event wins."""
    public, public_ref = event.data.get("public"), event.data.get("public_ref")
    if not isinstance(public, bool) or (public and not (isinstance(public_ref, str) and len(public_ref) == 32)):
        log.warning("%s %s is malformed; ignored", event.type, event.id)
        return
    if seeker_id := seeker_id_of(event):
        direct_requests.record_disclosure(uow, seeker_id, public, public_ref, event.time)


SUBSCRIPTIONS: dict[str, Handler] = {
    SEEKER_REGISTERED: on_seeker_registered,
    REGISTRATION_VALIDATED: on_registration_validated,
    REGISTRATION_INVALIDATED: on_registration_invalidated,
    REGISTRATION_EXTENDED: on_registration_extended,
    SEEKER_CONFIRMED: on_seeker_confirmed,
    MYPAGE_OPENED: on_mypage_opened,
    MYPAGE_USABILITY_CHANGED: on_usability_changed,
    MYPAGE_WITHDRAWN: on_withdrawn,
    DESIRED_CONDITIONS_CHANGED: on_desired_conditions_changed,  # J6
    POSTING_PUBLISHED: on_posting_published,  # J6: jobs' own event, matched in the worker
    POSTING_CHANGED: on_posting_changed,  # J6: matched again
    DISCLOSURE_CHANGED: on_disclosure_changed,  # J8a
    ERASURE_REQUESTED: erase_seeker,  # R3/S12
    # J1 by events: the employer-side system's postings, checked against its client's establishments (C2)
    EMPLOYER_CLIENT_CHANGED: intake.on_employer_client_changed,
    PUBLISHED: intake.on_posting_event,
    CHANGED: intake.on_posting_event,
    CLOSED: intake.on_posting_event,
}
