"""`python -m services.<name> migrate` prepares the broker too: exchange, dlx, archive, service queue.

With the archive queue bound to each published type without personal data, an event no service
consumes is still routable and confirmed, so the relay's `mandatory` check only trips when the
topology itself is missing.

R3/E3/S11: what migrate declares keeps no personal data beyond reach of erasure —
- parking queues carry `x-message-ttl` (14 days, MYPAGE_PARKING_TTL_DAYS); the TTL-less parking
  queue of old is emptied into the new one and deleted;
- personal-data types are not archived, also where an older migrate had bound them to the archive;
- personal-data types only outside systems read are routed to the discard queue: confirmed, kept nowhere.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import pytest
from amqp.exceptions import PreconditionFailed
from kombu import Producer, Queue
from sqlalchemy import func, select

from kit import topology
from kit.clock import SystemClock
from kit.publisher import Outcome, OutgoingMessage, make_publisher
from kit.relay import Relay
from kit.settings import ROOT, ConfigurationError

DAY_MS = 24 * 3600 * 1000


def _migrate(service: str, database_url: str, amqp_url: str, exchange: str, **env: str) -> None:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("MYPAGE_")}
    environ.update({f"MYPAGE_{service.upper()}_DATABASE_URL": database_url, "MYPAGE_AMQP_URL": amqp_url,
                    "MYPAGE_EXCHANGE": exchange, **env})
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
    """R3/E3: a login email, a birth date or a 求職番号 must have no copy in the archive for erasure to miss."""
    _migrate("profile", database_url, amqp_url, exchange_name)  # profile publishes, nobody here consumes
    assert _outcome(amqp_url, exchange_name, "profile.seeker.registered.v1") == Outcome.RETURNED
    assert _outcome(amqp_url, exchange_name, "profile.registration.validated.v1") == Outcome.RETURNED
    assert _outcome(amqp_url, exchange_name, "profile.erasure.completed.v1") == Outcome.CONFIRMED


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


def _declared_with_ttl(amqp_url: str, queue: str, ttl_ms: int) -> bool:
    """Whether `queue` exists with exactly this message TTL: RabbitMQ accepts a redeclaration only with
    equal arguments and answers PRECONDITION_FAILED otherwise (AMQP has no call that reads them)."""
    with topology.connection(amqp_url) as conn:
        channel = conn.channel()
        try:
            arguments = {"x-queue-type": "quorum", "x-message-ttl": ttl_ms}
            channel.queue_declare(queue, durable=True, auto_delete=False, arguments=arguments)
        except PreconditionFailed:
            return False
        return True


def _depth(amqp_url: str, queue: str) -> int:
    with topology.connection(amqp_url) as conn:
        return conn.channel().queue_declare(queue, passive=True).message_count


def test_s11_the_parking_queue_is_declared_with_a_14_day_ttl(database_url, amqp_url, exchange_name):
    _migrate("jobs", database_url, amqp_url, exchange_name)
    parked = topology.parking_queue_name("jobs", exchange_name)
    assert parked.endswith(".jobs.parked")
    assert _declared_with_ttl(amqp_url, parked, 14 * DAY_MS)
    assert not _declared_with_ttl(amqp_url, parked, 13 * DAY_MS)


def test_s11_mypage_parking_ttl_days_sets_the_ttl(database_url, amqp_url, exchange_name):
    _migrate("messaging", database_url, amqp_url, exchange_name, MYPAGE_PARKING_TTL_DAYS="3")
    parked = topology.parking_queue_name("messaging", exchange_name)
    assert _declared_with_ttl(amqp_url, parked, 3 * DAY_MS)
    assert not _declared_with_ttl(amqp_url, parked, 14 * DAY_MS)


def test_s11_another_ttl_than_the_queue_was_declared_with_is_a_clear_start_up_error(
        database_url, amqp_url, exchange_name):
    _migrate("jobs", database_url, amqp_url, exchange_name)
    with topology.connection(amqp_url) as conn, pytest.raises(ConfigurationError) as refused:
        topology.declare(conn, "jobs", ["jobs.posting.published.v1"], exchange_name=exchange_name, parking_ttl_days=7)
    assert "MYPAGE_PARKING_TTL_DAYS=7" in str(refused.value) and "drain its messages, delete it" in str(refused.value)


def test_s11_a_parked_message_reaches_the_new_queue_by_the_old_routing_key(database_url, amqp_url, exchange_name):
    """The service queue's own dead-letter routing key is still `<prefix>.<service>.parking` (its
    arguments cannot change): the new queue is bound by it."""
    _migrate("jobs", database_url, amqp_url, exchange_name)
    with topology.connection(amqp_url) as conn:
        Producer(conn.default_channel).publish(
            b"{}", exchange=topology.dead_letter_exchange(exchange_name),
            routing_key=topology.parking_routing_key("jobs", exchange_name), message_id="m-1", retry=False)
    assert _depth(amqp_url, topology.parking_queue_name("jobs", exchange_name)) == 1


def test_s11_migrate_moves_the_old_parking_queue_into_the_new_one_and_deletes_it(
        database_url, amqp_url, exchange_name):
    legacy = topology.parking_routing_key("profile", exchange_name)  # the old queue's name
    dlx = topology.dead_letter_exchange(exchange_name)
    try:
        with topology.connection(amqp_url) as conn:
            channel = conn.channel()
            dlx(channel).declare()
            Queue(legacy, exchange=dlx, routing_key=legacy, durable=True,
                  queue_arguments={"x-queue-type": "quorum"})(channel).declare()
            producer = Producer(channel)
            for n in range(3):
                producer.publish(b'{"n": %d}' % n, exchange=dlx, routing_key=legacy, message_id=f"old-{n}",
                                 headers={"x-mypage-error": "KeyError: 'x'"}, retry=False)
        _migrate("profile", database_url, amqp_url, exchange_name)
        with topology.connection(amqp_url) as conn:
            channel = conn.channel()
            with pytest.raises(Exception, match="NOT_FOUND"):
                channel.queue_declare(legacy, passive=True)
        parked = Queue(topology.parking_queue_name("profile", exchange_name))
        with topology.connection(amqp_url) as conn:
            moved = [parked(conn.default_channel).get(no_ack=True) for _ in range(3)]
        assert [m.properties["message_id"] for m in moved] == ["old-0", "old-1", "old-2"]
        assert [m.headers["x-mypage-error"] for m in moved] == ["KeyError: 'x'"] * 3
        _migrate("profile", database_url, amqp_url, exchange_name)  # idempotent: nothing left to retire
    finally:
        with topology.connection(amqp_url) as conn:
            conn.channel().queue_delete(legacy)


def test_r3_a_type_flagged_personal_after_it_was_archived_is_unbound_from_the_archive(
        database_url, amqp_url, exchange_name):
    personal = "profile.registration.validated.v1"  # archived before issue 10 flagged it (求職番号)
    with topology.connection(amqp_url) as conn:
        topology.declare_exchange(conn, exchange_name)
        topology.archive_queue([personal], exchange_name)(conn.default_channel).declare()  # the old migrate
    assert _outcome(amqp_url, exchange_name, personal) == Outcome.CONFIRMED
    _migrate("profile", database_url, amqp_url, exchange_name)  # no service here consumes in this test
    assert _outcome(amqp_url, exchange_name, personal) == Outcome.RETURNED
    assert _outcome(amqp_url, exchange_name, "profile.erasure.completed.v1") == Outcome.CONFIRMED
    assert _depth(amqp_url, topology.archive_queue_name(exchange_name)) == 2  # the old copy, the erasure count


def test_r3_a_no_show_is_confirmed_and_kept_nowhere_while_no_outside_system_reads_it(
        database_url, amqp_url, exchange_name):
    _migrate("jobs", database_url, amqp_url, exchange_name)
    for event_type in ("jobs.no_show.reported.v1", "jobs.seeker.restricted.v1", "jobs.seeker.restriction_lifted.v1"):
        assert _outcome(amqp_url, exchange_name, event_type) == Outcome.CONFIRMED
    assert _depth(amqp_url, topology.discard_queue_name(exchange_name)) == 0
    assert _depth(amqp_url, topology.archive_queue_name(exchange_name)) == 0
    counter = Queue(f"{exchange_name}.counter-system", exchange=topology.events_exchange(exchange_name),
                    routing_key="jobs.no_show.reported.v1", exclusive=True)
    with topology.connection(amqp_url) as conn:
        counter(conn.default_channel).declare()  # an outside subscriber binds its own queue
        assert _outcome(amqp_url, exchange_name, "jobs.no_show.reported.v1") == Outcome.CONFIRMED
        assert counter(conn.default_channel).get(no_ack=True) is not None


def test_s8_a_dead_letter_exchange_left_direct_by_an_older_version_is_a_clear_start_up_error(amqp_url, exchange_name):
    """The dlx is a topic exchange now (per-service broker users' topic permissions); RabbitMQ cannot change
    an exchange's type, so the operator is told how to replace it."""
    with topology.connection(amqp_url) as conn:
        conn.default_channel.exchange_declare(f"{exchange_name}.dlx", "direct", durable=True)
        with pytest.raises(ConfigurationError) as refused:
            topology.declare(conn, "jobs", ["jobs.posting.published.v1"], exchange_name=exchange_name)
    assert "exists as a direct exchange" in str(refused.value) and "delete it" in str(refused.value)
