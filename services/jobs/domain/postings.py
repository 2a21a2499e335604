"""J1 postings and J2a publication: whether a posting is open, what a caller sees of it, the 求人番号 as
typed, the employer-side system's intake (求人の受付・変更・募集終了) and C2 (its establishments)."""

from __future__ import annotations

import re
from datetime import date

from kit.text import fold_number
from services.jobs.domain.refused import Refused

# J2a 公開範囲
SCOPE_PUBLIC, SCOPE_REGISTERED_ONLY, SCOPE_NO_NAME, SCOPE_NOT_ONLINE = 1, 2, 3, 4


def is_open(closed: bool, deadline: date, today: date) -> bool:
    """J1: a posting is found by search until it is closed or its 紹介期限日 has passed."""
    return not closed and deadline >= today


def posting_status(closed: bool, deadline: date, today: date) -> str:
    """J1: open, closed (募集終了) or expired (紹介期限日 passed) — as every view of a posting says it."""
    if closed:
        return "closed"
    return "open" if is_open(closed, deadline, today) else "expired"


# What cannot be done with a posting that is no longer open, by action: (Japanese, English).
_NOT_OPEN = {
    "apply": ("募集が終了した求人には応募できません。", "A posting that is no longer open cannot be applied to."),
    "favourite": ("募集が終了した求人はお気に入りに追加できません。",
                  "A posting that is no longer open cannot be added to favourites."),
    "recommend": ("募集が終了した求人はおすすめできません。",
                  "A posting that is no longer open cannot be recommended."),
    "refer": ("募集が終了した求人には紹介できません。", "A posting that is no longer open cannot be referred to."),
    "direct_request": ("募集が終了した求人は直接リクエストできません。",
                       "A posting that is no longer open cannot be sent."),
}


def require_open(closed: bool, deadline: date, today: date, action: str) -> None:
    """J1: applying, favouriting, recommending, referring and direct requests need a posting that is still
    open on `today` (紹介期限日 included); otherwise 409 `closed`, saying what could not be done."""
    if not is_open(closed, deadline, today):
        ja, en = _NOT_OPEN[action]
        raise Refused("conflict", ja=ja, en=en, data={"reason": "closed"})


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


_TYPED_JOB_NUMBER = re.compile(r"^(\d{5})-?(\d{8})$")


def canonical_job_number(typed: str) -> str | None:
    """求人番号 as typed — full-width digits, any dash, ー, or no hyphen at all — as NNNNN-NNNNNNNN, the
    one form a posting is stored, searched, favourited and applied to under; None when it is not one."""
    found = _TYPED_JOB_NUMBER.match(fold_number(typed))
    return f"{found.group(1)}-{found.group(2)}" if found else None


# -- J1 postings from the employer-side system (求人の受付・変更・募集終了) ----------------------------

POSTING_CATEGORIES = ("一般", "新卒・既卒", "季節", "出稼ぎ", "障害のある方")  # 求人区分 (SPEC J2)
TWO_DAYS_WEEKLY = ("毎週", "その他", "なし")  # 週休二日制
ANNUAL_HOLIDAYS_MAX = 366  # 年間休日数
WAGE_MAX = 10_000_000  # yen; far above any monthly wage, and inside the column's range
POSTING_TITLE_MAX = 100
ESTABLISHMENT_NAME_MAX = 100
DESCRIPTION_MAX = 3000
HOURS_MAX = 100
STATION_MAX = 60
# The posting's field map — the one place that says where the employer API's fields are kept: a field's name
# in the payload (`wage.min`: `min` inside `wage`) → its column in `postings`. A place is kept by its codes (its
# official names, the `prefecture` and `municipality` columns, follow from them). Whatever has no column is kept
# as sent in the posting's `document`, a part's extra keys under the part's key (models.posting_row).
POSTING_FIELDS = {
    "job_number": "job_number",
    "establishment.number": "establishment_number", "establishment.name": "establishment_name",
    "title": "title", "occupation_code": "occupation_code", "description": "description", "category": "category",
    "full_time": "full_time", "employment_type": "employment_type",
    "location.prefecture": "prefecture_code", "location.municipality": "municipality_code",
    "location.station": "station",
    "wage.type": "wage_type", "wage.min": "wage_min", "wage.max": "wage_max",
    "hours": "hours",
    "holidays.two_days_weekly": "two_days_weekly", "holidays.annual_days": "annual_holidays",
    "publication_scope": "publication_scope", "online_application": "online_application",
    "received_on": "received_on", "deadline": "deadline",
}
# The payload's top-level fields that have a column, and the parts among them with their fields
# ({"establishment": ("number", "name"), "location": …}).
POSTING_PAYLOAD_FIELDS = tuple(dict.fromkeys(name.partition(".")[0] for name in POSTING_FIELDS))
POSTING_PARTS = {part: tuple(name.removeprefix(f"{part}.") for name in POSTING_FIELDS if name.startswith(f"{part}."))
                 for part in dict.fromkeys(name.partition(".")[0] for name in POSTING_FIELDS if "." in name)}
