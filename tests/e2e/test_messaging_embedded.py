"""Messaging in the embedded system (`make run`), over real HTTP through the gateway: the demo seeker
(求職 太郎, 11040-12345678) opens the My Page and logs in; staff post a notice that the home screen
counts; staff set the registration invalid via profile, and messaging — which learns it only
from profile's event (outbox → relay → bus → its seeker_status projection) — refuses messages
within a bounded time, while notices stay readable; a re-application gives messaging back.
Nothing sleeps: every wait is a condition with a deadline.
"""

from __future__ import annotations

import re
import threading
import time

import pytest
import urllib3

from gateway.embedded import EmbeddedSystem
from kit.devmail import read_mailbox
from kit.testing.embedded import isolated_environ
from kit.testing.plugin import eventually

EMAIL, BIRTH_DATE, NUMBER = "taro@example.jp", "1990-04-01", "11040-12345678"
PASSWORD = "Koshigaya@2026"
KEY_LINE = re.compile(r"認証キー：(\S+)")
OTP_LINE = re.compile(r"ワンタイムパスワード：(\d{6})")
GATING_DEADLINE = 10.0  # seconds from the staff's change to messaging's refusal (P4 "within a bounded time")


@pytest.fixture(scope="module")
def system(tmp_path_factory):
    environ = isolated_environ(tmp_path_factory.mktemp("messaging-e2e"))
    with EmbeddedSystem(environ) as running:
        yield running


@pytest.fixture(scope="module")
def call(system):
    pool = urllib3.PoolManager(timeout=urllib3.Timeout(connect=5, read=30), retries=False)

    def request(method: str, path: str, body: dict | None = None, token: str | None = None, **headers):
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return pool.request(method, system.url.rstrip("/") + path, json=body, headers=headers)

    yield request
    pool.clear()


@pytest.fixture(scope="module")
def staff_token(call) -> str:
    response = call("POST", "/api/v1/auth/token", {"grant_type": "client_credentials", "client_id": "counter",
                                                   "client_secret": "counter-dev-secret"})
    assert response.status == 200, response.data
    return response.json()["access_token"]


def _new_mail(system, subject_part: str, seen: set[str]):
    return next((m for m in read_mailbox(system.mail_dir)
                 if m.to == EMAIL and subject_part in m.subject and m.id not in seen), None)


def _poll(condition, timeout: float, interval: float = 0.1):
    """The first truthy condition() within `timeout` seconds, or None (the caller decides what that means)."""
    deadline, pause = time.monotonic() + timeout, threading.Event()
    while time.monotonic() < deadline:
        if value := condition():
            return value
        pause.wait(interval)
    return None


@pytest.fixture(scope="module")
def taro(system, call) -> str:
    """The demo seeker's access token: opening (A2–A6), then login with the mailed OTP (A7)."""
    terms = call("GET", "/api/v1/terms").json()
    opening = {"email": EMAIL, "birth_date": BIRTH_DATE, "terms_version": terms["terms_version"],
               "privacy_version": terms["privacy_version"]}

    def opened():
        # Auth learns of the demo seeker from profile's event, so the first requests may mail nothing;
        # a newer key voids older ones (A3), so a late mail of an earlier request may carry a void key:
        # then ask again.
        seen = {m.id for m in read_mailbox(system.mail_dir)}
        assert call("POST", "/api/v1/auth/opening", opening).status == 202
        mails = _poll(lambda: sorted((m for m in read_mailbox(system.mail_dir) if m.id not in seen
                                      and m.to == EMAIL and "パスワード登録申込受付通知" in m.subject),
                                     key=lambda m: m.received_at), timeout=5)
        if not mails:
            return False
        key = KEY_LINE.search(mails[-1].text).group(1)
        answer = call("POST", "/api/v1/auth/opening/complete", {"email": EMAIL, "auth_key": key, "password": PASSWORD})
        assert answer.status in (201, 400), answer.data
        return answer.status == 201

    eventually(opened, timeout=60, interval=0.2, message="the My Page opened with a mailed key")
    seen = {m.id for m in read_mailbox(system.mail_dir)}
    login = call("POST", "/api/v1/auth/login", {"email": EMAIL, "password": PASSWORD})
    assert login.status == 200, login.data
    otp_mail = eventually(lambda: _new_mail(system, "ワンタイムパスワード", seen), timeout=20, message="the OTP mail")
    tokens = call("POST", "/api/v1/auth/login/otp", {"login_ticket": login.json()["login_ticket"],
                                                     "otp": OTP_LINE.search(otp_mail.text).group(1)})
    assert tokens.status == 200, tokens.data
    return tokens.json()["access_token"]


def test_m2_p5_a_notice_staff_post_shows_on_the_home_screen_and_is_read(call, staff_token, taro):
    notice = {"seeker_number": NUMBER, "title": "職業相談のご案内", "body": "越谷公共職業安定所でお待ちしています。"}
    # messaging knows the 求職番号 once profile's registration event reached it
    posted = eventually(lambda: (r := call("POST", "/api/v1/staff/notices", notice, token=staff_token)).status == 201
                        and r, timeout=20, message="messaging to know the demo seeker")
    home = call("GET", "/api/v1/me", token=taro)
    assert home.status == 200, home.data
    assert home.json()["greeting"] == "求職 太郎様"
    assert home.json()["counts"]["unread_messages"] == 1  # the notice is unread in the inbox
    assert "messaging" not in (home.headers.get("X-MyPage-Partial") or "")

    listed = call("GET", "/api/v1/me/notices", token=taro).json()
    assert listed["total"] == 1 and listed["unread"] == 1 and listed["items"][0]["id"] == posted.json()["id"]
    assert call("POST", f"/api/v1/me/notices/{posted.json()['id']}/read", token=taro).status == 200
    assert call("GET", "/api/v1/me", token=taro).json()["counts"]["unread_messages"] == 0


def test_p4_invalid_registration_refuses_messages_within_a_bounded_time(call, staff_token, taro):
    eventually(lambda: call("GET", "/api/v1/me/messages", token=taro).status == 200, timeout=20,
               message="messages open while the registration is valid")
    changed = call("PUT", f"/api/v1/staff/seekers/{NUMBER}/registration", {"status": "invalid"}, token=staff_token)
    assert changed.status == 200 and changed.json()["status"] == "invalid"
    started = time.monotonic()
    refused = eventually(lambda: (r := call("GET", "/api/v1/me/messages", token=taro)).status == 403 and r,
                         timeout=GATING_DEADLINE, message="messaging to refuse the invalid registration")
    elapsed = time.monotonic() - started
    assert elapsed < GATING_DEADLINE
    problem = refused.json()
    assert refused.headers["Content-Type"].startswith("application/problem+json")
    assert problem["reason"] == "registration_invalid"
    assert problem["detail"].startswith("求職登録が無効のため、メッセージ機能は利用できません。")
    english = call("GET", "/api/v1/me/messages", token=taro, **{"Accept-Language": "en"}).json()
    assert "registration is invalid" in english["detail"]
    assert call("GET", "/api/v1/me/notices", token=taro).status == 200  # notices from Hello Work stay readable
    assert call("GET", "/api/v1/me", token=taro).json()["restriction"]["registration_invalid"] is True

    again = call("POST", f"/api/v1/staff/seekers/{NUMBER}/reapplication", {}, token=staff_token)
    assert again.status == 200 and again.json()["status"] == "valid"
    eventually(lambda: call("GET", "/api/v1/me/messages", token=taro).status == 200, timeout=GATING_DEADLINE,
               message="messaging back after the re-application")
