"""R3/S12: auth's part of retention's erasure saga (A9 withdrawal, R2 five years).

On `retention.erasure.requested.v1` auth deletes the seeker's account and every row of its own
holding the seeker id — every table of its metadata with a `seeker_id` column (keys, login
challenges, sessions, devices) and the mails queued for them (mail_outbox rows point at a key
or a challenge, and any mail to the account's login email goes too) — plus its inbox rows about
the seeker and its outbox rows mentioning them (kit.erasure), then confirms with
`auth.erasure.completed.v1` (a count, no seeker id). A repeated request erases 0 rows and
confirms again.

`login_throttles` rows are keyed by an HMAC of a login email, known or not (S2: a lock must not
tell whether an account exists); they hold no seeker id and are purged 24 hours after the last
failure at the latest (R1, purge.py), so erasure leaves them to that purge.
"""

from __future__ import annotations

from sqlalchemy import delete, select

from kit.erasure import ERASURE_REQUESTED, erase_and_confirm, parse_request
from kit.events import Event
from kit.uow import UnitOfWork
from services.auth.events import ERASURE_COMPLETED
from services.auth.models import Account, Base, Mail

SERVICE = "auth"


def erase_seeker(event: Event, uow: UnitOfWork) -> None:
    """R3/S12: erase the requested seeker's account and everything attached to it, and confirm."""
    request = parse_request(event)
    mails = 0
    if request is not None and request.asks(SERVICE):
        email = uow.session.scalar(select(Account.email).where(Account.seeker_id == request.seeker_id))
        if email:
            mails = uow.session.execute(delete(Mail).where(Mail.recipient == email),
                                        execution_options={"synchronize_session": False}).rowcount or 0
    erase_and_confirm(uow, event, service=SERVICE, metadata=Base.metadata, completed=ERASURE_COMPLETED,
                      erased_before=max(mails, 0))


__all__ = ["ERASURE_REQUESTED", "erase_seeker"]
