"""What every process of a service tells Prometheus and its probes (DESIGN §8).

    probe = bus_probe(runtime)              # one per runtime: the outbox, the queues, the loops
    probe.relays.append(relay)              # kit.background does this for the loops it starts
    registry.register(BusCollector(probe, role="worker"))
    serve_health(probe, "127.0.0.1:9101", role="worker")   # /healthz and /metrics of a worker or relay

The bus gauges are read when Prometheus scrapes, from where the truth is: the outbox table
(`mypage_outbox_backlog`, `mypage_outbox_oldest_age_seconds`) and the broker
(`mypage_queue_messages{state="ready"}`, `mypage_parked_messages`). AMQP itself tells only the
ready count (a passive queue declare); the unacknowledged count, `state="unacked"`, comes from
RabbitMQ's management API when MYPAGE_RABBITMQ_API_URL names it (http://user:pass@host:15672,
a user with the `monitoring` tag). Without it, each worker still shows the deliveries it holds
unsettled (`mypage_consumer_unacked_messages`; sum it over a service's workers). The event
counters (`mypage_events_handled_total`, `…_published_total`, …) are the consumers' and relays'
own, so a process shows those of the loops it runs.

A gunicorn web has several processes: `enable_multiprocess()` (kit.cli's `web`) switches
prometheus-client to its multiprocess mode, so every worker's /metrics reads the same sums.

Liveness (§8): a relay is stalled when an unsent outbox row is older than `stall_after`
seconds and the relay has not completed a pass (published, found nothing due, or left the
outbox to the replica holding the lock) for as long; a worker when messages are ready in its
queue and its consumer loop has not turned for `stall_after` seconds.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import socketserver
import tempfile
import threading
import urllib.error
import urllib.request
import weakref
from base64 import b64encode
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from kombu import Connection
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest, values
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead
from sqlalchemy import Engine, Table, func, select

from kit import topology
from kit.clock import Clock, SystemClock
from kit.problem import Problem
from kit.settings import ConfigurationError

log = logging.getLogger("mypage.metrics")

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
STALL_ENV = "MYPAGE_STALL_SECONDS"
API_ENV = "MYPAGE_RABBITMQ_API_URL"
DEFAULT_STALL_SECONDS = 60.0
BROKER_TIMEOUT = 0.5  # a probe must answer well within a kubelet's 1 s default
API_TIMEOUT = 2.0


# -- several processes, one set of numbers -------------------------------------------------------

def enable_multiprocess() -> Callable[[], None]:
    """§8: prometheus-client's multiprocess mode for this process and the ones it forks.

    The directory is PROMETHEUS_MULTIPROC_DIR when set (one per web process tree), else a new
    temporary one; its files from an earlier run are removed. Call it before any metric is
    created — kit.cli does, before it builds the app. Returns the clean-up for the exit: the
    files go, and the directory too when it was made here.
    """
    given = os.environ.get(MULTIPROC_ENV)
    directory = Path(given or tempfile.mkdtemp(prefix="mypage-metrics-"))
    directory.mkdir(parents=True, exist_ok=True)
    _remove_files(directory)
    os.environ[MULTIPROC_ENV] = str(directory)
    # prometheus-client chose its value class when it was imported; metrics made from now on use this one
    values.ValueClass = values.get_value_class()
    if given:
        return lambda: _remove_files(directory)
    return lambda: shutil.rmtree(directory, ignore_errors=True)


def _remove_files(directory: Path) -> None:
    for stale in directory.glob("*.db"):
        stale.unlink(missing_ok=True)


def multiprocess_enabled() -> bool:
    return bool(os.environ.get(MULTIPROC_ENV))


def process_exited(pid: int) -> None:
    """§8: gunicorn's child_exit hook: drop the live gauges of a worker that is gone."""
    if multiprocess_enabled():
        mark_process_dead(pid)


def scrape_registry(own: CollectorRegistry | None = None) -> CollectorRegistry:
    """The registry /metrics renders: every process's metrics in multiprocess mode, else `own`."""
    if multiprocess_enabled():
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
        return registry
    return own if own is not None else CollectorRegistry()


# -- the bus, as one service sees it ---------------------------------------------------------------

