"""R3/S12: profile's part of retention's erasure saga (A9 withdrawal, R2 five years).

On `retention.erasure.requested.v1` profile deletes the seeker's registration (求職登録: the
`seekers` row, keyed by `id`, the opaque seeker id) and every row of any other table with a
`seeker_id` column, plus its inbox rows about the seeker and its outbox rows mentioning them
(kit.erasure), then confirms with `profile.erasure.completed.v1` (a count, no seeker id). A
repeated request erases 0 rows and confirms again.
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
