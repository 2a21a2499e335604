"""J6 on PostgreSQL (production's database): 2,000 seekers' desired conditions, fed through the real
handlers with every P4 state, and one posting — the handler of `jobs.posting.published.v1` matches
exactly the seekers a plain Python reading of the rule (services/jobs/README.md "J6") picks, in one
statement, and a redelivery adds nothing."""

from __future__ import annotations

import copy
import random
import uuid

import pytest
from sqlalchemy import func, select

from kit import codes
from kit.clock import FrozenClock
from kit.events import Event
from kit.testing.services import migrated_runtime, outbox_envelopes
from services.jobs import search
from services.jobs.app import build_runtime
from services.jobs.commands import matching
from services.jobs.commands.postings import change_posting, publish_posting
from services.jobs.handlers import SUBSCRIPTIONS
from services.jobs.models import matches
from tests.component.jobs.conftest import POSTING

SEEKERS = 2000
# what the desired conditions are drawn from: near the posting, so that about a tenth match
OCCUPATIONS = ["361-01", "361", "36", "362", "362-01", "133-01", "E", "C", "施設介護員", "介護職員", "宇宙飛行士"]
EMPLOYMENT_TYPES = ["正社員", "パート労働者", "正社員以外"]
MUNICIPALITIES = {"越谷市": "埼玉県", "川口市": "埼玉県", "千代田区": "東京都", "港区": "東京都"}
PREFECTURES = ["埼玉県", "東京都", "千葉県"]
WAGES = [None, None, 150000, 199999, 200000, 200001, 1000]
STATES = ["valid"] * 7 + ["invalid", "unusable", "withdrawn", "unknown"]

# The reference's own reading of the occupation names and 大分類 used above (not desired.py's).
NAMED = {"施設介護員": {"361", "361-01"}, "介護職員": {"361-01"}, "宇宙飛行士": set()}


def _occupation_covers(wanted: str, posting_code: str) -> bool:
    if wanted in NAMED:
        return any(_occupation_covers(code, posting_code) for code in NAMED[wanted])
    if wanted.isalpha():  # 大分類: any 中分類 under it
        return any(o.parent == wanted and posting_code.startswith(o.code) for o in codes.occupations().values())
    return posting_code == wanted or (len(wanted) < 6 and posting_code.startswith(wanted))


def reference(desired: dict, state: str, posting: dict) -> bool:
    """J6 as the README states it, read literally."""
    if state != "valid":
        return False
    if not (desired["occupations"] or desired["employment_types"] or desired["prefectures"]
            or desired["municipalities"] or desired["wage_min"] is not None):
        return False
    if desired["occupations"] and not any(_occupation_covers(o, posting["occupation_code"])
                                          for o in desired["occupations"]):
        return False
    if desired["employment_types"] and posting["employment_type"] not in desired["employment_types"]:
        return False
    if desired["prefectures"] or desired["municipalities"]:
        place = posting["location"]
        chosen_prefectures = {MUNICIPALITIES[m] for m in desired["municipalities"]}
        whole = [p for p in desired["prefectures"] if p not in chosen_prefectures]
        if place["municipality"] not in desired["municipalities"] and place["prefecture"] not in whole:
            return False
    return desired["wage_min"] is None or (desired["wage_type"] == posting["wage"]["type"]
                                           and posting["wage"]["min"] >= desired["wage_min"])


def _desired(draw: random.Random) -> dict:
    municipalities = draw.sample(sorted(MUNICIPALITIES), draw.choice([0, 0, 1, 2]))
    prefectures = sorted({MUNICIPALITIES[m] for m in municipalities}
                         | set(draw.sample(PREFECTURES, draw.choice([0, 0, 1, 2]))))
    wage = draw.choice(WAGES)
    return {"occupations": draw.sample(OCCUPATIONS, draw.choice([0, 1, 1, 2, 3])),
            "employment_types": draw.sample(EMPLOYMENT_TYPES, draw.choice([0, 0, 1, 2])),
            "prefectures": prefectures, "municipalities": municipalities,
            "wage_min": wage, "wage_type": "hourly" if wage == 1000 else "monthly",
            "hours": None, "days_per_week": None}


def _events(seeker_id: str, state: str, desired: dict, at) -> list[Event]:
    def event(event_type: str, data: dict) -> Event:
        return Event(type=event_type, source="/mypage/test", subject=seeker_id, data={"seeker_id": seeker_id} | data,
                     time=at)

    identity = {"seeker_number": "11040-12345678", "kind": "registered"}
    events = [event("profile.desired_conditions.changed.v1", {"desired": desired})]
    if state != "unknown":
        events.append(event("profile.registration.validated.v1", identity | {
            "applied_on": "2026-11-02", "valid_until": "2027-01-31", "reason": "registered"}))
    if state == "invalid":
        events.append(event("profile.registration.invalidated.v1", identity | {
            "invalidated_on": "2026-11-26", "reason": "staff"}))
    elif state == "unusable":
        events.append(event("auth.mypage.usability_changed.v1", {"usable": False}))
    elif state == "withdrawn":
        events.append(event("auth.mypage.withdrawn.v1", {"withdrawn_at": "2026-11-26T10:00:00+09:00"}))
    return events


@pytest.fixture
def runtime(database_url):
    with migrated_runtime(build_runtime, "jobs", FrozenClock("2026-11-26T01:00:00+00:00"), database_url) as runtime:
        yield runtime