def stall_seconds(environ: Mapping[str, str] | None = None) -> float:
    """§8: MYPAGE_STALL_SECONDS (default 60): how long work may wait without progress before liveness fails."""
    raw = (os.environ if environ is None else environ).get(STALL_ENV)
    if raw is None:
        return DEFAULT_STALL_SECONDS
    try:
        value = float(raw)
    except ValueError:
        value = 0.0
    if not value > 0:
        raise ConfigurationError(f"{STALL_ENV} must be a number of seconds greater than 0")
    return value


@dataclass
class OutboxState:
    backlog: int
    oldest_age: float  # seconds; 0 when nothing waits


@dataclass
class QueueState:
    ready: int | None  # None: the queue is not declared (yet)
    parked: int | None
    unacked: int | None = None  # None: only the management API tells it


@dataclass
class BusProbe:
    """§8: one service's outbox and queues, and the relays and consumers its process runs."""

    service: str
    engine: Engine
    outbox: Table | None  # None: a process that only consumes (the search node's indexer)
    amqp_url: str
    exchange: str
    consumes: bool
    clock: Clock = field(default_factory=SystemClock)
    stall_after: float = DEFAULT_STALL_SECONDS
    api_url: str | None = None  # RabbitMQ's management API, for the unacked counts
    relays: list = field(default_factory=list)
    consumers: list = field(default_factory=list)

    @classmethod
    def for_runtime(cls, runtime) -> BusProbe:
        settings = runtime.settings
        return cls(runtime.name, runtime.engine, runtime.outbox, settings.amqp_url, settings.exchange,
                   consumes=bool(runtime.subscriptions), clock=runtime.clock, stall_after=stall_seconds(),
                   api_url=os.environ.get(API_ENV) or None)

    @property
    def queue(self) -> str:
        return topology.queue_name(self.service, self.exchange)

    @property
    def parking_queue(self) -> str:
        return topology.parking_queue_name(self.service, self.exchange)

    def outbox_state(self) -> OutboxState:
        """E2/§8: unsent rows and the age of the oldest (the partial index on unsent ids answers both)."""
        table = self.outbox
        unsent = table.c.sent_at.is_(None)
        with self.engine.connect() as connection:
            backlog = connection.execute(select(func.count()).select_from(table).where(unsent)).scalar_one()
            oldest = connection.execute(
                select(table.c.created_at).where(unsent).order_by(table.c.id).limit(1)).scalar_one_or_none()
        return OutboxState(backlog, self._age(oldest))

    def queue_state(self) -> QueueState | None:
        """§8: messages in the service queue and its parking queue; None when it consumes nothing.

        From the management API when there is one (ready and unacked, as of its last statistics
        sample, every 5 s by default), else by passive declares (ready only)."""
        if not self.consumes:
            return None
        if self.api_url:
            vhost = self._vhost()
            queue, parking = (_api_queue(self.api_url, vhost, name) for name in (self.queue, self.parking_queue))
            return QueueState(queue and queue["messages_ready"], parking and parking["messages"],
                              queue and queue["messages_unacknowledged"])
        with self._broker() as connection:
            return QueueState(_ready(connection, self.queue), _ready(connection, self.parking_queue))

    def _vhost(self) -> str:
        return topology.connection(self.amqp_url).virtual_host or "/"

    def broker_status(self) -> str:
        """"ok" when the broker accepts a connection, else the error's name (readyz reports it)."""
        try:
            with self._broker():
                pass
        except Exception as error:  # noqa: BLE001 — reported, never raised
            return type(error).__name__
        return "ok"

    def stalled(self) -> str | None:
        """§8: why a relay or consumer of this process makes no progress while work waits, or None."""
        reasons = []
        if self.relays:
            age = self.outbox_state().oldest_age
            for relay in self.relays:
                idle = self._since(relay.last_progress)
                if age > self.stall_after and idle > self.stall_after:
                    reasons.append(f"relay: oldest unsent event {age:.0f} s old, no pass completed for {idle:.0f} s")
        for consumer in self.consumers:
            idle = self._since(consumer.last_progress)
            if idle <= self.stall_after:
                continue
            try:
                state = self.queue_state()
            except Exception:  # noqa: BLE001 — a broker that is down is not this worker's to fix
                continue
            if state is not None and state.ready:
                reasons.append(f"consumer: {state.ready} messages ready, its loop idle for {idle:.0f} s")
        return "; ".join(reasons) or None

    @contextlib.contextmanager
    def _broker(self) -> Iterator[Connection]:
        """A connection for one look at the broker: one attempt (kombu's connect() would wait 2 s to retry)."""
        with topology.connection(self.amqp_url).clone(connect_timeout=BROKER_TIMEOUT) as connection:
            connection.ensure_connection(max_retries=0)
            yield connection

    def _since(self, moment: datetime) -> float:
        return max(0.0, (self.clock.now() - moment).total_seconds())

    def _age(self, created: datetime | None) -> float:
        if created is None:
            return 0.0
        if created.tzinfo is None:  # SQLite keeps no offset; the outbox writes UTC
            created = created.replace(tzinfo=UTC)
        return self._since(created)


