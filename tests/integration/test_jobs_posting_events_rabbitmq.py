"""J1 by events on the real RabbitMQ and PostgreSQL: the employer-side system publishes
employer.posting.*.v1 CloudEvents with plain pika (as an outside system would); jobs' worker (the kit's
consumer, inbox dedupe) applies them and its relay publishes the answers, read back from a queue of the
test's own bound to jobs.posting.accepted.v1 / rejected.v1. Auth's relay announces the employer client's
establishments (C2). Covered: a duplicate delivery, events of one posting out of order, a refused payload
with the API's field-level errors, another establishment's posting, and a body that is not JSON (parked,
unanswered, the events behind it still applied)."""

from __future__ import annotations

import json
import threading
import uuid
from datetime import UTC, datetime, timedelta

import pika
import pytest
from sqlalchemy import select

from contracts import validate_event
from kit import topology
from kit.background import start_background
from kit.clock import FrozenClock
from kit.consumer import ERROR_HEADER
from kit.events import Event
from kit.settings import Settings
from kit.testing.plugin import eventually
from services.auth.app import build_runtime as build_auth
from services.auth.events import EMPLOYER_CLIENT_CHANGED
from services.jobs.app import build_runtime as build_jobs
from services.jobs.models import postings

DELIVERY = 60.0  # seconds: two relays and a consumer on two shared cores
CLIENT, OURS, OTHER = "ec-4c1e8a6b5d4c0f3c2a9e4b7d", "1104-123456-7", "1104-000001-1"
POSTING = {
    "job_number": "11040-00012345", "establishment": {"number": OURS, "name": "株式会社越谷ケア"},
    "title": "介護職員", "occupation_code": "361-01", "description": "特別養護老人ホームでの介護業務です。",
    "category": "一般", "full_time": True, "employment_type": "正社員",
    "location": {"prefecture": "埼玉県", "municipality": "越谷市", "station": "越谷駅"},
    "wage": {"type": "monthly", "min": 200000, "max": 260000}, "hours": "08:30-17:30",
    "holidays": {"two_days_weekly": "毎週", "annual_days": 120},
    "publication_scope": 1, "online_application": True, "received_on": "2026-11-02", "deadline": "2027-01-31",
}
ANSWERS = ("jobs.posting.accepted.v1", "jobs.posting.rejected.v1")


@pytest.fixture
def system(new_database_url, amqp_url, exchange_name):
    """(jobs runtime, answers) — jobs and auth migrated on PostgreSQL with relay and worker on RabbitMQ;
    `answers()` drains the answers jobs published so far (a queue of the test's own)."""
    clock = FrozenClock("2026-11-26T01:00:00+00:00")
    stop = threading.Event()
    runtimes, threads = [], []
    connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
    channel = connection.channel()
    try:
        for build, name in ((build_jobs, "jobs"), (build_auth, "auth")):
            settings = Settings.from_env(name, {}, database_url=new_database_url(), amqp_url=amqp_url,
                                         exchange=exchange_name)
            runtime = build(settings, clock=clock)
            runtime.tasks.clear()  # auth's mail and the housekeeping loops are not what this is about
            runtime.migrate()
            runtimes.append(runtime)
        with topology.connection(amqp_url) as conn:
            topology.declare_exchange(conn, exchange_name)
        answers_queue = channel.queue_declare("", exclusive=True).method.queue
        for key in ANSWERS:
            channel.queue_bind(answers_queue, exchange_name, key)
        for runtime in runtimes:
            threads.extend(start_background(runtime, stop))
        received: list[dict] = []

        def answers() -> list[dict]:
            while (message := channel.basic_get(answers_queue, auto_ack=True))[0] is not None:
                received.append(json.loads(message[2]))
            return received

        yield runtimes[0], runtimes[1], answers
    finally:
        stop.set()
        for thread in threads:
            thread.join(10)
        connection.close()
        for runtime in runtimes:
            runtime.dispose()


class Employer:
    """The employer-side system: publishes CloudEvents on the exchange with pika, persistent, as
    the catalogue says (contracts/asyncapi.yaml), on behalf of the client CLIENT."""

    def __init__(self, url: str, exchange: str) -> None:
        self.connection = pika.BlockingConnection(pika.URLParameters(url))
        self.channel = self.connection.channel()
        self.channel.confirm_delivery()
        self.exchange = exchange
        self.base = datetime(2026, 11, 26, 0, 0, tzinfo=UTC)  # an hour before jobs' clock: never ahead of it

    def send(self, event_type: str, data, *, minute: int, event_id: str | None = None,
             source: str = f"/employer-clients/{CLIENT}") -> str:
        event = Event(type=event_type, data=data, source=source, id=event_id or str(uuid.uuid4()),
                      time=self.base + timedelta(minutes=minute), subject=data.get("job_number"))
        validate_event(event)
        self.raw(event.to_json(), event_type, event.id)
        return event.id

    def raw(self, body: bytes, routing_key: str, message_id: str) -> None:
        self.channel.basic_publish(self.exchange, routing_key, body, pika.BasicProperties(
            content_type="application/cloudevents+json", delivery_mode=2, message_id=message_id, type=routing_key),
            mandatory=True)

    def close(self) -> None:
        self.connection.close()


