"""S6 in the embedded mode (a SQLite file, threads of one process): the seeker's write lock is taken
first, so parallel adds at the limit are refused cleanly — never a 301st row, never a 5xx."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, insert, select

from kit.testing.services import in_parallel, migrated_runtime
from services.jobs.app import build_runtime, create_app
from services.jobs.models import favourites, saved_searches

from .conftest import registration


@pytest.fixture
def runtime(clock, tmp_path):
    with migrated_runtime(build_runtime, "jobs", clock, f"sqlite:///{tmp_path / 'jobs.db'}") as runtime:
        yield runtime


def _count(runtime, table, seeker_id) -> int:
    with runtime.engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(table).where(table.c.seeker_id == seeker_id))


def test_s6_parallel_favourite_adds_at_299_leave_exactly_300_on_sqlite(runtime, signer, feed, post_many):
    app = create_app(runtime=runtime, token_verifier=signer.verifier())
    seeker_id = str(uuid.uuid4())
    feed(*registration(seeker_id, "valid"))
    headers = signer.headers(seeker_id, ttl=timedelta(days=1))
    numbers = post_many(319)
    with runtime.engine.begin() as connection:
        connection.execute(insert(favourites), [{"seeker_id": seeker_id, "job_number": n,
                                                 "added_at": runtime.clock.now()} for n in numbers[:299]])
    statuses = in_parallel([lambda n=n: app.test_client().put(f"/api/v1/me/favourites/{n}",
                                                               headers=headers).status_code for n in numbers[299:]])
    assert sorted(statuses) == [204] + [409] * 19
    assert _count(runtime, favourites, seeker_id) == 300


def test_j3_parallel_saved_searches_at_two_leave_exactly_three_on_sqlite(runtime, signer, feed):
    app = create_app(runtime=runtime, token_verifier=signer.verifier())
    seeker_id = str(uuid.uuid4())
    feed(*registration(seeker_id, "valid"))
    headers = signer.headers(seeker_id, ttl=timedelta(days=1))
    for name in ("一", "二"):
        app.test_client().post("/api/v1/me/saved-searches", json={"name": name, "criteria": {}}, headers=headers)
    statuses = in_parallel([lambda: app.test_client().post("/api/v1/me/saved-searches", headers=headers,
                                                           json={"name": "並行", "criteria": {}}).status_code] * 4)
    assert sorted(statuses) == [201, 409, 409, 409]
    assert _count(runtime, saved_searches, seeker_id) == 3
