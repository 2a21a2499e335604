"""The calendar day in Japan, the day every jobs rule counts in (紹介期限日, 新着, no-shows)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

JST = timezone(timedelta(hours=9), "JST")


def today_in_japan(now: datetime) -> date:
    """The calendar day in Japan at `now` (an aware datetime)."""
    return now.astimezone(JST).date()