def _ready(connection, queue: str) -> int | None:
    """Ready messages of `queue` by a passive declare (which creates nothing); None when it does not exist."""
    channel = connection.channel()
    try:
        return channel.queue_declare(queue=queue, passive=True).message_count
    except connection.channel_errors:
        return None  # the broker closed the channel: nothing to close
    finally:
        with contextlib.suppress(*connection.channel_errors, *connection.connection_errors):
            channel.close()


def _api_queue(api_url: str, vhost: str, queue: str) -> dict | None:
    """One queue as RabbitMQ's management API shows it; None when it does not exist."""
    parts = urlsplit(api_url)
    address = parts._replace(netloc=parts.hostname + (f":{parts.port}" if parts.port else ""))
    url = f"{address.geturl().rstrip('/')}/api/queues/{quote(vhost, safe='')}/{quote(queue, safe='')}"
    credentials = b64encode(f"{unquote(parts.username or '')}:{unquote(parts.password or '')}".encode()).decode()
    request = urllib.request.Request(url, headers={"Authorization": f"Basic {credentials}"})
    try:
        with urllib.request.urlopen(request, timeout=API_TIMEOUT) as response:
            document = json.load(response)
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return None
        raise
    # a queue declared since the last statistics sample has no counts yet
    return {key: document.get(key, 0) for key in ("messages", "messages_ready", "messages_unacknowledged")}


_probes: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_probes_lock = threading.Lock()


def bus_probe(runtime) -> BusProbe:
    """§8: the one BusProbe of `runtime` (the web app and the background loops share it)."""
    with _probes_lock:
        probe = _probes.get(runtime)
        if probe is None:
            probe = _probes[runtime] = BusProbe.for_runtime(runtime)
        return probe


