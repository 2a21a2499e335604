"""M3 as a runtime task of the worker (and of the embedded mode): messages and notices one year old are
deleted (domain.retention_cutoff), in batches each committed, so a large backlog never holds one long
transaction. Running it again, or on several workers at once, is harmless."""

from __future__ import annotations

import logging

from sqlalchemy import delete, select

from kit.periodic import Task, periodic
from services.messaging import domain
from services.messaging.models import Message, Notice

log = logging.getLogger("mypage.messaging")

RETENTION_TASK = "message-retention"
RETENTION_BATCH = 500
RETENTION_CHECK_SECONDS = 60.0


def purge_expired(runtime) -> int:
    """M3: delete the messages and notices one year old (domain.deleted_at); returns how many.

    Its own caller: batches of RETENTION_BATCH, each committed, so a large backlog never holds
    one long transaction. Running it again, or on several workers at once, is harmless."""
    total = 0
    for model in (Message, Notice):
        while True:
            with runtime.uow() as uow:
                cutoff = domain.retention_cutoff(uow.clock.now())
                batch = select(model.id).where(model.sent_at <= cutoff).limit(RETENTION_BATCH)
                deleted = uow.session.execute(delete(model).where(model.id.in_(batch)),
                                              execution_options={"synchronize_session": False}).rowcount or 0
                uow.commit()
            total += deleted
            if deleted < RETENTION_BATCH:
                break
    if total:
        log.info("M3: %d messages and notices a year old deleted", total)
    return total


def retention_task(runtime) -> Task:
    """M3 as a runtime task: sweep now, then every RETENTION_CHECK_SECONDS, until stopped."""
    return periodic(lambda: purge_expired(runtime), RETENTION_CHECK_SECONDS, what="M3 retention sweep", log=log)
