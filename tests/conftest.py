"""Every test is marked by the folder it is filed in (tests/README.md): `pytest -m component`,
`-m "not integration"` … select by what the tests touch, and nobody has to remember the marker.

Shared test harness for the event bus: a tiny "test" service with outbox, inbox and an effects table.

    world = bus_world("sqlite:///...", memory_bus)       # or database_url + amqp_bus
    world.emit(100)                                      # 100 events in one transaction
    with world.consuming():                              # consumer thread
        with world.relaying():                           # relay thread
            eventually(lambda: world.effects() == 100)
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from kombu import Queue
from sqlalchemy import Column, Integer, MetaData, String, Table, func, insert, select

from kit import topology
from kit.clock import Clock, SystemClock
from kit.consumer import Consumer
from kit.db import make_engine, make_session_factory
from kit.events import Event, EventSpec
from kit.inbox import inbox_table
from kit.outbox import notify_channel, outbox_table
from kit.publisher import make_publisher
from kit.relay import Relay
from kit.uow import UnitOfWork

SERVICE = "test"
NOTED = "test.thing.noted.v1"

TESTS = Path(__file__).parent
KINDS = ("unit", "component", "integration", "contract", "e2e", "resilience")  # tests/<kind>/
# kit.testing.plugin's fixtures that reach a real server: a test using one is filed under integration
SERVERS = {"_postgres_server_url", "_amqp_server_url", "redis_url", "groonga", "managed_rabbit"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test with its folder's kind (tests/unit/… → unit); refuse a unit or component test
    that reaches a real server."""
    misfiled = []
    for item in items:
        parts = item.path.relative_to(TESTS).parts if item.path.is_relative_to(TESTS) else ()
        if parts and parts[0] in KINDS:
            item.add_marker(parts[0])
            if parts[0] in ("unit", "component") and SERVERS & set(getattr(item, "fixturenames", ())):
                misfiled.append(item.nodeid)
    if misfiled:
        raise pytest.UsageError("these tests reach a real server, so they belong under tests/integration "
                                "(tests/README.md): " + ", ".join(misfiled))


class BusWorld:
    """One database + one bus: emit events through the outbox, relay them, consume them."""

    def __init__(self, database_url: str, bus, *, clock: Clock | None = None, **relay_options) -> None:
        self.bus = bus
        self.clock = clock or SystemClock()
        self.engine = make_engine(database_url)
        self.metadata = MetaData()
        self.outbox = outbox_table(self.metadata)
        self.inbox = inbox_table(self.metadata)
        self.effects_table = Table(
            "effects", self.metadata,
            Column("id", Integer, primary_key=True, autoincrement=True),
            Column("event_id", String(36), nullable=False),
            Column("value", Integer, nullable=True),
        )
        self.metadata.create_all(self.engine)
        self.sessions = make_session_factory(self.engine)
        self.channel = notify_channel(SERVICE) if self.engine.dialect.name == "postgresql" else None
        self.relay = self.make_relay(**relay_options)
        self.fail_on: Callable[[Event], bool] = lambda event: False
        self.calls: dict[str, int] = {}
        self._calls_lock = threading.Lock()
        self.consumers: list[Consumer] = []

    # -- producing --------------------------------------------------------------------------------

    def make_relay(self, *, publisher=None, **options) -> Relay:
        publisher = publisher or make_publisher(self.bus.url, self.bus.exchange)
        return Relay(self.engine, self.outbox, publisher, clock=self.clock, notify_channel=self.channel,
                     **options)

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.sessions, outbox=self.outbox, clock=self.clock, source="/test",
                          notify_channel=self.channel, on_commit=[self.relay.wake])

    def emit(self, count: int = 1, *, event_type: str = NOTED, start: int = 0) -> list[str]:
        """Commit `count` events in one transaction; return their ids."""
        spec = EventSpec(event_type, _AnySchema, "a test event")
        with self.uow() as uow:
            ids = [uow.publish(spec, {"n": start + i}, subject=f"s-{start + i}").id for i in range(count)]
            uow.commit()
        return ids

    def unsent(self) -> int:
        return self.relay.backlog()

    def outbox_rows(self):
        with self.engine.connect() as conn:
            return conn.execute(select(self.outbox).order_by(self.outbox.c.id)).all()

    # -- consuming --------------------------------------------------------------------------------

    def handle(self, event: Event, uow: UnitOfWork) -> None:
        """The test service's handler: one effect row per event; raises for events `fail_on` picks."""
        with self._calls_lock:
            self.calls[event.id] = self.calls.get(event.id, 0) + 1
        if self.fail_on(event):
            raise RuntimeError(f"poison {event.id}")
        uow.session.execute(insert(self.effects_table).values(event_id=event.id, value=event.data.get("n")))

    def make_consumer(self, consumer_class: type[Consumer] = Consumer, **options) -> Consumer:
        consumer = consumer_class(
            topology.connection(self.bus.url), service=SERVICE, subscriptions={NOTED: self.handle},
            uow_factory=self.uow, inbox_table=self.inbox, exchange_name=self.bus.exchange, **options,
        )
        self.consumers.append(consumer)
        return consumer

    def declare(self) -> None:
        """Declare the test service's queues, so events published from now on are routable."""
        with topology.connection(self.bus.url) as conn:
            topology.declare(conn, SERVICE, [NOTED], exchange_name=self.bus.exchange)

    def parked(self) -> list:
        """The messages in the test service's parking queue, taken off it (oldest first)."""
        with topology.connection(self.bus.url) as conn:
            queue = Queue(topology.parking_queue_name(SERVICE, self.bus.exchange))(conn.default_channel)
            messages = []
            while (message := queue.get(no_ack=True)) is not None:
                messages.append(message)
            return messages

    @contextlib.contextmanager
    def consuming(self, consumer: Consumer | None = None, **options) -> Iterator[Consumer]:
        consumer = consumer or self.make_consumer(**options)
        thread = threading.Thread(target=consumer.run, name="test-consumer", daemon=True)
        thread.start()
        if not consumer.ready.wait(30):
            consumer.stop()
            raise AssertionError("consumer did not start")
        try:
            yield consumer
        finally:
            consumer.stop()
            thread.join(30)
            consumer.connection.release()

    @contextlib.contextmanager
    def relaying(self, relay: Relay | None = None) -> Iterator[Relay]:
        relay = relay or self.relay
        stop = threading.Event()
        thread = threading.Thread(target=relay.run_forever, args=(stop,), name="test-relay", daemon=True)
        thread.start()
        try:
            yield relay
        finally:
            stop.set()
            relay.wake()
            thread.join(30)

    def effects(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(self.effects_table)).scalar_one()

    def distinct_effects(self) -> int:
        with self.engine.connect() as conn:
            statement = select(func.count(func.distinct(self.effects_table.c.event_id)))
            return conn.execute(statement).scalar_one()

    def inbox_ids(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count(func.distinct(self.inbox.c.event_id)))).scalar_one()

    def close(self) -> None:
        self.relay._publisher.close()
        self.engine.dispose()


class _AnySchema:
    """A permissive payload schema (EventSpec.payload only needs validate/load/dump)."""

    def validate(self, data):
        return {}

    def load(self, data):
        return data

    def dump(self, data):
        return data


@pytest.fixture
def bus_world() -> Iterator[Callable[..., BusWorld]]:
    """Factory of BusWorld objects, closed after the test."""
    worlds: list[BusWorld] = []

    def make(database_url: str, bus, **options) -> BusWorld:
        world = BusWorld(database_url, bus, **options)
        worlds.append(world)
        return world

    yield make
    for world in worlds:
        world.close()
