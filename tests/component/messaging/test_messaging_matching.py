"""M2/J6: a new posting that matched the seeker's desired conditions (jobs.posting.matched.v1) reaches the
seeker's notices (お知らせ) as an entry 「希望条件に合う新着求人が届きました」 naming the 求人番号 — once per
(seeker, posting) — counted in unread like any notice and deleted a year later (M3)."""

from __future__ import annotations

from contracts import validate_event
from services.messaging import commands, tasks

NOTICES = "/api/v1/me/notices"
HOME = "/internal/v1/home"
MATCHED = "jobs.posting.matched.v1"


def _match(deliver, seeker: dict, job_number: str = "11040-00012345") -> None:
    deliver(MATCHED, {"seeker_id": seeker["seeker_id"], "job_number": job_number})


def test_m2_a_matching_posting_reaches_the_notices_once_per_seeker_and_posting(client, seeker, as_seeker, deliver,
                                                                             outbox):
    mine, theirs = seeker(), seeker()
    headers = as_seeker(mine["seeker_id"])
    _match(deliver, mine)
    _match(deliver, mine)  # the same match delivered again: nothing new
    listed = client.get(NOTICES, headers=headers).json
    assert listed["total"] == 1 and listed["unread"] == 1
    [entry] = listed["items"]
    assert entry["kind"] == "matching" and entry["job_number"] == "11040-00012345"
    assert entry["title"] == "希望条件に合う新着求人が届きました" and "11040-00012345" in entry["body"]
    assert entry["read"] is False and entry["auto_delete_at"] == "2027-11-26T01:00:00+00:00"  # M3

    _match(deliver, mine, "11040-00099999")  # another posting: another entry
    _match(deliver, theirs)  # the same posting for another seeker: theirs alone
    assert client.get(NOTICES, headers=headers).json["total"] == 2
    assert client.get(NOTICES, headers=as_seeker(theirs["seeker_id"])).json["total"] == 1
    assert client.get(HOME, headers=headers).json["counts"]["unread_notices"] == 2

    posted = outbox("messaging.notice.posted.v1")
    assert [(e["data"]["seeker_id"], e["data"]["kind"]) for e in posted] == [
        (mine["seeker_id"], "matching"), (mine["seeker_id"], "matching"), (theirs["seeker_id"], "matching")]
    for envelope in posted:
        validate_event(envelope)
        assert "11040-000" not in str(envelope["data"])  # E3: ids and times only


def test_m2_a_matching_and_a_recommendation_of_one_posting_are_two_entries(client, seeker, as_seeker, deliver):
    known = seeker()
    _match(deliver, known)
    deliver("jobs.recommendation.made.v1", {"seeker_id": known["seeker_id"], "job_number": "11040-00012345"})
    items = client.get(NOTICES, headers=as_seeker(known["seeker_id"])).json["items"]
    assert sorted(i["kind"] for i in items) == ["matching", "recommendation"]


def test_m3_a_matching_entry_is_deleted_a_year_later(runtime, client, seeker, as_seeker, deliver, clock):
    known = seeker()
    _match(deliver, known)
    clock.set("2027-11-26T09:59:59+09:00")
    assert tasks.purge_expired(runtime) == 0
    clock.set("2027-11-26T10:00:00+09:00")
    assert tasks.purge_expired(runtime) == 1
    assert client.get(NOTICES, headers=as_seeker(known["seeker_id"])).json["total"] == 0


def test_a9_no_matching_entry_reaches_a_seeker_who_withdrew(runtime, seeker, deliver, clock):
    known = seeker()
    deliver("auth.mypage.withdrawn.v1", {"seeker_id": known["seeker_id"], "withdrawn_at": clock.now().isoformat()})
    _match(deliver, known)
    with runtime.uow() as uow:
        assert commands.unread_notices(uow, known["seeker_id"]) == 0


def test_a_malformed_match_is_dropped(runtime, seeker, deliver):
    known = seeker()
    deliver(MATCHED, {"seeker_id": known["seeker_id"], "job_number": "not a number"})
    with runtime.uow() as uow:
        assert commands.unread_notices(uow, known["seeker_id"]) == 0
