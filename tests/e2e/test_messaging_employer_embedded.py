"""M1 with the employer side in the embedded system (`make run`), over real HTTP through the gateway:
staff register a seeker, who opens the My Page, logs in and applies online (J8); jobs' application
event reaches messaging (outbox → relay → bus → consumer) and opens the thread, so the employer-side
system can write to the seeker by application id; the seeker sees it unread in the inbox and on the
home screen, answers, and the employer-side system reads the answer. Nothing sleeps: every wait is
a condition with a deadline.
"""

from __future__ import annotations

import uuid

import pytest

from kit.testing import e2e
from kit.testing.plugin import eventually

PASSWORD = "Koshigaya@2026"
MOTIVATION = "介護の仕事を続けてきた経験を活かしたく、応募いたします。"
EVENT_DEADLINE = 20.0  # seconds for an event to cross the bus
EMPLOYER_MESSAGES = "/api/v1/employer/messages"


def employer_token(call) -> str:
    """The employer-side system's access token (client credentials, role employer)."""
    answer = call("POST", "/api/v1/auth/token", {"grant_type": "client_credentials", "client_id": "employer",
                                                 "client_secret": "employer-dev-secret"})
    assert answer.status == 200, answer.data
    return answer.json()["access_token"]


@pytest.fixture(scope="module")
def seeker_token(system, call, staff_token) -> str:
    """P1/A1–A7: a seeker registered by staff opens the My Page and logs in; returned once jobs (to apply)
    and messaging (to message: registration valid, P4) have heard of the registration."""
    number = f"11040-{uuid.uuid4().int % 10**8:08d}"
    email = f"{number}@example.jp"
    created = call("POST", "/api/v1/staff/seekers", {
        "seeker_number": number, "name": "連絡 花子", "name_kana": "レンラク ハナコ", "birth_date": "1993-02-10",
        "email": email, "kind": "registered", "office": {"code": "11040", "name": "越谷公共職業安定所"},
        "address": {"postal_code": "343-0023", "prefecture": "埼玉県", "municipality": "越谷市"},
        "phone": "048-000-0000"}, token=staff_token)
    assert created.status == 201, created.data
    e2e.open_mypage(call, system, email, "1993-02-10", PASSWORD)
    token = e2e.login(call, system, email, PASSWORD)["access_token"]
    for path, service in (("/api/v1/me/favourites", "jobs"), ("/api/v1/me/messages", "messaging")):
        eventually(lambda path=path: call("GET", path, token=token).status == 200, timeout=EVENT_DEADLINE,
                   message=f"{service} to hear of the new registration")
    return token


@pytest.fixture(scope="module")
def online_posting(call) -> str:
    """An open demo posting that accepts online self-applications (J8)."""
    for page in range(1, 21):
        answer = call("GET", f"/api/v1/jobs?per_page=50&page={page}")
        assert answer.status == 200, answer.data
        for item in answer.json()["items"]:
            if item["online_application"] and item["status"] == "open":
                return item["job_number"]
    pytest.fail("no demo posting accepts online self-applications")


def test_m1_the_employer_writes_by_application_the_seeker_reads_and_answers_the_employer_reads_it(
        call, seeker_token, online_posting):
    made = call("POST", "/api/v1/me/applications", {"job_number": online_posting, "motivation": MOTIVATION},
                token=seeker_token)
    assert made.status == 201, made.data
    application_id = made.json()["id"]
    assert call("GET", "/api/v1/me", token=seeker_token).json()["counts"]["unread_messages"] == 0

    # the thread arrives with jobs' event: until then the employer's message is a 404
    message = {"application_id": application_id, "body": "面接日程についてご連絡します。"}
    sent = eventually(lambda: (r := call("POST", EMPLOYER_MESSAGES, message, token=employer_token(call))).status == 201
                      and r, timeout=EVENT_DEADLINE, message="messaging to open the application's thread")
    assert sent.json()["sender"] == "employer" and sent.json()["application_id"] == application_id
    thread_id = sent.json()["thread_id"]

    listed = call("GET", "/api/v1/me/messages", token=seeker_token)
    assert listed.status == 200, listed.data
    assert listed.json()["unread"] == 1
    [thread] = listed.json()["items"]
    assert (thread["id"], thread["application_id"], thread["job_number"], thread["unread"]) == (
        thread_id, application_id, online_posting, 1)
    home = call("GET", "/api/v1/me", token=seeker_token)
    assert home.status == 200 and home.json()["counts"]["unread_messages"] == 1
    assert "messaging" not in (home.headers.get("X-MyPage-Partial") or "")

    conversation = call("GET", f"/api/v1/me/messages/{thread_id}", token=seeker_token).json()
    assert [(m["sender"], m["body"]) for m in conversation["items"]] == [("employer", "面接日程についてご連絡します。")]
    assert call("POST", f"/api/v1/me/messages/{thread_id}/read", token=seeker_token).json() == {"read": 1, "unread": 0}
    assert call("GET", "/api/v1/me", token=seeker_token).json()["counts"]["unread_messages"] == 0
    reply = call("POST", f"/api/v1/me/messages/{thread_id}", {"body": "承知しました。よろしくお願いいたします。"},
                 token=seeker_token)
    assert reply.status == 201, reply.data

    read = call("GET", f"{EMPLOYER_MESSAGES}?application_id={application_id}", token=employer_token(call))
    assert read.status == 200, read.data
    assert [(m["sender"], m["body"]) for m in read.json()["items"]] == [
        ("employer", "面接日程についてご連絡します。"), ("seeker", "承知しました。よろしくお願いいたします。")]
    assert read.json()["thread"]["unread"] == 1  # the reply, not yet read by the employer side
    assert call("GET", f"{EMPLOYER_MESSAGES}?application_id={application_id}", token=seeker_token).status == 403
