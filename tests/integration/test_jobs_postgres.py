"""Jobs on PostgreSQL (production's database): the limits hold under concurrency (S6) — 50 parallel
favourite adds at 299 leave exactly 300; 2 parallel saved searches at 2 leave exactly 3 — and the
projection's row lock does not deadlock with the handlers."""

from __future__ import annotations

import copy
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import column, func, insert, select, table

from kit.clock import FrozenClock
from kit.events import Event
from kit.settings import Settings
from kit.testing.component import deliver_event, service_fixtures
from kit.testing.services import in_parallel
from services.jobs.app import build_runtime, create_app
from services.jobs.handlers import SUBSCRIPTIONS
from services.jobs.models import favourites, posting_row, postings, saved_searches
from tests.component.jobs.conftest import POSTING, insert_postings, job_number, registration

# clock, runtime (on a fresh PostgreSQL database), signer, app, … (kit/testing/component.py)
globals().update(service_fixtures("jobs", build_runtime, create_app, on_postgresql=True))


def _seeker(runtime, signer) -> tuple[str, dict[str, str]]:
    seeker_id = str(uuid.uuid4())
    deliver_event(runtime, SUBSCRIPTIONS, *registration(seeker_id, "valid"), source="/mypage/profile")
    return seeker_id, signer.headers(seeker_id, ttl=timedelta(days=1))


def _postings(runtime, count: int) -> list[str]:
    return insert_postings(runtime, [job_number(serial) for serial in range(1, count + 1)])


def _count(runtime, table, seeker_id) -> int:
    with runtime.engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(table).where(table.c.seeker_id == seeker_id))


def test_s6_fifty_parallel_favourite_adds_at_299_leave_exactly_300(runtime, app, signer):
    seeker_id, headers = _seeker(runtime, signer)
    numbers = _postings(runtime, 349)
    with runtime.engine.begin() as connection:
        connection.execute(insert(favourites), [{"seeker_id": seeker_id, "job_number": number,
                                                 "added_at": runtime.clock.now()} for number in numbers[:299]])

    def add(number):
        return lambda: app.test_client().put(f"/api/v1/me/favourites/{number}", headers=headers).status_code

    statuses = in_parallel([add(number) for number in numbers[299:]])
    assert sorted(statuses) == [204] + [409] * 49
    assert _count(runtime, favourites, seeker_id) == 300
    with runtime.engine.connect() as connection:
        added = connection.scalar(select(func.count()).select_from(runtime.outbox)
                                  .where(runtime.outbox.c.type == "jobs.favourite.added.v1"))
    assert added == 1  # one event for the one favourite that was kept


def test_s6_the_same_posting_added_in_parallel_is_kept_once(runtime, app, signer):
    seeker_id, headers = _seeker(runtime, signer)
    (number,) = _postings(runtime, 1)
    statuses = in_parallel([lambda: app.test_client().put(f"/api/v1/me/favourites/{number}",
                                                          headers=headers).status_code] * 10)
    assert statuses == [204] * 10 and _count(runtime, favourites, seeker_id) == 1


def test_j3_two_parallel_saved_searches_at_two_leave_exactly_three(runtime, app, signer):
    seeker_id, headers = _seeker(runtime, signer)
    client = app.test_client()
    for name in ("一", "二"):
        assert client.post("/api/v1/me/saved-searches", json={"name": name, "criteria": {}},
                           headers=headers).status_code == 201

    def create():
        return app.test_client().post("/api/v1/me/saved-searches", json={"name": "並行", "criteria": {}},
                                      headers=headers).status_code

    assert sorted(in_parallel([create, create])) == [201, 409]
    assert _count(runtime, saved_searches, seeker_id) == 3


