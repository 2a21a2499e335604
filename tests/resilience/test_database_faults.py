"""S10 with a private PostgreSQL cluster that is killed and restarted: clean 503 problem+json while it
is gone, service again after it returns (pool_pre_ping), and the relay loses no outbox row."""

from __future__ import annotations

import logging
import threading
import uuid
from datetime import timedelta

import pytest

from kit.clock import FrozenClock
from kit.testing.plugin import eventually
from kit.testing.services import migrated_runtime
from kit.testing.tokens import TestSigner
from kit.tokens import STAFF
from services.profile.app import build_runtime, create_app

PROBLEM_MEMBERS = {"type", "title", "status", "detail", "instance"}


@pytest.fixture
def profile(postgres):
    """The profile service's app on a migrated database of the private cluster, and a staff login."""
    clock = FrozenClock("2026-11-26T01:00:00+00:00")
    with migrated_runtime(build_runtime, "profile", clock, postgres.create_database()) as runtime:
        signer = TestSigner(clock)
        client = create_app(runtime=runtime, token_verifier=signer.verifier()).test_client()
        yield client, signer.headers("counter", roles=(STAFF,), ttl=timedelta(days=3650))


def _registration() -> dict:
    unique = uuid.uuid4().int % 10**8
    return {"seeker_number": f"11040-{unique:08d}", "name": "求職 太郎", "name_kana": "キュウショク タロウ",
            "birth_date": "1990-04-01", "email": f"s{unique}@example.jp",
            "office": {"code": "11040", "name": "越谷公共職業安定所"},
            "address": {"postal_code": "343-0023", "prefecture": "埼玉県", "municipality": "越谷市"},
            "applied_on": "2026-11-02"}


def _assert_clean_503(response, postgres) -> None:
    assert response.status_code == 503, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == 503
    assert body["type"].endswith("/service-unavailable")
    assert set(body) <= PROBLEM_MEMBERS
    text = response.get_data(as_text=True)
    for leak in ("Traceback", "File \"", "psycopg", "sqlalchemy", "OperationalError", "Error", "127.0.0.1",
                 str(postgres.port), "postgres"):
        assert leak not in text, f"{leak!r} leaked into the 503 body: {text}"


def test_s10_postgresql_killed_gives_clean_503_problems_then_service_resumes_after_restart(
        postgres, profile, caplog):
    client, staff = profile
    registration = _registration()
    assert client.post("/api/v1/staff/seekers", json=registration, headers=staff).status_code == 201
    seeker = f"/api/v1/staff/seekers/{registration['seeker_number']}"
    assert client.get(seeker, headers=staff).status_code == 200
    assert client.get("/readyz").status_code == 200

    postgres.kill()
    try:
        with caplog.at_level(logging.ERROR, logger="mypage.web"):
            _assert_clean_503(client.get(seeker, headers=staff), postgres)  # a read
            _assert_clean_503(client.post("/api/v1/staff/seekers", json=_registration(), headers=staff),
                              postgres)  # a write
        assert not [record for record in caplog.records if record.name == "mypage.web" and record.exc_info], \
            "the database outage was logged with a stack trace"
        ready = client.get("/readyz")
        assert ready.status_code == 503
        assert ready.get_json()["checks"]["database"] != "ok"
        assert client.get("/healthz").status_code == 200  # alive, just not ready
    finally:
        postgres.restart()

    # The pool still holds connections to the killed server: pre-ping replaces them, so the very
    # first request after the restart succeeds.
    assert client.get(seeker, headers=staff).status_code == 200
    assert client.get("/readyz").status_code == 200
    assert client.post("/api/v1/staff/seekers", json=_registration(), headers=staff).status_code == 201


def test_s10_relay_and_consumer_keep_every_event_while_postgresql_is_down_and_drain_after(
        postgres, bus_world, amqp_bus):
    world = bus_world(postgres.create_database(), amqp_bus, max_backoff=1.0)
    world.declare()
    world.emit(100)
    assert world.relay.run_once() == 100  # in the queue, not yet applied
    world.emit(100, start=100)  # committed, not yet relayed
    published = world.relay.published

    postgres.kill()
    try:
        with world.consuming() as consumer, world.relaying() as relay:
            # Neither the relay nor the consumer can reach the database: nothing is marked sent,
            # nothing applied, no message burnt — they wait and retry.
            threading.Event().wait(2.0)
            assert relay.published == published
            assert consumer.handled == 0 and consumer.parked == 0 and consumer.retried == 0
            postgres.restart()
            eventually(lambda: world.unsent() == 0 and world.effects() >= 200, timeout=40, interval=0.2,
                       message="the relay and the consumer to drain after the restart")
            assert consumer.parked == 0 and consumer.retried == 0
    finally:
        if not postgres.ready():
            postgres.restart()
    assert world.effects() == world.distinct_effects() == 200
    assert world.inbox_ids() == 200
