"""R3/S12: profile's part of retention's erasure saga (kit.erasure: the rows, the inbox and outbox,
the confirmation `profile.erasure.completed.v1`; again: 0 rows, confirmed again).

Profile's rows of the seeker are the registration (求職登録: the `seekers` row, keyed by `id`, the
opaque seeker id) and those of every other table with a `seeker_id` column.
"""

from __future__ import annotations

from kit.erasure import ERASURE_REQUESTED, erase_and_confirm
from kit.events import Event
from kit.uow import UnitOfWork
from services.profile.events import ERASURE_COMPLETED
from services.profile.models import Base

SERVICE = "profile"
KEY_COLUMNS = {"seekers": "id"}  # the registration's primary key is the opaque seeker id


def erase_seeker(event: Event, uow: UnitOfWork) -> None:
    """R3/S12: erase the requested seeker's registration in profile and confirm."""
    erase_and_confirm(uow, event, service=SERVICE, metadata=Base.metadata, completed=ERASURE_COMPLETED,
                      key_columns=KEY_COLUMNS)


__all__ = ["ERASURE_REQUESTED", "erase_seeker"]
