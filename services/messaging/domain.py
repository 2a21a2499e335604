"""The messaging rules (SPEC M1–M3, P4), in the flyer's words. No Flask, no SQLAlchemy session.

- P4 gating: while the job-seeker registration is invalid (無効) the message function
  (メッセージ機能) is refused; so it is for a seeker messaging knows nothing about yet, a My Page
  made 利用不可 (A10) and a withdrawn one (退会, A9). Notices from Hello Work (お知らせ) stay
  readable while the registration is invalid — the flyer lists only messaging as refused, and
  a notice is often exactly what tells the seeker how to re-apply — but not while the My Page
  is 利用不可 or withdrawn.
- M1: the seeker exchanges messages with the establishments they applied to, with no other: one
  thread per application, opened by jobs' application events; the employer-side system writes
  and reads by application id. A message is unread until the other side reads it.
- M2: a posting Hello Work recommended (J7) reaches the seeker's notices once per (seeker, 求人番号).
- M3 retention: a message or notice is deleted automatically one year after it was sent or
  received: at the same time of day on the same date one year later, in Japan time; one sent
  on 29 February is deleted at the start of 1 March the next year (the period ends with the
  end of February, as 民法143条2項 counts a year with no corresponding day). It is still there
  one second before that instant and gone at that instant.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from kit.clock import JST

VALID, INVALID = "valid", "invalid"  # 有効 / 無効 (SPEC P3)
SEEKER, EMPLOYER = "seeker", "employer"  # who wrote a message (M1), and who reads the other's

# M1: the status of the application a thread belongs to, as jobs' events say (応募中, 選考中, 採用, 不採用, 辞退)
APPLIED, SCREENING, HIRED, REJECTED, APPLICATION_WITHDRAWN = "applied", "screening", "hired", "rejected", "withdrawn"
APPLICATION_STATUSES = (APPLIED, SCREENING, HIRED, REJECTED, APPLICATION_WITHDRAWN)

# M2: what lands in the seeker's notices (お知らせ from Hello Work, a J7 recommendation, a J6 matching posting)
NOTICE, RECOMMENDATION, MATCHING = "notice", "recommendation", "matching"
DIRECT_REQUEST = "direct_request"  # J8a: an employer sent the seeker a posting
NOTICE_KINDS = (NOTICE, RECOMMENDATION, MATCHING, DIRECT_REQUEST)
RECOMMENDATION_TITLE = "ハローワークからおすすめの求人が届きました"
MATCHING_TITLE = "希望条件に合う新着求人が届きました"
DIRECT_REQUEST_TITLE = "求人者から直接リクエストが届きました"

TITLE_MAX = 100
BODY_MAX = 4000
MESSAGE_MAX = 2000
PER_PAGE_DEFAULT = 20
PER_PAGE_MAX = 100

# Why a feature is refused (the problem's `reason`; the same words as jobs' P4 refusals).
REGISTRATION_UNKNOWN = "unknown"
REGISTRATION_INVALID = "registration_invalid"
MYPAGE_UNUSABLE = "unusable"
MYPAGE_WITHDRAWN = "withdrawn"  # A9 退会 (not an application's 辞退, APPLICATION_WITHDRAWN, the same word on the wire)


@dataclass(frozen=True)
class SeekerStatus:
    """What messaging knows of a seeker from profile and auth events (the `seeker_status` projection)."""

    registration: str | None = None  # valid | invalid | None: no registration event seen yet
    usable: bool = True  # false while staff made the My Page 利用不可 (A10)
    withdrawn_at: datetime | None = None  # 退会 (A9)
    opened_at: datetime | None = None  # the latest opening (A6); a later one ends a withdrawal

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None and (self.opened_at is None or self.opened_at < self.withdrawn_at)


UNKNOWN = SeekerStatus()


class Refused(Exception):
    """A feature is not available to this seeker now; `reason` is one of the constants above."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def messaging_refusal(status: SeekerStatus) -> str | None:
    """P4: why the message function (M1) is refused to this seeker now, or None when it is open."""
    if status.withdrawn:
        return MYPAGE_WITHDRAWN
    if not status.usable:
        return MYPAGE_UNUSABLE
    if status.registration is None:
        return REGISTRATION_UNKNOWN
    if status.registration != VALID:
        return REGISTRATION_INVALID
    return None


