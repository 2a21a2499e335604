"""M1 with the employer side: jobs' application events open one thread per application (and keep its
status); the employer-side system writes to the seeker by application id and reads the thread both
ways; the seeker reads, answers, and never sees another seeker's thread; the employer role is
required; the body is validated field by field; every event validates against the catalogue."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from contracts import validate_event
from kit.tokens import STAFF
from services.messaging.models import Thread
from tests.component.messaging.conftest import LONG, application_data, assert_out_of_reach

EMPLOYER_MESSAGES = "/api/v1/employer/messages"
EMPLOYER_READ = "/api/v1/employer/messages/read"
MESSAGES = "/api/v1/me/messages"
HOME = "/internal/v1/home"


def _threads(runtime, application_id: str) -> int:
    with runtime.engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(Thread.__table__)
                                 .where(Thread.application_id == application_id))


def _only_thread(client, headers) -> dict:
    listed = client.get(MESSAGES, headers=headers).json
    assert listed["total"] == 1, listed
    return listed["items"][0]


# -- threads from jobs' application events ----------------------------------------------------------


def test_m1_an_application_opens_its_thread_once_even_when_the_event_comes_twice(runtime, client, seeker,
                                                                                 as_seeker, deliver, applied):
    known = seeker()
    application = applied(known, job_number="11040-00012345", establishment_number="1104-123456-7")
    # the same application again (a second delivery under another event id): still one thread
    deliver("jobs.application.submitted.v1",
            application | {"route": "self", "submitted_at": "2026-11-26T01:00:00+00:00"})
    assert _threads(runtime, application["application_id"]) == 1
    thread = _only_thread(client, as_seeker(known["seeker_id"]))
    assert thread["application_id"] == application["application_id"] and thread["job_number"] == "11040-00012345"
    assert thread["establishment"] == {"number": None, "name": None}  # J2a: an unnamed one is not numbered either
    assert thread["application_status"] == "applied" and thread["unread"] == 0 and thread["last_message_at"] is None


def test_j2a_a_scope_3_applications_thread_shows_the_seeker_no_establishment_number(client, seeker, as_seeker,
                                                                                   applied, employer):
    """Issue 10: the 事業所番号 of a 公開範囲3 posting (its name hidden, J2a) leaked through the seeker's thread;
    jobs names no establishment for such an application, so the seeker's views show no number either."""
    known = seeker()
    hidden = applied(known, establishment_number="1104-123456-7", establishment_name=None)
    headers = as_seeker(known["seeker_id"])
    listed = _only_thread(client, headers)
    assert listed["establishment"] == {"number": None, "name": None}
    conversation = client.get(f"{MESSAGES}/{listed['id']}", headers=headers)
    assert conversation.status_code == 200 and conversation.json["thread"]["establishment"] == {
        "number": None, "name": None}
    assert "1104-123456-7" not in client.get(MESSAGES, headers=headers).get_data(as_text=True)
    assert "1104-123456-7" not in conversation.get_data(as_text=True)
    # the establishment's own system still sees its number on the thread
    own = client.get(EMPLOYER_MESSAGES, query_string={"application_id": hidden["application_id"]}, headers=employer)
    assert own.status_code == 200 and own.json["thread"]["establishment"]["number"] == "1104-123456-7"


def test_m1_the_thread_names_the_establishment_when_the_application_event_does(client, seeker, as_seeker, applied,
                                                                             deliver):
    known = seeker()
    application = applied(known, establishment_name="株式会社越谷ケア")
    deliver("jobs.application.withdrawn.v1", application, at="2026-11-26T02:00:00+00:00")  # names no one
    assert _only_thread(client, as_seeker(known["seeker_id"]))["establishment"] == {
        "number": "1104-123456-7", "name": "株式会社越谷ケア"}


