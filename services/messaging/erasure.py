"""R3/S12: messaging's part of retention's erasure saga (kit.erasure: the rows, the inbox and outbox,
the confirmation `messaging.erasure.completed.v1`; again: 0 rows, confirmed again).

Messaging's rows of the seeker are those of every table with a `seeker_id` column: the seeker_status
projection, notices, threads, messages, and any table added later.
"""

from __future__ import annotations

from kit.erasure import ERASURE_REQUESTED, erase_and_confirm
from kit.events import Event
from kit.uow import UnitOfWork
from services.messaging.events import ERASURE_COMPLETED
from services.messaging.models import Base

SERVICE = "messaging"


def erase_seeker(event: Event, uow: UnitOfWork) -> None:
    """R3/S12: erase the requested seeker's rows in messaging and confirm."""
    erase_and_confirm(uow, event, service=SERVICE, metadata=Base.metadata, completed=ERASURE_COMPLETED)


__all__ = ["ERASURE_REQUESTED", "erase_seeker"]
