"""J8a direct requests (直接リクエスト): which posting, which seeker, how many."""

from __future__ import annotations

from datetime import date

from services.jobs.domain.gating import SeekerStatus, refusal
from services.jobs.domain.postings import require_open
from services.jobs.domain.refused import Refused

MAX_DIRECT_REQUESTS = 10  # J8a: at most 10 seekers per posting
DIRECT_REQUEST_MESSAGE_MAX = 500


def check_direct_request_posting(closed: bool, deadline: date, today: date, accepts_online: bool) -> None:
    """J8a: only an open posting that accepts online applications (applying from a request is an
    online self-application)."""
    require_open(closed, deadline, today, "direct_request")
    if not accepts_online:
        raise Refused("conflict", ja="オンライン自主応募を受け付けていない求人は直接リクエストできません。",
                      en="Only postings that accept online applications can be sent.",
                      data={"reason": "online_application_not_accepted"})


def check_direct_request_seeker(status: SeekerStatus | None, *, restricted: bool) -> None:
    """J8a/J9/P4: the seeker's My Page must be open to job features, and not restricted for no-shows
    (J9 restricts direct requests). The seeker's state is in the way, not the caller's rights: 409."""
    reason = refusal(status)
    if reason is not None:
        raise Refused("conflict", ja="この求職者には現在、直接リクエストを送信できません。",
                      en="Direct requests cannot be sent to this seeker now.", data={"reason": reason})
    if restricted:
        raise Refused("conflict", ja="この求職者には現在、直接リクエストを送信できません。",
                      en="Direct requests cannot be sent to this seeker now.",
                      data={"reason": "no_show_restricted"})


def check_room_for_direct_request(sent: int) -> None:
    """J8a: a posting goes to at most 10 seekers; the 11th is refused."""
    if sent >= MAX_DIRECT_REQUESTS:
        raise Refused("limit_reached",
                      ja=f"直接リクエストは1つの求人につき{MAX_DIRECT_REQUESTS}人までです。",
                      en=f"A posting can be sent to at most {MAX_DIRECT_REQUESTS} seekers.",
                      data={"limit": MAX_DIRECT_REQUESTS})
