"""E2/S9/S10: the relay publishes outbox rows in order, marks them sent, and backs off on failure."""

from __future__ import annotations

from datetime import timedelta

import pytest
from kombu import Consumer, Queue

from kit import topology
from kit.events import Event
from kit.publisher import BrokerUnavailable, Outcome, PublishTimeout
from kit.relay import BROKER_RETRY_CAP, MAX_BACKOFF, backoff


@pytest.fixture
def world(bus_world, tmp_path, memory_bus, frozen_clock):
    return bus_world(f"sqlite:///{tmp_path / 'test.db'}", memory_bus, clock=frozen_clock)


def received(world) -> list[Event]:
    """Everything waiting in the test service's queue, in order (memory transport)."""
    events = []
    with topology.connection(world.bus.url) as conn:
        queue = Queue(topology.queue_name("test", world.bus.exchange))
        def receive(message) -> None:
            events.append(Event.from_json(message.body))
            message.ack()

        with Consumer(conn, queues=[queue], on_message=receive):
            while True:
                try:
                    conn.drain_events(timeout=0.05)
                except TimeoutError:
                    return events


class FailingPublisher:
    """A publisher whose broker is gone (or paused)."""

    def __init__(self, error):
        self.error = error
        self.calls = 0

    def publish(self, messages, timeout):
        self.calls += 1
        raise self.error

    def keepalive(self):
        pass

    def close(self):
        pass


def test_e2_relay_publishes_in_id_order_and_marks_rows_sent(world):
    world.declare()
    ids = world.emit(30)

    assert world.relay.run_once() == 30

    assert [event.id for event in received(world)] == ids
    rows = world.outbox_rows()
    assert all(row.sent_at is not None and row.attempts == 0 for row in rows)
    assert world.unsent() == 0
    assert world.relay.run_once() == 0


def test_e2_relay_takes_at_most_batch_size_rows_per_pass(world):
    world.declare()
    world.relay.batch_size = 10
    world.emit(25)

    assert [world.relay.run_once() for _ in range(4)] == [10, 10, 5, 0]
    assert world.unsent() == 0


def test_e2_backlog_counts_unsent_rows(world):
    world.declare()
    world.emit(3)
    assert world.relay.backlog() == 3
    world.relay.run_once()
    assert world.relay.backlog() == 0


def test_e2_message_carries_amqp_properties(world):
    world.declare()
    [event_id] = world.emit(1)
    world.relay.run_once()
    with topology.connection(world.bus.url) as conn:
        queue = Queue(topology.queue_name("test", world.bus.exchange))
        message = queue(conn.default_channel).get()
    assert message.properties["message_id"] == event_id
    assert message.properties["type"] == "test.thing.noted.v1"
    assert message.content_type == "application/cloudevents+json"


@pytest.mark.parametrize("error", [PublishTimeout("no confirms"), BrokerUnavailable("refused")])
def test_s10_failed_batch_keeps_rows_with_attempts_error_and_backoff(bus_world, tmp_path, memory_bus,
                                                                    frozen_clock, error):
    publisher = FailingPublisher(error)
    world = bus_world(f"sqlite:///{tmp_path / 'test.db'}", memory_bus, clock=frozen_clock,
                      publisher=publisher)
    world.emit(2)

    assert world.relay.run_once() == 0

    rows = world.outbox_rows()
    assert [row.attempts for row in rows] == [1, 1]
    assert all(type(error).__name__ in row.last_error for row in rows)
    assert all(row.sent_at is None for row in rows)
    # Backing off: nothing is tried again until the retry time.
    assert world.relay.run_once() == 0
    assert publisher.calls == 1
    frozen_clock.advance(seconds=backoff(1))
    world.relay.run_once()
    assert publisher.calls == 2
    assert [row.attempts for row in world.outbox_rows()] == [2, 2]


def test_s9_relay_never_gives_up_and_drains_once_the_broker_is_back(
        bus_world, tmp_path, memory_bus, frozen_clock):
    world = bus_world(f"sqlite:///{tmp_path / 'test.db'}", memory_bus, clock=frozen_clock,
                      publisher=FailingPublisher(BrokerUnavailable("down")))
    world.declare()
    world.emit(5)
    for _ in range(12):
        world.relay.run_once()
        frozen_clock.advance(seconds=MAX_BACKOFF)
    assert world.outbox_rows()[0].attempts == 12

    good = world.make_relay()
    assert good.run_once() == 5
    assert world.unsent() == 0


