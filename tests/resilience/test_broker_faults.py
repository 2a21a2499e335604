"""S9/S10/S11 with a private RabbitMQ node that is killed, paused and restarted."""

from __future__ import annotations

import logging
import socket
import threading
import time

from kombu import Queue

from kit import topology
from kit.consumer import ATTEMPT_HEADER, ERROR_HEADER, Consumer
from kit.logs import QUIET_LOGGERS
from kit.testing.plugin import eventually


def test_s9_rabbitmq_killed_and_restarted_during_10000_publishes_loses_and_doubles_nothing(
        bus_world, database_url, rabbit, rabbit_bus):
    world = bus_world(database_url, rabbit_bus, confirm_timeout=3.0, max_backoff=2.0)
    world.declare()
    total, per_transaction = 10_000, 100
    producing = threading.Thread(
        target=lambda: [world.emit(per_transaction, start=i) for i in range(0, total, per_transaction)],
        name="producer")
    with world.consuming(), world.relaying():
        producing.start()
        eventually(lambda: world.relay.published >= 2_000, timeout=60, message="2,000 events relayed")
        rabbit.kill()
        rabbit.restart()
        producing.join(60)
        eventually(lambda: world.unsent() == 0 and world.effects() >= total, timeout=100, interval=0.2,
                   message="every event relayed and applied after the restart")
    assert world.unsent() == 0
    assert world.inbox_ids() == total
    assert world.effects() == total
    assert world.distinct_effects() == total


class CrashBeforeAck(Consumer):
    """A worker that dies (its broker connection cut) after committing, before its first ack."""

    crashed = False

    def _acknowledge(self, messages) -> None:
        if not CrashBeforeAck.crashed:
            CrashBeforeAck.crashed = True
            messages[0].channel.connection.sock.shutdown(socket.SHUT_RDWR)
            raise ConnectionResetError("simulated crash between commit and ack")
        super()._acknowledge(messages)


def test_s9_consumer_killed_after_commit_before_ack_applies_the_event_once(
        bus_world, database_url, rabbit_bus):
    world = bus_world(database_url, rabbit_bus)
    world.declare()
    world.emit(20)
    world.relay.run_once()
    CrashBeforeAck.crashed = False
    with world.consuming(world.make_consumer(CrashBeforeAck)) as consumer:
        eventually(lambda: CrashBeforeAck.crashed and consumer.duplicates >= 1 and world.effects() == 20,
                   timeout=30, message="the redelivered events to be skipped as duplicates")
        eventually(lambda: _ready_count(world) == 0, timeout=30, message="the queue to drain")
    assert world.effects() == 20
    assert world.distinct_effects() == 20
    assert sum(world.calls.values()) == 20  # the handler never ran twice for one event


def test_s11_poison_is_parked_after_at_most_5_deliveries_and_the_1000_behind_it_are_processed(
        bus_world, database_url, rabbit_bus):
    world = bus_world(database_url, rabbit_bus)
    world.declare()
    [poison] = world.emit(1)
    for start in range(1, 1001, 100):
        world.emit(100, start=start)
    world.fail_on = lambda event: event.id == poison
    while world.relay.run_once():
        pass
    with world.consuming(retry_delays=(0.05, 0.1, 0.2, 0.4)) as consumer:  # S11's 4 retries, in under a second
        eventually(lambda: world.effects() == 1000 and consumer.parked == 1, timeout=60,
                   message="1,000 effects and the poison parked")
    assert 1 <= world.calls[poison] <= 5
    parked = world.parked()
    assert [message.properties["message_id"] for message in parked] == [poison]
    assert parked[0].headers[ATTEMPT_HEADER] <= 5
    assert "poison" in parked[0].headers[ERROR_HEADER]


