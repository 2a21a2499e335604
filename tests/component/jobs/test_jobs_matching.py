"""J6: new postings that match a seeker's desired conditions (希望条件) reach their My Page.

Desired conditions arrive as profile's `profile.desired_conditions.changed.v1` through the real handler;
postings are published through `POST /api/v1/employer/jobs`, and the `jobs.posting.published.v1` it
wrote to the outbox is delivered to jobs' own handler — as the worker does, after the request. Each rule
of the match (services/jobs/README.md "J6") has a matching and a non-matching case."""

from __future__ import annotations

import copy
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from contracts import validate_event
from kit.events import Event
from services.jobs.handlers import SUBSCRIPTIONS
from services.jobs.models import desired_condition_terms, desired_conditions, matches
from tests.component.jobs.conftest import POSTING, job_number, registration

JOBS = "/api/v1/employer/jobs"
MATCHING = "/api/v1/me/matching-jobs"
PUBLISHED, MATCHED = "jobs.posting.published.v1", "jobs.posting.matched.v1"
DESIRED = "profile.desired_conditions.changed.v1"
NOTHING = {"occupations": [], "employment_types": [], "prefectures": [], "municipalities": [], "wage_min": None,
           "wage_type": "monthly", "hours": None, "days_per_week": None}


@pytest.fixture
def wanting(seeker, feed):
    """wanting(**desired) -> (seeker id, headers) of a valid seeker with these desired conditions."""

    def make(**desired) -> tuple[str, dict[str, str]]:
        seeker_id, headers = seeker()
        feed(DESIRED, {"seeker_id": seeker_id, "desired": NOTHING | desired})
        return seeker_id, headers

    return make


@pytest.fixture
def deliver_published(runtime, outbox):
    """deliver_published(job_number): jobs' worker handling the posting's published event from the outbox."""

    def deliver(number: str) -> None:
        [envelope] = [e for e in outbox(PUBLISHED) if e["data"]["job_number"] == number]
        with runtime.uow() as uow:
            SUBSCRIPTIONS[PUBLISHED](Event.from_dict(envelope), uow)
            uow.commit()

    return deliver


@pytest.fixture
def publish(client, employer, deliver_published):
    """publish(deliver=True, **changes) -> the job number of a new posting (SPEC's payload with `changes`),
    published through the employer API and, unless told otherwise, matched by jobs' handler."""

    def make(deliver: bool = True, **changes) -> str:
        body = copy.deepcopy(POSTING) | {"job_number": job_number()} | changes
        response = client.post(JOBS, json=body, headers=employer)
        assert response.status_code == 201, response.json
        if deliver:
            deliver_published(body["job_number"])
        return body["job_number"]

    return make


@pytest.fixture
def matched(outbox):
    """matched(job_number) -> the seeker ids jobs.posting.matched.v1 named for that posting."""
    return lambda number: [e["data"]["seeker_id"] for e in outbox(MATCHED) if e["data"]["job_number"] == number]


def _place(prefecture: str, municipality: str) -> dict:
    return {"prefecture": prefecture, "municipality": municipality, "station": None}


def _wage(minimum: int, kind: str = "monthly") -> dict:
    return {"type": kind, "min": minimum, "max": None}


# -- the rules, each with a match and a miss -----------------------------------------------------------


@pytest.mark.parametrize("occupation", ["361-01", "361", "36", "E", "施設介護員", "介護職員"])
def test_j6_an_occupation_equal_to_or_a_prefix_of_the_postings_code_matches(wanting, publish, matched, occupation):
    seeker_id, _ = wanting(occupations=[occupation])  # the posting is 361-01 施設介護員
    assert matched(publish()) == [seeker_id]


@pytest.mark.parametrize("occupation", ["362", "362-01", "36101-9", "37", "F", "宇宙飛行士"])
def test_j6_another_or_an_unknown_occupation_does_not_match(wanting, publish, matched, occupation):
    wanting(occupations=[occupation])
    assert matched(publish()) == []


def test_j6_one_of_several_occupations_is_enough(wanting, publish, matched):
    seeker_id, _ = wanting(occupations=["133-01", "361"])
    assert matched(publish()) == [seeker_id]


