"""The jobs rules on their own (no Flask, no database): P4 refusals, J3/J4 limits, J2a, free words."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from services.jobs import domain, refusals
from services.jobs.domain import Refused, SeekerStatus

T0 = datetime(2026, 11, 26, 1, 0, tzinfo=UTC)
VALID = SeekerStatus(registration="valid", registration_at=T0, kind="registered", kind_at=T0)


@pytest.mark.parametrize(("status", "reason"), [
    (None, "unknown"),
    (SeekerStatus(), "unknown"),
    (VALID, None),
    (SeekerStatus(registration="invalid", registration_at=T0), "registration_invalid"),
    (SeekerStatus(registration="valid", usable=False), "unusable"),
    (SeekerStatus(registration="valid", withdrawn=True), "withdrawn"),
])
def test_p4_why_the_my_page_job_features_are_refused(status, reason):
    assert domain.refusal(status) == reason
    if reason is None:
        assert domain.require_job_features(status) is status
    else:
        with pytest.raises(Refused) as refused:
            domain.require_job_features(status)
        assert refused.value.kind == "forbidden" and refused.value.data == {"reason": reason}
        problem = refusals.problem(refused.value)  # and at the edge
        assert problem.http_status == 403 and problem.extra == {"reason": reason}


def test_each_part_of_the_status_ignores_older_news():
    later = T0 + timedelta(minutes=1)
    invalid = domain.registration_changed(VALID, later, registration="invalid", kind="registered")
    assert invalid.registration == "invalid" and invalid.valid_until is None
    stale = domain.registration_changed(invalid, T0, registration="valid", kind="online",
                                        valid_until=date(2027, 1, 31))
    assert stale == invalid  # both the status and the kind were older
    unusable = domain.usability_changed(invalid, T0, False)  # another part: its own time
    assert unusable.usable is False and unusable.registration == "invalid"
    assert domain.usability_changed(unusable, T0 - timedelta(seconds=1), True) == unusable


@pytest.mark.parametrize(("count", "refused"), [(0, False), (299, False), (300, True), (301, True)])
def test_j4_room_for_a_favourite(count, refused):
    if refused:
        with pytest.raises(Refused) as refused:
            domain.check_room_for_favourite(count)
        assert refused.value.kind == "limit_reached" and refused.value.ja == "お気に入りは300件までです。"
        assert refusals.problem(refused.value).key == "limit-reached"
    else:
        domain.check_room_for_favourite(count)


@pytest.mark.parametrize(("count", "refused"), [(2, False), (3, True)])
def test_j3_room_for_a_saved_search(count, refused):
    if refused:
        with pytest.raises(Refused) as refused:
            domain.check_room_for_saved_search(count)
        assert refused.value.ja == "検索条件は3件まで保存できます。"
    else:
        domain.check_room_for_saved_search(count)


@pytest.mark.parametrize(("scope", "registered", "shown"), [
    (1, False, True), (1, True, True), (2, False, False), (2, True, True), (3, True, False), (4, True, False)])
def test_j2a_who_sees_the_establishment(scope, registered, shown):
    assert domain.discloses_establishment(scope, registered) is shown


def test_j1_open_until_the_end_of_the_deadline_day():
    assert domain.is_open(False, date(2026, 11, 26), date(2026, 11, 26))
    assert not domain.is_open(False, date(2026, 11, 25), date(2026, 11, 26))
    assert not domain.is_open(True, date(2027, 1, 31), date(2026, 11, 26))


def test_j2_free_words_are_width_folded_and_case_folded():
    assert domain.free_words("ｶｲｺﾞ　ＤＸ  介護 介護") == ["カイゴ", "dx", "介護"]
    assert domain.free_words("") == [] and domain.free_words(None) == []


@pytest.mark.parametrize(("criteria", "meant"), [
    ({}, ([], [])),
    ({"prefecture": ["13"]}, ([], ["13"])),
    ({"municipality": ["11222"], "prefecture": ["11", "13"]}, (["11222"], ["13"])),  # 越谷市 + all of 東京都
    ({"municipality": ["11222", "13101"], "prefecture": ["11", "13"]}, (["11222", "13101"], [])),
])
def test_j2_a_prefecture_counts_as_a_whole_only_when_none_of_its_municipalities_is_chosen(criteria, meant):
    assert domain.places(criteria) == meant
