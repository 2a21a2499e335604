"""What the retention service does: one function per use case, each inside a unit of work.

The event handlers (handlers.py) call the R2 projection and the R3 saga steps with the
consumer's unit of work and never commit; the sweep and the retry (tasks.py, `python -m
services.retention sweep`) are their own callers and commit batch by batch. The rules are in
domain.py.
"""

from __future__ import annotations

import logging
import uuid
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, exists, or_, select

from kit.db import insert_ignore
from kit.erasure import SAGA_SERVICES, erase_seeker_rows
from kit.events import is_newer
from kit.uow import UnitOfWork
from services.retention import domain
from services.retention.events import ERASURE_COMPLETED, ERASURE_REQUESTED
from services.retention.models import AuditEntry, Base, Confirmation, Erasure, RegistrationRow

log = logging.getLogger("mypage.retention")

BATCH = 200  # erasures started or re-sent per transaction
MAX_BATCHES = 50  # per pass: a larger backlog goes over the next passes


# -- R2: the registration projection ---------------------------------------------------------------


def record_registration(uow: UnitOfWork, seeker_id: str, invalid_since: date | None, as_of: datetime) -> bool:
    """R2: as of `as_of` the registration is invalid since `invalid_since`, or valid (None).

    An event older than the state already applied changes nothing; returns whether it applied."""
    session = uow.session
    session.execute(insert_ignore(session, RegistrationRow, on="seeker_id")
                    .values(seeker_id=seeker_id, invalid_since=invalid_since, as_of=as_of))
    row = session.get(RegistrationRow, seeker_id, with_for_update=True, populate_existing=True)
    if row.as_of == as_of and row.invalid_since == invalid_since:
        return True  # just inserted (or the same event again)
    if not is_newer(as_of, row.as_of):
        log.info("registration event older than the state applied; ignored", extra={"seeker": seeker_id})
        return False
    row.invalid_since, row.as_of = invalid_since, as_of
    return True


# -- R3: starting an erasure -----------------------------------------------------------------------


def open_erasure(uow: UnitOfWork, seeker_id: str) -> Erasure | None:
    """The erasure of this seeker still waiting for confirmations, if any."""
    return uow.session.scalar(select(Erasure).where(Erasure.seeker_id == seeker_id))


def start_erasure(uow: UnitOfWork, seeker_id: str, reason: str) -> Erasure:
    """R3: record an erasure (random id) and ask every service, in the same transaction (outbox).

    A seeker whose erasure is already running keeps that one: nothing new is asked."""
    running = open_erasure(uow, seeker_id)
    if running is not None:
        return running
    now = uow.clock.now()
    erasure = Erasure(id=str(uuid.uuid4()), seeker_id=seeker_id, reason=reason, requested_at=now,
                      last_requested_at=now, requests=1)
    uow.session.add(erasure)
    uow.session.flush()
    _ask(uow, erasure, list(SAGA_SERVICES))
    log.info("erasure %s requested (%s)", erasure.id, reason, extra={"outcome": "erasure_requested"})
    return erasure


def _ask(uow: UnitOfWork, erasure: Erasure, services: list[str]) -> None:
    uow.publish(ERASURE_REQUESTED, {"erasure_id": erasure.id, "seeker_id": erasure.seeker_id,
                                    "reason": erasure.reason, "services": services, "round": erasure.round},
                subject=erasure.id)


def sweep(runtime, now: datetime | None = None, *, batch: int = BATCH, max_batches: int = MAX_BATCHES) -> int:
    """R2: start an erasure for every seeker whose registration has been invalid for five years
    (domain.is_due) and who has none running; returns how many were started.

    Batches of `batch` seekers, each its own transaction; on PostgreSQL the rows are taken
    `FOR UPDATE SKIP LOCKED`, so two sweeps at once (a CronJob and a worker) never ask twice.
    """
    started = 0
    for _ in range(max_batches):
        with runtime.uow() as uow:
            cutoff = domain.latest_due_invalid_date(now or uow.clock.now())
            running = exists().where(Erasure.seeker_id == RegistrationRow.seeker_id)
            due = (select(RegistrationRow.seeker_id)
                   .where(RegistrationRow.invalid_since <= cutoff, ~running)
                   .order_by(RegistrationRow.invalid_since).limit(batch)
                   .with_for_update(skip_locked=True))
            seeker_ids = list(uow.session.scalars(due))
            for seeker_id in seeker_ids:
                start_erasure(uow, seeker_id, domain.RETENTION_5Y)
            uow.commit()
        started += len(seeker_ids)
        if len(seeker_ids) < batch:
            break
    if started:
        log.info("R2: %d erasures started (five years invalid)", started, extra={"outcome": "swept"})
    return started


