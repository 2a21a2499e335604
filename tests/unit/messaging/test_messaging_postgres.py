"""The same rules on PostgreSQL (production's database): projection, notices, M3's edge, two sweeps at once."""

from __future__ import annotations

import threading
import uuid

import pytest

from kit.events import Event
from kit.testing.services import migrated_runtime
from services.messaging import commands
from services.messaging.app import build_runtime
from services.messaging.handlers import SUBSCRIPTIONS


@pytest.fixture
def pg_runtime(database_url, clock):
    with migrated_runtime(build_runtime, "messaging", clock, database_url) as runtime:
        yield runtime


def _deliver(runtime, event_type: str, data: dict) -> None:
    with runtime.uow() as uow:
        SUBSCRIPTIONS[event_type](Event(type=event_type, data=data, source="/t", time=runtime.clock.now()), uow)
        uow.commit()


def test_projection_notices_and_m3_on_postgres(pg_runtime, clock, validated, invalidated):
    seeker_id, number = str(uuid.uuid4()), "11040-00000009"
    _deliver(pg_runtime, "profile.registration.validated.v1", validated(seeker_id, number))
    clock.advance(seconds=1)
    _deliver(pg_runtime, "profile.registration.invalidated.v1", invalidated(seeker_id, number))
    with pg_runtime.uow() as uow:
        assert commands.status_of(uow, seeker_id).registration == "invalid"
        notice, _ = commands.post_notice(uow, {"seeker_number": number, "title": "t", "body": "b"}, "counter")
        uow.commit()
    clock.set("2027-11-26T10:00:00.999999+09:00")  # posted at 10:00:01 JST: a microsecond short of the year
    assert commands.purge_expired(pg_runtime) == 0
    clock.set("2027-11-26T10:00:01+09:00")
    results: list[int] = []
    sweeps = [threading.Thread(target=lambda: results.append(commands.purge_expired(pg_runtime))) for _ in range(2)]
    for sweep in sweeps:
        sweep.start()
    for sweep in sweeps:
        sweep.join(30)
    assert sorted(results) == [0, 1]
    with pg_runtime.uow() as uow:
        assert commands.unread_notices(uow, seeker_id) == 0
