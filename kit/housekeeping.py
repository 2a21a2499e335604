"""Keeping the outbox and the inbox small (DESIGN §3, E3): every service prunes its own.

- A sent outbox row is only history once RabbitMQ confirmed it: deleted `MYPAGE_OUTBOX_KEEP_DAYS`
  (default 7) after it was sent. Unsent rows are never touched (the relay still owes them).
- An inbox row exists to recognise a redelivery (a relay that died between the confirm and
  marking the row sent, a consumer that died before its ack); those come back within minutes.
  Deleted `MYPAGE_INBOX_KEEP_DAYS` (default 30) after the event was handled.
Both hold opaque seeker ids in their payloads and subjects, so pruning is also data minimisation:
nothing about a seeker lingers in them for longer than these windows (erasure, R3, removes a
seeker's rows at once anyway).

Bounded batches, each its own transaction; old sent rows sit at the low ids, so the outbox batch
walks the primary key from the start. Runs as the runtime task `outbox-inbox-pruning` of every
service (hourly), reading the runtime's clock.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import delete, select, tuple_

from kit.periodic import Task, periodic

log = logging.getLogger("mypage.housekeeping")

TASK = "outbox-inbox-pruning"
BATCH = 1000
EVERY = timedelta(hours=1)


def prune(runtime, now: datetime | None = None, *, batch: int = BATCH) -> tuple[int, int]:
    """Delete sent outbox rows and inbox rows older than the settings' windows; (outbox, inbox) deleted."""
    now = now or runtime.clock.now()
    settings = runtime.settings
    outbox, inbox = runtime.outbox, runtime.inbox
    sent_before = now - timedelta(days=settings.outbox_keep_days)
    handled_before = now - timedelta(days=settings.inbox_keep_days)
    old_outbox = (select(outbox.c.id).where(outbox.c.sent_at.is_not(None), outbox.c.sent_at < sent_before)
                  .order_by(outbox.c.id).limit(batch))
    old_inbox = select(inbox.c.event_id, inbox.c.handler).where(inbox.c.handled_at < handled_before).limit(batch)
    pruned_outbox = _in_batches(runtime, lambda: delete(outbox).where(outbox.c.id.in_(old_outbox)), batch)
    pruned_inbox = _in_batches(runtime, lambda: delete(inbox).where(
        tuple_(inbox.c.event_id, inbox.c.handler).in_(old_inbox)), batch)
    if pruned_outbox or pruned_inbox:
        log.info("%s: pruned %d sent outbox rows, %d inbox rows", runtime.name, pruned_outbox, pruned_inbox,
                 extra={"outcome": "pruned"})
    return pruned_outbox, pruned_inbox


def _in_batches(runtime, statement: Callable, batch: int) -> int:
    total = 0
    while True:
        with runtime.engine.begin() as connection:
            deleted = connection.execute(statement()).rowcount or 0
        total += deleted
        if deleted < batch:
            return total


def pruning_task(runtime, every: timedelta = EVERY) -> Task:
    """`prune` as a runtime task: now, then every `every` until stopped."""
    return periodic(lambda: prune(runtime), every, what=f"{runtime.name}: pruning", log=log)
