"""R1: the purge of expired keys, OTP challenges, sessions, devices, throttle rows, sent mails and
staff audit entries five years old (C3) (old outbox/inbox rows: tests/component/kit/test_housekeeping.py)
— each kept one second before its boundary and deleted at it (FrozenClock, nothing sleeps); unsent
mail and what it carries never go; batches bound each pass; the runtime task loops."""

from __future__ import annotations

import logging
import threading

import pytest

from kit.logs import JsonFormatter
from services.auth import purge
from services.auth.models import (
    AuthKey,
    Device,
    LoginChallenge,
    LoginThrottle,
    Mail,
    Session,
)
from services.auth.purge import KINDS, PURGE_TASK, purge_expired, purge_task
from tests.component.auth.purge_rows import (
    BOUNDARIES,
    T0,
    D,
    H,
    M,
    S,
    challenge,
    count,
    device,
    exists,
    key,
    login_whose_throttle_row_is_purged_under_it_still_answers,
    mail,
    purged_session_takes_its_retired_refresh_tokens,
    session_row,
    throttle,
)


@pytest.mark.parametrize("case", BOUNDARIES)
def test_r1_each_kind_is_kept_one_second_before_its_boundary_and_purged_at_it(world, case):
    make, boundary = BOUNDARIES[case]
    thing = make(world)
    world.clock.set(boundary - S)
    assert sum(purge_expired(world.runtime).values()) == 0
    assert exists(world, thing)
    world.clock.set(boundary)
    counts = purge_expired(world.runtime)
    assert sum(counts.values()) == 1, counts
    assert not exists(world, thing)


def test_r1_a_throttle_row_with_nothing_to_remember_goes_at_once(world):
    after_success = throttle(world, failures=0)  # a login succeeded (or a reset cleared it)
    locked = throttle(world, failures=10, locked_until=T0 + 30 * M)
    assert purge_expired(world.runtime, T0)["throttles"] == 1
    assert not exists(world, after_success) and exists(world, locked)


# -- never purged -----------------------------------------------------------------------------------------

def test_r1_an_unsent_mail_and_the_key_or_challenge_it_carries_are_never_purged(world):
    late_key = key(world, sent=None)  # SMTP down: the mail is retried, the key's 50 minutes have not begun
    key_mail = mail(world, key_id=late_key[1], params={"key": "ABCDEFGH23"})
    late_challenge = challenge(world, sent=None)
    challenge_mail = mail(world, challenge_id=late_challenge[1], params={"otp": "123456"})
    replaced = key(world, sent=None, voided=T0 + M)  # replaced before its mail went out
    replaced_mail = mail(world, key_id=replaced[1], params={"key": "ZYXWVUTS98"})
    plain = mail(world)
    world.clock.set(T0 + 365 * D)
    assert sum(purge_expired(world.runtime).values()) == 0
    for thing in (late_key, key_mail, late_challenge, challenge_mail, replaced, replaced_mail, plain):
        assert exists(world, thing)
    # once the dispatcher has dealt with the replaced key's mail (superseded, marked sent), both can go
    with world.runtime.session_factory() as session:
        session.get(Mail, replaced_mail[1]).sent_at = T0 + 365 * D
        session.get(Mail, replaced_mail[1]).params = None
        session.commit()
    world.clock.set(T0 + 365 * D + H)
    assert purge_expired(world.runtime) == {**dict.fromkeys(KINDS, 0), "mails": 1, "keys": 1}
    assert exists(world, late_key) and exists(world, key_mail) and exists(world, late_challenge)


def test_r1_live_keys_challenges_sessions_devices_and_locks_stay(world):
    live = [
        key(world, created=T0 - 23 * H),  # sent late: 50 minutes from sending are not over
        key(world, created=T0 - 25 * H, sent=24 * H + 30 * M),
        challenge(world, created=T0 - 9 * M),
        session_row(world, created=T0 - 11 * H, last_used=T0 - 29 * M),
        device(world, created=T0 - 29 * D),
        throttle(world, failures=10, last_failed=T0 - 25 * H, locked_until=T0 + S),  # lock still running
        throttle(world, failures=3, last_failed=T0 - 23 * H),
    ]
    assert sum(purge_expired(world.runtime, T0).values()) == 0
    assert all(exists(world, thing) for thing in live)