def test_p4_gating_changes_while_favourites_are_addedin_parallel(runtime, app, signer):
    """The handler and the views take the same row lock: neither deadlocks nor fails."""
    seeker_id, headers = _seeker(runtime, signer)
    numbers = _postings(runtime, 20)

    def invalidate():
        deliver_event(runtime, SUBSCRIPTIONS, *registration(seeker_id, "invalid"),
                      at=runtime.clock.now() + timedelta(seconds=1), source="/mypage/profile")
        return "invalidated"

    def add(number):
        return lambda: app.test_client().put(f"/api/v1/me/favourites/{number}", headers=headers).status_code

    results = in_parallel([invalidate] + [add(number) for number in numbers])
    assert results[0] == "invalidated" and set(results[1:]) <= {204, 403}
    assert _count(runtime, favourites, seeker_id) == results.count(204)
    assert app.test_client().get("/api/v1/me/favourites", headers=headers).status_code == 403


def test_migrations_0003_and_0009_fill_the_free_word_text_of_postings_loaded_before_them(database_url):
    from kit.migrations import upgrade
    from services.jobs.app import MIGRATIONS

    runtime = build_runtime(Settings.from_env("jobs", {}, database_url=database_url),
                            clock=FrozenClock("2026-11-26T01:00:00+00:00"))
    try:
        upgrade(runtime.engine, MIGRATIONS, "0002")
        row = posting_row(copy.deepcopy(POSTING) | {"title": "ｶｲｺﾞ職員", "description": "ＤＸ推進"},
                          now=runtime.clock.now())
        later = {"search_text", "hours_start", "hours_end", "establishment_text", "occupation_group"}  # 0003-0009
        row = {key: value for key, value in row.items() if key not in later}
        before = table("postings", *[column(c.name, c.type) for c in postings.columns if c.name not in later])
        with runtime.engine.begin() as connection:
            connection.execute(insert(before), [row])
        runtime.migrate()
        with runtime.engine.connect() as connection:
            migrated = connection.execute(select(postings.c.search_text, postings.c.establishment_text,
                                                 postings.c.occupation_group)).one()
        # 0009: the occupation's name, the employment type and the category too; the establishment apart
        assert tuple(migrated) == ("カイゴ職員\ndx推進\n施設介護員\n正社員\n一般", "株式会社越谷ケア", "E")
    finally:
        runtime.dispose()


# -- an INSERT's rowcount is -1 on PostgreSQL (SQLAlchemy 2.1 + psycopg 3): new or not is read by RETURNING --

def test_j1_a_job_number_posted_again_is_a_retry_or_refused_on_postgresql(runtime):
    from services.jobs.commands.postings import publish_posting
    from services.jobs.domain import Refused

    def publish(payload):
        with runtime.uow() as uow:
            result = publish_posting(uow, None, copy.deepcopy(payload))
            uow.commit()
        return result

    assert publish(POSTING)[1] is True
    assert publish(POSTING)[1] is False  # the same content again: a retry, nothing new
    with pytest.raises(Refused) as refused:
        publish(POSTING | {"title": "看護職員"})  # other content under the same number: PATCH it instead
    assert refused.value.kind == "conflict"
    with runtime.engine.connect() as connection:
        published = connection.scalar(select(func.count()).select_from(runtime.outbox)
                                      .where(runtime.outbox.c.type == "jobs.posting.published.v1"))
    assert published == 1


def test_j6_newer_desired_conditions_replace_the_kept_ones_on_postgresql(runtime):
    from services.jobs.models import desired_conditions

    seeker_id = str(uuid.uuid4())
    nothing = {"occupations": [], "employment_types": [], "prefectures": [], "municipalities": [], "wage_min": None,
               "wage_type": "monthly", "hours": None, "days_per_week": None}
    for minutes, wage in ((0, 180000), (5, 220000), (1, 150000)):  # the last is older than the second: ignored
        event = Event(type="profile.desired_conditions.changed.v1", source="/mypage/profile", subject=seeker_id,
                      data={"seeker_id": seeker_id, "desired": nothing | {"wage_min": wage}},
                      time=runtime.clock.now() + timedelta(minutes=minutes))
        with runtime.uow() as uow:
            SUBSCRIPTIONS[event.type](event, uow)
            uow.commit()
    with runtime.engine.connect() as connection:
        assert connection.scalar(select(desired_conditions.c.wage_min)
                                 .where(desired_conditions.c.seeker_id == seeker_id)) == 220000
