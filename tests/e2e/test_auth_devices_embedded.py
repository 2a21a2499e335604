"""S2 as amended, end to end: the embedded system over real HTTP through the gateway, every mail read
from its real SMTP sink. A stranger who knows a seeker's email locks the unknown devices with 10
wrong passwords, yet the seeker's remembered device (A7's device token) logs in, and the key flow
(password reset) still works and mails a notice; 10 wrong one-time passwords across two logins lock
the OTP step and mail the seeker a notice.

This module's system runs on an injected FrozenClock, so the growing delays (2, 4 … 32 s) and the
30-minute locks pass when a test says so; nothing sleeps — every wait is a condition with a deadline.
"""

from __future__ import annotations

import uuid

import pytest

from kit.clock import FrozenClock
from kit.testing import e2e
from kit.testing.plugin import eventually

EMBEDDED_ONLY = ("its system runs on a FrozenClock injected into every service (the growing delays and a device's "
                 "expiry pass in this process); the make up stack runs on the real clock")

START = "2026-12-07T01:00:00+00:00"  # 10:00 in Japan
PASSWORD, NEW_PASSWORD, WRONG = "Koshigaya@2026", "Soka@pass2027", "Wrong@0000"
BIRTH_DATE = "1988-02-29"
MAIL_DEADLINE = 20.0  # seconds for a queued mail to reach the sink (outbox → dispatcher → SMTP)


@pytest.fixture(scope="module")
def clock() -> FrozenClock:
    return FrozenClock(START)


def open_seeker(call, system) -> str:
    """A1–A6: staff register a seeker (求職登録) at the counter, who opens the My Page; their email."""
    number = f"11040-{uuid.uuid4().int % 10**8:08d}"
    email = f"{number}@example.jp"
    created = call("POST", "/api/v1/staff/seekers", {
        "seeker_number": number, "name": "端末 花子", "name_kana": "タンマツ ハナコ", "birth_date": BIRTH_DATE,
        "email": email, "kind": "registered", "office": {"code": "11040", "name": "越谷公共職業安定所"},
        "address": {"postal_code": "343-0023", "prefecture": "埼玉県", "municipality": "越谷市"},
        "phone": "048-000-0000"}, token=e2e.staff_token(call))
    assert created.status == 201, created.data
    e2e.open_mypage(call, system, email, BIRTH_DATE, PASSWORD)
    return email


def login(call, email: str, password: str = PASSWORD, **extra):
    return call("POST", "/api/v1/auth/login", {"email": email, "password": password, **extra})


def mail_to(system, email: str, subject_part: str, seen: set[str]):
    return eventually(lambda: e2e.new_mail(system, email, subject_part, seen), timeout=MAIL_DEADLINE,
                      message=f"the mail 「{subject_part}」")


def test_s2_a_stranger_locks_unknown_devices_but_not_the_seekers_remembered_one(system, call, clock):
    email = open_seeker(call, system)
    device = e2e.login(call, system, email, PASSWORD, client="mobile", remember_device=True)["device_token"]

    # a stranger who knows the email: 10 wrong passwords from a device of their own, waiting out each delay
    for failures in range(10):
        if failures >= 5:
            clock.advance(seconds=2 ** (failures - 4))
        assert login(call, email, WRONG).status == 401
    locked = login(call, email)  # the right password, on any unknown device
    assert locked.status == 429 and locked.headers["Content-Type"] == "application/problem+json"
    assert locked.headers["Retry-After"] == "1800"
    assert "30分間ログインできません" in locked.json()["detail"]

    # the seeker's remembered device logs in with the right password, and the gateway takes its token
    remembered = login(call, email, device_token=device, client="mobile")
    assert remembered.status == 200 and remembered.json()["otp_required"] is False, remembered.data
    assert call("GET", "/api/v1/me", token=remembered.json()["access_token"]).status == 200
    assert login(call, email).status == 429  # the device's success lifts nothing for the stranger

    # the key flow still works while locked: the reset key by mail, a new password, a notice by mail
    seen = e2e.mail_ids(system)
    asked = call("POST", "/api/v1/auth/password-reset", {"email": email, "birth_date": BIRTH_DATE})
    assert asked.status == 202
    key = e2e.KEY_LINE.search(mail_to(system, email, "パスワード再設定申込受付通知", seen).text).group(1)
    seen = e2e.mail_ids(system)
    completed = call("POST", "/api/v1/auth/password-reset/complete",
                     {"email": email, "auth_key": key, "password": NEW_PASSWORD})
    assert completed.status == 204, completed.data
    notice = mail_to(system, email, "パスワード変更のお知らせ", seen)
    assert "パスワードが変更されました" in notice.text and NEW_PASSWORD not in notice.text
    assert e2e.login(call, system, email, NEW_PASSWORD)["access_token"]  # the lock is lifted


def test_s2_wrong_otps_across_logins_lock_the_otp_step_and_mail_the_seeker(system, call, clock):
    email = open_seeker(call, system)
    for failures in range(10):
        if failures >= 5:
            clock.advance(seconds=2 ** (failures - 4))
        if failures % 5 == 0:  # 5 wrong entries void a challenge: log in again, which resets nothing
            seen = e2e.mail_ids(system)
            answer = login(call, email)
            assert answer.status == 200 and answer.json()["otp_required"] is True, answer.data
            ticket = answer.json()["login_ticket"]
            otp = e2e.OTP_LINE.search(mail_to(system, email, e2e.OTP_MAIL, seen).text).group(1)
            wrong = f"{(int(otp) + 1) % 10**6:06d}"
            seen = e2e.mail_ids(system)
        entered = call("POST", "/api/v1/auth/login/otp", {"login_ticket": ticket, "otp": wrong})
        assert entered.status == 401, entered.data

    notice = mail_to(system, email, "ログイン制限のお知らせ", seen)
    assert "ワンタイムパスワードの入力に続けて失敗しました" in notice.text and "パスワード再設定" in notice.text
    locked = call("POST", "/api/v1/auth/login", {"email": email, "password": PASSWORD}, **{"Accept-Language": "en"})
    assert locked.status == 429 and "one-time password" in locked.json()["detail"]
    clock.advance(minutes=30)
    assert e2e.login(call, system, email, PASSWORD)["access_token"]
