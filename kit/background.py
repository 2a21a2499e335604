"""Run a service's relay, consumer and tasks: as threads beside the web app (embedded mode) or
as the foreground of a `relay` / `worker` process (distributed mode), which then serves its own
/healthz and /metrics (kit.metrics) on the address it is given.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator

from kit import topology
from kit.consumer import Consumer
from kit.metrics import bus_probe, serve_health
from kit.publisher import make_publisher
from kit.relay import Relay

log = logging.getLogger("mypage.background")
READY_TIMEOUT = 30.0


def build_relay(runtime) -> Relay:
    """E2: the relay of `runtime`'s outbox, publishing to the configured broker and exchange."""
    publisher = make_publisher(runtime.settings.amqp_url, runtime.settings.exchange)
    relay = Relay(runtime.engine, runtime.outbox, publisher, clock=runtime.clock,
                  notify_channel=runtime.notify_channel)
    bus_probe(runtime).relays.append(relay)  # its counters and liveness in /metrics and /healthz
    return relay


def build_consumer(runtime) -> Consumer | None:
    """E2: the consumer of `runtime`'s queue, or None when the service subscribes to nothing."""
    if not runtime.subscriptions:
        return None
    consumer = Consumer(topology.connection(runtime.settings.amqp_url), service=runtime.name,
                        subscriptions=runtime.subscriptions, uow_factory=runtime.uow,
                        inbox_table=runtime.inbox, exchange_name=runtime.settings.exchange, clock=runtime.clock,
                        parking_ttl_days=runtime.settings.parking_ttl_days,
                        retry_delays=runtime.settings.retry_delays)
    bus_probe(runtime).consumers.append(consumer)
    return consumer


def start_background(runtime, stop: threading.Event) -> list[threading.Thread]:
    """Start the relay, the consumer (if any) and the service's tasks as daemon threads.

    Returns once the consumer's queue is declared and bound, so events published afterwards
    reach it (on memory:// an event with no queue bound is dropped).
    """
    relay = build_relay(runtime)
    runtime.on_commit(relay.wake)
    threads = [_thread(f"{runtime.name}-relay", relay.run_forever, stop)]
    consumer = build_consumer(runtime)
    if consumer is not None:
        threads.append(_thread(f"{runtime.name}-consumer", consumer.run_forever, stop))
        if not consumer.ready.wait(READY_TIMEOUT):
            log.warning("%s: consumer not ready after %.0f s; continuing", runtime.name, READY_TIMEOUT)
    for name, loop in runtime.tasks.items():
        threads.append(_thread(f"{runtime.name}-{name}", loop, stop))
    return threads


def run_relay(runtime, stop: threading.Event, *, health_bind: str | None = None) -> None:
    """Foreground relay loop until `stop` is set (`python -m services.<name> relay`); with
    `health_bind` (host:port) it serves /healthz and /metrics there meanwhile."""
    relay = build_relay(runtime)
    with _health(runtime, health_bind, "relay"):
        relay.run_forever(stop)


def run_consumer(runtime, stop: threading.Event, *, health_bind: str | None = None) -> None:
    """Foreground worker until `stop` is set: the consumer plus the service's tasks as threads;
    with `health_bind` it serves /healthz and /metrics there meanwhile."""
    tasks = [_thread(f"{runtime.name}-{name}", loop, stop) for name, loop in runtime.tasks.items()]
    consumer = build_consumer(runtime)
    with _health(runtime, health_bind, "worker"):
        if consumer is not None:
            consumer.run_forever(stop)
        else:
            stop.wait()
    for task in tasks:
        task.join(timeout=10)


@contextlib.contextmanager
def _health(runtime, bind: str | None, role: str) -> Iterator[None]:
    if bind is None:
        yield
        return
    server = serve_health(bus_probe(runtime), bind, role=role)
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()


def _thread(name: str, target, stop: threading.Event) -> threading.Thread:
    thread = threading.Thread(target=_guarded, args=(name, target, stop), name=name, daemon=True)
    thread.start()
    return thread


def _guarded(name: str, target, stop: threading.Event) -> None:
    # A background loop that dies would silently stop events or mail; log loudly and restart it.
    while not stop.is_set():
        try:
            target(stop)
            return
        except Exception:
            log.exception("%s crashed; restarting in 1 s", name)
            stop.wait(1.0)
