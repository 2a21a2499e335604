"""E2/S9/S11: the consumer applies each event once, acks after commit, retries, then parks poison."""

from __future__ import annotations

import json

import pytest
from kombu import Queue

from kit import topology
from kit.consumer import ATTEMPT_HEADER, ERROR_HEADER, Consumer, handler_name, handles_batches
from kit.publisher import OutgoingMessage, make_publisher
from kit.testing.plugin import eventually
from kit.uow import correlation_id


@pytest.fixture
def world(bus_world, tmp_path, memory_bus):
    world = bus_world(f"sqlite:///{tmp_path / 'test.db'}", memory_bus)
    world.declare()
    return world


def publish_raw(world, body: bytes, message_id="raw-1"):
    publisher = make_publisher(world.bus.url, world.bus.exchange)
    publisher.publish([OutgoingMessage("test.thing.noted.v1", body, message_id, "test.thing.noted.v1")], 1)
    publisher.close()


def test_e2_events_are_applied_and_acked(world):
    world.emit(20)
    world.relay.run_once()
    with world.consuming() as consumer:
        eventually(lambda: consumer.handled == 20, message="20 events handled")
    assert world.effects() == 20


def test_s9_duplicate_delivery_is_applied_once(world):
    world.emit(1)
    world.relay.run_once()
    # A relay killed between confirm and mark-sent publishes the same rows again.
    with world.engine.begin() as conn:
        conn.execute(world.outbox.update().values(sent_at=None))
    world.relay.run_once()
    with world.consuming() as consumer:
        eventually(lambda: consumer.handled == 1 and world.inbox_ids() == 1, message="the first delivery")
        world.relay.run_once()  # nothing left; the duplicate is already in the queue
        eventually(lambda: _queue_empty(world), message="the duplicate to be acked")
    assert world.effects() == 1
    assert sum(world.calls.values()) == 1


def _queue_empty(world):
    with topology.connection(world.bus.url) as conn:
        return Queue(topology.queue_name("test", world.bus.exchange))(conn.default_channel).queue_declare(
            passive=True).message_count == 0


def test_s11_poison_is_parked_after_five_deliveries_while_later_events_flow(world):
    [poison] = world.emit(1)
    world.emit(200, start=1)
    world.fail_on = lambda event: event.id == poison
    world.relay.run_once()

    with world.consuming() as consumer:
        eventually(lambda: world.effects() == 200 and consumer.parked == 1, message="200 effects, 1 parked")

    assert world.calls[poison] == 5
    [parked] = world.parked()
    assert parked.properties["message_id"] == poison
    assert parked.headers[ATTEMPT_HEADER] == 5
    assert "RuntimeError: poison" in parked.headers[ERROR_HEADER]
    assert consumer.retried == 4


def test_s11_unparseable_message_is_parked_at_once(world):
    publish_raw(world, b"not json at all")
    with world.consuming() as consumer:
        eventually(lambda: consumer.parked == 1, message="the broken message parked")
    [parked] = world.parked()
    assert "InvalidEvent" in parked.headers[ERROR_HEADER]
    assert parked.headers[ATTEMPT_HEADER] == 1


def test_s11_event_without_handler_is_parked(world):
    world.emit(1, event_type="test.thing.forgotten.v1")  # not bound → but bind it to make it arrive
    with topology.connection(world.bus.url) as conn:
        topology.declare(conn, "test", ["test.thing.noted.v1", "test.thing.forgotten.v1"],
                         exchange_name=world.bus.exchange)
    world.relay.run_once()
    with world.consuming() as consumer:
        eventually(lambda: consumer.parked == 1, message="the unhandled event parked")
    assert "no handler" in world.parked()[0].headers[ERROR_HEADER]


def test_e2_one_failing_event_in_a_batch_does_not_undo_the_others(world):
    ids = world.emit(10)
    world.fail_on = lambda event: event.id == ids[4]
    world.relay.run_once()
    with world.consuming(batch_size=100) as consumer:
        eventually(lambda: world.effects() == 9 and consumer.parked == 1, message="9 effects and 1 parked")
    assert world.distinct_effects() == 9


def test_e2_handler_sees_the_events_correlation_id(world):
    seen = []
    original = world.handle

    def handle(event, uow):
        seen.append(correlation_id.get())
        original(event, uow)

    token = correlation_id.set("req-42")
    try:
        world.emit(1)
    finally:
        correlation_id.reset(token)
    world.relay.run_once()
    consumer = Consumer(topology.connection(world.bus.url), service="test", subscriptions={
        "test.thing.noted.v1": handle}, uow_factory=world.uow, inbox_table=world.inbox,
        exchange_name=world.bus.exchange)
    with world.consuming(consumer):
        eventually(lambda: seen, message="the handler to run")
    assert seen == ["req-42"]


