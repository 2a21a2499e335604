"""M1, the seeker's side: the seeker's threads (none are invented — jobs' application events open them,
test_messaging_employer.py), one thread's messages, writing in it, reading it; 404 for anyone else's."""

from __future__ import annotations

import uuid

import pytest

from services.messaging import commands
from tests.component.messaging.conftest import assert_out_of_reach

MESSAGES = "/api/v1/me/messages"
HOME = "/internal/v1/home"


@pytest.fixture
def thread(runtime):
    """thread(seeker, name) -> the id of a thread opened as jobs' application events do (commands.open_thread)."""

    def open_for(seeker: dict, name: str = "株式会社越谷ケア", application_id: str | None = None) -> str:
        with runtime.uow() as uow:
            opened = commands.open_thread(uow, seeker["seeker_id"], name, application_id=application_id,
                                          job_number="11040-00012345")
            uow.commit()
            return opened.id

    return open_for


@pytest.fixture
def employer_writes(runtime):
    def write(thread_id: str, body: str = "面接日程についてご連絡します。") -> None:
        with runtime.uow() as uow:
            commands.receive_message(uow, thread_id, body)
            uow.commit()

    return write


def test_m1_no_threads_until_applications_exist(client, seeker, as_seeker):
    response = client.get(MESSAGES, headers=as_seeker(seeker()["seeker_id"]))
    assert response.status_code == 200
    assert response.json == {"items": [], "total": 0, "page": 1, "per_page": 20, "unread": 0}


def test_m1_an_unknown_thread_is_404(client, seeker, as_seeker):
    headers = as_seeker(seeker()["seeker_id"])
    for method, body in (("get", None), ("post", {"body": "こんにちは"})):
        response = getattr(client, method)(f"{MESSAGES}/{uuid.uuid4()}", headers=headers, json=body)
        assert response.status_code == 404 and response.json["type"].endswith("/not-found")
    assert client.post(f"{MESSAGES}/{uuid.uuid4()}/read", headers=headers).status_code == 404


def test_m1_the_establishment_writes_the_seeker_reads_and_answers(client, seeker, as_seeker, thread,
                                                                  employer_writes, clock, outbox):
    known = seeker()
    headers = as_seeker(known["seeker_id"])
    thread_id = thread(known)
    clock.advance(minutes=1)
    employer_writes(thread_id)
    listed = client.get(MESSAGES, headers=headers).json
    assert listed["total"] == 1 and listed["unread"] == 1
    assert listed["items"][0]["establishment"] == {"number": None, "name": "株式会社越谷ケア"}
    assert listed["items"][0]["unread"] == 1
    assert client.get(HOME, headers=headers).json["counts"] == {
        "unread_messages": 1, "unread_notices": 0, "unread_establishment_messages": 1}

    clock.advance(minutes=1)
    sent = client.post(f"{MESSAGES}/{thread_id}", headers=headers, json={"body": " 承知しました。\r\n"})
    assert sent.status_code == 201 and sent.json["sender"] == "seeker" and sent.json["body"] == "承知しました。"
    conversation = client.get(f"{MESSAGES}/{thread_id}", headers=headers).json
    assert [m["sender"] for m in conversation["items"]] == ["employer", "seeker"]  # oldest first
    assert conversation["thread"]["unread"] == 1 and conversation["total"] == 2

    read = client.post(f"{MESSAGES}/{thread_id}/read", headers=headers)
    assert read.json == {"read": 1, "unread": 0}
    assert client.get(HOME, headers=headers).json["counts"]["unread_messages"] == 0
    assert [e["data"]["sender"] for e in outbox("messaging.message.sent.v1")] == ["employer", "seeker"]


def test_m1_zero_cross_user_reads(client, seeker, as_seeker, thread, employer_writes):
    mine, theirs = seeker(), seeker()
    their_thread = thread(theirs, name="他社")
    employer_writes(their_thread, "他の人への連絡")
    headers = as_seeker(mine["seeker_id"])
    assert_out_of_reach(client, headers, their_thread, "他の人")
    assert client.get(HOME, headers=headers).json["counts"]["unread_messages"] == 0
    assert client.get(MESSAGES, headers=as_seeker(theirs["seeker_id"])).json["unread"] == 1  # still unread


def test_m1_one_thread_per_application(runtime, seeker, thread):
    known = seeker()
    assert thread(known, application_id="app-1") == thread(known, application_id="app-1")


@pytest.mark.parametrize("body", [{}, {"body": ""}, {"body": "  "}, {"body": "x" * 2001}, {"body": "a\x07"},
                                  {"body": 1}])
def test_m1_a_bad_message_is_a_field_level_problem(client, seeker, as_seeker, thread, body):
    known = seeker()
    response = client.post(f"{MESSAGES}/{thread(known)}", headers=as_seeker(known["seeker_id"]), json=body)
    assert response.status_code == 422 and [e["field"] for e in response.json["errors"]] == ["body"]
