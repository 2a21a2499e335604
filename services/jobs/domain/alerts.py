"""Saved-search alerts (J3, 「新着求人をメールで受け取る」): when a daily digest is due and what it carries."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from kit.clock import JST

DIGEST_AT = time(7, 0)  # the daily digest counts new postings up to 7:00 in Japan and is mailed then
DIGEST_POSTINGS = 5  # at most this many new postings named in a digest (the count says how many in all)


def digest_cutoff(now: datetime) -> datetime:
    """The latest 7:00 in Japan at or before `now` (UTC): a digest covers new postings up to it, and a saved
    search whose last digest counted up to an earlier time is due."""
    local = now.astimezone(JST)
    cutoff = datetime.combine(local.date(), DIGEST_AT, tzinfo=JST)
    if local < cutoff:
        cutoff -= timedelta(days=1)
    return cutoff.astimezone(UTC)
