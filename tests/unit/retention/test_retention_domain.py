"""R2: the five-year boundary in Japan time, leap day included (services/retention/domain.py)."""

from datetime import UTC, date, datetime, timedelta

import pytest

from kit.clock import JST
from services.retention import domain


def _japan(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=JST).astimezone(UTC)


@pytest.mark.parametrize(("invalid_since", "due"), [
    ("2021-11-27", "2026-11-27"),
    ("2021-01-01", "2026-01-01"),
    ("2021-12-31", "2026-12-31"),
    ("2024-02-29", "2029-03-01"),  # leap day: the day after five years have fully passed
    ("2024-02-28", "2029-02-28"),
    ("2024-03-01", "2029-03-01"),
    ("2023-02-28", "2028-02-28"),  # into a leap year: 28 February stays 28 February
])
def test_r2_erased_on_the_same_day_five_years_later(invalid_since, due):
    assert domain.erasure_due_on(date.fromisoformat(invalid_since)) == date.fromisoformat(due)


def test_r2_kept_the_whole_day_before_and_erased_from_midnight_in_japan():
    invalid_since = date(2021, 11, 27)
    assert not domain.is_due(invalid_since, _japan("2026-11-26T23:59:59"))
    assert domain.is_due(invalid_since, _japan("2026-11-27T00:00:00"))
    # 2026-11-26 15:00 UTC is already 27 November in Japan
    assert domain.is_due(invalid_since, datetime(2026, 11, 26, 15, 0, tzinfo=UTC))
    assert not domain.is_due(invalid_since, datetime(2026, 11, 26, 14, 59, 59, tzinfo=UTC))


def test_r2_leap_day_is_due_on_1_march_not_on_28_february():
    leap_day = date(2024, 2, 29)
    assert not domain.is_due(leap_day, _japan("2029-02-28T23:59:59"))
    assert domain.is_due(leap_day, _japan("2029-03-01T00:00:00"))


def test_r2_the_sweep_cutoff_selects_exactly_the_due_dates():
    """latest_due_invalid_date(now) is the boundary is_due draws, for every day of seven years around
    two leap days (invalid dates from 2019 to 2025, todays from 2024 to 2031)."""
    invalid_dates = [date(2019, 1, 1) + timedelta(days=n) for n in range(0, 365 * 7, 3)] + [date(2020, 2, 29),
                                                                                            date(2024, 2, 29)]
    for offset in range(0, 365 * 7, 5):
        today = date(2024, 1, 1) + timedelta(days=offset)
        for now in (_japan(f"{today}T00:00:00"), _japan(f"{today}T23:59:59")):
            cutoff = domain.latest_due_invalid_date(now)
            for invalid_since in invalid_dates:
                assert (invalid_since <= cutoff) == domain.is_due(invalid_since, now), (today, invalid_since)
    assert domain.latest_due_invalid_date(_japan("2028-02-29T12:00:00")) == date(2023, 2, 28)


def test_r3_pending_services_and_completion():
    assert domain.pending_services([]) == ["auth", "profile", "jobs", "messaging"]
    assert domain.pending_services(["jobs", "auth"]) == ["profile", "messaging"]
    assert not domain.is_complete(["auth", "profile", "jobs"])
    assert domain.is_complete(["auth", "profile", "jobs", "messaging"])
