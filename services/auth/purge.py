"""R1: purge what auth no longer needs — expired or used keys and OTP challenges, ended sessions and
remembered devices, throttle rows with nothing left to remember, sent mails — and the staff audit
trail's entries once five years old (C3). (Old outbox and inbox rows go in every service alike:
kit/housekeeping.py.)

`purge_expired(runtime, now)` deletes in batches of `batch` rows, each batch its own short
transaction, at most `max_batches` batches of a kind per pass (a larger backlog goes over the next
passes). A batch picks its rows with `FOR UPDATE SKIP LOCKED` (PostgreSQL), so it never waits for
a login holding one of them, and the DELETE repeats the condition, so a row changed meanwhile (a
throttle row that failed again) is not deleted. Running it again, or on two workers at once, is
harmless. The runtime task `purge` (build_runtime) runs it now and then every PURGE_INTERVAL
seconds in the worker process (or the embedded mode). The boundaries are in README.md ("Purge").
Logs give counts only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Table, and_, delete, exists, or_, select, tuple_

from kit.periodic import Task, periodic
from kit.runtime import Runtime
from services.auth.domain import ACCESS_TOKEN_LIFETIME, KEY_WINDOW, SESSION_ABSOLUTE, SESSION_IDLE
from services.auth.models import AuthKey, Device, LoginChallenge, LoginThrottle, Mail, Session, StaffAudit

log = logging.getLogger("mypage.auth.purge")

PURGE_TASK = "purge"
PURGE_INTERVAL = 300.0  # seconds between passes (stop.wait: a stop signal, never a sleep in tests)
BACKLOG_INTERVAL = 5.0  # seconds before the next pass when a pass stopped at its cap with rows left
BATCH = 500
MAX_BATCHES = 20  # per kind and pass: at most 10,000 rows of a kind per pass

KEY_RETENTION = KEY_WINDOW  # S1 counts the keys of the last 24 h: a key must count until then
SESSION_RETENTION = SESSION_ABSOLUTE + ACCESS_TOKEN_LIFETIME  # sessions.revoke_sessions still announces it
THROTTLE_MEMORY = timedelta(hours=24)  # consecutive failures forgotten 24 h after the last one
MAIL_RETENTION = timedelta(hours=1)  # a sent mail row (recipient, template, times; params cleared)
# C3: a staff write's audit entry (no personal data) is kept five years, as long as a registration is kept
# after it became invalid (R2) — so the trail covers every write to a seeker whose data still exists.
AUDIT_RETENTION_YEARS = 5


def years_before(moment: datetime, years: int) -> datetime:
    """The same month, day and time `years` earlier; 29 February → 28 February (an entry of 29 February
    then goes on 1 March, when the years have fully passed)."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)


@dataclass(frozen=True)
class _Kind:
    name: str
    table: Table
    key: tuple[Any, ...]  # primary key columns
    condition: Callable[[datetime], ColumnElement[bool]]


def _unsent_mail_for(column) -> ColumnElement[bool]:
    return exists().where(column, Mail.sent_at.is_(None))


def _kinds(runtime: Runtime) -> list[_Kind]:
    def mails(now: datetime) -> ColumnElement[bool]:
        return and_(Mail.sent_at.is_not(None), Mail.sent_at <= now - MAIL_RETENTION)  # never an unsent mail

    def keys(now: datetime) -> ColumnElement[bool]:
        return and_(AuthKey.created_at <= now - KEY_RETENTION, AuthKey.ended(now),
                    ~_unsent_mail_for(Mail.key_id == AuthKey.id))

    def challenges(now: datetime) -> ColumnElement[bool]:
        return and_(LoginChallenge.ended(now), ~_unsent_mail_for(Mail.challenge_id == LoginChallenge.id))

    def sessions(now: datetime) -> ColumnElement[bool]:
        return or_(Session.revoked_at <= now, Session.last_used_at <= now - SESSION_IDLE,
                   Session.created_at <= now - SESSION_RETENTION)

    def devices(now: datetime) -> ColumnElement[bool]:
        return or_(Device.revoked_at <= now, Device.expires_at <= now)

    def throttles(now: datetime) -> ColumnElement[bool]:
        forgotten = or_(LoginThrottle.failures == 0, LoginThrottle.last_failed_at.is_(None),
                        LoginThrottle.last_failed_at <= now - THROTTLE_MEMORY)
        return or_(LoginThrottle.locked_until <= now, and_(LoginThrottle.locked_until.is_(None), forgotten))

    def audit(now: datetime) -> ColumnElement[bool]:
        return StaffAudit.at <= years_before(now, AUDIT_RETENTION_YEARS)

    return [
        _Kind("mails", Mail.__table__, (Mail.id,), mails),
        _Kind("keys", AuthKey.__table__, (AuthKey.id,), keys),
        _Kind("challenges", LoginChallenge.__table__, (LoginChallenge.id,), challenges),
        _Kind("sessions", Session.__table__, (Session.id,), sessions),
        _Kind("devices", Device.__table__, (Device.id,), devices),
        _Kind("throttles", LoginThrottle.__table__, (LoginThrottle.email_digest,), throttles),
        _Kind("audit", StaffAudit.__table__, (StaffAudit.id,), audit),
    ]


KINDS = ("mails", "keys", "challenges", "sessions", "devices", "throttles", "audit")


def purge_expired(target: Any, now: datetime | None = None, *, batch: int = BATCH,
                  max_batches: int = MAX_BATCHES) -> dict[str, int]:
    """R1: delete what has expired at `now` (default: the runtime's clock); returns the rows deleted per kind.

    `target` is the Runtime or the AuthContext. Each kind stops after `max_batches` full batches;
    the rest waits for the next pass.
    """
    runtime: Runtime = getattr(target, "runtime", target)
    now = (now or runtime.clock.now()).astimezone(UTC)
    counts: dict[str, int] = {}
    for kind in _kinds(runtime):
        counts[kind.name] = 0
        for _ in range(max_batches):
            deleted = _delete_batch(runtime, kind, now, batch)
            counts[kind.name] += deleted
            if deleted < batch:
                break
    if any(counts.values()):
        summary = ", ".join(f"{name} {count}" for name, count in counts.items() if count)
        log.info("purged: %s", summary, extra={"outcome": "purged"})
    return counts


def _delete_batch(runtime: Runtime, kind: _Kind, now: datetime, batch: int) -> int:
    condition = kind.condition(now)
    key = kind.key[0] if len(kind.key) == 1 else tuple_(*kind.key)
    chosen = select(*kind.key).where(condition).limit(batch).with_for_update(skip_locked=True)
    statement = delete(kind.table).where(key.in_(chosen), condition)  # re-checked on the row as it is now
    with runtime.session_factory() as session:
        deleted = session.execute(statement).rowcount or 0
        session.commit()
    return max(deleted, 0)


def purge_task(runtime: Runtime, interval: float = PURGE_INTERVAL, *, batch: int = BATCH,
               max_batches: int = MAX_BATCHES) -> Task:
    """R1 as a runtime task: purge now, then every `interval` seconds (sooner while a backlog remains)."""
    cap = batch * max_batches

    def wait_after(counts: dict[str, int]) -> float:
        return min(BACKLOG_INTERVAL, interval) if any(count >= cap for count in counts.values()) else interval

    return periodic(lambda: purge_expired(runtime, batch=batch, max_batches=max_batches), interval,
                    what="purge pass", log=log, wait_after=wait_after)
