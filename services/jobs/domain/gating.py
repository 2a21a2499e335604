"""The seeker_status projection (DESIGN §1) and P4 gating: what jobs knows of a seeker from profile's
and auth's events, and why the My Page job features are refused."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from kit.events import is_newer
from services.jobs.domain.refused import Refused

VALID, INVALID = "valid", "invalid"  # 求職登録の有効／無効 (P3)
REGISTERED, ONLINE = "registered", "online"  # 利用登録者 / オンライン登録者 (P3b)


@dataclass(frozen=True)
class SeekerStatus:
    """What jobs knows of a seeker from profile's and auth's events.

    Each part keeps the time of the event that set it, so an older event arriving late
    (several consumers, a retry) never overwrites a newer state.
    """

    registration: str | None = None  # valid | invalid | None (not heard yet)
    registration_at: datetime | None = None
    valid_until: date | None = None
    kind: str | None = None  # registered | online | None
    kind_at: datetime | None = None
    usable: bool = True  # A10 利用不可 = False
    usable_at: datetime | None = None
    withdrawn: bool = False  # A9 退会
    withdrawn_at: datetime | None = None


def registration_changed(status: SeekerStatus, at: datetime, *, registration: str, kind: str | None,
                         valid_until: date | None = None) -> SeekerStatus:
    """P3: profile said the registration is valid / invalid (and of which kind) at `at`."""
    if is_newer(at, status.registration_at):
        status = replace(status, registration=registration, registration_at=at,
                         valid_until=status.valid_until if valid_until is None else valid_until)
    if kind is not None:
        status = kind_changed(status, at, kind)
    return status


def kind_changed(status: SeekerStatus, at: datetime, kind: str) -> SeekerStatus:
    """P3b: the seeker is a 利用登録者 or an オンライン登録者 since `at`."""
    if is_newer(at, status.kind_at):
        return replace(status, kind=kind, kind_at=at)
    return status


def usability_changed(status: SeekerStatus, at: datetime, usable: bool) -> SeekerStatus:
    """A10: staff made the My Page 利用不可 (or lifted it) at `at`."""
    if is_newer(at, status.usable_at):
        return replace(status, usable=usable, usable_at=at)
    return status


def withdrawal_changed(status: SeekerStatus, at: datetime, withdrawn: bool) -> SeekerStatus:
    """A9: withdrawn (退会) at `at`, or a My Page opened again after it."""
    if is_newer(at, status.withdrawn_at):
        return replace(status, withdrawn=withdrawn, withdrawn_at=at)
    return status


# Why the My Page job features are refused: reason → (Japanese, English).
REFUSAL_MESSAGES = {
    "unknown": ("求職登録の情報を確認できないため、この機能は利用できません。"
                "しばらくしてから再度お試しいただくか、ハローワークにお問い合わせください。",
                "Your job-seeker registration cannot be confirmed, so this feature is not available; "
                "please try again later or contact Hello Work."),
    "registration_invalid": ("求職登録が無効のため、この機能は利用できません。"
                             "ご利用には求職登録を有効にするか、ハローワークで再求職申込みを行ってください。",
                             "Your job-seeker registration is invalid, so this feature is not available; "
                             "set it valid again or re-apply at Hello Work."),
    "unusable": ("このマイページは現在ご利用いただけません。ハローワークにお問い合わせください。",
                 "This My Page cannot be used; please contact Hello Work."),
    "withdrawn": ("退会済みのため、この機能は利用できません。",
                  "You have withdrawn from the My Page, so this feature is not available."),
}


def refusal(status: SeekerStatus | None) -> str | None:
    """P4: why the My Page job features (My Page search, saved searches, favourites, referral
    letters, online referral) are refused to this seeker, or None when they are open."""
    if status is None:
        return "unknown"
    if status.withdrawn:  # the same order as messaging's gate (tests/contract/test_p4_gate_order.py)
        return "withdrawn"
    if not status.usable:
        return "unusable"
    if status.registration is None:
        return "unknown"
    if status.registration != VALID:
        return "registration_invalid"
    return None


def require_job_features(status: SeekerStatus | None) -> SeekerStatus:
    """P4: refuse with a clear 403 problem while the registration is invalid (or the seeker is
    unknown here, 利用不可 or withdrawn). Public job search does not ask this."""
    reason = refusal(status)
    if reason is not None:
        ja, en = REFUSAL_MESSAGES[reason]
        raise Refused("forbidden", ja=ja, en=en, data={"reason": reason})
    return status