def test_r1_through_the_flows_what_a_login_leaves_behind(world):
    """Open a My Page and log in (remembering the device), then let the time run: each row goes at its time."""
    account = world.open_mypage()
    tokens = world.login_fully(account["email"], remember_device=True)
    assert world.client.post("/api/v1/auth/logout", headers=world.bearer(tokens)).status_code == 204
    assert world.login(account["email"], "Wrong@pass1").status_code == 401
    assert count(world, Mail) == 2 and count(world, Session) == 1 and count(world, LoginThrottle) == 1

    first = purge_expired(world.runtime)  # the used challenge and the revoked session go at once
    assert first == {**dict.fromkeys(KINDS, 0), "challenges": 1, "sessions": 1}
    assert count(world, Mail) == 1  # the OTP mail (sent) went with its challenge (on delete cascade)
    world.advance(minutes=59, seconds=59)
    assert sum(purge_expired(world.runtime).values()) == 0
    world.advance(seconds=1)
    assert purge_expired(world.runtime) == {**dict.fromkeys(KINDS, 0), "mails": 1}  # the key mail
    world.advance(hours=23)  # T0 + 24 h: the key stops counting for S1; the failure is forgotten
    assert purge_expired(world.runtime) == {**dict.fromkeys(KINDS, 0), "keys": 1, "throttles": 1}
    world.clock.set(T0 + 30 * D - S)  # the relay does not run here: the events stay unpublished, so kept
    assert sum(purge_expired(world.runtime).values()) == 0
    world.clock.set(T0 + 30 * D)  # the remembered device's 30 days are over
    assert purge_expired(world.runtime) == {**dict.fromkeys(KINDS, 0), "devices": 1}
    assert count(world, AuthKey) == count(world, LoginChallenge) == count(world, Device) == 0
    # the account stays, and logs in again (the OTP is asked: the device was forgotten with its row)
    assert world.login(account["email"]).json["otp_required"] is True


def test_r1_a_purged_session_takes_its_retired_refresh_tokens(world):
    purged_session_takes_its_retired_refresh_tokens(world)


def test_r1_keys_purged_after_24_hours_keep_s1s_limit_of_five_a_day(world):
    account = world.register()
    for _ in range(6):
        assert world.request_opening(account["email"]).status_code == 202
        world.deliver_mail()
        world.advance(hours=1)
    assert count(world, AuthKey) == 5  # the 6th was refused
    purge_expired(world.runtime)
    assert count(world, AuthKey) == 5  # voided or expired, but still counting for 24 h
    world.clock.set(T0 + 24 * H)
    assert purge_expired(world.runtime)["keys"] == 1
    assert world.request_opening(account["email"]).status_code == 202
    assert count(world, AuthKey) == 5  # 4 of the last 24 h + the new one


def test_r1_a_login_whose_throttle_row_is_purged_under_it_still_answers(world):
    login_whose_throttle_row_is_purged_under_it_still_answers(world)


# -- idempotent, batched, logged, scheduled ------------------------------------------------------------------

def test_r1_running_twice_is_harmless(world):
    for make, _ in BOUNDARIES.values():
        make(world)
    world.clock.set(max(boundary for _, boundary in BOUNDARIES.values()))
    first = purge_expired(world.runtime)
    assert sum(first.values()) == len(BOUNDARIES)
    assert purge_expired(world.runtime) == dict.fromkeys(KINDS, 0)


def test_r1_batches_bound_each_pass_and_a_backlog_goes_over_passes(world):
    for _ in range(21):
        challenge(world, used=T0)
    passes = [purge_expired(world.runtime, T0, batch=4, max_batches=2)["challenges"] for _ in range(4)]
    assert passes == [8, 8, 5, 0]
    assert count(world, LoginChallenge) == 0


class RecordingStop(threading.Event):
    """The loop's stop signal: records each wait instead of waiting; set after `waits` waits."""

    def __init__(self, waits: int) -> None:
        super().__init__()
        self.limit = waits
        self.waits: list[float | None] = []

    def wait(self, timeout: float | None = None) -> bool:
        self.waits.append(timeout)
        if len(self.waits) >= self.limit:
            self.set()
        return self.is_set()


def test_r1_the_runtime_task_purges_now_and_every_interval_sooner_while_a_backlog_remains(world):
    assert PURGE_TASK in world.runtime.tasks  # registered by build_runtime; the worker runs it
    for _ in range(19):
        challenge(world, used=T0)
    stop = RecordingStop(waits=3)
    purge_task(world.runtime, 300.0, batch=4, max_batches=2)(stop)
    assert stop.waits == [purge.BACKLOG_INTERVAL, purge.BACKLOG_INTERVAL, 300.0]
    assert count(world, LoginChallenge) == 0


def test_r1_a_failed_pass_does_not_end_the_task(world, monkeypatch, caplog):
    calls = []

    def failing(runtime, **options):
        calls.append(1)
        raise RuntimeError("database away")

    monkeypatch.setattr(purge, "purge_expired", failing)
    stop = RecordingStop(waits=2)
    purge_task(world.runtime)(stop)
    assert len(calls) == 2 and stop.waits == [purge.PURGE_INTERVAL] * 2
    assert "purge pass failed" in caplog.text


def test_r1_logs_counts_only(world, caplog):
    caplog.set_level(logging.DEBUG)
    account = world.open_mypage()
    tokens = world.login_fully(account["email"], remember_device=True)
    world.advance(days=31)
    purge_expired(world.runtime)
    [record] = [r for r in caplog.records if r.name == "mypage.auth.purge"]
    line = JsonFormatter().format(record)
    assert record.getMessage() == "purged: mails 2, keys 1, challenges 1, sessions 1, devices 1, throttles 1"
    for secret in (account["seeker_id"], account["email"], tokens["refresh_token"], tokens["device_token"]):
        assert secret not in line
