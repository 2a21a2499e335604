"""The injected clock: every rule with a duration reads time from here, never from datetime.now()."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Protocol

JST = timezone(timedelta(hours=9), "JST")  # Japan keeps no daylight saving time


def today_in_japan(now: datetime) -> date:
    """The calendar day in Japan at `now` (an aware datetime): the days of SPEC's rules are Japanese days."""
    return now.astimezone(JST).date()


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""


class SystemClock:
    """The wall clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FrozenClock:
    """A clock that moves only when told to (tests, never production)."""

    def __init__(self, at: datetime | str = "2026-11-26T09:00:00+00:00") -> None:
        self._lock = threading.Lock()
        self._now = _aware(at)

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def set(self, at: datetime | str) -> None:
        with self._lock:
            self._now = _aware(at)

    def advance(self, delta: timedelta | None = None, **kwargs: float) -> datetime:
        """Move forward by `delta` or by timedelta keyword arguments (minutes=50)."""
        with self._lock:
            self._now += delta if delta is not None else timedelta(**kwargs)
            return self._now


def _aware(at: datetime | str) -> datetime:
    value = datetime.fromisoformat(at) if isinstance(at, str) else at
    if value.tzinfo is None:
        raise ValueError("FrozenClock needs a timezone-aware time")
    return value.astimezone(UTC)
