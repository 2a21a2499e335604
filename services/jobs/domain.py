"""The jobs service's rules — no Flask, no SQLAlchemy session.

What a seeker may use (P4, from the local `seeker_status` projection), the two limits of the
flyer (J3: 3 saved search conditions, J4: 300 favourites), what a caller may see of a posting
(J2a publication scope), and how free words are normalised (J2, the simple form: NFKC).
"""

from __future__ import annotations

import calendar
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone

from kit.problem import Problem, msg

JST = timezone(timedelta(hours=9), "JST")

MAX_FAVOURITES = 300  # SPEC J4 (flyer: 300件まで)
MAX_SAVED_SEARCHES = 3  # SPEC J3 (flyer: 検索条件は３件まで保存できます)
SAVED_SEARCH_NAME_MAX = 50
FREE_WORD_MAX = 50  # J2: free word ≤ 50 characters
MAX_PLACES = 3  # J2: up to 3 prefectures and 3 municipalities
MAX_OCCUPATIONS = 3  # J2: up to 3 occupations
PER_PAGE_CHOICES = (10, 30, 50)  # J2
DEFAULT_PER_PAGE = 30
EMPLOYMENT_TYPES = ("正社員", "正社員以外", "有期雇用派遣労働者", "無期雇用派遣労働者", "パート労働者",
                    "有期雇用派遣パート", "無期雇用派遣パート")  # J2
WAGE_TYPES = ("monthly", "hourly", "daily")

VALID, INVALID = "valid", "invalid"  # 求職登録の有効／無効 (P3)
REGISTERED, ONLINE = "registered", "online"  # 利用登録者 / オンライン登録者 (P3b)

# J2a 公開範囲
SCOPE_PUBLIC, SCOPE_REGISTERED_ONLY, SCOPE_NO_NAME, SCOPE_NOT_ONLINE = 1, 2, 3, 4


def today_in_japan(now: datetime) -> date:
    """The calendar day in Japan at `now` (an aware datetime)."""
    return now.astimezone(JST).date()


# -- the seeker_status projection (DESIGN §1) and P4 gating -------------------------------------


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


def _newer(at: datetime, than: datetime | None) -> bool:
    # A tie is applied: two events of one transaction carry the same time, the later one wins.
    return than is None or at >= than


def registration_changed(status: SeekerStatus, at: datetime, *, registration: str, kind: str | None,
                         valid_until: date | None = None) -> SeekerStatus:
    """P3: profile said the registration is valid / invalid (and of which kind) at `at`."""
    if _newer(at, status.registration_at):
        status = replace(status, registration=registration, registration_at=at,
                         valid_until=status.valid_until if valid_until is None else valid_until)
    if kind is not None:
        status = kind_changed(status, at, kind)
    return status


def kind_changed(status: SeekerStatus, at: datetime, kind: str) -> SeekerStatus:
    """P3b: the seeker is a 利用登録者 or an オンライン登録者 since `at`."""
    if _newer(at, status.kind_at):
        return replace(status, kind=kind, kind_at=at)
    return status


def usability_changed(status: SeekerStatus, at: datetime, usable: bool) -> SeekerStatus:
    """A10: staff made the My Page 利用不可 (or lifted it) at `at`."""
    if _newer(at, status.usable_at):
        return replace(status, usable=usable, usable_at=at)
    return status


def withdrawal_changed(status: SeekerStatus, at: datetime, withdrawn: bool) -> SeekerStatus:
    """A9: withdrawn (退会) at `at`, or a My Page opened again after it."""
    if _newer(at, status.withdrawn_at):
        return replace(status, withdrawn=withdrawn, withdrawn_at=at)
    return status