def test_j6_employment_type_one_of_theirs_matches_another_does_not(wanting, publish, matched):
    fits, _ = wanting(employment_types=["パート労働者", "正社員"])
    wanting(employment_types=["パート労働者"])
    assert matched(publish()) == [fits]


def test_j6_the_postings_municipality_among_theirs_matches(wanting, publish, matched):
    koshigaya, _ = wanting(prefectures=["埼玉県"], municipalities=["越谷市"])
    wanting(prefectures=["埼玉県"], municipalities=["川口市"])  # 埼玉県 is not taken whole: 川口市 was chosen
    assert matched(publish()) == [koshigaya]  # the posting is in 越谷市


def test_j6_a_prefecture_without_chosen_municipalities_counts_whole(wanting, publish, matched):
    saitama, _ = wanting(prefectures=["埼玉県"])
    # 埼玉県 whole, of 東京都 only 千代田区
    both, _ = wanting(prefectures=["埼玉県", "東京都"], municipalities=["千代田区"])
    tokyo, _ = wanting(prefectures=["東京都"])
    assert sorted(matched(publish(location=_place("埼玉県", "さいたま市浦和区")))) == sorted([saitama, both])
    assert matched(publish(location=_place("東京都", "港区"))) == [tokyo]  # `both` wanted 千代田区, not all 東京都
    assert sorted(matched(publish(location=_place("東京都", "千代田区")))) == sorted([both, tokyo])


def test_j6_wage_the_lower_bound_equal_to_wage_min_matches_one_yen_less_does_not(wanting, publish, matched):
    seeker_id, _ = wanting(wage_min=200000)
    assert matched(publish(wage=_wage(200000))) == [seeker_id]
    assert matched(publish(wage=_wage(199999))) == []


def test_j6_wage_of_another_type_does_not_match(wanting, publish, matched):
    hourly, _ = wanting(wage_min=1100, wage_type="hourly")
    wanting(wage_min=1000)  # monthly 1,000 yen: every monthly posting, but not an hourly one
    assert matched(publish(wage=_wage(1100, "hourly"), employment_type="パート労働者", full_time=False)) == [hourly]


def test_j6_every_condition_must_hold(wanting, publish, matched):
    everything = {"occupations": ["361"], "employment_types": ["正社員"], "prefectures": ["埼玉県"],
                  "municipalities": ["越谷市"], "wage_min": 200000}
    fits, _ = wanting(**everything)
    for miss in ({"occupations": ["362"]}, {"employment_types": ["パート労働者"]},
                 {"municipalities": ["川口市"]}, {"wage_min": 200001}):
        wanting(**(everything | miss))
    assert matched(publish()) == [fits]


def test_j6_a_seeker_who_named_nothing_or_only_hours_gets_nothing(wanting, publish, matched):
    wanting()
    wanting(hours="09:00-17:00", days_per_week=5)
    named, _ = wanting(employment_types=["正社員"])
    assert matched(publish()) == [named]


# -- who and what is matched ---------------------------------------------------------------------------


@pytest.mark.parametrize(("event_type", "data"), [
    ("auth.mypage.usability_changed.v1", {"usable": False}),
    ("auth.mypage.withdrawn.v1", {"withdrawn_at": "2026-11-26T10:00:00+09:00"}),
])
def test_p4_an_unusable_or_withdrawn_seeker_gets_nothing(wanting, feed, publish, matched, event_type, data):
    gated, _ = wanting(occupations=["361"])
    feed(event_type, {"seeker_id": gated} | data)
    assert matched(publish()) == []


def test_p4_an_invalid_or_unknown_registration_gets_nothing(wanting, feed, publish, matched, clock):
    invalid, _ = wanting(occupations=["361"])
    clock.advance(seconds=1)
    feed(*registration(invalid, "invalid"))
    unknown = str(uuid.uuid4())  # conditions arrived, but no registration event yet
    feed(DESIRED, {"seeker_id": unknown, "desired": NOTHING | {"occupations": ["361"]}})
    valid, _ = wanting(occupations=["361"])
    assert matched(publish()) == [valid]