def notices_refusal(status: SeekerStatus) -> str | None:
    """M2: notices stay readable while the registration is invalid or not known yet (see the module)."""
    if status.withdrawn:
        return MYPAGE_WITHDRAWN
    if not status.usable:
        return MYPAGE_UNUSABLE
    return None


def check_messaging(status: SeekerStatus) -> None:
    """P4: raise Refused unless the seeker may use messages now."""
    reason = messaging_refusal(status)
    if reason is not None:
        raise Refused(reason)


def check_notices(status: SeekerStatus) -> None:
    """M2: raise Refused unless the seeker may read notices now."""
    reason = notices_refusal(status)
    if reason is not None:
        raise Refused(reason)


def may_receive_notice(status: SeekerStatus) -> bool:
    """M2: Hello Work may post a notice to any registered seeker — invalid or 利用不可 included
    (it is kept for when they may read again) — but not to one who withdrew (退会)."""
    return not status.withdrawn


def written_for(reader: str) -> str:
    """M1: whose messages `reader` has to read (the unread ones are those)."""
    return EMPLOYER if reader == SEEKER else SEEKER


def recommendation_body(job_number: str) -> str:
    """M2/J7: the notice of a recommendation names the posting by 求人番号 (the posting itself is
    read in job search, where the seeker can apply)."""
    return (f"求人番号 {job_number} の求人がハローワークからおすすめされました。"
            "求人情報を確認し、マイページからオンラインで応募することができます。")


def matching_body(job_number: str) -> str:
    """M2/J6: the notice of a new posting that matched the seeker's desired conditions names it by
    求人番号 (the list of them is マイページの「希望条件に合う新着求人」, GET /api/v1/me/matching-jobs)."""
    return (f"求人番号 {job_number} の新着求人が、登録されている希望条件に合いました。"
            "求人情報を確認してください。")


def direct_request_body(job_number: str) -> str:
    """J8a: the notice of a direct request names the posting by 求人番号 (the list is マイページの
    「直接リクエスト」, GET /api/v1/me/direct-requests, where the seeker can apply)."""
    return (f"求人番号 {job_number} の求人について、求人者から直接リクエストが届きました。"
            "求人情報を確認し、マイページからオンラインで応募することができます。")


# -- M3: one year --------------------------------------------------------------------------------


def deleted_at(sent_at: datetime) -> datetime:
    """M3: the instant a message or notice sent (or received) at `sent_at` is deleted."""
    local = sent_at.astimezone(JST)
    try:
        return local.replace(year=local.year + 1).astimezone(UTC)
    except ValueError:  # 29 February: the year ends with the end of February (民法143条2項)
        return datetime(local.year + 1, 3, 1, tzinfo=JST).astimezone(UTC)


def is_expired(sent_at: datetime, now: datetime) -> bool:
    """M3: kept until one year has passed; gone at that instant (see deleted_at)."""
    return now >= deleted_at(sent_at)


def retention_cutoff(now: datetime) -> datetime:
    """M3: the latest `sent_at` that has expired at `now` — `sent_at <= retention_cutoff(now)` exactly
    when `is_expired(sent_at, now)` (deleted_at never decreases, so the expired ones are a prefix)."""
    local = now.astimezone(JST)
    try:
        return local.replace(year=local.year - 1).astimezone(UTC)
    except ValueError:  # now is 29 February: everything up to the end of 28 February a year ago
        return (datetime(local.year - 1, 3, 1, tzinfo=JST) - timedelta(microseconds=1)).astimezone(UTC)


# -- paging ---------------------------------------------------------------------------------------


def page_window(page: int, per_page: int) -> tuple[int, int]:
    """(offset, limit) of a 1-based page."""
    return (page - 1) * per_page, per_page


def acts_for(establishments: frozenset[str] | None, establishment_number: str | None) -> bool:
    """C2: an employer token whose claim lists `establishments` (None: every one — only the development
    client) reaches a thread only with one of them; a thread whose establishment is unknown, with none."""
    return establishments is None or establishment_number in establishments