def test_m1_withdrawal_and_status_changes_show_on_the_thread_and_an_older_event_changes_nothing(
        client, seeker, as_seeker, deliver, applied, clock, employer):
    known = seeker()
    headers = as_seeker(known["seeker_id"])
    application = applied(known)
    start = clock.now()
    deliver("jobs.application.status_changed.v1", application | {"status": "screening"},
            at=start + timedelta(minutes=1))
    assert _only_thread(client, headers)["application_status"] == "screening"
    deliver("jobs.application.withdrawn.v1", application, at=start + timedelta(minutes=3))
    assert _only_thread(client, headers)["application_status"] == "withdrawn"
    deliver("jobs.application.status_changed.v1", application | {"status": "hired"},  # late, older than 辞退
            at=start + timedelta(minutes=2))
    thread = _only_thread(client, headers)
    assert thread["application_status"] == "withdrawn"
    # the thread stays: readable and writable both ways after 辞退 (M3 alone deletes its messages)
    written = client.post(f"{MESSAGES}/{thread['id']}", headers=headers, json={"body": "辞退いたします。"})
    assert written.status_code == 201
    answer = client.post(EMPLOYER_MESSAGES, headers=employer,
                         json={"application_id": application["application_id"], "body": "承知しました。"})
    assert answer.status_code == 201


def test_m1_a_status_event_arriving_before_the_submission_opens_the_thread(runtime, client, seeker, as_seeker,
                                                                          deliver, clock):
    known = seeker()
    application = application_data(known["seeker_id"], uuid.uuid4().hex)
    deliver("jobs.application.status_changed.v1", application | {"status": "screening"})
    deliver("jobs.application.submitted.v1", application | {"route": "self", "submitted_at": "2026-11-26T00:59:00Z"},
            at=clock.now() - timedelta(minutes=1))
    assert _threads(runtime, application["application_id"]) == 1
    assert _only_thread(client, as_seeker(known["seeker_id"]))["application_status"] == "screening"


@pytest.mark.parametrize("broken", [{"establishment_number": None}, {"job_number": "12345"},
                                    {"application_id": ""}, {"seeker_id": None}, {"status": "maybe"}])
def test_m1_a_malformed_application_event_is_dropped(runtime, seeker, deliver, broken):
    data = application_data(seeker()["seeker_id"], uuid.uuid4().hex) | {"status": "screening"} | broken
    deliver("jobs.application.status_changed.v1", data)  # logged and dropped: no exception, no thread
    with runtime.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Thread.__table__)) == 0


def test_a9_no_thread_is_opened_for_a_seeker_who_withdrew(runtime, seeker, deliver, applied, clock, employer,
                                                           client):
    known = seeker()
    before = applied(known)
    deliver("auth.mypage.withdrawn.v1", {"seeker_id": known["seeker_id"], "withdrawn_at": clock.now().isoformat()})
    after = applied(known)
    assert _threads(runtime, before["application_id"]) == 1 and _threads(runtime, after["application_id"]) == 0
    # the employer finds neither: the withdrawn seeker's thread is as gone as after the erasure to come
    for application in (before, after):
        response = client.post(EMPLOYER_MESSAGES, headers=employer,
                               json={"application_id": application["application_id"], "body": "ご連絡"})
        assert response.status_code == 404


# -- the employer writes, the seeker reads and answers, the employer reads the answer --------------