def test_e2_handler_name_is_module_and_qualname():
    assert handler_name(test_e2_handler_name_is_module_and_qualname).endswith(
        "test_kit_consumer.test_e2_handler_name_is_module_and_qualname")


def test_e2_wildcard_subscription_routes_to_its_handler(world):
    consumer = Consumer(topology.connection(world.bus.url), service="test",
                        subscriptions={"test.#": world.handle},
                        uow_factory=world.uow, inbox_table=world.inbox, exchange_name=world.bus.exchange)
    with world.consuming(consumer):
        world.emit(2)
        world.relay.run_once()
        eventually(lambda: world.effects() == 2, message="2 effects through a wildcard binding")


def test_e2_a_handler_that_commits_is_refused_and_parked(world):
    def committing(event, uow):
        uow.commit()

    consumer = Consumer(topology.connection(world.bus.url), service="test",
                        subscriptions={"test.thing.noted.v1": committing}, uow_factory=world.uow,
                        inbox_table=world.inbox, exchange_name=world.bus.exchange)
    world.emit(1)
    world.relay.run_once()
    with world.consuming(consumer):
        eventually(lambda: consumer.parked == 1, message="the committing handler's event parked")
    assert "HandlerCommitted" in world.parked()[0].headers[ERROR_HEADER]
    assert world.inbox_ids() == 0


def _batch_consumer(world, handler, **options):
    return Consumer(topology.connection(world.bus.url), service="test", subscriptions={"test.thing.noted.v1": handler},
                    uow_factory=world.uow, inbox_table=world.inbox, exchange_name=world.bus.exchange, **options)


def test_e2_a_batch_handler_gets_each_fresh_event_once_in_one_call(world):
    calls = []

    @handles_batches
    def handle_all(events, uow):
        calls.append([event.id for event in events])
        for event in events:
            world.handle(event, uow)

    first = world.emit(30)
    world.relay.run_once()
    # A relay killed between confirm and mark-sent publishes the same rows again.
    with world.engine.begin() as conn:
        conn.execute(world.outbox.update().values(sent_at=None))
    world.relay.run_once()
    with world.consuming(_batch_consumer(world, handle_all)) as consumer:
        eventually(lambda: consumer.handled == 30 and consumer.duplicates == 30 and _queue_empty(world),
                   message="30 applied, 30 duplicates acked")
    assert sorted(event_id for call in calls for event_id in call) == sorted(first)
    assert max(len(call) for call in calls) > 1  # really batched
    assert world.effects() == world.distinct_effects() == 30
    assert world.inbox_ids() == 30


def test_s11_a_failing_batch_handler_retries_alone_and_parks_only_the_poison(world):
    ids = world.emit(10)
    world.fail_on = lambda event: event.id == ids[3]

    @handles_batches
    def handle_all(events, uow):
        for event in events:
            world.handle(event, uow)

    world.relay.run_once()
    with world.consuming(_batch_consumer(world, handle_all)) as consumer:
        eventually(lambda: world.effects() == 9 and consumer.parked == 1, message="9 effects and 1 parked")
    assert world.distinct_effects() == 9
    assert [message.properties["message_id"] for message in world.parked()] == [ids[3]]
    assert 5 <= world.calls[ids[3]] <= 6  # once in the failed batch, then five deliveries alone


def test_s11_retry_and_park_log_lines_carry_the_events_correlation_id(world):
    import logging

    from kit.logs import JsonFormatter

    lines: list[dict] = []

    class Collect(logging.Handler):
        def emit(self, record):
            lines.append(json.loads(JsonFormatter().format(record)))

    handler = Collect(level=logging.WARNING)
    logging.getLogger("kit.consumer").addHandler(handler)
    token = correlation_id.set("req-77")
    try:
        [poison] = world.emit(1)
    finally:
        correlation_id.reset(token)
    world.fail_on = lambda event: True
    world.relay.run_once()
    try:
        with world.consuming() as consumer:
            eventually(lambda: consumer.parked == 1, message="the poison parked")
    finally:
        logging.getLogger("kit.consumer").removeHandler(handler)
    told = [(line["level"], line["correlation_id"], line["event_id"]) for line in lines]
    assert told == [("warning", "req-77", poison)] * 4 + [("error", "req-77", poison)]
