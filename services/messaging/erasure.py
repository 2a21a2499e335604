"""R3/S12: messaging's part of retention's erasure saga (A9 withdrawal, R2 five years).

On `retention.erasure.requested.v1` messaging deletes every row of its own holding the seeker
id — every table of its metadata with a `seeker_id` column (the seeker_status projection,
notices, threads, messages, and any table added later) — plus its inbox rows about the seeker
and its outbox rows mentioning them (kit.erasure), then confirms with
`messaging.erasure.completed.v1` (a count, no seeker id). A repeated request erases 0 rows and
confirms again.
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
