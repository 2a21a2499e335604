"""M2/J7: a posting staff recommended (jobs.recommendation.made.v1) reaches the seeker's notices (お知らせ) as
an entry 「ハローワークからおすすめの求人が届きました」 naming the 求人番号 — once per (seeker, posting) —
counted in unread like any notice and deleted a year later (M3)."""

from __future__ import annotations

from contracts import validate_event
from services.messaging import commands, tasks

NOTICES = "/api/v1/me/notices"
HOME = "/internal/v1/home"
RECOMMENDED = "jobs.recommendation.made.v1"


def _recommend(deliver, seeker: dict, job_number: str = "11040-00012345") -> None:
    deliver(RECOMMENDED, {"seeker_id": seeker["seeker_id"], "job_number": job_number})


def test_m2_a_recommendation_reaches_the_notices_once_per_seeker_and_posting(client, seeker, as_seeker, deliver,
                                                                           outbox):
    mine, theirs = seeker(), seeker()
    headers = as_seeker(mine["seeker_id"])
    _recommend(deliver, mine)
    _recommend(deliver, mine)  # the same recommendation again (another delivery): nothing new
    listed = client.get(NOTICES, headers=headers).json
    assert listed["total"] == 1 and listed["unread"] == 1
    [entry] = listed["items"]
    assert entry["kind"] == "recommendation" and entry["job_number"] == "11040-00012345"
    assert entry["title"] == "ハローワークからおすすめの求人が届きました" and "11040-00012345" in entry["body"]
    assert entry["read"] is False and entry["auto_delete_at"] == "2027-11-26T01:00:00+00:00"  # M3

    _recommend(deliver, mine, "11040-00099999")  # another posting: another entry
    _recommend(deliver, theirs)  # the same posting to another seeker: theirs alone
    assert client.get(NOTICES, headers=headers).json["total"] == 2
    assert client.get(NOTICES, headers=as_seeker(theirs["seeker_id"])).json["total"] == 1
    assert client.get(HOME, headers=headers).json["counts"] == {
        "unread_messages": 2, "unread_notices": 2, "unread_establishment_messages": 0}

    read = client.post(f"{NOTICES}/{entry['id']}/read", headers=headers)
    assert read.status_code == 200 and read.json["read"] is True
    assert client.get(HOME, headers=headers).json["counts"]["unread_notices"] == 1

    posted = outbox("messaging.notice.posted.v1")
    assert [(e["data"]["seeker_id"], e["data"]["kind"]) for e in posted] == [
        (mine["seeker_id"], "recommendation"), (mine["seeker_id"], "recommendation"),
        (theirs["seeker_id"], "recommendation")]
    for envelope in posted:
        validate_event(envelope)
        assert "11040-000" not in str(envelope["data"])  # E3: ids and times only


def test_m2_a_recommendation_sits_beside_staff_notices_newest_first(client, seeker, as_seeker, deliver,
                                                                    post_notice, clock):
    known = seeker()
    post_notice(known, title="職業相談のご案内")
    clock.advance(minutes=1)
    _recommend(deliver, known)
    items = client.get(NOTICES, headers=as_seeker(known["seeker_id"])).json["items"]
    assert [(i["kind"], i["job_number"]) for i in items] == [("recommendation", "11040-00012345"), ("notice", None)]


def test_m3_a_recommendation_is_deleted_a_year_later_like_any_notice(runtime, client, seeker, as_seeker, deliver,
                                                                     clock):
    known = seeker()
    _recommend(deliver, known)
    clock.set("2027-11-26T09:59:59+09:00")  # delivered at 10:00 JST: one second short of the year
    assert tasks.purge_expired(runtime) == 0
    clock.set("2027-11-26T10:00:00+09:00")
    assert tasks.purge_expired(runtime) == 1
    assert client.get(NOTICES, headers=as_seeker(known["seeker_id"])).json["total"] == 0


def test_a9_no_recommendation_reaches_a_seeker_who_withdrew(runtime, seeker, deliver, clock):
    known = seeker()
    deliver("auth.mypage.withdrawn.v1", {"seeker_id": known["seeker_id"], "withdrawn_at": clock.now().isoformat()})
    _recommend(deliver, known)
    with runtime.uow() as uow:
        assert commands.unread_notices(uow, known["seeker_id"]) == 0


def test_m2_a_malformed_recommendation_is_dropped(runtime, seeker, deliver):
    known = seeker()
    deliver(RECOMMENDED, {"seeker_id": known["seeker_id"], "job_number": "not-a-number"})
    deliver(RECOMMENDED, {"job_number": "11040-00012345"})
    with runtime.uow() as uow:
        assert commands.unread_notices(uow, known["seeker_id"]) == 0