DATES_OUT_OF_ORDER = ("紹介期限日は受付年月日以降の日付にしてください。",
                         "The referral deadline cannot be before the date the posting was received.")


def check_posting_dates(received_on: date, deadline: date, *, field: str = "deadline") -> None:
    """J1: a posting is received on or before its 紹介期限日 (checked on the whole posting, so a change of
    either date is checked against the other). Refused as a field-level 422 on `field`."""
    if deadline < received_on:
        raise Refused("invalid", fields={field: [DATES_OUT_OF_ORDER]})


def check_changeable(closed: bool, job_number: str) -> None:
    """J1: a closed posting (募集終了) is kept as it was — where it is favourited, referred or applied to."""
    if closed:
        raise Refused("conflict", ja=f"求人番号 {job_number} は募集終了のため変更できません。",
                      en=f"The posting {job_number} is closed and cannot be changed.",
                      data={"reason": "closed"})


def check_same_establishment(before: str, after: str) -> None:
    """J1: a posting belongs to one establishment (applications and their events name it); another
    establishment's job is a new posting with a new 求人番号."""
    if before != after:
        raise Refused("invalid", fields={"establishment.number": [(
            "事業所番号は変更できません。別の事業所の求人は新しい求人番号で登録してください。",
            "The establishment number cannot be changed; post another establishment's job under a new job number.")]})


def already_posted(job_number: str) -> Refused:
    """J1: the job number is taken by a different posting — a retry sends the same payload, a change is a PATCH."""
    return Refused("conflict", ja=f"求人番号 {job_number} の求人は既に登録されています（内容が異なります）。"
                                         f"変更は PATCH /api/v1/employer/jobs/{job_number} で行ってください。",
                   en=f"A different posting with job number {job_number} exists; change it with "
                             f"PATCH /api/v1/employer/jobs/{job_number}.",
                   data={"reason": "already_posted", "job_number": job_number})


def changed_posting_fields(before: dict, after: dict) -> list[str]:
    """J1: the names (not the values) of what differs between two postings rows: columns by their API name
    (`wage.min`, `location.municipality`), extras of the document by their key (`insurance`,
    `establishment.url`). Empty: nothing changed (a retry)."""
    changed = {name for name, column in POSTING_FIELDS.items() if before.get(column) != after.get(column)}
    old, new = before.get("document") or {}, after.get("document") or {}
    for key in old.keys() | new.keys():
        if key in POSTING_PARTS and isinstance(old.get(key, {}), dict) and isinstance(new.get(key, {}), dict):
            inner_old, inner_new = old.get(key, {}), new.get(key, {})
            changed |= {f"{key}.{inner}" for inner in inner_old.keys() | inner_new.keys()
                        if inner_old.get(inner) != inner_new.get(inner)}
        elif old.get(key) != new.get(key) or (key in old) != (key in new):
            changed.add(key)
    return sorted(changed)


# -- C2: an employer-side system acts only for its establishments (事業所番号) --------------------------


def acts_for(establishments: frozenset[str] | None, establishment_number: str | None) -> bool:
    """C2: whether an employer token whose claim lists `establishments` (None: every one — only the
    development client) may act for `establishment_number`."""
    return establishments is None or establishment_number in establishments


def check_acts_for(establishments: frozenset[str] | None, establishment_number: str) -> None:
    """C2: publishing, reading, changing or closing a posting of an establishment not on the employer's
    list is refused (403) — the posting's existence is no secret (its number is public), the right is."""
    if not acts_for(establishments, establishment_number):
        raise Refused("forbidden", ja=f"事業所番号 {establishment_number} の求人を扱う権限がありません。",
                      en=f"This client may not handle postings of establishment {establishment_number}.",
                      data={"reason": "other_establishment"})