class BusCollector:
    """§8: the bus metrics of one service, read at scrape time (a custom prometheus collector)."""

    def __init__(self, probe: BusProbe, *, role: str) -> None:
        self.probe = probe
        self.role = role

    def describe(self) -> list:
        return []  # read at scrape time only: never at registration, when the database may be down

    def collect(self) -> Iterator:
        probe, labels = self.probe, [self.probe.service]
        yield from self._outbox(labels)
        yield from self._queues(labels)
        yield from self._counters(labels)
        stalled = GaugeMetricFamily("mypage_stalled", "1 when a relay or consumer makes no progress while work waits",
                                    labels=["service", "role"])
        if probe.relays or probe.consumers:
            stalled.add_metric([probe.service, self.role], 1.0 if self._safe(probe.stalled) else 0.0)
        yield stalled

    def _outbox(self, labels: list[str]) -> Iterator:
        state = self._safe(self.probe.outbox_state) if self.probe.outbox is not None else None
        backlog = GaugeMetricFamily("mypage_outbox_backlog", "outbox rows not yet confirmed by the broker",
                                    labels=["service"])
        age = GaugeMetricFamily("mypage_outbox_oldest_age_seconds", "age of the oldest unsent outbox row (0: none)",
                                labels=["service"])
        if state is not None:
            backlog.add_metric(labels, state.backlog)
            age.add_metric(labels, state.oldest_age)
        yield from (backlog, age)

    def _queues(self, labels: list[str]) -> Iterator:
        probe = self.probe
        up = GaugeMetricFamily("mypage_broker_up", "1 when the broker answered this scrape", labels=["service"])
        messages = GaugeMetricFamily("mypage_queue_messages", "messages in the service queue, ready or unacked "
                                     "(unacked: with the management API)", labels=["service", "queue", "state"])
        held = GaugeMetricFamily("mypage_consumer_unacked_messages", "deliveries this process's consumer holds "
                                 "unsettled", labels=["service"])
        parked = GaugeMetricFamily("mypage_parked_messages", "messages waiting in the parking queue",
                                   labels=["service", "queue"])
        try:
            state = probe.queue_state()
            up.add_metric(labels, 1.0)
        except Exception as error:  # noqa: BLE001 — a scrape reports the broker down, never fails
            log.debug("metrics: broker not answering: %r", error)
            state = None
            up.add_metric(labels, 0.0)
        for value, state_label in ((state and state.ready, "ready"), (state and state.unacked, "unacked")):
            if value is not None:
                messages.add_metric([probe.service, probe.queue, state_label], value)
        if state is not None and state.parked is not None:
            parked.add_metric([probe.service, probe.parking_queue], state.parked)
        if probe.consumers:
            held.add_metric(labels, sum(consumer.unacked for consumer in probe.consumers))
        yield from (up, messages, parked, held)

    def _counters(self, labels: list[str]) -> Iterator:
        probe = self.probe
        for name, what, loops, attribute in (
            ("mypage_events_published", "events the broker confirmed (relay)", probe.relays, "published"),
            ("mypage_events_handled", "events whose handler committed (duplicates excluded)", probe.consumers,
             "handled"),
            ("mypage_events_duplicates", "deliveries skipped as already handled", probe.consumers, "duplicates"),
            ("mypage_events_retried", "failed deliveries sent back for another attempt", probe.consumers, "retried"),
            ("mypage_events_parked", "messages moved to the parking queue", probe.consumers, "parked"),
        ):
            family = CounterMetricFamily(name, what, labels=["service"])
            if loops:
                family.add_metric(labels, sum(getattr(loop, attribute) for loop in loops))
            yield family

    @staticmethod
    def _safe(read):
        try:
            return read()
        except Exception as error:  # noqa: BLE001 — a scrape omits what it cannot read
            log.warning("metrics: %s failed: %r", getattr(read, "__name__", read), error)
            return None


# -- /healthz and /metrics of a worker or relay ---------------------------------------------------

class _Server(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args) -> None:  # noqa: A002 — the base class's signature
        pass  # a probe every few seconds is not worth a log line


def health_app(probe: BusProbe, registry: CollectorRegistry):
    """§8: a WSGI app with /healthz (503 when stalled, with the reason) and /metrics."""

    def app(environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == "/metrics":
            start_response("200 OK", [("Content-Type", CONTENT_TYPE_LATEST)])
            return [generate_latest(registry)]
        if path == "/healthz":
            reason = BusCollector._safe(probe.stalled)
            body = {"status": "stalled", "reason": reason} if reason else {"status": "ok"}
            status = "503 Service Unavailable" if reason else "200 OK"
            start_response(status, [("Content-Type", "application/json")])
            return [json.dumps(body, ensure_ascii=False).encode()]
        problem = Problem("not-found").to_dict(english=False, instance=path)
        start_response("404 Not Found", [("Content-Type", "application/problem+json"), ("Content-Language", "ja")])
        return [json.dumps(problem, ensure_ascii=False).encode()]

    return app


def serve_health(probe: BusProbe, bind: str, *, role: str) -> WSGIServer:
    """§8: serve /healthz and /metrics of this worker or relay on `bind` (host:port; port 0 picks one)
    from a daemon thread; `server.server_port` is the port, `server.shutdown()` stops it."""
    host, _, port = bind.rpartition(":")
    registry = CollectorRegistry()
    registry.register(BusCollector(probe, role=role))
    server = make_server(host or "127.0.0.1", int(port), health_app(probe, registry),
                         server_class=_Server, handler_class=_QuietHandler)
    threading.Thread(target=server.serve_forever, name=f"{probe.service}-{role}-health", daemon=True).start()
    log.info("%s %s: health and metrics on http://%s:%d", probe.service, role, host or "127.0.0.1",
             server.server_port)
    return server
