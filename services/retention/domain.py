"""The retention rules (SPEC R2, R3, A9), in the flyer's words. No Flask, no SQLAlchemy session.

R2 — five years from the day the registration became invalid (求職無効日), counted on the
calendar in Japan time:
- a registration that became invalid on D is erased **on the same month and day five years
  later**, from 00:00 JST of that day: invalid on 2021-11-27 → erased on 2026-11-27 (still kept
  on 2026-11-26);
- leap day: invalid on 29 February → erased on **1 March** five years later (the day after five
  years have fully passed; five years on has no 29 February, and 民法143条2項 ends such a period
  with the end of February — the same choice as messaging's one-year rule, M3): invalid on
  2024-02-29 → kept on 2029-02-28, erased on 2029-03-01;
- a re-application (再求職申込) or any later valid registration cancels it: the day counts
  only while the registration is still invalid; an event older than the state already known
  (by its CloudEvents time) changes nothing.

R3 — the saga: an erasure is confirmed by every service that holds seeker data (SAGA_SERVICES);
until then the request is sent again, after RETRY_INTERVAL, to the services still missing. When
all four confirmed, a final round asks all four again after FINAL_ROUND_DELAY (events about the
seeker that were in flight during round 1 may have recreated a projection row); the erasure is
complete when all four confirmed the final round too. The audit adds the two rounds up.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta

from kit.clock import today_in_japan
from kit.erasure import REASONS, SAGA_SERVICES

RETENTION_YEARS = 5  # R2
WITHDRAWAL, RETENTION_5Y = REASONS  # A9 退会 | R2
DEFAULT_RETRY_INTERVAL = timedelta(minutes=30)  # R3: a request not confirmed by then is sent again
# R3/S12: the final round asks every service again this long after all confirmed round 1 — an event
# about the seeker already on its way then (a relay's backlog, a retry) may have made a row again.
DEFAULT_FINAL_ROUND_DELAY = timedelta(hours=1)
FIRST_ROUND, FINAL_ROUND = 1, 2


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one: the day after the end of February
        return date(day.year + years, 3, 1)


def erasure_due_on(invalid_since: date) -> date:
    """R2: the day a registration invalid since `invalid_since` is erased (see the module)."""
    return _years_later(invalid_since, RETENTION_YEARS)


def is_due(invalid_since: date, now: datetime) -> bool:
    """R2: five years have passed at `now` (kept the whole day before, erased from the due day on)."""
    return today_in_japan(now) >= erasure_due_on(invalid_since)


def latest_due_invalid_date(now: datetime) -> date:
    """R2: the latest invalid date that is due at `now` — `invalid_since <= latest_due_invalid_date(now)`
    exactly when `is_due(invalid_since, now)` (erasure_due_on never decreases, so the due ones are a prefix)."""
    today = today_in_japan(now)
    try:
        return today.replace(year=today.year - RETENTION_YEARS)
    except ValueError:  # today is 29 February: five years back ends on 28 February
        return date(today.year - RETENTION_YEARS, 2, 28)


def pending_services(confirmed: Iterable[str]) -> list[str]:
    """R3: the services that have not confirmed the erasure yet, in SAGA_SERVICES order."""
    done = set(confirmed)
    return [service for service in SAGA_SERVICES if service not in done]


def is_complete(confirmed: Iterable[str]) -> bool:
    """R3: every service holding seeker data confirmed."""
    return not pending_services(confirmed)


def retry_due(last_requested_at: datetime, now: datetime, interval: timedelta) -> bool:
    """R3: the request was sent `interval` ago or longer without every confirmation."""
    return now >= last_requested_at + interval


def audit_counts(confirmations: Mapping[str, int]) -> dict[str, int]:
    """The audit's rows per service (a count only: no id, no personal data)."""
    return {service: int(confirmations.get(service, 0)) for service in SAGA_SERVICES}


def add_rounds(first: Mapping[str, int], final: Mapping[str, int]) -> dict[str, int]:
    """The rows each service erased over both rounds (the audit's figure)."""
    return {service: int(first.get(service, 0)) + int(final.get(service, 0)) for service in SAGA_SERVICES}
