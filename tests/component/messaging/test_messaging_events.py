"""E1/E3: every event messaging writes validates against the checked-in catalogue and carries ids only."""

from __future__ import annotations

from contracts import validate_event
from services.messaging import commands
from services.messaging.events import ERASURE_COMPLETED, PUBLISHES


def test_e1_every_event_written_validates_against_the_catalogue(runtime, client, seeker, as_seeker, post_notice,
                                                               outbox):
    known = seeker()
    post_notice(known, title="秘密のタイトル", body="秘密の本文")
    with runtime.uow() as uow:
        thread = commands.open_thread(uow, known["seeker_id"], "株式会社越谷ケア")
        commands.receive_message(uow, thread.id, "秘密の連絡")
        uow.commit()
    client.post(f"/api/v1/me/messages/{thread.id}", headers=as_seeker(known["seeker_id"]), json={"body": "秘密の返事"})
    envelopes = outbox()
    # the erasure confirmation (R3) names no seeker: tests/component/services/test_service_erasure.py checks it
    assert {e["type"] for e in envelopes} == {spec.type for spec in PUBLISHES} - {ERASURE_COMPLETED.type}
    for envelope in envelopes:
        validate_event(envelope)
        assert envelope["source"] == "/mypage/messaging" and envelope["subject"] == known["seeker_id"]
        assert "秘密" not in str(envelope) and known["seeker_number"] not in str(envelope)  # E3: ids only


def test_e1_a_notice_posted_event_names_the_notice_and_the_seeker(seeker, post_notice, outbox):
    known = seeker()
    notice = post_notice(known)
    [event] = outbox("messaging.notice.posted.v1")
    assert event["data"] == {"notice_id": notice["id"], "seeker_id": known["seeker_id"], "kind": "notice",
                             "sent_at": "2026-11-26T01:00:00+00:00"}


def test_refused_and_failed_requests_publish_nothing(client, staff, seeker, outbox):
    client.post("/api/v1/staff/notices", headers=staff, json={"seeker_number": "11040-99999999", "title": "t",
                                                              "body": "b"})
    client.post("/api/v1/staff/notices", headers=staff, json={"title": "t"})
    assert outbox() == []