def test_j6_two_thousand_seekers_one_posting_exactly_the_reference_set(runtime):
    draw = random.Random(6)
    expected, population = set(), []
    with runtime.uow() as uow:
        for _ in range(SEEKERS):
            seeker_id, state, desired = str(uuid.uuid4()), draw.choice(STATES), _desired(draw)
            population.append((seeker_id, state, desired))
            for event in _events(seeker_id, state, desired, runtime.clock.now()):
                SUBSCRIPTIONS[event.type](event, uow)
            if reference(desired, state, POSTING):
                expected.add(seeker_id)
        uow.commit()
    assert 100 < len(expected) < SEEKERS / 2  # the draw covers both sides of the rule

    with runtime.uow() as uow:
        publish_posting(uow, None, copy.deepcopy(POSTING))
        uow.commit()
    [published] = outbox_envelopes(runtime, "jobs.posting.published.v1")
    for _ in range(2):  # the second delivery (a redelivery) adds nothing
        with runtime.uow() as uow:
            SUBSCRIPTIONS[published["type"]](Event.from_dict(published), uow)
            uow.commit()

    events = outbox_envelopes(runtime, "jobs.posting.matched.v1")
    assert {e["data"]["seeker_id"] for e in events} == expected
    assert len(events) == len(expected)
    with runtime.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(matches)) == len(expected)


def test_j6_the_match_is_one_statement_served_by_the_terms_index(runtime):
    """The plan of the matching query looks the terms up in ix_desired_condition_terms_lookup."""
    with runtime.uow() as uow:
        publish_posting(uow, None, copy.deepcopy(POSTING))
        uow.commit()
    with runtime.uow() as uow:
        posting = search.find(uow.session, POSTING["job_number"])
        statement = matching.matching_seekers_query(posting, job_number=POSTING["job_number"])
        compiled = statement.compile(dialect=uow.session.get_bind().dialect, compile_kwargs={"literal_binds": True})
        uow.session.execute(select(func.set_config("enable_seqscan", "off", True)))
        plan = "\n".join(row[0] for row in uow.session.connection().exec_driver_sql(f"EXPLAIN {compiled}"))
    assert "ix_desired_condition_terms_lookup" in plan


def _deliver_all(runtime, event_type: str) -> None:
    for envelope in outbox_envelopes(runtime, event_type):
        with runtime.uow() as uow:
            SUBSCRIPTIONS[event_type](Event.from_dict(envelope), uow)
            uow.commit()


def _listed(runtime) -> dict[str, set[str]]:
    with runtime.engine.connect() as connection:
        rows = connection.execute(select(matches.c.job_number, matches.c.seeker_id)
                                  .where(matches.c.unmatched_at.is_(None))).all()
    listed: dict[str, set[str]] = {}
    for number, seeker_id in rows:
        listed.setdefault(number, set()).add(seeker_id)
    return listed


def test_j6_matched_again_on_postgres_a_changed_posting_and_changed_conditions(runtime):
    """J6 again (commands/rematching.py) on PostgreSQL: a changed posting is listed for exactly the seekers the
    reference picks for its new content and delivered once to each; changed desired conditions take the
    postings they no longer fit off the list and meet a posting of the 新着 week."""
    draw = random.Random(13)
    population = [(str(uuid.uuid4()), draw.choice(STATES), _desired(draw)) for _ in range(SEEKERS)]
    with runtime.uow() as uow:
        for seeker_id, state, desired in population:
            for event in _events(seeker_id, state, desired, runtime.clock.now()):
                SUBSCRIPTIONS[event.type](event, uow)
        uow.commit()
    tokyo = copy.deepcopy(POSTING) | {"job_number": "11040-00054321", "received_on": "2026-11-26",
                                      "location": {"prefecture": "東京都", "municipality": "港区", "station": None}}
    with runtime.uow() as uow:
        publish_posting(uow, None, copy.deepcopy(POSTING))
        uow.commit()
    _deliver_all(runtime, "jobs.posting.published.v1")
    changed = copy.deepcopy(POSTING) | {"wage": {"type": "monthly", "min": 199999, "max": 260000},
                                        "employment_type": "パート労働者"}
    with runtime.uow() as uow:
        change_posting(uow, None, POSTING["job_number"], {"wage": changed["wage"], "employment_type": "パート労働者"})
        uow.commit()
    _deliver_all(runtime, "jobs.posting.changed.v1")

    before = {s for s, state, desired in population if reference(desired, state, POSTING)}
    after = {s for s, state, desired in population if reference(desired, state, changed)}
    assert before - after and after - before  # the change takes some off and brings others in
    assert _listed(runtime).get(POSTING["job_number"], set()) == after
    delivered = [e["data"]["seeker_id"] for e in outbox_envelopes(runtime, "jobs.posting.matched.v1")]
    assert sorted(delivered) == sorted(before | after)  # each once

    with runtime.uow() as uow:
        publish_posting(uow, None, copy.deepcopy(tokyo))
        uow.commit()  # not delivered: only changed conditions meet it
    moving = sorted(after)[:40]
    later = runtime.clock.now().replace(minute=5)
    with runtime.uow() as uow:
        for seeker_id in moving:
            desired = {"occupations": [], "employment_types": [], "prefectures": ["東京都"], "municipalities": [],
                       "wage_min": None, "wage_type": "monthly", "hours": None, "days_per_week": None}
            SUBSCRIPTIONS["profile.desired_conditions.changed.v1"](Event(
                type="profile.desired_conditions.changed.v1", source="/mypage/test", subject=seeker_id,
                data={"seeker_id": seeker_id, "desired": desired}, time=later), uow)
        uow.commit()
    listed = _listed(runtime)
    assert listed[POSTING["job_number"]] == after - set(moving)
    assert listed[tokyo["job_number"]] == set(moving)
