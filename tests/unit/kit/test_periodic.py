"""kit.periodic: a pass now, then one every `every`; a failed pass is logged and the loop goes on."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from kit.periodic import periodic

log = logging.getLogger("mypage.test.periodic")


class RecordingStop(threading.Event):
    """A stop that records each wait instead of waiting, and is set after `waits` of them."""

    def __init__(self, waits: int) -> None:
        super().__init__()
        self.limit, self.waits = waits, []

    def wait(self, timeout: float | None = None) -> bool:
        self.waits.append(timeout)
        if len(self.waits) >= self.limit:
            self.set()
        return self.is_set()


def test_a_pass_now_then_one_after_each_wait_of_every():
    passes = []
    stop = RecordingStop(waits=3)
    periodic(lambda: passes.append(len(stop.waits)), timedelta(minutes=5), what="a pass", log=log)(stop)
    assert passes == [0, 1, 2]  # the first before any wait
    assert stop.waits == [300.0, 300.0, 300.0]


def test_a_failed_pass_is_logged_and_the_next_one_runs(caplog):
    outcomes = iter([RuntimeError("database away"), None])

    def run():
        outcome = next(outcomes)
        if outcome is not None:
            raise outcome
        return "done"

    stop = RecordingStop(waits=2)
    periodic(run, 30, what="the sweep", log=log, wait_after=lambda result: 1.0)(stop)
    assert stop.waits == [30.0, 1.0]  # after a failure always `every`; after a success what wait_after says
    assert "the sweep failed; retrying in 30 s" in caplog.text and "database away" in caplog.text


def test_a_stop_set_before_the_start_runs_nothing():
    stop = RecordingStop(waits=1)
    stop.set()
    periodic(lambda: (_ for _ in ()).throw(AssertionError("ran")), 1, what="nothing", log=log)(stop)
    assert stop.waits == []
