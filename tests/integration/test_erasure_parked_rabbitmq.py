"""Issue 10, R3/S12: erasure reaches the parking queue. Parked messages hold personal data; when an
erasure request asks a service, its consumer drops the parked messages naming the seeker (the
CloudEvent subject, or the id as a JSON string anywhere in the body) before applying the request, and
leaves every other parked message as it was. On RabbitMQ, and on kombu's memory transport (the
embedded mode).
"""

from __future__ import annotations

import pytest

from kit import topology
from kit.consumer import Consumer
from kit.erasure import ERASURE_REQUESTED
from kit.events import EventSpec
from kit.parked import ParkingLot
from kit.testing.plugin import eventually
from tests.conftest import NOTED, SERVICE, _AnySchema

FAST = (0.01, 0.02, 0.03, 0.04)  # S11's four retries, quickly
ERASED, KEPT = "seeker-0001", "seeker-0002"
REQUEST = EventSpec(ERASURE_REQUESTED, _AnySchema, "a test erasure request")
EVENT = EventSpec(NOTED, _AnySchema, "a test event")


@pytest.fixture(params=["rabbitmq", "memory"])
def world(request, bus_world, database_url):
    bus = request.getfixturevalue("amqp_bus" if request.param == "rabbitmq" else "memory_bus")
    world = bus_world(database_url, bus)
    with topology.connection(bus.url) as conn:
        topology.declare(conn, SERVICE, [NOTED, ERASURE_REQUESTED], exchange_name=bus.exchange)
    return world


def _consumer(world) -> Consumer:
    consumer = Consumer(topology.connection(world.bus.url), service=SERVICE,
                        subscriptions={NOTED: world.handle, ERASURE_REQUESTED: world.handle}, uow_factory=world.uow,
                        inbox_table=world.inbox, exchange_name=world.bus.exchange, retry_delays=FAST)
    world.consumers.append(consumer)
    return consumer


def _publish(world, spec: EventSpec, data: dict, subject: str | None = None) -> str:
    with world.uow() as uow:
        event_id = uow.publish(spec, data, subject=subject).id
        uow.commit()
    while world.relay.run_once():
        pass
    return event_id


def _parked_ids(world) -> set[str]:
    with topology.connection(world.bus.url) as conn:
        return {message.id for message in ParkingLot(conn, SERVICE, exchange_name=world.bus.exchange).messages()}


def test_r3_an_erasure_request_drops_the_seekers_parked_messages_and_keeps_the_rest(world):
    by_subject = _publish(world, EVENT, {"n": 1}, subject=ERASED)
    in_body = _publish(world, EVENT, {"n": 2, "applicant": {"seeker_id": ERASED}})
    other = _publish(world, EVENT, {"n": 3, "seeker_id": f"{ERASED}-9"}, subject=KEPT)  # a longer id: not it
    poison = {by_subject, in_body, other}
    world.fail_on = lambda event: event.id in poison
    with world.consuming(_consumer(world)) as consumer:
        eventually(lambda: consumer.parked == 3, timeout=30, message="3 parked")
        assert _parked_ids(world) == poison

        request = _publish(world, REQUEST, {"erasure_id": "e-1", "seeker_id": ERASED, "services": [SERVICE]},
                           subject="e-1")
        eventually(lambda: world.calls.get(request) == 1, timeout=30, message="the erasure request applied")
        assert _parked_ids(world) == {other}

        # a request for another service (a retry naming only those that have not confirmed) drops nothing
        later = _publish(world, REQUEST, {"erasure_id": "e-2", "seeker_id": KEPT, "services": ["jobs"]},
                         subject="e-2")
        eventually(lambda: world.calls.get(later) == 1, timeout=30, message="the second request applied")
        assert _parked_ids(world) == {other}
