"""R2: the five-year sweep over what profile's events said, as a runtime task and as
`python -m services.retention sweep`."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from kit.clock import FrozenClock
from kit.settings import ROOT, ConfigurationError, Settings
from kit.testing.services import migrated_runtime, outbox_envelopes
from services.retention import commands
from services.retention.app import build_runtime
from services.retention.config import RetentionOptions, load_options
from services.retention.models import Erasure, RegistrationRow
from services.retention.tasks import SWEEP_TASK

EVE = "2026-11-26T14:59:59+00:00"  # 2026-11-26 23:59:59 in Japan
DAY = "2026-11-26T15:00:00+00:00"  # 2026-11-27 00:00:00 in Japan


def _requested_ids(requests) -> list[str]:
    return [envelope["data"]["seeker_id"] for envelope in requests()]


def test_r2_invalid_on_2021_11_27_is_kept_on_2026_11_26_and_erased_on_2026_11_27(
        runtime, clock, invalidate, requests, new_seeker_id):
    seeker = new_seeker_id()
    invalidate(seeker, "2021-11-27")
    clock.set(EVE)
    assert commands.sweep(runtime) == 0
    assert requests() == []
    clock.set(DAY)
    assert commands.sweep(runtime) == 1
    [request] = requests()
    assert request["data"]["seeker_id"] == seeker
    assert request["data"]["reason"] == "retention_5y"
    assert request["data"]["services"] == ["auth", "profile", "jobs", "messaging"]
    assert request["subject"] == request["data"]["erasure_id"]  # the inbox of a service never keeps the seeker id


def test_r2_leap_day_invalid_2024_02_29_is_erased_on_2029_03_01(runtime, clock, invalidate, requests,
                                                                  new_seeker_id):
    seeker = new_seeker_id()
    invalidate(seeker, "2024-02-29")
    clock.set("2029-02-28T14:59:59+00:00")  # the last second of 28 February in Japan
    assert commands.sweep(runtime) == 0
    clock.set("2029-02-28T15:00:00+00:00")  # 1 March 00:00 in Japan
    assert commands.sweep(runtime) == 1
    assert _requested_ids(requests) == [seeker]


def test_r2_a_reapplication_cancels_the_five_years(runtime, clock, invalidate, validate, requests, new_seeker_id):
    reapplied, still_invalid = new_seeker_id(), new_seeker_id()
    invalidate(reapplied, "2021-01-10")
    invalidate(still_invalid, "2021-01-10")
    validate(reapplied, "2021-06-01T00:00:00+00:00")
    clock.set(DAY)
    assert commands.sweep(runtime) == 1
    assert _requested_ids(requests) == [still_invalid]


def test_r2_invalid_again_after_a_reapplication_counts_from_the_new_day(runtime, clock, invalidate, validate,
                                                                        requests, new_seeker_id):
    seeker = new_seeker_id()
    invalidate(seeker, "2020-01-10")
    validate(seeker, "2021-01-01T00:00:00+00:00")
    invalidate(seeker, "2022-03-01")
    clock.set(DAY)
    assert commands.sweep(runtime) == 0
    clock.set("2027-02-28T15:00:00+00:00")  # 2027-03-01 in Japan
    assert commands.sweep(runtime) == 1


def test_r2_a_late_older_invalid_event_is_ignored(runtime, clock, invalidate, validate, requests, new_seeker_id):
    seeker = new_seeker_id()
    validate(seeker, "2021-06-01T00:00:00+00:00")
    invalidate(seeker, "2021-01-10", at="2021-01-10T00:00:00+00:00")  # older: arrives late
    with runtime.uow() as uow:
        row = uow.session.get(RegistrationRow, seeker)
        assert row.invalid_since is None
    clock.set(DAY)
    assert commands.sweep(runtime) == 0


def test_r2_a_late_older_valid_event_does_not_clear_a_newer_invalid_one(runtime, clock, invalidate, validate,
                                                                        requests, new_seeker_id):
    seeker = new_seeker_id()
    invalidate(seeker, "2021-06-01", at="2021-06-01T00:00:00+00:00")
    validate(seeker, "2021-01-01T00:00:00+00:00")  # older: arrives late
    clock.set(DAY)
    assert commands.sweep(runtime) == 1
    assert _requested_ids(requests) == [seeker]


def test_r2_an_extension_is_a_valid_registration(runtime, clock, invalidate, deliver, requests, new_seeker_id):
    seeker = new_seeker_id()
    invalidate(seeker, "2021-01-10")
    deliver("profile.registration.extended.v1", {"seeker_id": seeker, "seeker_number": "11040-12345678",
                                                 "kind": "registered", "valid_until": "2021-04-30",
                                                 "reason": "counselling"}, at="2021-02-01T00:00:00+00:00")
    clock.set(DAY)
    assert commands.sweep(runtime) == 0


def test_r2_without_invalidated_on_the_event_day_in_japan_counts(runtime, clock, deliver, new_seeker_id):
    seeker = new_seeker_id()
    deliver("profile.registration.invalidated.v1", {"seeker_id": seeker, "reason": "seeker"},
            at="2021-11-26T15:30:00+00:00")  # 2021-11-27 00:30 in Japan
    with runtime.uow() as uow:
        assert uow.session.get(RegistrationRow, seeker).invalid_since == date(2021, 11, 27)


def test_r2_sweeping_again_asks_nothing_new_while_the_erasure_runs(runtime, clock, invalidate, requests,
                                                                   new_seeker_id):
    invalidate(new_seeker_id(), "2021-01-10")
    clock.set(DAY)
    assert commands.sweep(runtime) == 1
    assert commands.sweep(runtime) == 0
    assert len(requests()) == 1


def test_r2_the_sweep_goes_in_bounded_batches(runtime, clock, invalidate, requests, new_seeker_id):
    seekers = {new_seeker_id() for _ in range(5)}
    for seeker in seekers:
        invalidate(seeker, "2021-01-10")
    clock.set(DAY)
    assert commands.sweep(runtime, batch=2, max_batches=1) == 2  # a pass stops at its cap …
    assert commands.sweep(runtime, batch=2) == 3  # … and the next one takes the rest
    assert set(_requested_ids(requests)) == seekers
    with runtime.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Erasure)) == 5


def test_r2_the_runtime_task_sweeps_on_its_own_clock(runtime, clock, invalidate, requests, new_seeker_id):
    seeker = new_seeker_id()
    invalidate(seeker, "2021-01-10")
    clock.set(DAY)
    runtime.tasks[SWEEP_TASK](_StopAfterOnePass())  # one pass: the loop sweeps, then its wait stops it
    assert _requested_ids(requests) == [seeker]


class _StopAfterOnePass(threading.Event):
    """A stop event that is clear for the first check and set when the loop waits."""

    def wait(self, timeout=None) -> bool:
        self.set()
        return True


def test_r3_retry_interval_sweep_period_and_final_round_delay_come_from_the_environment():
    settings = Settings.from_env("retention", {"MYPAGE_RETENTION_ERASURE_RETRY_SECONDS": "120",
                                               "MYPAGE_RETENTION_SWEEP_SECONDS": "60",
                                               "MYPAGE_RETENTION_ERASURE_FINAL_ROUND_SECONDS": "0"})
    assert load_options(settings.options) == RetentionOptions(
        retry_interval=timedelta(minutes=2), sweep_every=timedelta(minutes=1),
        retry_check_every=timedelta(minutes=1), final_round_delay=timedelta(0))
    assert load_options({}) == RetentionOptions()
    assert RetentionOptions().final_round_delay == timedelta(hours=1)


@pytest.mark.parametrize(("name", "value"), [("erasure_retry_seconds", "0"), ("sweep_seconds", "soon"),
                                             ("erasure_final_round_seconds", "-1")])
def test_r3_timings_that_are_not_seconds_are_refused(name, value):
    with pytest.raises(ConfigurationError, match=f"MYPAGE_RETENTION_{name.upper()}"):
        load_options({name: value})


def test_r2_python_m_services_retention_sweep_starts_the_due_erasures(tmp_path):
    """The CronJob's command: one pass against the configured database, then exit 0."""
    url = f"sqlite:///{tmp_path / 'retention.db'}"
    with migrated_runtime(build_runtime, "retention", FrozenClock(), url) as runtime, runtime.uow() as uow:
        uow.session.add(RegistrationRow(seeker_id="due-seeker", invalid_since=date(2020, 1, 1),
                                        as_of=FrozenClock().now()))
        uow.session.add(RegistrationRow(seeker_id="recent-seeker", invalid_since=date.today(),
                                        as_of=FrozenClock().now()))
        uow.commit()
    environ = {k: v for k, v in os.environ.items() if not k.startswith("MYPAGE_")}
    environ.update(MYPAGE_RETENTION_DATABASE_URL=url, MYPAGE_VAR_DIR=str(tmp_path))
    done = subprocess.run([sys.executable, "-m", "services.retention", "sweep"], cwd=ROOT, env=environ,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "1 erasure(s) started" in done.stdout
    runtime = build_runtime(Settings.from_env("retention", {}, database_url=url))
    try:
        assert [e["data"]["seeker_id"] for e in outbox_envelopes(runtime, "retention.erasure.requested.v1")] == [
            "due-seeker"]
    finally:
        runtime.dispose()
