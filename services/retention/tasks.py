"""The retention service's periodic work (R2, R3), as runtime tasks of its worker process (and of
the embedded mode): the five-year sweep and the re-sending of unconfirmed erasure requests.

Each loop runs a pass now, then waits on `stop` (never a sleep: a stop ends the wait at once);
the rules read the runtime's clock, so tests move a FrozenClock and call a pass directly.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import timedelta

from services.retention import commands, domain

log = logging.getLogger("mypage.retention")

SWEEP_TASK = "five-year-sweep"
RETRY_TASK = "erasure-retry"


def sweep_task(runtime, every: timedelta) -> Callable[[threading.Event], None]:
    """R2 as a runtime task: sweep now, then every `every`."""

    def loop(stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                commands.sweep(runtime)
            except Exception:  # noqa: BLE001 — a database outage must not end the task; the next pass catches up
                log.exception("R2 sweep failed; retrying in %.0f s", every.total_seconds())
            stop.wait(every.total_seconds())

    return loop


def retry_task(runtime, interval: timedelta, every: timedelta,
               final_round_delay: timedelta = domain.DEFAULT_FINAL_ROUND_DELAY) -> Callable[[threading.Event], None]:
    """R3 as a runtime task: every `every`, re-send requests unconfirmed for `interval` or longer and
    ask the final round of erasures whose round 1 completed `final_round_delay` ago."""

    def loop(stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                commands.retry_unconfirmed(runtime, interval, final_round_delay=final_round_delay)
            except Exception:  # noqa: BLE001 — as above
                log.exception("R3 retry pass failed; retrying in %.0f s", every.total_seconds())
            stop.wait(every.total_seconds())

    return loop
