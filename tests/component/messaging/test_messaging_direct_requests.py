"""J8a: a posting an employer sent the seeker (jobs.direct_request.sent.v1) reaches their My Page notices (お知らせ) as
「求人者から直接リクエストが届きました」 naming the 求人番号 — once per (seeker, posting), unread until read."""

from __future__ import annotations

from contracts import validate_event

NOTICES = "/api/v1/me/notices"
SENT = "jobs.direct_request.sent.v1"


def test_j8a_a_direct_request_reaches_the_notices_once_per_seeker_and_posting(client, seeker, as_seeker, deliver,
                                                                            outbox):
    mine, theirs = seeker(), seeker()
    headers = as_seeker(mine["seeker_id"])
    for _ in range(2):  # delivered twice: one entry
        deliver(SENT, {"seeker_id": mine["seeker_id"], "job_number": "11040-00012345"})
    listed = client.get(NOTICES, headers=headers).json
    assert listed["total"] == 1 and listed["unread"] == 1
    [entry] = listed["items"]
    assert entry["kind"] == "direct_request" and entry["job_number"] == "11040-00012345"
    assert entry["title"] == "求人者から直接リクエストが届きました" and "11040-00012345" in entry["body"]
    assert client.get(NOTICES, headers=as_seeker(theirs["seeker_id"])).json["total"] == 0
    [posted] = outbox("messaging.notice.posted.v1")
    validate_event(posted)
    assert posted["data"]["kind"] == "direct_request"


def test_j8a_a_malformed_direct_request_event_is_dropped(client, seeker, as_seeker, deliver):
    known = seeker()
    deliver(SENT, {"seeker_id": known["seeker_id"], "job_number": None})
    assert client.get(NOTICES, headers=as_seeker(known["seeker_id"])).json["total"] == 0