def test_j6_online_registrants_get_matches_too(seeker, feed, publish, matched):
    online, _ = seeker(kind="online")  # P3b keeps recommendations from them, not matching
    feed(DESIRED, {"seeker_id": online, "desired": NOTHING | {"occupations": ["361"]}})
    assert matched(publish()) == [online]


def test_j2a_a_posting_not_shown_online_or_closed_before_matching_matches_nobody(wanting, publish, matched, client,
                                                                                 employer, deliver_published):
    wanting(occupations=["361"])
    assert matched(publish(publication_scope=4)) == []
    closed = publish(deliver=False)
    assert client.delete(f"{JOBS}/{closed}", headers=employer).status_code == 204
    deliver_published(closed)
    assert matched(closed) == []


def test_j6_the_employers_post_does_not_match_the_worker_does(wanting, publish, matched, deliver_published):
    seeker_id, _ = wanting(occupations=["361"])
    number = publish(deliver=False)
    assert matched(number) == []  # the request wrote the posting and its event only
    deliver_published(number)
    assert matched(number) == [seeker_id]


def test_j6_redelivery_changes_nothing(runtime, wanting, publish, matched, deliver_published):
    seeker_id, _ = wanting(occupations=["361"])
    number = publish()
    deliver_published(number)
    deliver_published(number)
    assert matched(number) == [seeker_id]
    with runtime.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(matches)) == 1


def test_j6_the_newest_desired_conditions_win_by_event_time(runtime, seeker, feed, publish, matched, clock):
    seeker_id, _ = seeker()
    t0 = clock.now()
    feed(DESIRED, {"seeker_id": seeker_id, "desired": NOTHING | {"occupations": ["361"]}}, at=t0 + timedelta(minutes=2))
    feed(DESIRED, {"seeker_id": seeker_id, "desired": NOTHING | {"occupations": ["133"]}}, at=t0 + timedelta(minutes=1))
    assert matched(publish()) == [seeker_id]  # the later event (361) was kept, the late older one ignored
    feed(DESIRED, {"seeker_id": seeker_id, "desired": NOTHING | {"occupations": ["133"]}}, at=t0 + timedelta(minutes=3))
    assert matched(publish()) == []
    with runtime.engine.connect() as connection:
        terms = connection.execute(select(desired_condition_terms.c.kind, desired_condition_terms.c.value)
                                   .where(desired_condition_terms.c.seeker_id == seeker_id)).all()
        assert sorted(terms) == [("e", "*"), ("o", "133"), ("p", "*")]
        assert connection.scalar(select(desired_conditions.c.desired)
                                 .where(desired_conditions.c.seeker_id == seeker_id))["occupations"] == ["133"]


def test_j6_conditions_normalised_to_codes(runtime, wanting):
    seeker_id, _ = wanting(occupations=["介護職員", "C"], employment_types=["正社員"],
                           prefectures=["埼玉県", "東京都"], municipalities=["越谷市"], wage_min=180000)
    with runtime.engine.connect() as connection:
        terms = set(connection.execute(select(desired_condition_terms.c.kind, desired_condition_terms.c.value)
                                       .where(desired_condition_terms.c.seeker_id == seeker_id)).all())
    assert ("o", "361-01") in terms and ("o", "25") in terms  # a name via its 職業名; 大分類 C → its 中分類 25…29
    assert ("e", "正社員") in terms
    assert {value for kind, value in terms if kind == "p"} == {"11222", "13"}  # 埼玉県 is not taken whole


# -- the seeker's list (GET /api/v1/me/matching-jobs) and the events --------------------------------------


