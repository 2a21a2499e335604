"""pytest plugin (enabled in pyproject with `-p kit.testing.plugin`): servers, buses, clocks, waiters.

Where the servers come from, in order:
1. MYPAGE_TEST_AMQP_URL / MYPAGE_TEST_DATABASE_URL;
2. the local servers (127.0.0.1:5672, 127.0.0.1:5432) when they answer;
3. testcontainers (rabbitmq:3.13-management, postgres:16) when a Docker engine runs;
4. otherwise the test is skipped with the reason — except under CI=true, where the local
   servers are started (`rabbitmq-server -detached`, `pg_ctlcluster ... start`) and a server
   that still cannot be had is a failure, never a skip.

Isolation: every test gets its own exchange name (so its own queues, see kit.topology) and,
through `database_url`, its own PostgreSQL database, dropped afterwards.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import NoReturn
from urllib.parse import urlsplit

import pytest

from kit import topology
from kit.clock import FrozenClock
from kit.events import Event
from kit.settings import SERVICES

LOCAL_AMQP_URL = "amqp://guest:guest@127.0.0.1:5672/"
LOCAL_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
RABBITMQ_IMAGE = "rabbitmq:3.13-management"
POSTGRES_IMAGE = "postgres:16"
LOCAL_REDIS_URL = "redis://127.0.0.1:6379"
REDIS_IMAGE = "redis:7"
SERVER_START_TIMEOUT = 90.0


# -- waiting without sleeping ---------------------------------------------------------------------

def eventually(condition: Callable[[], object], timeout: float = 10.0, *, interval: float = 0.01,
               message: str = "condition") -> object:
    """Return the first truthy `condition()`; fail the test if none comes within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            pytest.fail(f"timed out after {timeout:.1f} s waiting for {message}")
        pause.wait(interval)


# -- server discovery -------------------------------------------------------------------------------

def _under_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _reachable(url: str, default_port: int, timeout: float = 1.0) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or default_port), timeout):
            return True
    except OSError:
        return False