def test_m1_the_employer_writes_by_application_the_seeker_reads_and_answers_the_employer_reads_it(
        client, seeker, as_seeker, applied, employer, clock, outbox):
    known = seeker()
    headers = as_seeker(known["seeker_id"])
    application_id = applied(known)["application_id"]
    clock.advance(minutes=1)
    sent = client.post(EMPLOYER_MESSAGES, headers=employer,
                       json={"application_id": f" {application_id} ", "body": " 面接日程についてご連絡します。\r\n"})
    assert sent.status_code == 201, sent.json
    message = sent.json
    assert message["sender"] == "employer" and message["body"] == "面接日程についてご連絡します。"
    assert message["application_id"] == application_id and message["read"] is False
    assert message["auto_delete_at"] == "2027-11-26T01:01:00+00:00"  # M3: one year after it was received

    thread = _only_thread(client, headers)
    assert thread["id"] == message["thread_id"] and thread["unread"] == 1
    assert client.get(MESSAGES, headers=headers).json["unread"] == 1
    assert client.get(HOME, headers=headers).json["counts"]["unread_establishment_messages"] == 1
    conversation = client.get(f"{MESSAGES}/{thread['id']}", headers=headers).json
    assert [(m["sender"], m["body"], m["read"]) for m in conversation["items"]] == [
        ("employer", "面接日程についてご連絡します。", False)]

    clock.advance(minutes=1)
    assert client.post(f"{MESSAGES}/{thread['id']}/read", headers=headers).json == {"read": 1, "unread": 0}
    reply = client.post(f"{MESSAGES}/{thread['id']}", headers=headers, json={"body": "承知しました。"})
    assert reply.status_code == 201 and reply.json["read"] is False  # not read by the establishment yet
    assert client.get(MESSAGES, headers=headers).json["unread"] == 0  # the seeker's own reply is not unread to them

    both = client.get(f"{EMPLOYER_MESSAGES}?application_id={application_id}", headers=employer)
    assert both.status_code == 200, both.json
    assert [(m["sender"], m["body"], m["read"]) for m in both.json["items"]] == [
        ("employer", "面接日程についてご連絡します。", True), ("seeker", "承知しました。", False)]
    assert both.json["total"] == 2 and both.json["thread"]["unread"] == 1  # the reply, unread by the employer
    assert both.json["thread"]["application_id"] == application_id
    paged = client.get(f"{EMPLOYER_MESSAGES}?application_id={application_id}&page=2&per_page=1", headers=employer)
    assert [m["sender"] for m in paged.json["items"]] == ["seeker"] and paged.json["total"] == 2

    assert client.post(EMPLOYER_READ, headers=employer, json={"application_id": application_id}).json == {
        "read": 1, "unread": 0}
    assert client.post(EMPLOYER_READ, headers=employer, json={"application_id": application_id}).json == {
        "read": 0, "unread": 0}  # again: nothing changes
    mine = client.get(f"{MESSAGES}/{thread['id']}", headers=headers).json["items"]
    assert [m["read"] for m in mine] == [True, True]  # the seeker sees the establishment read the reply

    sent_events = outbox("messaging.message.sent.v1")
    assert [(e["data"]["sender"], e["data"]["application_id"]) for e in sent_events] == [
        ("employer", application_id), ("seeker", application_id)]
    for envelope in sent_events:
        validate_event(envelope)
        assert set(envelope["data"]) == {"message_id", "thread_id", "seeker_id", "application_id", "referral_id",
                                         "sender", "sent_at"}  # E3: ids and times only
        assert "承知" not in str(envelope) and "面接" not in str(envelope)


def test_m1_an_employer_message_to_an_unknown_application_is_404(client, employer, outbox):
    unknown = uuid.uuid4().hex
    response = client.post(EMPLOYER_MESSAGES, headers=employer, json={"application_id": unknown, "body": "ご連絡"})
    assert response.status_code == 404 and response.headers["Content-Type"].startswith("application/problem+json")
    assert response.json["type"].endswith("/not-found") and "しばらくしてから" in response.json["detail"]
    assert [e["field"] for e in response.json["errors"]] == ["application_id"]
    assert client.get(f"{EMPLOYER_MESSAGES}?application_id={unknown}", headers=employer).status_code == 404
    assert client.post(EMPLOYER_READ, headers=employer, json={"application_id": unknown}).status_code == 404
    assert outbox() == []


def test_m1_the_employer_can_write_while_the_registration_is_invalid_the_seeker_reads_once_valid(
        client, seeker, as_seeker, applied, employer, deliver, validated):
    known = seeker("invalid")
    application_id = applied(known)["application_id"]
    sent = client.post(EMPLOYER_MESSAGES, headers=employer, json={"application_id": application_id, "body": "ご連絡"})
    assert sent.status_code == 201
    headers = as_seeker(known["seeker_id"])
    assert client.get(MESSAGES, headers=headers).status_code == 403  # P4 gating stays for the seeker
    deliver("profile.registration.validated.v1", validated(known["seeker_id"], known["seeker_number"], "reapplied"))
    assert client.get(MESSAGES, headers=headers).json["unread"] == 1