def test_j6_the_list_is_own_newest_first_paged_and_drops_closed_postings(client, wanting, publish, clock, employer):
    mine, headers = wanting(occupations=["361"])
    _, theirs = wanting(occupations=["362"])
    numbers = []
    for _ in range(3):
        numbers.append(publish())
        clock.advance(minutes=1)
    listed = client.get(MATCHING, headers=headers)
    assert listed.status_code == 200
    assert [i["job_number"] for i in listed.json["items"]] == numbers[::-1]
    assert (listed.json["total"], listed.json["page"], listed.json["per_page"]) == (3, 1, 30)
    item = listed.json["items"][0]
    assert item["title"] == "介護職員" and item["establishment"]["name"] == "株式会社越谷ケア"
    assert item["matched_at"] == "2026-11-26T01:02:00+00:00" and item["status"] == "open"
    assert client.get(MATCHING, headers=theirs).json["total"] == 0  # another seeker's matches are not theirs

    page = client.get(MATCHING, query_string={"per_page": 10, "page": 2}, headers=headers).json
    assert page["items"] == [] and page["total"] == 3 and page["per_page"] == 10
    assert client.get(MATCHING, query_string={"per_page": 7}, headers=headers).status_code == 422

    assert client.delete(f"{JOBS}/{numbers[1]}", headers=employer).status_code == 204  # 募集終了
    clock.set("2027-02-01T00:00:00+09:00")  # and every posting expired
    assert client.get(MATCHING, headers=headers).json["total"] == 0
    clock.set("2026-11-27T00:00:00+09:00")
    assert [i["job_number"] for i in client.get(MATCHING, headers=headers).json["items"]] == [numbers[2], numbers[0]]


def test_p4_the_list_is_refused_while_the_registration_is_invalid(client, wanting, feed, clock):
    seeker_id, headers = wanting(occupations=["361"])
    clock.advance(seconds=1)
    feed(*registration(seeker_id, "invalid"))
    refused = client.get(MATCHING, headers=headers)
    assert refused.status_code == 403 and refused.json["reason"] == "registration_invalid"
    assert client.get(MATCHING).status_code == 401


def test_e3_the_matched_events_carry_ids_only_and_validate(wanting, publish, outbox):
    first, _ = wanting(occupations=["361"])
    second, _ = wanting(prefectures=["埼玉県"])
    number = publish()
    events = outbox(MATCHED)
    assert sorted(e["data"]["seeker_id"] for e in events) == sorted([first, second])
    for envelope in events:
        validate_event(envelope)
        assert envelope["data"] == {"seeker_id": envelope["subject"], "job_number": number}


# -- matched again: a changed posting, changed desired conditions (commands/rematching.py) ----------------

CHANGED = "jobs.posting.changed.v1"


@pytest.fixture
def change(client, employer, runtime, outbox):
    """change(job_number, **changes): the employer's PATCH, then jobs' worker handling the changed event."""

    def make(number: str, **changes) -> None:
        response = client.patch(f"{JOBS}/{number}", json=changes, headers=employer)
        assert response.status_code == 200, response.json
        envelope = [e for e in outbox(CHANGED) if e["data"]["job_number"] == number][-1]
        with runtime.uow() as uow:
            SUBSCRIPTIONS[CHANGED](Event.from_dict(envelope), uow)
            uow.commit()

    return make


def _listed(client, headers) -> list[str]:
    listed = client.get(MATCHING, headers=headers)
    assert listed.status_code == 200, listed.json
    return [item["job_number"] for item in listed.json["items"]]


def test_j6_a_changed_posting_meets_the_seekers_it_fits_now_once(wanting, publish, change, matched):
    hourly, _ = wanting(wage_min=1100, wage_type="hourly")
    monthly, _ = wanting(occupations=["361"])
    number = publish()
    assert matched(number) == [monthly]
    change(number, wage=_wage(1100, "hourly"))
    assert sorted(matched(number)) == sorted([monthly, hourly])  # hourly met it now; monthly not a second time
    change(number, title="介護職員（夜勤なし）")
    assert sorted(matched(number)) == sorted([monthly, hourly])  # a change that fits nobody new adds nothing


def test_j6_a_changed_posting_that_no_longer_fits_leaves_the_list_and_comes_back_once(wanting, publish, change,
                                                                                      matched, client):
    seeker_id, headers = wanting(wage_min=200000)
    number = publish()
    assert _listed(client, headers) == [number]
    change(number, wage=_wage(199999))  # one yen under wage_min
    assert _listed(client, headers) == []
    change(number, wage=_wage(200000))
    assert _listed(client, headers) == [number]
    assert matched(number) == [seeker_id]  # listed again, never delivered twice