def test_e2_unroutable_event_is_returned_never_marked_sent(world):
    # No queue is bound: the event must stay unsent, with the reason and a backoff.
    world.emit(1)

    assert world.relay.run_once() == 0

    [row] = world.outbox_rows()
    assert row.sent_at is None
    assert row.attempts == 1
    assert "no queue is bound" in row.last_error
    assert row.next_attempt_at is not None


def test_e2_returned_row_is_retried_after_its_backoff_while_later_rows_flow(world, frozen_clock):
    world.emit(1)
    world.relay.run_once()  # returned
    world.declare()
    later = world.emit(1)

    assert world.relay.run_once() == 1  # the later row; the first waits for its retry time
    assert [event.id for event in received(world)] == later
    frozen_clock.advance(timedelta(seconds=backoff(1)))
    assert world.relay.run_once() == 1
    assert world.unsent() == 0


class BrokerAwayPublisher(FailingPublisher):
    """Down while `away`, then the real (memory) publisher."""

    def __init__(self, real):
        super().__init__(BrokerUnavailable("connection refused"))
        self.real, self.away = real, True

    def publish(self, messages, timeout):
        if self.away:
            return super().publish(messages, timeout)
        self.calls += 1
        return self.real.publish(messages, timeout)


def test_s9_however_long_the_broker_was_away_the_relay_tries_again_1_second_after_each_failure(
        bus_world, tmp_path, memory_bus, frozen_clock):
    from kit.publisher import make_publisher

    publisher = BrokerAwayPublisher(make_publisher(memory_bus.url, memory_bus.exchange))
    world = bus_world(f"sqlite:///{tmp_path / 'test.db'}", memory_bus, clock=frozen_clock, publisher=publisher)
    world.declare()
    world.emit(3)
    waits = []
    for failures in range(1, 41):  # uncapped, the wait after the 8th failure would already be 60 s
        assert world.relay.run_once() == 0
        assert world.relay.broker_failures == failures
        wait = min(backoff(failures), BROKER_RETRY_CAP)
        frozen_clock.advance(seconds=wait - 0.001)
        assert world.relay.run_once() == 0
        assert publisher.calls == failures  # not before the wait is over
        frozen_clock.advance(seconds=0.001)
        waits.append(wait)
    assert waits[:3] == [0.5, 1.0, 1.0]
    assert set(waits[1:]) == {BROKER_RETRY_CAP} == {1.0}

    publisher.away = False  # the broker is back: the next attempt, at most 1 s later, drains the outbox
    assert world.relay.run_once() == 3
    assert (world.unsent(), world.relay.broker_failures) == (0, 0)


def test_backoff_doubles_and_is_capped():
    assert [backoff(n) for n in (1, 2, 3, 4)] == [0.5, 1.0, 2.0, 4.0]
    assert backoff(50) == MAX_BACKOFF


def test_e2_wake_makes_run_forever_publish_without_waiting_for_the_poll(world):
    from kit.testing.plugin import eventually

    world.declare()
    world.relay._poll_interval = 60.0  # only a wake-up can make it publish in time
    with world.relaying():
        world.emit(3)  # the unit of work's on_commit hook wakes the relay
        eventually(lambda: world.unsent() == 0, timeout=5, message="relay to publish after wake()")
    assert len(received(world)) == 3


def test_outcomes_are_reported_per_message(world):
    from kit.publisher import OutgoingMessage, make_publisher

    world.declare()
    publisher = make_publisher(world.bus.url, world.bus.exchange)
    messages = [
        OutgoingMessage("test.thing.noted.v1", b"{}", "1", "test.thing.noted.v1"),
        OutgoingMessage("test.other.noted.v1", b"{}", "2", "test.other.noted.v1"),
    ]
    assert publisher.publish(messages, timeout=1) == [Outcome.CONFIRMED, Outcome.RETURNED]
    publisher.close()
