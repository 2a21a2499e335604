"""What the profile service does with inbound events: routing key -> handler(event, uow).

The consumer runs each handler in a unit of work it commits itself, after recording the
event in the inbox (duplicates are skipped): handlers never commit.
"""

from __future__ import annotations

import logging
from datetime import datetime

from kit.events import Event
from kit.runtime import Handler
from kit.uow import UnitOfWork
from services.profile import applications, commands
from services.profile.erasure import ERASURE_REQUESTED, erase_seeker

log = logging.getLogger("mypage.profile")

# Published by jobs when a seeker applies online (SPEC J8; contracts/asyncapi.yaml). Read here:
#   {"seeker_id": "<opaque seeker id>", "submitted_at": "<RFC 3339 date-time>", "route": "self"|"recommendation"}
JOBS_APPLICATION_SUBMITTED = "jobs.application.submitted.v1"


def on_online_application(event: Event, uow: UnitOfWork) -> None:
    """P3a: an online application made in the registration's final month extends it by one month —
    an online self-application (route `self`) and equally an application to a posting Hello Work
    recommended (`recommendation`: オンラインハローワーク紹介, a referral by Hello Work, which P3a
    counts too). The day that counts is the day it was submitted (JST), not the day the event
    arrives; before the final month, or once invalid, nothing changes."""
    seeker_id = event.data.get("seeker_id")
    submitted = event.data.get("submitted_at")
    try:
        submitted_at = datetime.fromisoformat(submitted.replace("Z", "+00:00")) if submitted else event.time
    except (AttributeError, ValueError):
        submitted_at = None
    if not isinstance(seeker_id, str) or submitted_at is None or submitted_at.tzinfo is None:
        # A malformed event cannot become valid by retrying: log it and let it go.
        log.warning("%s %s without a usable seeker_id/submitted_at; ignored", event.type, event.id)
        return
    commands.extend_for_online_application(uow, seeker_id, submitted_at)
    applications.freeze(uow, event)  # the applicant's profile for the employer, as it is now (issue 13 item 3)


SUBSCRIPTIONS: dict[str, Handler] = {
    JOBS_APPLICATION_SUBMITTED: on_online_application,
    ERASURE_REQUESTED: erase_seeker,  # R3/S12
}
