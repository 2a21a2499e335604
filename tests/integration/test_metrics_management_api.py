"""§8: with RabbitMQ's management API (MYPAGE_RABBITMQ_API_URL) every process of a service shows
its queue's unacknowledged count too, which AMQP alone cannot tell. A private RabbitMQ node with the
management plugin (the shared one runs without it)."""

from __future__ import annotations

import pytest
from kombu import Exchange, Producer
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families

from kit import topology
from kit.metrics import BusCollector, BusProbe, QueueState
from kit.testing.plugin import Bus, eventually
from tests.conftest import SERVICE


@pytest.fixture(scope="module")
def rabbit(managed_rabbit):
    return managed_rabbit


def _unacked_sample(probe: BusProbe) -> float | None:
    registry = CollectorRegistry()
    registry.register(BusCollector(probe, role="web"))
    text = generate_latest(registry).decode()
    return next((sample.value for family in text_string_to_metric_families(text) for sample in family.samples
                 if sample.name == "mypage_queue_messages" and sample.labels["state"] == "unacked"), None)


def test_s8_the_management_api_gives_ready_unacked_and_parked_counts(rabbit, bus_world, database_url,
                                                                     exchange_name):
    world = bus_world(database_url, Bus(rabbit.url, exchange_name))
    world.declare()
    probe = BusProbe(SERVICE, world.engine, world.outbox, rabbit.url, exchange_name, consumes=True,
                     api_url=rabbit.api_url)
    world.emit(5)
    assert world.relay.run_once() == 5
    eventually(lambda: probe.queue_state() == QueueState(ready=5, parked=0, unacked=0), timeout=30,
               interval=0.2, message="the management API's sample of 5 ready messages")

    with topology.connection(rabbit.url) as connection:
        holder = connection.channel()  # a consumer that holds two deliveries without settling them
        for _ in range(2):
            assert holder.basic_get(queue=probe.queue, no_ack=False) is not None
        Producer(connection.default_channel).publish(
            b"poison", exchange=Exchange(f"{exchange_name}.dlx", type="direct"),
            routing_key=topology.parking_routing_key(SERVICE, exchange_name), retry=False)
        eventually(lambda: probe.queue_state() == QueueState(ready=3, parked=1, unacked=2), timeout=30,
                   interval=0.2, message="3 ready, 2 unacked, 1 parked")
        assert _unacked_sample(probe) == 2
        holder.close()  # the two return to the queue
    eventually(lambda: probe.queue_state() == QueueState(ready=5, parked=1, unacked=0), timeout=30,
               interval=0.2, message="the held deliveries back in the queue")


def test_s8_a_queue_the_api_does_not_know_is_left_out_not_an_error(rabbit, bus_world, database_url,
                                                                    exchange_name):
    world = bus_world(database_url, Bus(rabbit.url, exchange_name))  # its queues never declared
    probe = BusProbe(SERVICE, world.engine, world.outbox, rabbit.url, exchange_name, consumes=True,
                     api_url=rabbit.api_url)
    assert probe.queue_state() == QueueState(ready=None, parked=None, unacked=None)
    assert _unacked_sample(probe) is None
