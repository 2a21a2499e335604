"""`python -m services.<name> migrate` prepares the broker too: exchange, dlx, archive, service queue.

With the archive queue bound to each published type without personal data, an event no service
consumes is still routable and confirmed, so the relay's `mandatory` check only trips when the
topology itself is missing.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import pytest
from sqlalchemy import func, select

from kit import topology
from kit.clock import SystemClock
from kit.publisher import Outcome, OutgoingMessage, make_publisher
from kit.relay import Relay
from kit.settings import ROOT

pytestmark = pytest.mark.integration


def _migrate(service: str, database_url: str, amqp_url: str, exchange: str) -> None:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("MYPAGE_")}
    environ.update({f"MYPAGE_{service.upper()}_DATABASE_URL": database_url, "MYPAGE_AMQP_URL": amqp_url,
                    "MYPAGE_EXCHANGE": exchange})
    done = subprocess.run([sys.executable, "-m", f"services.{service}", "migrate"], cwd=ROOT, env=environ,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_migrate_declares_the_service_queue_and_the_archive(database_url, amqp_url, exchange_name):
    _migrate("jobs", database_url, amqp_url, exchange_name)
    with topology.connection(amqp_url) as conn:
        channel = conn.channel()
        for queue in (topology.queue_name("jobs", exchange_name), topology.parking_queue_name("jobs", exchange_name),
                      topology.archive_queue_name(exchange_name)):
            channel.queue_declare(queue, passive=True)  # raises if missing


def _outcome(amqp_url: str, exchange: str, event_type: str) -> Outcome:
    message = OutgoingMessage.from_outbox(str(uuid.uuid4()), event_type, b'{"specversion":"1.0"}')
    publisher = make_publisher(amqp_url, exchange)
    try:
        return publisher.publish([message], timeout=5)[0]
    finally:
        publisher.close()


def test_an_event_nobody_consumes_is_archived_once_the_topology_exists(database_url, amqp_url, exchange_name):
    with topology.connection(amqp_url) as conn:
        topology.declare_exchange(conn, exchange_name)
    assert _outcome(amqp_url, exchange_name, "jobs.favourite.added.v1") == Outcome.RETURNED
    _migrate("jobs", database_url, amqp_url, exchange_name)  # jobs publishes it; no service consumes it
    assert _outcome(amqp_url, exchange_name, "jobs.favourite.added.v1") == Outcome.CONFIRMED


def test_events_with_personal_data_are_never_archived(database_url, amqp_url, exchange_name):
    """R3/E3: a login email or birth date must have no copy in the archive for erasure to miss."""
    _migrate("profile", database_url, amqp_url, exchange_name)  # profile publishes, nobody here consumes
    assert _outcome(amqp_url, exchange_name, "profile.seeker.registered.v1") == Outcome.RETURNED
    assert _outcome(amqp_url, exchange_name, "profile.registration.validated.v1") == Outcome.CONFIRMED


def test_the_relay_drains_events_only_outside_systems_read(database_url, amqp_url, exchange_name):
    from services.jobs.app import build_runtime
    from services.jobs.config import load_settings
    from services.jobs.events import FAVOURITE_ADDED

    _migrate("jobs", database_url, amqp_url, exchange_name)
    runtime = build_runtime(load_settings({}, database_url=database_url, amqp_url=amqp_url, exchange=exchange_name))
    try:
        with runtime.uow() as uow:
            for n in range(3):
                uow.publish(FAVOURITE_ADDED, {"seeker_id": "s-1", "job_number": f"11040-0000000{n}"})
            uow.commit()
        publisher = make_publisher(amqp_url, exchange_name)
        relay = Relay(runtime.engine, runtime.outbox, publisher, clock=SystemClock())
        assert relay.run_once() == 3
        publisher.close()
        with runtime.engine.connect() as connection:
            unsent = connection.execute(select(func.count()).select_from(runtime.outbox)
                                        .where(runtime.outbox.c.sent_at.is_(None))).scalar()
        assert unsent == 0
    finally:
        runtime.dispose()
