"""E2/S9 against real RabbitMQ and PostgreSQL: relay → exchange → quorum queue → consumer."""

from __future__ import annotations

import threading

import pytest
from kombu import Queue

from kit import topology
from kit.testing.plugin import eventually
from kit.uow import UnitOfWork


@pytest.fixture
def world(bus_world, database_url, amqp_bus):
    world = bus_world(database_url, amqp_bus)
    world.declare()
    return world


def test_e2_events_flow_from_outbox_to_handler_exactly_once(world):
    world.emit(300)
    world.emit(1, start=300)  # a transaction of one after one of 300
    with world.consuming() as consumer, world.relaying():
        eventually(lambda: consumer.handled == 301, timeout=30, message="301 events handled")
    assert world.unsent() == 0
    assert world.distinct_effects() == 301


def test_e2_mandatory_event_without_a_bound_queue_is_never_marked_sent(bus_world, database_url, amqp_bus):
    world = bus_world(database_url, amqp_bus)  # no queue declared for the test service
    world.emit(2)

    assert world.relay.run_once() == 0

    rows = world.outbox_rows()
    assert all(row.sent_at is None for row in rows)
    assert all("no queue is bound" in row.last_error for row in rows)
    assert world.unsent() == 2


def test_e2_relay_wakes_on_postgres_notify_not_on_its_poll(world):
    world.relay._poll_interval = 30.0  # only NOTIFY can make it publish within the 5 s below
    # (the wake-up's latency is measured in bench/events.py, not asserted here)
    plain_uow = UnitOfWork(world.sessions, outbox=world.outbox, clock=world.clock, source="/test",
                           notify_channel=world.channel)  # no in-process wake-up hook
    with world.relaying():
        world.relay._woken.clear()
        eventually(lambda: world.relay._listener is not None, timeout=5, message="the relay to LISTEN")
        with plain_uow as uow:
            uow.publish(_spec(), {"n": 1})
            uow.commit()
        eventually(lambda: world.unsent() == 0, timeout=5, interval=0.002, message="the NOTIFY wake-up")


def test_e2_wait_for_event_sees_an_event_on_rabbitmq(world, wait_for_event):
    with wait_for_event("test.thing.noted.v1", timeout=10, url=world.bus.url) as waited:
        [event_id] = world.emit(1)
        world.relay.run_once()
    assert waited.event.id == event_id


def test_s11_quorum_delivery_limit_parks_a_message_that_kills_its_worker(world):
    """The safety net: deliveries never acked (the worker dies each time) end in the parking queue."""
    world.emit(1)
    world.relay.run_once()
    with topology.connection(world.bus.url) as conn:
        queue = Queue(topology.queue_name("test", world.bus.exchange))
        parking = Queue(topology.parking_queue_name("test", world.bus.exchange))
        deliveries = 0
        while True:
            channel = conn.channel()
            message = queue(channel).get()
            if message is None:
                channel.close()
                break
            deliveries += 1
            channel.close()  # the worker crashed before acking: RabbitMQ requeues it
        parked = eventually(lambda: parking(conn.default_channel).get(no_ack=True), timeout=10,
                            message="the message to be dead-lettered into parking")
    assert deliveries <= 5
    assert parked.properties["type"] == "test.thing.noted.v1"


def test_e2_the_consumer_reads_amqp_through_the_chunked_transport(world):
    from kit.amqp_buffered import BufferedTCPTransport

    world.emit(5)
    world.relay.run_once()
    with world.consuming() as consumer:
        eventually(lambda: consumer.handled == 5, timeout=10, message="5 events handled")
        assert isinstance(consumer._active_connection.connection.transport, BufferedTCPTransport)
        assert consumer._active_connection.connection.transport.sock is not None


def test_e2_consumer_run_forever_stops_when_told(world):
    consumer = world.make_consumer()
    stop = threading.Event()
    thread = threading.Thread(target=consumer.run_forever, args=(stop,), daemon=True)
    thread.start()
    assert consumer.ready.wait(10)
    stop.set()
    thread.join(5)
    assert not thread.is_alive()
    consumer.connection.release()


def _spec():
    from tests.conftest import NOTED, EventSpec, _AnySchema

    return EventSpec(NOTED, _AnySchema, "a test event")
