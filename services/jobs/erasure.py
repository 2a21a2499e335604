"""R3/S12: jobs' part of retention's erasure saga (kit.erasure: the rows, the inbox and outbox, the
confirmation `jobs.erasure.completed.v1`; again: 0 rows, confirmed again).

Jobs' rows of the seeker are those of every table with a `seeker_id` column, so the tables added
later (applications, their documents, no-shows, restrictions…) are covered without a change here.
"""

from __future__ import annotations

from kit.erasure import ERASURE_REQUESTED, erase_and_confirm
from kit.events import Event
from kit.uow import UnitOfWork
from services.jobs.events import ERASURE_COMPLETED
from services.jobs.models import Base

SERVICE = "jobs"


def erase_seeker(event: Event, uow: UnitOfWork) -> None:
    """R3/S12: erase the requested seeker's rows in jobs and confirm (a retry may name other services only)."""
    erase_and_confirm(uow, event, service=SERVICE, metadata=Base.metadata, completed=ERASURE_COMPLETED)


__all__ = ["ERASURE_REQUESTED", "erase_seeker"]