def retry_unconfirmed(runtime, interval: timedelta = domain.DEFAULT_RETRY_INTERVAL, now: datetime | None = None,
                      *, final_round_delay: timedelta = domain.DEFAULT_FINAL_ROUND_DELAY, batch: int = BATCH,
                      max_batches: int = MAX_BATCHES) -> int:
    """R3: send the request again (a new event, the same erasure id) to the services that have not
    confirmed the current round, asked `interval` ago or longer; and ask all four for the final
    round of erasures whose round 1 completed `final_round_delay` ago. Returns how many were sent."""
    sent = 0
    for _ in range(max_batches):
        with runtime.uow() as uow:
            at = now or uow.clock.now()
            awaiting_final = and_(Erasure.round == domain.FINAL_ROUND, Erasure.final_round_requested_at.is_(None))
            due = or_(and_(~awaiting_final, Erasure.last_requested_at <= at - interval),
                      and_(awaiting_final, Erasure.first_round_completed_at <= at - final_round_delay))
            stale = (select(Erasure).where(Erasure.completed_at.is_(None), Erasure.seeker_id.is_not(None), due)
                     .order_by(Erasure.last_requested_at).limit(batch).with_for_update(skip_locked=True))
            erasures = list(uow.session.scalars(stale))
            for erasure in erasures:
                pending = domain.pending_services(_confirmed(uow, erasure.id))
                _ask(uow, erasure, pending)
                if erasure.round == domain.FINAL_ROUND and erasure.final_round_requested_at is None:
                    erasure.final_round_requested_at = at
                erasure.last_requested_at, erasure.requests = at, erasure.requests + 1
                log.info("erasure %s round %d asked of %s", erasure.id, erasure.round, ", ".join(pending),
                         extra={"outcome": "erasure_resent"})
            uow.commit()
        sent += len(erasures)
        if len(erasures) < batch:
            break
    return sent


# -- R3: confirmations and the end of the saga -----------------------------------------------------


def _confirmed(uow: UnitOfWork, erasure_id: str) -> dict[str, int]:
    rows = uow.session.execute(select(Confirmation.service, Confirmation.rows_erased)
                               .where(Confirmation.erasure_id == erasure_id))
    return {service: rows_erased for service, rows_erased in rows}


def record_confirmation(uow: UnitOfWork, erasure_id: str, service: str, rows_erased: int,
                        round_: int = domain.FIRST_ROUND) -> bool:
    """R3: `service` erased its rows in round `round_`. When all four confirmed round 1, the final
    round is due (asked by the retry pass after the delay); when all four confirmed it, the erasure
    completes (complete()). A confirmation of an unknown erasure, of another round, or a repeated
    one changes nothing; returns whether the erasure completed now."""
    erasure = uow.session.get(Erasure, erasure_id, with_for_update=True)  # serialises the confirmations
    if erasure is None:
        log.warning("confirmation of an unknown erasure %s from %s; ignored", erasure_id, service)
        return False
    if erasure.completed_at is not None or round_ != erasure.round:
        return False
    confirmed = _confirmed(uow, erasure_id)
    if service not in confirmed:
        uow.session.add(Confirmation(erasure_id=erasure_id, service=service, rows_erased=rows_erased,
                                     confirmed_at=uow.clock.now()))
        confirmed[service] = rows_erased
    if not domain.is_complete(confirmed):
        return False
    if erasure.round == domain.FIRST_ROUND:
        _await_final_round(uow, erasure, confirmed)
        return False
    complete(uow, erasure, domain.add_rounds(erasure.first_round_rows or {}, confirmed))
    return True


def _await_final_round(uow: UnitOfWork, erasure: Erasure, confirmed: dict[str, int]) -> None:
    """Round 1 done: keep its counts, clear its confirmations, and wait for the final round."""
    uow.session.flush()
    uow.session.execute(delete(Confirmation).where(Confirmation.erasure_id == erasure.id))
    erasure.round, erasure.first_round_rows = domain.FINAL_ROUND, dict(confirmed)
    erasure.first_round_completed_at = uow.clock.now()
    log.info("erasure %s: round 1 confirmed by every service; the final round follows", erasure.id,
             extra={"outcome": "erasure_first_round"})


def complete(uow: UnitOfWork, erasure: Erasure, confirmed: dict[str, int]) -> AuditEntry:
    """R3/S12: every service confirmed — write the audit entry (no personal data), then forget the
    seeker here too: the erasure's seeker id, the registration row, inbox and outbox rows about them."""
    now = uow.clock.now()
    seeker_id = erasure.seeker_id
    entry = AuditEntry(erasure_id=erasure.id, reason=erasure.reason, requested_at=erasure.requested_at,
                       completed_at=now, rows_erased=domain.audit_counts(confirmed))
    uow.session.add(entry)
    erasure.seeker_id, erasure.completed_at = None, now
    uow.session.flush()
    if seeker_id:
        erase_seeker_rows(uow, Base.metadata, seeker_id)
    uow.publish(ERASURE_COMPLETED, {"erasure_id": entry.erasure_id, "reason": entry.reason,
                                    "requested_at": entry.requested_at, "completed_at": entry.completed_at,
                                    "rows_erased": entry.rows_erased}, subject=entry.erasure_id)
    log.info("erasure %s completed", erasure.id, extra={"outcome": "erasure_completed"})
    return entry


# -- staff: where an erasure stands ----------------------------------------------------------------


def erasure_view(uow: UnitOfWork, erasure_id: str) -> dict[str, Any] | None:
    """R3: status and confirmations of one erasure for staff/operators (no seeker id), or None."""
    erasure = uow.session.get(Erasure, erasure_id)
    if erasure is None:
        return None
    confirmed = _confirmed(uow, erasure_id)
    status = ("completed" if erasure.completed_at
              else "final_round" if erasure.round == domain.FINAL_ROUND else "requested")
    return {"erasure_id": erasure.id, "reason": erasure.reason, "status": status, "round": erasure.round,
            "requested_at": erasure.requested_at, "completed_at": erasure.completed_at,
            "requests": erasure.requests, "confirmed": sorted(confirmed),
            "pending": domain.pending_services(confirmed), "rows_erased": confirmed}