def test_j6_the_changed_event_delivered_twice_changes_nothing(runtime, wanting, publish, change, matched, outbox):
    seeker_id, _ = wanting(employment_types=["パート労働者"])
    number = publish()
    change(number, employment_type="パート労働者", full_time=False)
    [envelope] = outbox(CHANGED)
    with runtime.uow() as uow:
        SUBSCRIPTIONS[CHANGED](Event.from_dict(envelope), uow)
        uow.commit()
    assert matched(number) == [seeker_id]
    with runtime.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(matches)) == 1


def test_j6_changed_conditions_meet_the_new_postings_of_the_week_once(wanting, feed, publish, matched, client,
                                                                        employer, clock):
    seeker_id, headers = wanting(occupations=["133"])  # nothing in care
    today = "2026-11-26"  # the clock's day in Japan; J2's 新着 week is 2026-11-19 and later
    week_old = publish(received_on="2026-11-19")
    older = publish(received_on="2026-11-18")
    not_online = publish(received_on=today, publication_scope=4)
    closed = publish(received_on=today)
    assert client.delete(f"{JOBS}/{closed}", headers=employer).status_code == 204
    other = publish(received_on=today, occupation_code="362-01")
    assert [matched(n) for n in (week_old, older, not_online, closed, other)] == [[]] * 5
    clock.advance(minutes=1)
    feed(DESIRED, {"seeker_id": seeker_id, "desired": NOTHING | {"occupations": ["361"]}})
    assert matched(week_old) == [seeker_id]
    assert [matched(n) for n in (older, not_online, closed, other)] == [[]] * 4
    assert _listed(client, headers) == [week_old]
    clock.advance(minutes=1)  # the same conditions again (a redelivery, another change that keeps them)
    feed(DESIRED, {"seeker_id": seeker_id, "desired": NOTHING | {"occupations": ["361"]}})
    assert matched(week_old) == [seeker_id]


def test_j6_changed_conditions_meet_at_most_30_postings_newest_received_first(wanting, feed, publish, matched, clock):
    from services.jobs.desired import REMATCH_LIMIT

    assert REMATCH_LIMIT == 30
    seeker_id, _ = wanting(occupations=["133"])
    oldest = publish(received_on="2026-11-19")
    numbers = [publish(received_on="2026-11-26") for _ in range(REMATCH_LIMIT)]
    clock.advance(minutes=1)
    feed(DESIRED, {"seeker_id": seeker_id, "desired": NOTHING | {"occupations": ["361"]}})
    assert all(matched(n) == [seeker_id] for n in numbers)  # the 30 newest
    assert matched(oldest) == []  # the 31st is left out


def test_j6_the_first_conditions_meet_only_postings_published_from_then_on(seeker, feed, publish, matched):
    number = publish(received_on="2026-11-26")
    seeker_id, _ = seeker()
    feed(DESIRED, {"seeker_id": seeker_id, "desired": NOTHING | {"occupations": ["361"]}})
    assert matched(number) == []
    assert matched(publish()) == [seeker_id]


def test_j6_matches_the_changed_conditions_no_longer_fit_leave_the_list_and_come_back(wanting, feed, publish,
                                                                                       matched, client, clock):
    seeker_id, headers = wanting(prefectures=["埼玉県"])
    number = publish()  # received 2026-11-02: not of the 新着 week, matched when it was published
    assert _listed(client, headers) == [number]
    clock.advance(minutes=1)
    feed(DESIRED, {"seeker_id": seeker_id, "desired": NOTHING | {"prefectures": ["東京都"]}})
    assert _listed(client, headers) == []
    clock.advance(minutes=1)
    feed(DESIRED, {"seeker_id": seeker_id, "desired": NOTHING | {"prefectures": ["埼玉県"]}})
    assert _listed(client, headers) == [number]
    assert matched(number) == [seeker_id]  # once


def test_p4_changed_conditions_of_a_gated_seeker_match_nothing_new(wanting, feed, publish, matched, clock):
    seeker_id, _ = wanting(occupations=["133"])
    number = publish(received_on="2026-11-26")
    feed("auth.mypage.usability_changed.v1", {"seeker_id": seeker_id, "usable": False})
    clock.advance(minutes=1)
    feed(DESIRED, {"seeker_id": seeker_id, "desired": NOTHING | {"occupations": ["361"]}})
    assert matched(number) == []
