"""Messaging in the embedded system (`make run`), over real HTTP through the gateway: the demo seeker
(求職 太郎, 11040-12345678) opens the My Page and logs in; staff post a notice that the home screen
counts; staff set the registration invalid via profile, and messaging — which learns it only
from profile's event (outbox → relay → bus → its seeker_status projection) — refuses messages
within a bounded time, while notices stay readable; a re-application gives messaging back.
Nothing sleeps: every wait is a condition with a deadline.
"""

from __future__ import annotations

import time

import pytest

from kit.testing.e2e import login, open_mypage
from kit.testing.plugin import eventually

EMAIL, BIRTH_DATE, NUMBER = "taro@example.jp", "1990-04-01", "11040-12345678"
PASSWORD = "Koshigaya@2026"
GATING_DEADLINE = 10.0  # seconds from the staff's change to messaging's refusal (P4 "within a bounded time")


@pytest.fixture(scope="module")
def taro(system, call) -> str:
    """The demo seeker's access token: opening (A2–A6), then login with the mailed OTP (A7)."""
    open_mypage(call, system, EMAIL, BIRTH_DATE, PASSWORD)
    return login(call, system, EMAIL, PASSWORD)["access_token"]


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