# Why the My Page job features are refused: reason → (Japanese, English).
_REFUSALS = {
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
    if status is None or status.registration is None:
        return "unknown"
    if status.withdrawn:
        return "withdrawn"
    if not status.usable:
        return "unusable"
    if status.registration != VALID:
        return "registration_invalid"
    return None


def require_job_features(status: SeekerStatus | None) -> SeekerStatus:
    """P4: refuse with a clear 403 problem while the registration is invalid (or the seeker is
    unknown here, 利用不可 or withdrawn). Public job search does not ask this."""
    reason = refusal(status)
    if reason is not None:
        ja, en = _REFUSALS[reason]
        raise Problem("forbidden", detail_ja=ja, detail_en=en, extra={"reason": reason})
    return status


# -- J3 saved search conditions, J4 favourites ---------------------------------------------------


def check_room_for_favourite(count: int) -> None:
    """J4: at most 300 favourites; the 301st is refused with a clear message."""
    if count >= MAX_FAVOURITES:
        raise Problem("limit-reached", detail_ja=f"お気に入りは{MAX_FAVOURITES}件までです。",
                      detail_en=f"You can keep at most {MAX_FAVOURITES} favourites.",
                      extra={"limit": MAX_FAVOURITES})


def check_room_for_saved_search(count: int) -> None:
    """J3: at most 3 saved search conditions; the 4th is refused with a clear message."""
    if count >= MAX_SAVED_SEARCHES:
        raise Problem("limit-reached", detail_ja=f"検索条件は{MAX_SAVED_SEARCHES}件まで保存できます。",
                      detail_en=f"You can save at most {MAX_SAVED_SEARCHES} search conditions.",
                      extra={"limit": MAX_SAVED_SEARCHES})


# -- J1 / J2a: what a caller sees of a posting --------------------------------------------------


def is_open(closed: bool, deadline: date, today: date) -> bool:
    """J1: a posting is found by search until it is closed or its 紹介期限日 has passed."""
    return not closed and deadline >= today


def is_online(scope: int) -> bool:
    """J2a: scope 4 is not shown online at all."""
    return scope != SCOPE_NOT_ONLINE


def discloses_establishment(scope: int, registered_caller: bool) -> bool:
    """J2a: 1 shows the company name to everyone; 2 only to logged-in registered seekers;
    3 (and 4) never show the name or contact."""
    if scope == SCOPE_PUBLIC:
        return True
    if scope == SCOPE_REGISTERED_ONLY:
        return registered_caller
    return False


def hidden_reason(scope: int) -> str:
    """Why the establishment is not shown: `login_required` (scope 2) or `not_published`."""
    return "login_required" if scope == SCOPE_REGISTERED_ONLY else "not_published"


# -- J2 free word (the simple form; the full Japanese search is a later issue) ------------------


def normalise_text(text: str) -> str:
    """J2: full-width/half-width folded (NFKC) and case-folded, for matching free words."""
    return unicodedata.normalize("NFKC", text).casefold()


def free_words(q: str | None) -> list[str]:
    """The words of a free-word query, normalised; all must match (AND). Whitespace of either
    width separates words; repeated words count once."""
    if not q:
        return []
    return list(dict.fromkeys(normalise_text(q).split()))


# -- J5 referrals (紹介), J7 recommendations (オンラインハローワーク紹介) --------------------------

REFERRAL_NOTE_MAX = 500
RECOMMENDATION_COMMENT_MAX = 500


def seeker_not_found() -> Problem:
    return Problem("not-found", detail_ja="該当する求職者が見つかりません。", detail_en="No such job seeker.")


def check_recommendable(status: SeekerStatus | None) -> SeekerStatus:
    """J7 / P3b / P4: staff may recommend postings only to a 利用登録者 whose My Page job features
    are open. The seeker's state (not the staff caller's rights) is in the way: 409 with `reason`."""
    if status is None:
        raise seeker_not_found()
    reason = refusal(status)
    if reason is not None:
        ja, en = _REFUSALS[reason]
        raise Problem("conflict", detail_ja=f"この求職者にはおすすめできません。{ja}",
                      detail_en=f"Postings cannot be recommended to this seeker. {en}", extra={"reason": reason})
    if status.kind == ONLINE:
        raise Problem("conflict",
                      detail_ja="オンライン登録者にはハローワークからの求人のおすすめはできません。"
                                "ハローワークの窓口で利用登録者への変更（本人確認）を行ってください。",
                      detail_en="Hello Work cannot recommend postings to an online registrant; the seeker must "
                                "first be confirmed at a Hello Work counter.",
                      extra={"reason": "online_registrant"})
    return status


def check_referable(closed: bool, deadline: date, referred_on: date) -> None:
    """J5: a referral is to a posting still open on the day of the referral (紹介期限日 included)."""
    if closed or deadline < referred_on:
        raise Problem("conflict", detail_ja="募集が終了した求人には紹介できません。",
                      detail_en="A posting that is no longer open cannot be referred to.")


def referral_letter(posting: dict, *, office: str, referred_on: date, interview_place: str | None,
                    interview_date: date | None, note: str | None) -> dict:
    """J5 紹介状: what the letter says, fixed when the referral is made (a later change of the
    posting does not rewrite a letter already issued). `posting` holds the postings columns."""
    return {
        "office": office,
        "referred_on": referred_on.isoformat(),
        "establishment": {"number": posting["establishment_number"], "name": posting["establishment_name"],
                          "prefecture": posting["prefecture"], "municipality": posting["municipality"]},
        "job": {"job_number": posting["job_number"], "title": posting["title"],
                "occupation_code": posting["occupation_code"], "employment_type": posting["employment_type"]},
        "interview": {"place": interview_place,
                      "date": interview_date.isoformat() if interview_date else None},
        "note": note,
    }


# -- J8 applications (オンライン自主応募 / オンラインハローワーク紹介), J9 no-shows --------------------

APPLIED, SCREENING, HIRED, REJECTED, WITHDRAWN = "applied", "screening", "hired", "rejected", "withdrawn"
APPLICATION_STATUSES = (APPLIED, SCREENING, HIRED, REJECTED, WITHDRAWN)  # 応募中, 選考中, 採用, 不採用, 辞退
STATUS_LABELS = {APPLIED: "応募中", SCREENING: "選考中", HIRED: "採用", REJECTED: "不採用", WITHDRAWN: "辞退"}
EMPLOYER_STATUSES = (SCREENING, HIRED, REJECTED)  # what the employer-side system may set
SELF, RECOMMENDATION = "self", "recommendation"  # オンライン自主応募 / オンラインハローワーク紹介 (J7)

MOTIVATION_MAX = 2000  # 志望動機
MAX_DOCUMENTS = 3
DOCUMENT_MAX_BYTES = 2 * 1024 * 1024  # J8: PDF, size-limited
NO_SHOW_LIMIT = 5  # J9: 5 or more within 3 months restricts the My Page
NO_SHOW_WINDOW_MONTHS = 3  # J9, R4


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's end (11-30 + 3 → 02-28)."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def no_show_counts(interview_date: date, today: date) -> bool:
    """J9 / R4: a no-show counts toward the limit while less than 3 months have passed since the
    interview: the one of 08-27 counts through 11-26 and no longer on 11-27."""
    return interview_date <= today < add_months(interview_date, NO_SHOW_WINDOW_MONTHS)


def reaches_restriction(counting: int) -> bool:
    """J9: 5 or more no-shows within 3 months restrict the My Page (4 do not)."""
    return counting >= NO_SHOW_LIMIT


def application_route(recommended: bool) -> str:
    """J7/J8: applying to a posting Hello Work recommended is an online referral; anything else
    is an online self-application."""
    return RECOMMENDATION if recommended else SELF


def check_can_apply(status: SeekerStatus, *, route: str, accepts_online: bool, restricted: bool) -> None:
    """J8, J7, P3b, J9 — after P4 (require_job_features) has passed:
    an online referral only for a 利用登録者; a self-application only to a posting that accepts it
    and not while the no-show restriction holds (online referral stays open: staff are involved)."""
    if route == RECOMMENDATION:
        if status.kind == ONLINE:
            raise Problem("forbidden",
                          detail_ja="オンライン登録者はオンラインハローワーク紹介を利用できません。"
                                    "ハローワークの窓口で利用登録者への変更（本人確認）を行ってください。",
                          detail_en="An online registrant cannot use online Hello Work referral; please be "
                                    "confirmed at a Hello Work counter first.",
                          extra={"reason": "online_registrant"})
        return
    if not accepts_online:
        raise Problem("conflict", detail_ja="この求人はオンライン自主応募を受け付けていません。",
                      detail_en="This posting does not accept online self-applications.",
                      extra={"reason": "online_application_not_accepted"})
    if restricted:
        raise Problem("forbidden",
                      detail_ja="面接不参加が3か月で5件以上となったため、オンライン自主応募は制限されています。"
                                "解除にはハローワークへの来所が必要です。",
                      detail_en="Online self-application is restricted after 5 or more interview no-shows within "
                                "3 months; please visit Hello Work to have it lifted.",
                      extra={"reason": "no_show_restricted"})


def check_withdrawable(status: str) -> None:
    """J8: the seeker may withdraw (辞退) while applied, in screening or hired (内定辞退); not after
    a rejection. Withdrawing twice is handled by the caller (nothing changes)."""
    if status == REJECTED:
        raise Problem("conflict", detail_ja="不採用となった応募は辞退できません。",
                      detail_en="An application that was rejected cannot be withdrawn.",
                      extra={"status": status})


def check_employer_status(current: str, new: str) -> None:
    """The employer moves an application on: 応募中 → 選考中 → 採用／不採用; not once withdrawn or decided."""
    if current == WITHDRAWN:
        raise Problem("conflict", detail_ja="求職者が辞退した応募です。",
                      detail_en="The seeker withdrew this application.", extra={"status": current})
    if current in (HIRED, REJECTED) and new != current:
        raise Problem("conflict", detail_ja="選考結果が確定した応募は変更できません。",
                      detail_en="The result of this application is already decided.", extra={"status": current})
    if current == SCREENING and new == APPLIED:
        raise Problem("conflict", detail_ja="選考中の応募を応募中に戻すことはできません。",
                      detail_en="An application in screening cannot go back to applied.", extra={"status": current})


def check_no_show(*, route: str, submitted_on: date, withdrawn_on: date | None, interview_date: date,
                  today: date) -> None:
    """J9: a no-show (面接不参加: no 辞退 sent and did not attend) is reported on an online
    self-application, for an interview between the application and today. The seeker who withdrew
    on or before the interview day did send their 辞退: the report is rejected. (A withdrawal after
    a missed interview does not undo the no-show.)"""
    if route != SELF:
        raise Problem("conflict", detail_ja="面接不参加はオンライン自主応募についてのみ報告できます。",
                      detail_en="Interview no-shows are reported on online self-applications only.",
                      extra={"reason": "not_self_application"})
    if interview_date > today or interview_date < submitted_on:
        raise Problem("validation-failed", fields={"interview_date": [msg(
            "面接日は応募日から今日までの日付を入力してください。",
            "The interview date is between the application date and today.")]})
    if withdrawn_on is not None and withdrawn_on <= interview_date:
        raise Problem("conflict", detail_ja="求職者は面接日までに応募を辞退しています。面接不参加には当たりません。",
                      detail_en="The seeker withdrew on or before the interview day; this is not a no-show.",
                      extra={"reason": "withdrawn"})
