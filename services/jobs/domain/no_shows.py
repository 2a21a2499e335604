"""J9 / R4 no-shows (面接不参加): which count, when they restrict, which report is refused."""

from __future__ import annotations

import calendar
from datetime import date

from services.jobs.domain.applications import SELF
from services.jobs.domain.refused import Refused

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


def check_no_show(*, route: str, submitted_on: date, withdrawn_on: date | None, interview_date: date,
                  today: date) -> None:
    """J9: a no-show (面接不参加: no 辞退 sent and did not attend) is reported on an online
    self-application, for an interview between the application and today. The seeker who withdrew
    on or before the interview day did send their 辞退: the report is rejected. (A withdrawal after
    a missed interview does not undo the no-show.)"""
    if route != SELF:
        raise Refused("conflict", ja="面接不参加はオンライン自主応募についてのみ報告できます。",
                      en="Interview no-shows are reported on online self-applications only.",
                      data={"reason": "not_self_application"})
    if interview_date > today or interview_date < submitted_on:
        raise Refused("invalid", fields={"interview_date": [(
            "面接日は応募日から今日までの日付を入力してください。",
            "The interview date is between the application date and today.")]})
    if withdrawn_on is not None and withdrawn_on <= interview_date:
        raise Refused("conflict", ja="求職者は面接日までに応募を辞退しています。面接不参加には当たりません。",
                      en="The seeker withdrew on or before the interview day; this is not a no-show.",
                      data={"reason": "withdrawn"})
