"""Messaging through the gateway over real HTTP (the embedded system and `make up`): a seeker the counter
registered (求職 三郎) opens the My Page and logs in; staff post a notice that the home screen
counts; staff set the registration invalid via profile, and messaging — which learns it only
from profile's event (outbox → relay → bus → its seeker_status projection) — refuses messages
within a bounded time, while notices stay readable; a re-application gives messaging back.
Nothing sleeps: every wait is a condition with a deadline.
"""

from __future__ import annotations

import time

import pytest

from kit.testing.e2e import login, open_mypage, register_seeker
from kit.testing.plugin import eventually

NAME, BIRTH_DATE = "求職 三郎", "1990-04-01"
PASSWORD = "Koshigaya@2026"
GATING_DEADLINE = 10.0  # seconds from the staff's change to messaging's refusal (P4 "within a bounded time")


@pytest.fixture(scope="module")
def seeker(call, staff_token) -> dict:
    """P1: the counter registers 求職 三郎 (the body it sent: seeker_number, email …)."""
    return register_seeker(call, staff_token, NAME, "キュウショク サブロウ", BIRTH_DATE, kind="registered")


@pytest.fixture(scope="module")
def saburo(system, call, seeker) -> str:
    """The seeker's access token: opening (A2–A6), then login with the mailed OTP (A7)."""
    open_mypage(call, system, seeker["email"], BIRTH_DATE, PASSWORD)
    return login(call, system, seeker["email"], PASSWORD)["access_token"]


def test_m2_p5_a_notice_staff_post_shows_on_the_home_screen_and_is_read(call, staff_token, seeker, saburo):
    notice = {"seeker_number": seeker["seeker_number"], "title": "職業相談のご案内",
              "body": "越谷公共職業安定所でお待ちしています。"}
    # messaging knows the 求職番号 once profile's registration event reached it
    posted = eventually(lambda: (r := call("POST", "/api/v1/staff/notices", notice, token=staff_token)).status == 201
                        and r, timeout=20, message="messaging to know the seeker")
    home = call("GET", "/api/v1/me", token=saburo)
    assert home.status == 200, home.data
    assert home.json()["greeting"] == f"{NAME}様"
    assert home.json()["counts"]["unread_messages"] == 1  # the notice is unread in the inbox
    assert "messaging" not in (home.headers.get("X-MyPage-Partial") or "")

    listed = call("GET", "/api/v1/me/notices", token=saburo).json()
    assert listed["total"] == 1 and listed["unread"] == 1 and listed["items"][0]["id"] == posted.json()["id"]
    assert call("POST", f"/api/v1/me/notices/{posted.json()['id']}/read", token=saburo).status == 200
    assert call("GET", "/api/v1/me", token=saburo).json()["counts"]["unread_messages"] == 0


def test_p4_invalid_registration_refuses_messages_within_a_bounded_time(call, staff_token, seeker, saburo):
    number = seeker["seeker_number"]
    eventually(lambda: call("GET", "/api/v1/me/messages", token=saburo).status == 200, timeout=20,
               message="messages open while the registration is valid")
    changed = call("PUT", f"/api/v1/staff/seekers/{number}/registration", {"status": "invalid"}, token=staff_token)
    assert changed.status == 200 and changed.json()["status"] == "invalid"
    started = time.monotonic()
    refused = eventually(lambda: (r := call("GET", "/api/v1/me/messages", token=saburo)).status == 403 and r,
                         timeout=GATING_DEADLINE, message="messaging to refuse the invalid registration")
    elapsed = time.monotonic() - started
    assert elapsed < GATING_DEADLINE
    problem = refused.json()
    assert refused.headers["Content-Type"].startswith("application/problem+json")
    assert problem["reason"] == "registration_invalid"
    assert problem["detail"].startswith("求職登録が無効のため、メッセージ機能は利用できません。")
    english = call("GET", "/api/v1/me/messages", token=saburo, **{"Accept-Language": "en"}).json()
    assert "registration is invalid" in english["detail"]
    assert call("GET", "/api/v1/me/notices", token=saburo).status == 200  # notices from Hello Work stay readable
    assert call("GET", "/api/v1/me", token=saburo).json()["restriction"]["registration_invalid"] is True

    again = call("POST", f"/api/v1/staff/seekers/{number}/reapplication", {}, token=staff_token)
    assert again.status == 200 and again.json()["status"] == "valid"
    eventually(lambda: call("GET", "/api/v1/me/messages", token=saburo).status == 200, timeout=GATING_DEADLINE,
               message="messaging back after the re-application")