def _docker_engine_running() -> bool:
    if shutil.which("docker") is None:
        return False
    try:
        return subprocess.run(["docker", "info"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def _wait_reachable(url: str, port: int, timeout: float = SERVER_START_TIMEOUT) -> bool:
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while time.monotonic() < deadline:
        if _reachable(url, port):
            return True
        pause.wait(0.5)
    return False


@dataclass
class _Server:
    """How one kind of server is found; `resolve()` returns a URL or the reason there is none."""

    kind: str
    env: str
    local_url: str
    port: int
    start_local: list[str]
    container: Callable[[], tuple[str, Callable[[], None]]]
    stoppers: list[Callable[[], None]] = field(default_factory=list)

    def resolve(self) -> tuple[str | None, str]:
        if os.environ.get(self.env):
            return os.environ[self.env], ""
        if _reachable(self.local_url, self.port):
            return self.local_url, ""
        if _docker_engine_running():
            try:
                url, stop = self.container()
            except Exception as error:  # noqa: BLE001 — reported as the reason below
                reason = f"testcontainers could not start {self.kind}: {error!r}"
            else:
                self.stoppers.append(stop)
                return url, ""
        else:
            reason = f"no {self.kind}: set {self.env}, start one on {self.local_url}, or run a Docker engine"
        if _under_ci():
            return self._start_local(reason)
        return None, reason

    def _start_local(self, reason: str) -> tuple[str | None, str]:
        try:
            subprocess.run(self.start_local, capture_output=True, timeout=SERVER_START_TIMEOUT, check=False)
        except (OSError, subprocess.TimeoutExpired) as error:
            return None, f"{reason}; starting the local {self.kind} failed: {error!r}"
        if _wait_reachable(self.local_url, self.port):
            return self.local_url, ""
        return None, f"{reason}; `{' '.join(self.start_local)}` did not bring it up"


def _rabbitmq_container() -> tuple[str, Callable[[], None]]:
    from testcontainers.rabbitmq import RabbitMqContainer

    container = RabbitMqContainer(RABBITMQ_IMAGE).start()
    host, port = container.get_container_host_ip(), container.get_exposed_port(5672)
    return f"amqp://guest:guest@{host}:{port}/", container.stop


def _postgres_container() -> tuple[str, Callable[[], None]]:
    from testcontainers.postgres import PostgresContainer

    container = PostgresContainer(POSTGRES_IMAGE, driver=None).start()
    return container.get_connection_url(), container.stop


def unavailable(reason: str) -> NoReturn:
    """Something a test needs is missing: skip saying why — a failure under CI=true."""
    if _under_ci():
        pytest.fail(f"CI=true and {reason}", pytrace=False)
    pytest.skip(reason)


def _resolved(server: _Server) -> str:
    url, reason = server.resolve()
    if url is None:
        unavailable(reason)
    return url


@pytest.fixture(scope="session")
def _amqp_server() -> Iterator[_Server]:
    server = _Server("RabbitMQ", "MYPAGE_TEST_AMQP_URL", LOCAL_AMQP_URL, 5672,
                     ["rabbitmq-server", "-detached"], _rabbitmq_container)
    yield server
    for stop in server.stoppers:
        stop()


@pytest.fixture(scope="session")
def _postgres_server() -> Iterator[_Server]:
    server = _Server("PostgreSQL", "MYPAGE_TEST_DATABASE_URL", LOCAL_DATABASE_URL, 5432,
                     ["pg_ctlcluster", "--skip-systemctl-redirect", "15", "main", "start"],
                     _postgres_container)
    yield server
    for stop in server.stoppers:
        stop()


@pytest.fixture(scope="session")
def _amqp_server_url(_amqp_server) -> str:
    return _resolved(_amqp_server)


@pytest.fixture(scope="session")
def _postgres_server_url(_postgres_server) -> str:
    return _resolved(_postgres_server)


def _redis_container() -> tuple[str, Callable[[], None]]:
    from testcontainers.redis import RedisContainer

    container = RedisContainer(REDIS_IMAGE).start()
    return f"redis://{container.get_container_host_ip()}:{container.get_exposed_port(6379)}", container.stop


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A Redis URL (the gateway's shared rate-limit storage): MYPAGE_TEST_REDIS_URL, the local server,
    or testcontainers; skipped without one, a failure under CI=true."""
    server = _Server("Redis", "MYPAGE_TEST_REDIS_URL", LOCAL_REDIS_URL, 6379,
                     ["redis-server", "--daemonize", "yes", "--save", ""], _redis_container)
    yield _resolved(server)
    for stop in server.stoppers:
        stop()


# -- per-test fixtures ------------------------------------------------------------------------------

@pytest.fixture
def frozen_clock() -> FrozenClock:
    """A clock that moves only when the test says so (2026-11-26 09:00 UTC)."""
    return FrozenClock()


@pytest.fixture
def exchange_name() -> str:
    """An exchange of this test's own; queues derive from it, so tests never see each other."""
    return f"test-{uuid.uuid4().hex[:12]}.events"


@dataclass(frozen=True)
class Bus:
    url: str
    exchange: str


@pytest.fixture
def memory_bus(exchange_name) -> Iterator[Bus]:
    """kombu's in-process transport with this test's exchange; its queues are removed afterwards."""
    yield Bus("memory://", exchange_name)
    _forget_memory_entities(exchange_name)


@pytest.fixture
def amqp_url(_amqp_server_url, exchange_name) -> Iterator[str]:
    """A RabbitMQ URL; the test's exchange and the service queues derived from it are deleted after."""
    yield _amqp_server_url
    _delete_amqp_entities(_amqp_server_url, exchange_name)


@pytest.fixture
def amqp_bus(amqp_url, exchange_name) -> Bus:
    """RabbitMQ with this test's exchange."""
    return Bus(amqp_url, exchange_name)


@pytest.fixture
def database_url(new_database_url) -> str:
    """A fresh PostgreSQL database for this test alone (SQLAlchemy URL), dropped afterwards."""
    return new_database_url()


@pytest.fixture
def new_database_url(_postgres_server_url) -> Iterator[Callable[[], str]]:
    """new_database_url() -> another fresh PostgreSQL database for this test (e.g. one per service, as in
    production); every one is dropped afterwards."""
    import psycopg

    names: list[str] = []

    def create() -> str:
        name = f"test_{uuid.uuid4().hex[:16]}"
        with psycopg.connect(_postgres_server_url, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        names.append(name)
        return urlsplit(_postgres_server_url)._replace(scheme="postgresql", path=f"/{name}").geturl()

    yield create
    with psycopg.connect(_postgres_server_url, autocommit=True) as admin:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class WaitedEvent:
    """Filled in when the waiter's block ends: the event that arrived."""

    event: Event | None = None


@pytest.fixture
def wait_for_event(exchange_name):
    """Block until an event of a type is published on this test's exchange — never `sleep`.

        with wait_for_event("jobs.favourite.added.v1", timeout=5) as waited:
            client.put("/api/v1/me/favourites/...")
        assert waited.event.data["job_number"] == ...

    The temporary queue is bound on entering the block, so the event cannot be missed; pass
    `url=amqp_url` to wait on RabbitMQ instead of `memory://`.
    """

    @contextlib.contextmanager
    def waiter(event_type: str, timeout: float = 5.0, *, url: str = "memory://") -> Iterator[WaitedEvent]:
        from kombu import Consumer, Queue

        waited = WaitedEvent()
        name = f"{topology.queue_prefix(exchange_name)}.waiter-{uuid.uuid4().hex[:8]}"
        with topology.connection(url) as conn:
            queue = Queue(name, exchange=topology.events_exchange(exchange_name), routing_key=event_type,
                          durable=False, auto_delete=True)(conn.default_channel)
            queue.declare()
            try:
                yield waited
                arrived: list[Event] = []

                def receive(message) -> None:
                    arrived.append(Event.from_json(message.body))
                    message.ack()

                with Consumer(conn, queues=[queue], on_message=receive):
                    deadline = time.monotonic() + timeout
                    while not arrived:
                        remaining = deadline - time.monotonic()
                        if remaining <= 0:
                            pytest.fail(f"no {event_type} event within {timeout:.1f} s")
                        with contextlib.suppress(socket.timeout):
                            conn.drain_events(timeout=remaining)
                waited.event = arrived[0]
            finally:
                with contextlib.suppress(Exception):
                    queue.delete()

    return waiter


# -- clean-up -------------------------------------------------------------------------------------

_CLEANED_SERVICES = (*SERVICES, "test", "bench")


def _delete_amqp_entities(url: str, exchange_name: str) -> None:
    with contextlib.suppress(Exception), topology.connection(url) as conn:
        channel = conn.default_channel
        for service in _CLEANED_SERVICES:
            channel.queue_delete(topology.queue_name(service, exchange_name))
            channel.queue_delete(topology.parking_queue_name(service, exchange_name))
            for delay in topology.RETRY_DELAYS:  # other delays' retry queues expire by themselves (x-expires)
                channel.queue_delete(topology.retry_queue_name(service, delay, exchange_name))
        channel.queue_delete(topology.archive_queue_name(exchange_name))
        channel.queue_delete(topology.discard_queue_name(exchange_name))
        channel.exchange_delete(topology.dead_letter_exchange(exchange_name).name)
        channel.exchange_delete(exchange_name)


def _forget_memory_entities(exchange_name: str) -> None:
    from kombu.transport import memory

    prefix = topology.queue_prefix(exchange_name) + "."
    for name in [name for name in memory.Channel.queues if name.startswith(prefix)]:
        memory.Channel.queues.pop(name, None)
    exchanges = memory.Transport.global_state.exchanges
    for name in (exchange_name, topology.dead_letter_exchange(exchange_name).name):
        exchanges.pop(name, None)


# -- search nodes (DESIGN §9) -----------------------------------------------------------------------


@pytest.fixture
def groonga() -> Iterator:
    """A private Groonga server (kit.testing.servers.PrivateGroonga) with an empty database, for one test;
    skipped where Groonga is not installed (Debian's groonga-bin) — a failure under CI=true."""
    from kit.testing.servers import PrivateGroonga

    if shutil.which(PrivateGroonga.binary) is None:
        unavailable("Groonga is not installed (apt-get install groonga-bin)")
    with PrivateGroonga() as server:
        yield server


@pytest.fixture
def groonga_url(groonga) -> str:
    """The URL of `groonga` (MYPAGE_SEARCH_URL of a jobs service under test)."""
    return groonga.url
