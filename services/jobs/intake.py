"""J1 by events: apply the employer-side system's posting events (employer_events.py) and answer them.

Each event is checked exactly as `POST /api/v1/employer/jobs` checks its body — the same schema
(schemas.PostingInputSchema) and the same use cases (postings.publish_posting, change_posting,
close_posting: the domain's rules, C2 included) — and answered through the outbox, in the transaction
that applied it: `jobs.posting.accepted.v1`, or `jobs.posting.rejected.v1` with the problem the API would
have given (status, field-level errors in Japanese and English); a refused event changes nothing.

C2: `source` names the employer client (`/employer-clients/<client_id>`); the posting's establishment must
be one of those auth last announced for it (auth.employer_client.changed.v1 → `employer_clients`); an
unknown or revoked client is refused (403).

Order per posting: every event carries the whole posting, so the newest one wins. `posting_event_versions`
keeps the time of the newest event applied to each 求人番号; an event older than it is ignored (accepted,
outcome `stale`); one more than 5 minutes ahead of jobs' clock is refused (422 on `time`: it would make
every later event stale); a change that arrives before its publication publishes the posting (the publication,
older, is then ignored); a close that arrives before its publication is kept (`closed`), so the older
publication is ignored too. The version row is taken first (inserted if new, then locked), so two workers
handling events of one posting run one after the other. Duplicates (the same event id) never get here:
the consumer's inbox skips them; the same content under a new id changes nothing (`unchanged`).
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from marshmallow import Schema, ValidationError
from sqlalchemy import select, update

from kit.db import for_update, insert_ignore
from kit.events import Event
from kit.problem import Problem, flatten_errors, msg
from kit.uow import UnitOfWork
from services.jobs import domain, refusals, schemas
from services.jobs.commands import postings
from services.jobs.domain import Refused
from services.jobs.employer_events import (
    CHANGED,
    CLIENT_SOURCE,
    CLOSED,
    POSTING_ACCEPTED,
    POSTING_REJECTED,
    PostingClosedData,
)
from services.jobs.models import employer_clients, posting_event_versions

log = logging.getLogger("mypage.jobs.intake")

_CLIENT = re.compile(CLIENT_SOURCE)
_NEVER = datetime(1970, 1, 1, tzinfo=UTC)  # the time of a version row no event has set yet
FUTURE_TOLERANCE = timedelta(minutes=5)  # how far ahead of jobs' clock an event's `time` may be (clock skew)
_SCHEMAS: dict[type[Schema], Schema] = {}


def on_employer_client_changed(event: Event, uow: UnitOfWork) -> None:
    """C1/C2: the establishments an employer client acts for now (none once revoked); the newest event wins."""
    client_id, establishments = event.data.get("client_id"), event.data.get("establishments")
    if not (isinstance(client_id, str) and 0 < len(client_id) <= 40 and isinstance(establishments, list)):
        log.warning("%s %s is malformed; ignored", event.type, event.id)
        return
    values = {"establishments": [e for e in establishments if isinstance(e, str)],
              "revoked": event.data.get("revoked") is True, "at": event.time}
    uow.session.execute(insert_ignore(uow.session, employer_clients, "client_id").values(client_id=client_id, **values))
    uow.session.execute(update(employer_clients).where(employer_clients.c.client_id == client_id,
                                                       employer_clients.c.at <= event.time).values(**values))


def on_posting_event(event: Event, uow: UnitOfWork) -> None:
    """J1: apply one employer.posting.*.v1 event and answer it (accepted or rejected) through the outbox."""
    mark = len(uow.events)
    answer = {"job_number": _job_number_named(event.data), "in_reply_to": event.id, "request_type": event.type}
    try:
        job_number, establishment, outcome = _apply(event, uow)
    except (Problem, Refused, ValidationError) as error:
        del uow.events[mark:]  # a refused event publishes nothing of its own
        problem = _problem(error)
        log.info("%s %s rejected: %s", event.type, event.id, problem.key, extra={"outcome": "posting_rejected"})
        uow.publish(POSTING_REJECTED, answer | _rejection(problem), subject=answer["job_number"])
        return
    uow.publish(POSTING_ACCEPTED, answer | {"job_number": job_number, "establishment_number": establishment,
                                            "outcome": outcome}, subject=job_number)


def _apply(event: Event, uow: UnitOfWork) -> tuple[str, str, str]:
    """(求人番号, 事業所番号, outcome) of an event applied, or raise what the API would answer."""
    establishments = _client_establishments(event, uow)
    if event.time > uow.clock.now() + FUTURE_TOLERANCE:
        # an event from the future would make every later one stale until then
        raise Problem("validation-failed", fields={"time": [msg(
            f"time が現在より{FUTURE_TOLERANCE.seconds // 60}分以上先です。送信側の時計を確認してください。",
            f"time is more than {FUTURE_TOLERANCE.seconds // 60} minutes ahead; check the sender's clock.")]})
    if event.type == CLOSED:
        data = _load(PostingClosedData, event.data)
        job_number, establishment = data["job_number"], data["establishment"]["number"]
        domain.check_acts_for(establishments, establishment)
    else:
        data = _load(schemas.PostingInputSchema, event.data)
        job_number, establishment = data["job_number"], data["establishment"]["number"]
    version = _version(uow, job_number)
    if event.time < version.event_time:
        return job_number, establishment, "stale"
    current = postings.locked(uow, job_number)
    if event.type == CLOSED:
        if current is None:
            outcome = "closed"  # ahead of its publication: kept, so the publication is ignored when it comes
        else:
            domain.check_same_establishment(current.establishment_number, establishment)
            outcome = "closed" if postings.close_posting(uow, establishments, job_number) else "unchanged"
    elif current is None:
        domain.check_changeable(version.closed, job_number)
        outcome = "published" if postings.publish_posting(uow, establishments, data)[1] else "unchanged"
    elif event.type == CHANGED:
        before = len(uow.events)
        postings.change_posting(uow, establishments, job_number, data)
        outcome = "changed" if len(uow.events) > before else "unchanged"
    else:
        outcome = "published" if postings.publish_posting(uow, establishments, data)[1] else "unchanged"
    closed = event.type == CLOSED or (current is not None and current.closed)
    uow.session.execute(update(posting_event_versions).where(posting_event_versions.c.job_number == job_number)
                        .values(event_time=event.time, event_id=event.id[:64], closed=closed))
    return job_number, establishment, outcome


def _client_establishments(event: Event, uow: UnitOfWork) -> frozenset[str]:
    """C2: the establishments of the client `source` names; an unknown or revoked one is refused (403)."""
    match = _CLIENT.match(event.source or "")
    row = None if match is None else uow.session.execute(
        select(employer_clients).where(employer_clients.c.client_id == match.group(1))).first()
    if row is None or row.revoked:
        raise Refused("forbidden", ja="この事業所クライアントは登録されていないか、失効しています。",
                      en="The employer client named in source is not registered or has been revoked.",
                      data={"reason": "unknown_client"})
    return frozenset(row.establishments)


class _Version(NamedTuple):
    event_time: datetime  # of the newest event applied (1970 when none was)
    closed: bool


def _version(uow: UnitOfWork, job_number: str) -> _Version:
    """The posting's version row, created if new and held until the transaction ends."""
    uow.session.execute(insert_ignore(uow.session, posting_event_versions, "job_number").values(
        job_number=job_number, event_time=_NEVER, event_id="", closed=False))
    query = select(posting_event_versions).where(posting_event_versions.c.job_number == job_number)
    row = uow.session.execute(for_update(uow.session, query)).one()  # SQLite's write lock: held since the insert
    return _Version(row.event_time, row.closed)


