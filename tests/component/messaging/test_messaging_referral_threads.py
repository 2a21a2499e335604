"""M1 "or were referred to": a counter referral (jobs.referral.recorded.v1, J5) opens the thread with the
referred establishment — once per referral — and the employer-side system writes and reads it by
`referral_id` as it does an application's by `application_id` (exactly one of the two)."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select

from contracts import validate_event
from services.messaging.models import Thread

EMPLOYER_MESSAGES = "/api/v1/employer/messages"
MESSAGES = "/api/v1/me/messages"


def _referred(deliver, seeker: dict) -> str:
    referral_id = uuid.uuid4().hex
    data = {"referral_id": referral_id, "seeker_id": seeker["seeker_id"], "job_number": "11040-00012345",
            "establishment_number": "1104-123456-7", "establishment_name": "株式会社越谷ケア"}
    for _ in range(2):  # delivered twice: one thread
        deliver("jobs.referral.recorded.v1", data)
    return referral_id


def test_m1_a_referral_opens_one_thread_the_employer_writes_by_referral_id_and_reads_the_answer(
        client, seeker, as_seeker, deliver, employer, outbox, clock):
    known = seeker()
    headers = as_seeker(known["seeker_id"])
    referral_id = _referred(deliver, known)
    listed = client.get(MESSAGES, headers=headers).json
    assert listed["total"] == 1
    thread = listed["items"][0]
    assert thread["referral_id"] == referral_id and thread["application_id"] is None
    assert thread["establishment"] == {"number": "1104-123456-7", "name": "株式会社越谷ケア"}

    sent = client.post(EMPLOYER_MESSAGES, json={"referral_id": referral_id, "body": "面接日程のご相談です。"},
                       headers=employer)
    assert sent.status_code == 201 and sent.json["referral_id"] == referral_id
    clock.advance(seconds=1)
    assert client.post(f"{MESSAGES}/{thread['id']}", json={"body": "よろしくお願いします。"},
                       headers=headers).status_code == 201
    conversation = client.get(EMPLOYER_MESSAGES, query_string={"referral_id": referral_id}, headers=employer)
    assert conversation.status_code == 200
    assert [m["sender"] for m in conversation.json["items"]] == ["employer", "seeker"]
    for envelope in outbox("messaging.message.sent.v1"):
        validate_event(envelope)
        assert envelope["data"]["referral_id"] == referral_id and envelope["data"]["application_id"] is None


def test_m1_the_employer_names_exactly_one_thread_key(client, seeker, deliver, employer):
    referral_id = _referred(deliver, seeker())
    both = client.post(EMPLOYER_MESSAGES, json={"referral_id": referral_id, "application_id": "x", "body": "a"},
                       headers=employer)
    neither = client.post(EMPLOYER_MESSAGES, json={"body": "a"}, headers=employer)
    for refused in (both, neither):
        assert refused.status_code == 422 and [e["field"] for e in refused.json["errors"]] == ["application_id"]
    unknown = client.post(EMPLOYER_MESSAGES, json={"referral_id": uuid.uuid4().hex, "body": "a"}, headers=employer)
    assert unknown.status_code == 404 and [e["field"] for e in unknown.json["errors"]] == ["referral_id"]


def test_m1_no_thread_for_a_referral_of_a_seeker_who_withdrew(client, seeker, as_seeker, deliver):
    known = seeker()
    deliver("auth.mypage.withdrawn.v1", {"seeker_id": known["seeker_id"], "withdrawn_at": "2026-11-26T01:00:00Z"})
    _referred(deliver, known)
    with client.application.extensions["runtime"].engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Thread.__table__)) == 0