def test_s10_paused_broker_makes_the_relay_time_out_not_hang_and_it_drains_after(
        bus_world, database_url, rabbit, rabbit_bus, frozen_clock):
    confirm_timeout = 2.0
    world = bus_world(database_url, rabbit_bus, clock=frozen_clock, confirm_timeout=confirm_timeout,
                      max_backoff=1.0)
    world.declare()
    world.emit(1)
    assert world.relay.run_once() == 1  # connected and confirmed before the pause
    rabbit.pause()
    try:
        world.emit(100)  # writes still succeed: the request never waits on the broker
        for _ in range(2):  # the open connection times out, then the reconnect does
            started = time.monotonic()
            assert world.relay.run_once() == 0
            assert time.monotonic() - started < confirm_timeout + 2.0
            frozen_clock.advance(seconds=1)  # past the (capped) backoff
        rows = world.outbox_rows()[1:]
        assert {(row.sent_at, row.attempts) for row in rows} == {(None, 2)}
        assert {row.last_error.split(":")[0] for row in rows} == {"PublishTimeout"}
    finally:
        rabbit.resume()
    frozen_clock.advance(seconds=1)
    with world.consuming(), world.relaying():
        eventually(lambda: world.unsent() == 0 and world.effects() == 101, timeout=60,
                   message="the relay to drain after SIGCONT")
    assert world.distinct_effects() == 101


def test_s9_relay_reconnects_soon_after_a_broker_that_was_away_for_long_returns(
        bus_world, database_url, rabbit, rabbit_bus):
    world = bus_world(database_url, rabbit_bus)  # the production backoff: grows to 60 s for a row, 1 s for the broker
    world.declare()
    world.emit(1)
    with world.relaying() as relay:
        eventually(lambda: world.unsent() == 0, timeout=30, message="the first event relayed")
        rabbit.kill()
        world.emit(50)
        # Uncapped, the relay would now wait 60 s before its next attempt.
        eventually(lambda: relay.broker_failures >= 8, timeout=60, interval=0.2,
                   message="8 failed attempts while the broker is away")
        rabbit.restart()
        eventually(lambda: world.unsent() == 0, timeout=20, interval=0.1,
                   message="the outbox drained soon after the broker's return")
    assert relay.broker_failures == 0


def _ready_count(world) -> int:
    with topology.connection(world.bus.url) as conn:
        queue = Queue(topology.queue_name("test", world.bus.exchange))(conn.default_channel)
        return queue.queue_declare(passive=True).message_count


def test_s8_a_broker_outage_is_one_warning_per_loop_and_one_line_when_it_is_back(
        bus_world, database_url, rabbit, rabbit_bus, caplog):
    """Issue 11 item 6: pika wrote ~7 ERROR lines per connection attempt; now the relay and the consumer each
    say once that the broker is gone (their later attempts at DEBUG) and the consumer once that it is back."""
    quiet = {name: logging.getLogger(name).level for name in QUIET_LOGGERS}
    for name, level in QUIET_LOGGERS.items():  # what configure_logging does in every process
        logging.getLogger(name).setLevel(level)
    try:
        world = bus_world(database_url, rabbit_bus)
        world.declare()
        world.emit(1)
        with world.consuming() as consumer, world.relaying() as relay:
            eventually(lambda: world.effects() == 1, timeout=30, message="the first event handled")
            with caplog.at_level(logging.DEBUG):
                rabbit.kill()
                world.emit(5, start=1)
                eventually(lambda: relay.broker_failures >= 5 and consumer._connection_failures >= 3, timeout=90,
                           interval=0.2, message="several failed attempts of both")
                rabbit.restart()
                eventually(lambda: world.effects() == 6, timeout=90, interval=0.2, message="all handled after")
    finally:
        for name, level in quiet.items():
            logging.getLogger(name).setLevel(level)
    loud = [(record.name, record.levelname, record.getMessage()) for record in caplog.records
            if record.levelno >= logging.WARNING]
    assert [name for name, _, _ in loud].count("kit.consumer") == 1, loud
    assert [name for name, _, _ in loud].count("kit.relay") == 1, loud
    assert not [entry for entry in loud if entry[0] not in ("kit.consumer", "kit.relay")], loud
    assert any("broker reachable again after" in record.getMessage() for record in caplog.records
               if record.name == "kit.consumer" and record.levelno == logging.INFO)
