"""`python -m services.<name> migrate` prepares the broker too: exchange, dlx, archive, service queue.

With the archive queue bound to every key, an event no service consumes is still routable and
confirmed, so the relay's `mandatory` check only trips when the topology itself is missing.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from sqlalchemy import func, select

from kit import topology
from kit.clock import SystemClock
from kit.events import EventSpec
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


def test_an_event_nobody_consumes_is_confirmed_once_the_topology_exists(database_url, amqp_url, exchange_name):
    message = OutgoingMessage.from_outbox("00000000-0000-0000-0000-000000000001", "retention.nothing.happened.v1",
                                          b'{"specversion":"1.0"}')
    publisher = make_publisher(amqp_url, exchange_name)
    try:
        with topology.connection(amqp_url) as conn:
            topology.declare_exchange(conn, exchange_name)
        assert publisher.publish([message], timeout=5) == [Outcome.RETURNED]
        _migrate("retention", database_url, amqp_url, exchange_name)  # subscribes to nothing
        assert publisher.publish([message], timeout=5) == [Outcome.CONFIRMED]
    finally:
        publisher.close()


def test_the_relay_drains_a_service_with_no_subscribers(database_url, amqp_url, exchange_name):
    from marshmallow import Schema, fields

    from services.retention.app import build_runtime
    from services.retention.config import load_settings

    _migrate("retention", database_url, amqp_url, exchange_name)

    class _Payload(Schema):
        n = fields.Integer(required=True)

    spec = EventSpec("retention.probe.recorded.v1", _Payload, "test only")
    runtime = build_runtime(load_settings({}, database_url=database_url, amqp_url=amqp_url, exchange=exchange_name))
    try:
        with runtime.uow() as uow:
            for n in range(3):
                uow.publish(spec, {"n": n})
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
