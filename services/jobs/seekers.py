"""The `seeker_status` projection (DESIGN §1): read, lock and change one seeker's row.

Jobs never asks profile or auth: it keeps what their events said (handlers.py) and gates the
My Page job features on it (domain.require_job_features, P4). The row doubles as the lock
that serialises one seeker's limited writes (J3, J4, S6): `lock()` takes it FOR UPDATE on
PostgreSQL; on SQLite it opens the write transaction first, so a second writer waits for the
first to commit and then counts what it wrote.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kit.db import for_update, insert_ignore
from kit.uow import UnitOfWork
from services.jobs.domain import SeekerStatus
from services.jobs.models import seeker_status

_PARTS = tuple(part.name for part in fields(SeekerStatus))


def _status(row) -> SeekerStatus | None:
    if row is None:
        return None
    return SeekerStatus(**{part: getattr(row, part) for part in _PARTS})


def load(session: Session, seeker_id: str) -> SeekerStatus | None:
    """What jobs knows of this seeker, or None when no event about them has arrived."""
    return _status(session.execute(select(seeker_status).where(seeker_status.c.seeker_id == seeker_id)).first())


def lock(session: Session, seeker_id: str) -> SeekerStatus | None:
    """Like `load`, holding the seeker's row until the transaction ends (the first statement of it)."""
    key = seeker_status.c.seeker_id
    statement = for_update(session, select(seeker_status).where(key == seeker_id), key=key, value=seeker_id)
    return _status(session.execute(statement).first())


def change(uow: UnitOfWork, seeker_id: str, apply: Callable[[SeekerStatus], SeekerStatus], *,
           seeker_number: str | None = None) -> SeekerStatus:
    """Create the seeker's row if it is new, then apply `apply` to it under the row lock."""
    session = uow.session
    now = uow.clock.now()
    session.execute(insert_ignore(session, seeker_status, on="seeker_id").values(
        seeker_id=seeker_id, seeker_number=seeker_number, usable=True, withdrawn=False, updated_at=now))
    current = lock(session, seeker_id)
    changed = apply(current)
    values = {part: getattr(changed, part) for part in _PARTS if getattr(changed, part) != getattr(current, part)}
    if seeker_number is not None:
        values["seeker_number"] = seeker_number
    if values:
        session.execute(update(seeker_status).where(seeker_status.c.seeker_id == seeker_id)
                        .values(**values, updated_at=now))
    return changed


def ids_with_number(session: Session, seeker_number: str) -> list[str]:
    """The opaque ids the projection knows under this 求職番号 (from profile's events)."""
    query = select(seeker_status.c.seeker_id).where(seeker_status.c.seeker_number == seeker_number)
    return list(session.scalars(query))
