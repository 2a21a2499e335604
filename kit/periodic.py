"""Periodic work as a runtime task (`Runtime.add_task`): a pass now, then one every `every`, until stopped.

A failed pass is logged and the loop goes on (a database outage must not end the task; the next pass
catches up). The loop waits on `stop`, never sleeps, so a stop ends the wait at once; the passes read the
runtime's clock, so tests move a FrozenClock and call a pass directly, or run the loop with a `stop`
whose `wait` records the waits.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

Task = Callable[[threading.Event], None]


def periodic(run: Callable[[], Any], every: float | timedelta, *, what: str, log: logging.Logger,
             wait_after: Callable[[Any], float] | None = None) -> Task:
    """`run()` now, then every `every` (seconds or a timedelta) until `stop` is set.

    `wait_after(result)`, when given, says how long to wait after a pass that succeeded (sooner while a
    backlog remains); after a failed pass the wait is always `every`.
    """
    seconds = every.total_seconds() if isinstance(every, timedelta) else float(every)

    def loop(stop: threading.Event) -> None:
        while not stop.is_set():
            wait = seconds
            try:
                result = run()
                if wait_after is not None:
                    wait = wait_after(result)
            except Exception:  # noqa: BLE001 — logged; the next pass tries again
                log.exception("%s failed; retrying in %.0f s", what, seconds)
            stop.wait(wait)

    return loop