@pytest.fixture
def employer(amqp_url, exchange_name, system):
    publisher = Employer(amqp_url, exchange_name)
    yield publisher
    publisher.close()


def _announce(auth_runtime, establishments) -> None:
    """C1: what auth publishes when staff register (or change) the employer client."""
    with auth_runtime.uow() as uow:
        uow.publish(EMPLOYER_CLIENT_CHANGED, {"client_id": CLIENT, "establishments": list(establishments),
                                              "revoked": False}, subject=CLIENT)
        uow.commit()


def _posting(jobs_runtime, job_number: str):
    with jobs_runtime.engine.connect() as connection:
        return connection.execute(select(postings).where(postings.c.job_number == job_number)).first()


def _answer_to(answers, event_id: str) -> dict:
    found = eventually(lambda: [a for a in answers() if a["data"]["in_reply_to"] == event_id], DELIVERY,
                       message=f"the answer to {event_id}")
    assert len(found) == 1, found  # one answer, however often the event was delivered
    validate_event(found[0])
    return found[0]


def _known_client(jobs_runtime) -> bool:
    from services.jobs.models import employer_clients

    with jobs_runtime.engine.connect() as connection:
        return connection.execute(select(employer_clients)).first() is not None


def test_j1_postings_by_events_duplicates_order_refusals_and_poison(system, employer, amqp_url, exchange_name):
    jobs, auth, answers = system
    _announce(auth, [OURS])
    eventually(lambda: _known_client(jobs), DELIVERY, message="auth's announcement reaching jobs")

    # a publication delivered twice (the same event id): applied and answered once
    first = POSTING | {"job_number": "11040-00000001"}
    published = employer.send("employer.posting.published.v1", first, minute=1)
    employer.send("employer.posting.published.v1", first, minute=1, event_id=published)
    accepted = _answer_to(answers, published)
    assert accepted["type"] == "jobs.posting.accepted.v1" and accepted["data"]["outcome"] == "published"
    assert accepted["subject"] == first["job_number"] and accepted["correlationid"] == published

    # one posting's events out of order: the change (minute 3) first, then the publication (minute 2)
    second = POSTING | {"job_number": "11040-00000002"}
    changed = employer.send("employer.posting.changed.v1", second | {"wage": {"type": "monthly", "min": 240000}},
                            minute=3)
    late = employer.send("employer.posting.published.v1", second, minute=2)
    assert _answer_to(answers, changed)["data"]["outcome"] == "published"
    assert _answer_to(answers, late)["data"]["outcome"] == "stale"
    assert _posting(jobs, second["job_number"]).wage_min == 240000
    closed = employer.send("employer.posting.closed.v1", {"job_number": second["job_number"],
                                                          "establishment": {"number": OURS}}, minute=4)
    stale_change = employer.send("employer.posting.changed.v1", second, minute=3)  # older than the close
    assert _answer_to(answers, closed)["data"]["outcome"] == "closed"
    assert _answer_to(answers, stale_change)["data"]["outcome"] == "stale"
    assert _posting(jobs, second["job_number"]).closed is True

    # a body that is not JSON is parked at once, unanswered; what comes after it is applied
    employer.raw(b"{not json", "employer.posting.published.v1", "poison-1")
    # a refused payload: the API's field-level errors; another establishment's posting: 403
    broken = POSTING | {"job_number": "11040-00000003", "title": "", "wage": {"type": "weekly", "min": 1}}
    body = Event(type="employer.posting.published.v1", data=broken, source=f"/employer-clients/{CLIENT}",
                 time=employer.base + timedelta(minutes=5))  # not what the catalogue allows: sent as it is
    employer.raw(body.to_json(), body.type, body.id)
    refused = body.id
    theirs = employer.send("employer.posting.published.v1", POSTING | {
        "job_number": "11040-00000004", "establishment": {"number": OTHER, "name": "株式会社ほか"}}, minute=6)
    rejection = _answer_to(answers, refused)
    assert rejection["type"] == "jobs.posting.rejected.v1" and rejection["data"]["status"] == 422
    assert {e["field"] for e in rejection["data"]["errors"]} == {"title", "wage.type"}
    assert rejection["data"]["errors"][0]["messages"][0].startswith("職種")
    forbidden = _answer_to(answers, theirs)["data"]
    assert forbidden["status"] == 403 and forbidden["reason"] == "other_establishment"
    assert _posting(jobs, "11040-00000003") is None and _posting(jobs, "11040-00000004") is None

    with topology.connection(amqp_url) as conn:
        parked_queue = conn.default_channel.queue_declare(topology.parking_queue_name("jobs", exchange_name),
                                                          passive=True)
        assert parked_queue.message_count == 1
    channel = employer.channel
    method, properties, parked_body = channel.basic_get(topology.parking_queue_name("jobs", exchange_name),
                                                        auto_ack=True)
    assert parked_body == b"{not json" and properties.headers[ERROR_HEADER].startswith("InvalidEvent: not JSON")
    # every answer is one of ours: 2 published/stale pairs, a close, 2 refusals, the first publication
    assert sorted(a["type"] for a in answers()) == sorted(["jobs.posting.accepted.v1"] * 5
                                                          + ["jobs.posting.rejected.v1"] * 2)
