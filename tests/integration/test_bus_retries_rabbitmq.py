"""S11 on RabbitMQ: a message whose handler fails waits in retry queues whose delays grow
(MYPAGE_RETRY_DELAYS), is parked after the last, and the messages behind it keep flowing."""

from __future__ import annotations

import threading
import time
from itertools import pairwise

from kit import topology
from kit.consumer import ATTEMPT_HEADER, ERROR_HEADER, PARKED_AT_HEADER
from kit.settings import Settings
from kit.testing.plugin import eventually
from tests.conftest import NOTED, SERVICE


def test_s11_poison_is_retried_after_growing_delays_then_parked_and_the_200_behind_it_flow(
        bus_world, database_url, amqp_bus):
    delays = Settings.from_env("jobs", environ={"MYPAGE_RETRY_DELAYS": "0.2,0.5,1"}).retry_delays
    world = bus_world(database_url, amqp_bus)
    with topology.connection(amqp_bus.url) as conn:
        topology.declare(conn, SERVICE, [NOTED], exchange_name=amqp_bus.exchange, retry_delays=delays)
    [poison] = world.emit(1)
    world.emit(200, start=1)
    poison_calls: list[float] = []
    lock = threading.Lock()

    def fails(event) -> bool:
        if event.id != poison:
            return False
        with lock:
            poison_calls.append(time.monotonic())
        return True

    world.fail_on = fails
    while world.relay.run_once():
        pass
    with world.consuming(retry_delays=delays) as consumer:
        eventually(lambda: world.effects() == 200 and consumer.parked == 1, timeout=30,
                   message="200 effects and the poison parked")
    assert consumer.retried == 3
    assert len(poison_calls) == 4  # the first delivery and one after each delay
    waited = [later - earlier for earlier, later in pairwise(poison_calls)]
    # RabbitMQ holds each copy at least its queue's TTL, counted from after the failed call.
    assert [wait >= delay for wait, delay in zip(waited, delays, strict=True)] == [True, True, True]
    [parked] = world.parked()
    assert parked.properties["message_id"] == poison
    assert parked.headers[ATTEMPT_HEADER] == 4
    assert parked.headers[ERROR_HEADER] == f"RuntimeError: poison {poison}"
    assert parked.headers[PARKED_AT_HEADER]
    passed = {death["queue"]: death["count"] for death in parked.headers["x-death"]}
    assert passed == {topology.retry_queue_name(SERVICE, delay, amqp_bus.exchange): 1 for delay in delays}
    assert world.distinct_effects() == 200


def test_s11_retry_queues_are_named_by_their_delay_and_lead_back_to_the_service_queue(amqp_bus):
    queue = topology.retry_queue("jobs", 0.2, exchange_name=amqp_bus.exchange)
    assert queue.name == f"{topology.queue_name('jobs', amqp_bus.exchange)}.retry.200ms"
    assert queue.queue_arguments["x-message-ttl"] == 200
    assert queue.queue_arguments["x-dead-letter-routing-key"] == topology.queue_name("jobs", amqp_bus.exchange)
    assert queue.queue_arguments["x-expires"] == 2 * 200 + topology.RETRY_LEASE_MARGIN_MS
    assert [topology.delay_label(delay) for delay in topology.RETRY_DELAYS] == ["1s", "10s", "1m", "10m"]
    with topology.connection(amqp_bus.url) as conn:
        topology.declare(conn, "jobs", ["jobs.x.v1"], exchange_name=amqp_bus.exchange)
        # The crash safety net stays: the service queue still parks what kills the worker 5 times.
        service = topology.service_queue("jobs", ["jobs.x.v1"], exchange_name=amqp_bus.exchange)
        assert service.queue_arguments["x-delivery-limit"] == topology.MAX_DELIVERIES - 1 == 4
        for delay in topology.RETRY_DELAYS:  # declared by migrate, so a retry has somewhere to wait
            name = topology.retry_queue_name("jobs", delay, amqp_bus.exchange)
            assert conn.default_channel.queue_declare(name, passive=True).queue == name
