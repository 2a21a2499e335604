"""P3, P3a, P3b rules in domain.py: validity arithmetic across month ends, leap years and year ends."""

from datetime import date

import pytest

from services.profile import domain
from services.profile.domain import Refused, Registration
from services.profile.refusals import refusal_problem


@pytest.mark.parametrize(("applied_on", "valid_until"), [
    (date(2026, 11, 2), date(2027, 1, 31)),   # SPEC's example
    (date(2026, 11, 30), date(2027, 1, 31)),  # the brief's: across the year end
    (date(2026, 11, 1), date(2027, 1, 31)),   # every day of a month gives the same end
    (date(2026, 12, 31), date(2027, 2, 28)),  # into a short February
    (date(2027, 12, 31), date(2028, 2, 29)),  # leap year
    (date(2027, 12, 1), date(2028, 2, 29)),
    (date(2026, 1, 31), date(2026, 3, 31)),
    (date(2026, 6, 30), date(2026, 8, 31)),   # 30-day month to a 31-day one
    (date(2026, 7, 31), date(2026, 9, 30)),   # 31-day month to a 30-day one
    (date(2099, 11, 15), date(2100, 1, 31)),
    (date(2099, 12, 15), date(2100, 2, 28)),  # 2100 is not a leap year
    (date(2023, 12, 15), date(2024, 2, 29)),
])
def test_p3a_valid_until_the_end_of_the_month_after_next(applied_on, valid_until):
    assert domain.registration_valid_until(applied_on) == valid_until


def _valid(applied_on: date) -> Registration:
    return Registration("valid", applied_on, domain.registration_valid_until(applied_on))


@pytest.mark.parametrize(("applied_on", "visit", "extended_until"), [
    (date(2026, 11, 30), date(2027, 1, 1), date(2027, 2, 28)),    # first day of the final month
    (date(2026, 11, 30), date(2027, 1, 31), date(2027, 2, 28)),   # its last day
    (date(2027, 10, 5), date(2027, 12, 31), date(2028, 1, 31)),   # across the year end
    (date(2027, 11, 5), date(2028, 1, 20), date(2028, 2, 29)),    # into a leap February
    (date(2026, 11, 5), date(2027, 1, 20), date(2027, 2, 28)),    # into a common February
])
def test_p3a_counselling_in_the_final_month_extends_by_one_month(applied_on, visit, extended_until):
    extended = domain.extend(_valid(applied_on), visit)
    assert extended is not None and extended.valid_until == extended_until
    assert extended.applied_on == applied_on and extended.valid


@pytest.mark.parametrize("visit", [
    date(2026, 11, 30),  # the application day
    date(2026, 12, 31),  # the last day before the final month
    date(2027, 2, 1),    # the day after the period: already over
])
def test_p3a_no_extension_outside_the_final_month(visit):
    assert domain.extend(_valid(date(2026, 11, 30)), visit) is None


def test_p3a_an_extension_makes_the_next_month_the_final_one():
    once = domain.extend(_valid(date(2026, 11, 30)), date(2027, 1, 10))
    assert domain.extend(once, date(2027, 1, 20)) is None  # still January: not the final month now
    twice = domain.extend(once, date(2027, 2, 3))
    assert twice.valid_until == date(2027, 3, 31)


def test_p3a_no_extension_once_invalid():
    invalid = domain.set_status(_valid(date(2026, 11, 30)), "invalid", date(2027, 1, 5))
    assert domain.extend(invalid, date(2027, 1, 10)) is None


def test_p3a_expiry_on_the_day_after_valid_until():
    registration = _valid(date(2026, 11, 30))
    assert domain.expire(registration, date(2027, 1, 31)) is None
    expired = domain.expire(registration, date(2027, 2, 1))
    assert expired.status == "invalid" and expired.invalidated_on == date(2027, 2, 1)


def test_p3a_a_late_check_still_dates_the_expiry_the_day_after():
    expired = domain.expire(_valid(date(2027, 12, 31)), date(2028, 3, 15))
    assert expired.invalidated_on == date(2028, 3, 1)


def test_p3_set_invalid_keeps_the_day_and_valid_again_within_the_period():
    registration = _valid(date(2026, 11, 30))
    invalid = domain.set_status(registration, "invalid", date(2026, 12, 10))
    assert (invalid.status, invalid.invalidated_on) == ("invalid", date(2026, 12, 10))
    valid = domain.set_status(invalid, "valid", date(2026, 12, 20))
    assert valid.valid and valid.valid_until == date(2027, 1, 31)
    assert valid.invalidated_on == date(2026, 12, 10)  # kept (R2)
    assert domain.set_status(valid, "valid", date(2026, 12, 21)) is None  # unchanged


def test_p3_valid_again_after_the_period_needs_a_reapplication():
    expired = domain.expire(_valid(date(2026, 11, 30)), date(2027, 2, 1))
    with pytest.raises(Refused) as refused:
        domain.set_status(expired, "valid", date(2027, 2, 2))
    assert (refused.value.reason, refused.value.valid_until) == (domain.PERIOD_ENDED, date(2027, 1, 31))
    problem = refusal_problem(refused.value)
    assert problem.key == "conflict" and "再求職申込" in problem.detail_ja


def test_p3_reapplication_starts_a_new_period_and_keeps_the_invalid_date():
    expired = domain.expire(_valid(date(2026, 11, 30)), date(2027, 2, 1))
    again = domain.reapply(expired, date(2027, 3, 5), date(2027, 3, 5))
    assert again.valid and again.applied_on == date(2027, 3, 5) and again.valid_until == date(2027, 5, 31)
    assert again.invalidated_on == date(2027, 2, 1)


def test_p3_reapplication_dates_are_checked():
    registration = _valid(date(2026, 11, 30))
    with pytest.raises(Refused) as future:
        domain.reapply(registration, date(2027, 1, 2), date(2027, 1, 1))
    assert (future.value.reason, future.value.field) == (domain.APPLICATION_IN_FUTURE, "applied_on")
    with pytest.raises(Refused) as earlier:
        domain.reapply(registration, date(2026, 11, 29), date(2027, 1, 1))  # the day before the last application
    assert (earlier.value.reason, earlier.value.field) == (domain.APPLICATION_BEFORE_PREVIOUS, "applied_on")
    assert domain.reapply(registration, date(2026, 11, 30), date(2026, 11, 30)).valid_until == date(2027, 1, 31)


def test_p5_display_name():
    assert domain.display_name("求職 太郎") == "求職 太郎様"


@pytest.mark.parametrize(("birth", "day", "age"), [
    (date(1990, 4, 1), date(2026, 3, 31), 35),
    (date(1990, 4, 1), date(2026, 4, 1), 36),
    (date(2008, 2, 29), date(2026, 2, 28), 17),
    (date(2008, 2, 29), date(2026, 3, 1), 18),
])
def test_age(birth, day, age):
    assert domain.age_on(birth, day) == age