def _load(schema_class: type[Schema], data: Any) -> dict[str, Any]:
    schema = _SCHEMAS.get(schema_class) or _SCHEMAS.setdefault(schema_class, schema_class())
    if not isinstance(data, dict):
        raise ValidationError({"_schema": ["Not a valid mapping type."]})
    return schema.load(data)


def _problem(error: Problem | Refused | ValidationError) -> Problem:
    if isinstance(error, ValidationError):
        return Problem("validation-failed", fields=flatten_errors(error.normalized_messages()))
    return refusals.problem(error) if isinstance(error, Refused) else error


def _rejection(problem: Problem) -> dict[str, Any]:
    """The problem+json the API would answer, in both languages, as the rejected event's fields."""
    ja, en = problem.to_dict(), problem.to_dict(english=True)
    return {"status": ja["status"], "problem": problem.key, "reason": ja.get("reason"),
            "detail": ja.get("detail"), "detail_en": en.get("detail"),
            "errors": [{"field": japanese["field"], "messages": japanese["messages"],
                        "messages_en": english["messages"]}
                       for japanese, english in zip(ja.get("errors", []), en.get("errors", []), strict=True)]}


def _job_number_named(data: Any) -> str | None:
    number = data.get("job_number") if isinstance(data, dict) else None
    return number if isinstance(number, str) and re.fullmatch(r"\d{5}-\d{8}", number) else None
