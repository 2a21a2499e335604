"""The outbox relay (DESIGN §3, E2, S9, S10): publishes unsent outbox rows in id order.

    relay = Relay(engine, outbox, make_publisher(url, exchange), clock=SystemClock(),
                  notify_channel=notify_channel("jobs"))
    threading.Thread(target=relay.run_forever, args=(stop,), daemon=True).start()

Each pass takes up to `batch_size` due rows (`sent_at IS NULL` and `next_attempt_at` passed),
publishes them with confirms and `mandatory`, then marks confirmed rows `sent_at`. A row the
broker returned (no queue bound) or nacked keeps `sent_at` NULL, gains an attempt, its
`last_error` and an exponential `next_attempt_at`; it never gives up. When the batch as a
whole fails (timeout, lost connection) the relay itself also backs off, so rows are retried
from the lowest id and order is kept across a broker outage. That backoff stops growing at
`broker_retry_cap` (1 s): a broker that is back is used within about a second, however long it
was away; a failing broker is warned about once, then every BROKER_WARN_EVERY attempts.

Replicas: on PostgreSQL a pass runs inside a transaction holding
`pg_try_advisory_xact_lock(hashtext(<lock name>))`, so one replica relays at a time (strict
order, the others are hot standbys) and the lock frees itself on commit or crash.
A relay killed between confirm and mark-sent publishes those rows again: wire duplicates,
which the subscribers' inboxes absorb (S9).

Wake-ups: `wake()` (the unit of work's on_commit hook in the embedded mode) and, on
PostgreSQL, LISTEN on `notify_channel` via psycopg 3; a slow poll remains as the fallback.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Sequence
from datetime import datetime, timedelta

import psycopg
from sqlalchemy import Engine, Table, bindparam, func, select, update

from kit.clock import Clock
from kit.publisher import Outcome, OutgoingMessage, Publisher, PublishError

log = logging.getLogger(__name__)

POLL_INTERVAL = 1.0
STOP_CHECK_INTERVAL = 0.25  # how often a long wait looks at `stop` and in-process wake-ups
BASE_BACKOFF = 0.5
MAX_BACKOFF = 60.0  # a row the broker returned or nacked (no queue bound yet: a deployment matter)
BROKER_RETRY_CAP = 1.0  # the whole batch failed (broker down, paused): try it again this often at most
BROKER_WARN_EVERY = 30  # attempts between two warnings while the broker stays away
MAX_ERROR_LENGTH = 2000


def backoff(attempts: int, *, base: float = BASE_BACKOFF, cap: float = MAX_BACKOFF) -> float:
    """E2: seconds to wait before attempt `attempts + 1`: base·2^(attempts-1), capped."""
    return min(cap, base * 2 ** max(0, attempts - 1))


class Relay:
    """E2/S9/S10: moves outbox rows to the broker; one instance per thread or process."""

    def __init__(
        self,
        engine: Engine,
        outbox_table: Table,
        publisher: Publisher,
        *,
        clock: Clock,
        batch_size: int = 500,
        confirm_timeout: float = 5.0,
        notify_channel: str | None = None,
        poll_interval: float = POLL_INTERVAL,
        max_backoff: float = MAX_BACKOFF,
        broker_retry_cap: float = BROKER_RETRY_CAP,
        lock_name: str | None = None,
    ) -> None:
        self._engine = engine
        self._table = outbox_table
        self._publisher = publisher
        self._clock = clock
        self.batch_size = batch_size
        self.confirm_timeout = confirm_timeout
        self._notify_channel = notify_channel if engine.dialect.name == "postgresql" else None
        self._poll_interval = poll_interval
        self._max_backoff = max_backoff
        self._broker_retry_cap = min(broker_retry_cap, max_backoff)
        self._lock_name = lock_name or f"mypage.relay.{outbox_table.fullname}"
        self._woken = threading.Event()
        self._listener: psycopg.Connection | None = None
        self._broker_failures = 0
        self._broker_retry_at: datetime | None = None
        self.published = 0  # rows marked sent by this instance, for metrics
        # §8 liveness: when a pass last completed (published, found nothing due, or another replica
        # held the lock); a relay stuck in a pass, or failing every one, stops moving it
        self.last_progress = clock.now()

    # -- one pass ---------------------------------------------------------------------------

    def run_once(self) -> int:
        """E2: publish one batch of due rows; return how many were confirmed and marked sent."""
        now = self._clock.now()
        if self._broker_retry_at is not None and now < self._broker_retry_at:
            return 0
        with self._engine.connect() as connection, connection.begin():
            if not self._take_lock(connection):
                self.last_progress = self._clock.now()
                return 0
            rows = connection.execute(self._due_rows(now)).all()
            if not rows:
                self.last_progress = self._clock.now()
                return 0
            messages = [OutgoingMessage.from_outbox(row.event_id, row.type, row.body) for row in rows]
            try:
                outcomes = self._publisher.publish(messages, timeout=self.confirm_timeout)
            except PublishError as error:
                self._batch_failed(connection, rows, error)
                return 0
            if self._broker_failures:
                log.info("relay: the broker took a batch again after %d failed attempts", self._broker_failures)
            self._broker_failures, self._broker_retry_at = 0, None
            sent = self._record_outcomes(connection, rows, outcomes)
        self.published += sent
        self.last_progress = self._clock.now()
        return sent

    @property
    def broker_failures(self) -> int:
        """S9: batches in a row the broker did not take (0 once one is confirmed)."""
        return self._broker_failures

    def backlog(self) -> int:
        """E2/§8: rows not yet confirmed by the broker (the outbox backlog gauge)."""
        with self._engine.connect() as connection:
            statement = select(func.count()).select_from(self._table).where(self._table.c.sent_at.is_(None))
            return connection.execute(statement).scalar_one()

    def _due_rows(self, now: datetime):
        table = self._table
        return (
            select(table.c.id, table.c.event_id, table.c.type, table.c.body, table.c.attempts)
            .where(table.c.sent_at.is_(None))
            .where(table.c.next_attempt_at.is_(None) | (table.c.next_attempt_at <= now))
            .order_by(table.c.id)
            .limit(self.batch_size)
        )

    def _take_lock(self, connection) -> bool:
        if connection.dialect.name != "postgresql":
            return True
        statement = select(func.pg_try_advisory_xact_lock(func.hashtext(self._lock_name)))
        return bool(connection.execute(statement).scalar_one())

    def _record_outcomes(self, connection, rows: Sequence, outcomes: Sequence[Outcome]) -> int:
        now = self._clock.now()
        pairs = list(zip(rows, outcomes, strict=True))
        sent_ids = [row.id for row, outcome in pairs if outcome is Outcome.CONFIRMED]
        if sent_ids:
            table = self._table
            connection.execute(update(table).where(table.c.id.in_(sent_ids)).values(sent_at=now))
        failed = [(row, outcome) for row, outcome in zip(rows, outcomes, strict=True)
                  if outcome is not Outcome.CONFIRMED]
        if failed:
            self._mark_failed(connection, [
                {"row_id": row.id, "attempts": row.attempts + 1, "error": _describe(outcome, row.type),
                 "retry_at": now + timedelta(seconds=backoff(row.attempts + 1, cap=self._max_backoff))}
                for row, outcome in failed
            ])
            log.warning("relay: %d of %d events not accepted by the broker", len(failed), len(rows))
        return len(sent_ids)

    def _batch_failed(self, connection, rows: Sequence, error: PublishError) -> None:
        self._broker_failures += 1
        delay = backoff(self._broker_failures, cap=self._broker_retry_cap)
        retry_at = self._clock.now() + timedelta(seconds=delay)
        self._broker_retry_at = retry_at
        message = f"{type(error).__name__}: {error}"[:MAX_ERROR_LENGTH]
        self._mark_failed(connection, [
            {"row_id": row.id, "attempts": row.attempts + 1, "error": message, "retry_at": retry_at}
            for row in rows
        ])
        if self._broker_failures == 1 or self._broker_failures % BROKER_WARN_EVERY == 0:
            log.warning("relay: batch of %d not published (%s); failed attempts: %d, retrying every %.1f s",
                        len(rows), message, self._broker_failures, self._broker_retry_cap)

    def _mark_failed(self, connection, params: list[dict]) -> None:
        table = self._table
        statement = (
            update(table)
            .where(table.c.id == bindparam("row_id"))
            .values(attempts=bindparam("attempts"), last_error=bindparam("error"),
                    next_attempt_at=bindparam("retry_at"))
        )
        connection.execute(statement, params)

    # -- the loop ---------------------------------------------------------------------------

    def wake(self) -> None:
        """E2: ask the relay to look at the outbox now (called after a commit that wrote events)."""
        self._woken.set()

    def run_forever(self, stop: threading.Event) -> None:
        """E2/S9/S10: relay until `stop` is set; never gives up on a row or on the broker."""
        try:
            while not stop.is_set():
                sent = self._pass_safely()
                if sent >= self.batch_size:
                    continue  # more rows are waiting
                self._publisher.keepalive()
                self._wait(self._idle_timeout(), stop)
        finally:
            self._close_listener()
            self._publisher.close()

    def _pass_safely(self) -> int:
        try:
            return self.run_once()
        except Exception:  # noqa: BLE001 — the database may be restarting (S10); keep going
            log.exception("relay pass failed")
            return 0

    def _idle_timeout(self) -> float:
        if self._broker_retry_at is None:
            return self._poll_interval
        remaining = (self._broker_retry_at - self._clock.now()).total_seconds()
        return max(0.0, min(self._poll_interval, remaining))

    def _wait(self, timeout: float, stop: threading.Event) -> None:
        """Sleep until a wake-up, a NOTIFY, `stop`, or `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while not (self._woken.is_set() or stop.is_set()):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            listener = self._ensure_listener()
            if listener is None:
                self._woken.wait(min(remaining, STOP_CHECK_INTERVAL))
            elif self._notified(listener, min(remaining, STOP_CHECK_INTERVAL), stop):
                break
        self._woken.clear()

    def _notified(self, listener: psycopg.Connection, timeout: float, stop: threading.Event) -> bool:
        try:
            return bool(list(listener.notifies(timeout=timeout, stop_after=1)))
        except psycopg.Error:
            log.warning("relay: LISTEN connection lost; polling until it is back", exc_info=True)
            self._close_listener()
            stop.wait(timeout)
            return False

    def _ensure_listener(self) -> psycopg.Connection | None:
        if self._notify_channel is None:
            return None
        if self._listener is not None and not self._listener.closed:
            return self._listener
        try:
            url = self._engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
            self._listener = psycopg.connect(url, autocommit=True, connect_timeout=5)
            self._listener.execute(f'LISTEN "{self._notify_channel}"')
        except psycopg.Error:
            log.warning("relay: cannot LISTEN on %s; polling", self._notify_channel, exc_info=True)
            self._close_listener()
        return self._listener

    def _close_listener(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            with contextlib.suppress(psycopg.Error):
                listener.close()


def _describe(outcome: Outcome, event_type: str) -> str:
    if outcome is Outcome.RETURNED:
        return f"returned by the broker: no queue is bound for {event_type}"
    return "nacked by the broker"

