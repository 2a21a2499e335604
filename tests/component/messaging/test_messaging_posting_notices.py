"""M2: a posting sent to the seeker's notices (お知らせ) — one that matched their desired conditions (J6,
jobs.posting.matched.v1: 「希望条件に合う新着求人が届きました」) or one staff recommended (J7,
jobs.recommendation.made.v1: 「ハローワークからおすすめの求人が届きました」) — is an entry naming the 求人番号, once per
(seeker, posting, kind), counted in unread like any notice and deleted a year later (M3)."""

from __future__ import annotations

import pytest

from contracts import validate_event
from services.messaging import commands, tasks

NOTICES = "/api/v1/me/notices"
HOME = "/internal/v1/home"
KINDS = {  # the entry's kind: the event that makes it, its title
    "matching": ("jobs.posting.matched.v1", "希望条件に合う新着求人が届きました"),
    "recommendation": ("jobs.recommendation.made.v1", "ハローワークからおすすめの求人が届きました"),
}


@pytest.fixture(params=sorted(KINDS))
def kind(request) -> str:
    return request.param


@pytest.fixture
def send(deliver, kind):
    """send(seeker, job_number="11040-00012345"): jobs' event of this kind for the seeker, delivered."""
    return lambda seeker, job_number="11040-00012345": deliver(
        KINDS[kind][0], {"seeker_id": seeker["seeker_id"], "job_number": job_number})


def test_m2_a_posting_reaches_the_notices_once_per_seeker_and_posting(client, seeker, as_seeker, send, kind,
                                                                     outbox):
    mine, theirs = seeker(), seeker()
    headers = as_seeker(mine["seeker_id"])
    send(mine)
    send(mine)  # the same event delivered again: nothing new
    listed = client.get(NOTICES, headers=headers).json
    assert listed["total"] == 1 and listed["unread"] == 1
    [entry] = listed["items"]
    assert entry["kind"] == kind and entry["job_number"] == "11040-00012345"
    assert entry["title"] == KINDS[kind][1] and "11040-00012345" in entry["body"]
    assert entry["read"] is False and entry["auto_delete_at"] == "2027-11-26T01:00:00+00:00"  # M3

    send(mine, "11040-00099999")  # another posting: another entry
    send(theirs)  # the same posting for another seeker: theirs alone
    assert client.get(NOTICES, headers=headers).json["total"] == 2
    assert client.get(NOTICES, headers=as_seeker(theirs["seeker_id"])).json["total"] == 1
    assert client.get(HOME, headers=headers).json["counts"] == {
        "unread_messages": 2, "unread_notices": 2, "unread_establishment_messages": 0}

    read = client.post(f"{NOTICES}/{entry['id']}/read", headers=headers)
    assert read.status_code == 200 and read.json["read"] is True
    assert client.get(HOME, headers=headers).json["counts"]["unread_notices"] == 1

    posted = outbox("messaging.notice.posted.v1")
    assert [(e["data"]["seeker_id"], e["data"]["kind"]) for e in posted] == [
        (mine["seeker_id"], kind), (mine["seeker_id"], kind), (theirs["seeker_id"], kind)]
    for envelope in posted:
        validate_event(envelope)
        assert "11040-000" not in str(envelope["data"])  # E3: ids and times only


def test_m2_a_matching_and_a_recommendation_of_one_posting_are_two_entries(client, seeker, as_seeker, deliver):
    known = seeker()
    for event_type, _ in KINDS.values():
        deliver(event_type, {"seeker_id": known["seeker_id"], "job_number": "11040-00012345"})
    items = client.get(NOTICES, headers=as_seeker(known["seeker_id"])).json["items"]
    assert sorted(i["kind"] for i in items) == ["matching", "recommendation"]


def test_m2_the_entry_sits_beside_staff_notices_newest_first(client, seeker, as_seeker, send, kind, post_notice,
                                                             clock):
    known = seeker()
    post_notice(known, title="職業相談のご案内")
    clock.advance(minutes=1)
    send(known)
    items = client.get(NOTICES, headers=as_seeker(known["seeker_id"])).json["items"]
    assert [(i["kind"], i["job_number"]) for i in items] == [(kind, "11040-00012345"), ("notice", None)]


def test_m3_the_entry_is_deleted_a_year_later_like_any_notice(runtime, client, seeker, as_seeker, send, clock):
    known = seeker()
    send(known)
    clock.set("2027-11-26T09:59:59+09:00")  # delivered at 10:00 JST: one second short of the year
    assert tasks.purge_expired(runtime) == 0
    clock.set("2027-11-26T10:00:00+09:00")
    assert tasks.purge_expired(runtime) == 1
    assert client.get(NOTICES, headers=as_seeker(known["seeker_id"])).json["total"] == 0


def test_a9_no_entry_reaches_a_seeker_who_withdrew(runtime, seeker, deliver, send, clock):
    known = seeker()
    deliver("auth.mypage.withdrawn.v1", {"seeker_id": known["seeker_id"], "withdrawn_at": clock.now().isoformat()})
    send(known)
    with runtime.uow() as uow:
        assert commands.unread_notices(uow, known["seeker_id"]) == 0


def test_m2_a_malformed_event_is_dropped(runtime, seeker, deliver, kind):
    known = seeker()
    event_type = KINDS[kind][0]
    deliver(event_type, {"seeker_id": known["seeker_id"], "job_number": "not a number"})
    deliver(event_type, {"job_number": "11040-00012345"})  # whose?
    with runtime.uow() as uow:
        assert commands.unread_notices(uow, known["seeker_id"]) == 0
