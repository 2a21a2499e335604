"""Run a service's relay and consumer: as threads beside the web app (embedded mode) or as
the foreground of a `relay` / `worker` process (distributed mode).

Interface only for now; the relay and consumer are being built in kit/relay.py and kit/consumer.py.
"""

from __future__ import annotations

import threading


def start_background(runtime, stop: threading.Event) -> list[threading.Thread]:
    """Start the relay and (if the service subscribes to anything) the consumer as daemon threads.

    They stop when `stop` is set. Used by the embedded mode for each of the five services.
    """
    raise NotImplementedError("wired up once kit.relay and kit.consumer land")


def run_relay(runtime, stop: threading.Event) -> None:
    """Foreground relay loop until `stop` is set."""
    raise NotImplementedError


def run_consumer(runtime, stop: threading.Event) -> None:
    """Foreground consumer loop until `stop` is set."""
    raise NotImplementedError
