"""The retention service's periodic work (R2, R3), as runtime tasks of its worker process (and of
the embedded mode): the five-year sweep and the re-sending of unconfirmed erasure requests.

Each loop runs a pass now, then waits on `stop` (never a sleep: a stop ends the wait at once);
the rules read the runtime's clock, so tests move a FrozenClock and call a pass directly.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from kit.periodic import Task, periodic
from services.retention import commands, domain

log = logging.getLogger("mypage.retention")

SWEEP_TASK = "five-year-sweep"
RETRY_TASK = "erasure-retry"


def sweep_task(runtime, every: timedelta) -> Task:
    """R2 as a runtime task: sweep now, then every `every`."""
    return periodic(lambda: commands.sweep(runtime), every, what="R2 sweep", log=log)


def retry_task(runtime, interval: timedelta, every: timedelta,
               final_round_delay: timedelta = domain.DEFAULT_FINAL_ROUND_DELAY) -> Task:
    """R3 as a runtime task: every `every`, re-send requests unconfirmed for `interval` or longer and
    ask the final round of erasures whose round 1 completed `final_round_delay` ago."""
    return periodic(lambda: commands.retry_unconfirmed(runtime, interval, final_round_delay=final_round_delay),
                    every, what="R3 retry pass", log=log)
