"""The profile service's rules — no Flask, no SQLAlchemy session.

Registration status (求職登録の有効／無効, SPEC P3), its validity period (P3a) and the two
kinds of seeker (P3b). Dates are Japanese calendar days (JST): "the end of the month" and
"the day after" are as Hello Work counts them, whatever the server's time zone. A rule that
refuses raises `Refused` with its reason; refusals.py says it to the client.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import date, timedelta

VALID, INVALID = "valid", "invalid"  # 有効 / 無効 (P3)
REGISTERED, ONLINE = "registered", "online"  # 利用登録者 / オンライン登録者 (P3b)

# Who or what changed the status; these travel in the events as `reason`.
BY_REGISTRATION, BY_REAPPLICATION, BY_SEEKER, BY_STAFF, BY_EXPIRY = (
    "registered", "reapplication", "seeker", "staff", "expired")
# What extends a registration in its final month (P3a).
EXTENDED_BY = ("counselling", "referral", "online_application")

# Identity fields only staff change (P2); the seeker is told which ones they sent.
STAFF_ONLY_FIELDS = ("seeker_number", "name", "name_kana", "birth_date", "email", "office", "kind", "applied_on")
# The parts of the registration that are the seeker's to change (P2).
SEEKER_EDITABLE_FIELDS = ("phone", "address", "education", "work_history", "qualifications", "desired", "self_pr")
SELF_PR_MAX = 2000  # 自己PR, characters (as a 志望動機, J8)

MIN_AGE, MAX_AGE = 14, 120  # a 中学3年 new graduate may register at 14

# Why a registration change is refused (Refused.reason); refusals.py says it to the client.
APPLICATION_IN_FUTURE = "application_in_future"
APPLICATION_BEFORE_PREVIOUS = "application_before_previous"
PERIOD_ENDED = "period_ended"


class Refused(Exception):
    """A registration rule refuses the change: `reason` is one of the constants above, `field` the
    part of the registration it is about (None: the change as a whole), `valid_until` the period
    that ended (PERIOD_ENDED)."""

    def __init__(self, reason: str, *, field: str | None = None, valid_until: date | None = None) -> None:
        super().__init__(reason)
        self.reason, self.field, self.valid_until = reason, field, valid_until


def end_of_month(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def end_of_month_after(day: date, months: int) -> date:
    """The last day of the month `months` after the month of `day`."""
    index = day.year * 12 + day.month - 1 + months
    year, month0 = divmod(index, 12)
    return end_of_month(year, month0 + 1)


def registration_valid_until(applied_on: date) -> date:
    """P3a: a registration is valid until the end of the month after next (翌々月末)
    from the month of application: applied 2026-11-02 → valid until 2027-01-31."""
    return end_of_month_after(applied_on, 2)


def age_on(birth_date: date, day: date) -> int:
    """Age in completed years on `day` (a 29 February birthday counts from 1 March in other years)."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


@dataclass(frozen=True)
class Registration:
    """The status part of a 求職登録: valid/invalid, the application date and the validity period."""

    status: str
    applied_on: date
    valid_until: date
    invalidated_on: date | None = None  # the day it last became invalid; kept after a re-application (R2)

    @property
    def valid(self) -> bool:
        return self.status == VALID


def new_registration(applied_on: date, today: date) -> Registration:
    """P1/P3a: a registration made at the counter is valid until 翌々月末 of the application month."""
    if applied_on > today:
        raise Refused(APPLICATION_IN_FUTURE, field="applied_on")
    return Registration(VALID, applied_on, registration_valid_until(applied_on))


def in_final_month(registration: Registration, day: date) -> bool:
    """P3a: `day` falls in the last month of the validity period (and the period has not ended)."""
    until = registration.valid_until
    return (day.year, day.month) == (until.year, until.month) and day <= until


def extend(registration: Registration, day: date) -> Registration | None:
    """P3a: counselling/referral at Hello Work or an online self-application made on `day` in the
    final month extends the period by one month (to the end of the next month). None when it
    does not apply: invalid, not yet the final month, or already expired."""
    if not registration.valid or not in_final_month(registration, day):
        return None
    return replace(registration, valid_until=end_of_month_after(registration.valid_until, 1))


def expire(registration: Registration, today: date) -> Registration | None:
    """P3a: on the day after `valid_until` the registration becomes invalid by itself; that day
    is its invalid date, however late the check runs. None when it is not due."""
    if not registration.valid or today <= registration.valid_until:
        return None
    return replace(registration, status=INVALID, invalidated_on=registration.valid_until + timedelta(days=1))


def set_status(registration: Registration, wanted: str, today: date) -> Registration | None:
    """P3: the seeker (or staff) sets the registration valid or invalid; None when unchanged.

    Making it valid again only works within the validity period: after it ran out, a new
    application at the counter (再求職申込) is needed.
    """
    if wanted == registration.status:
        return None
    if wanted == INVALID:
        return replace(registration, status=INVALID, invalidated_on=today)
    if today > registration.valid_until:
        raise Refused(PERIOD_ENDED, valid_until=registration.valid_until)
    return replace(registration, status=VALID)


def reapply(registration: Registration, applied_on: date, today: date) -> Registration:
    """P3: a re-application (再求職申込) by staff makes the registration valid again from a new
    application date; the date it last became invalid is kept (R2)."""
    if applied_on > today:
        raise Refused(APPLICATION_IN_FUTURE, field="applied_on")
    if applied_on < registration.applied_on:
        raise Refused(APPLICATION_BEFORE_PREVIOUS, field="applied_on")
    return replace(registration, status=VALID, applied_on=applied_on, valid_until=registration_valid_until(applied_on))


def display_name(name: str) -> str:
    """P5: the home screen greets the seeker as 「求職 太郎様」."""
    return f"{name}様"


def age_bracket(birth_date: date, day: date) -> str:
    """J8a: the age an employer sees of a disclosed profile — the decade only (「30代」), never the date."""
    return f"{age_on(birth_date, day) // 10 * 10}代"


def desires(desired: dict, *, occupation: str | None, prefecture: str | None) -> bool:
    """J8a employer search: the desired conditions name this occupation (a name, or a 職業分類 code
    matched as a prefix: 361 finds 361-01) and this prefecture; a criterion not given matches all."""
    if occupation and not any(name == occupation or name.startswith(occupation)
                              for name in desired.get("occupations") or []):
        return False
    return not prefecture or prefecture in (desired.get("prefectures") or [])
