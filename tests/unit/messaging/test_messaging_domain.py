"""The rules of domain.py: P4 gating by status, projection order, M3's one year (edges, 29 February)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.messaging import domain
from services.messaging.domain import SeekerStatus

T0 = datetime(2026, 11, 26, 1, 0, tzinfo=UTC)


@pytest.mark.parametrize(("status", "messaging", "notices"), [
    (SeekerStatus(registration="valid"), None, None),
    (SeekerStatus(registration="invalid"), domain.REGISTRATION_INVALID, None),
    (domain.UNKNOWN, domain.REGISTRATION_UNKNOWN, None),
    (SeekerStatus(registration="valid", usable=False), domain.MYPAGE_UNUSABLE, domain.MYPAGE_UNUSABLE),
    (SeekerStatus(registration="valid", withdrawn_at=T0), domain.MYPAGE_WITHDRAWN, domain.MYPAGE_WITHDRAWN),
    (SeekerStatus(registration="invalid", usable=False, withdrawn_at=T0), domain.MYPAGE_WITHDRAWN,
     domain.MYPAGE_WITHDRAWN),
    (SeekerStatus(registration="valid", withdrawn_at=T0, opened_at=T0 + timedelta(days=1)), None, None),
])
def test_p4_messaging_is_refused_unless_valid_notices_only_when_closed(status, messaging, notices):
    assert domain.messaging_refusal(status) == messaging
    assert domain.notices_refusal(status) == notices


def test_p4_check_raises_refused_with_the_reason():
    with pytest.raises(domain.Refused) as refused:
        domain.check_messaging(SeekerStatus(registration="invalid"))
    assert refused.value.reason == domain.REGISTRATION_INVALID
    domain.check_notices(SeekerStatus(registration="invalid"))  # notices stay readable


def test_m2_a_notice_may_reach_anyone_but_a_withdrawn_seeker():
    assert domain.may_receive_notice(SeekerStatus(registration="invalid", usable=False))
    assert not domain.may_receive_notice(SeekerStatus(withdrawn_at=T0))


@pytest.mark.parametrize(("sent", "deleted"), [
    ("2026-11-26T10:00:00+09:00", "2027-11-26T10:00:00+09:00"),
    ("2026-12-31T23:59:59+09:00", "2027-12-31T23:59:59+09:00"),
    # the day in Japan counts: 1 March 00:30 JST is 28 February in UTC
    ("2027-03-01T00:30:00+09:00", "2028-03-01T00:30:00+09:00"),
    ("2027-02-28T12:00:00+09:00", "2028-02-28T12:00:00+09:00"),
    # 29 February: no such day next year, so the year ends with February (民法143条2項)
    ("2028-02-29T12:00:00+09:00", "2029-03-01T00:00:00+09:00"),
    ("2028-02-29T00:00:00+09:00", "2029-03-01T00:00:00+09:00"),
])
def test_m3_deleted_one_calendar_year_later_in_japan(sent, deleted):
    assert domain.deleted_at(datetime.fromisoformat(sent)) == datetime.fromisoformat(deleted)


def test_m3_kept_one_second_before_the_year_gone_at_it():
    sent = datetime.fromisoformat("2026-11-26T10:00:00+09:00")
    year = datetime.fromisoformat("2027-11-26T10:00:00+09:00")
    assert not domain.is_expired(sent, year - timedelta(seconds=1))
    assert domain.is_expired(sent, year)


_instants = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2040, 12, 31),
                         timezones=st.just(UTC))
_leap_edges = st.sampled_from([datetime.fromisoformat(v) for v in (
    "2028-02-28T14:59:59.999999+00:00", "2028-02-28T15:00:00+00:00", "2028-02-29T03:00:00+00:00",
    "2029-02-28T15:00:00+00:00", "2029-02-27T15:00:00+00:00", "2027-02-28T14:59:59+00:00",
    "2029-02-28T14:59:59.999999+00:00", "2028-03-01T02:00:00+00:00")])


@given(sent=st.one_of(_instants, _leap_edges), now=st.one_of(_instants, _leap_edges))
def test_m3_the_sql_cutoff_selects_exactly_the_expired(sent, now):
    """The sweep deletes `sent_at <= retention_cutoff(now)`: exactly what is_expired says."""
    assert (sent <= domain.retention_cutoff(now)) == domain.is_expired(sent, now)


def test_page_window():
    assert domain.page_window(1, 20) == (0, 20)
    assert domain.page_window(3, 10) == (20, 10)