# -- 0 cross-user reads, roles ----------------------------------------------------------------------


def test_m1_a_seeker_cannot_read_or_write_another_seekers_application_thread(client, seeker, as_seeker, applied,
                                                                            employer):
    mine, theirs = seeker(), seeker()
    their_application = applied(theirs)["application_id"]
    posted = client.post(EMPLOYER_MESSAGES, headers=employer,
                         json={"application_id": their_application, "body": "他の人への連絡"})
    their_thread = posted.json["thread_id"]
    headers = as_seeker(mine["seeker_id"])
    assert_out_of_reach(client, headers, their_thread, "他の人")
    # the seeker's own token cannot use the employer side to reach it either
    assert client.get(f"{EMPLOYER_MESSAGES}?application_id={their_application}", headers=headers).status_code == 403
    employer_view = client.get(f"{EMPLOYER_MESSAGES}?application_id={their_application}", headers=employer).json
    assert [m["sender"] for m in employer_view["items"]] == ["employer"]  # nothing was written by the other seeker
    assert client.get(MESSAGES, headers=as_seeker(theirs["seeker_id"])).json["unread"] == 1


@pytest.mark.parametrize("method, path, body", [
    ("post", EMPLOYER_MESSAGES, {}),
    ("get", f"{EMPLOYER_MESSAGES}?application_id=x", None),
    ("get", EMPLOYER_MESSAGES, None),
    ("post", EMPLOYER_READ, {"application_id": "x"}),
])
def test_m1_the_employer_side_needs_the_employer_role(client, signer, as_seeker, method, path, body):
    staff = signer.headers("counter", roles=(STAFF,), ttl=LONG)
    for headers, status in ((None, 401), (as_seeker(str(uuid.uuid4())), 403), (staff, 403)):
        response = getattr(client, method)(path, headers=headers, json=body)
        assert response.status_code == status, (headers, response.json)  # before the input is looked at
        assert response.headers["Content-Type"].startswith("application/problem+json")


# -- input ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("body, fields", [
    ({"application_id": "a"}, {"body"}),
    ({"application_id": "a", "body": "   "}, {"body"}),
    ({"application_id": "a", "body": "x" * 2001}, {"body"}),
    ({"application_id": "a", "body": "a\x07"}, {"body"}),
    ({"application_id": "a", "body": 1}, {"body"}),
    ({"body": "ご連絡"}, {"application_id"}),
    ({"application_id": "", "body": "ご連絡"}, {"application_id"}),
    ({"application_id": "a" * 65, "body": "ご連絡"}, {"application_id"}),
    ({"application_id": ["a"], "body": ""}, {"application_id", "body"}),
    ({"application_id": "a", "body": "b", "urgent": True}, {"urgent"}),
])
def test_m1_a_bad_employer_message_is_a_field_level_problem_in_english(client, employer, body, fields, outbox):
    response = client.post(EMPLOYER_MESSAGES, headers=employer | {"Accept-Language": "en"}, json=body)
    assert response.status_code == 422 and response.headers["Content-Type"].startswith("application/problem+json")
    assert {e["field"] for e in response.json["errors"]} == fields
    assert all(m.isascii() for e in response.json["errors"] for m in e["messages"])
    assert outbox() == []


def test_m1_employer_field_messages_are_japanese_by_default(client, employer):
    response = client.post(EMPLOYER_MESSAGES, headers=employer, json={"application_id": "", "body": ""})
    errors = {e["field"]: e["messages"] for e in response.json["errors"]}
    assert errors == {"application_id": ["応募IDを指定してください（64文字以内）。"],
                      "body": ["1文字以上2000文字以内で入力してください。"]}
    missing = client.get(EMPLOYER_MESSAGES, headers=employer)
    assert missing.status_code == 422 and [e["field"] for e in missing.json["errors"]] == ["application_id"]


def test_the_public_document_has_the_employer_side(client):
    paths = client.get("/openapi.json").json["paths"]
    assert {"post", "get"} <= set(paths["/api/v1/employer/messages"])
    assert "post" in paths["/api/v1/employer/messages/read"]
