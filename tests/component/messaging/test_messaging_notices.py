"""M2 お知らせ end to end in the service: staff post by 求職番号, the seeker reads, the unread count
falls; 0 cross-user reads; bad input is a field-level problem."""

from __future__ import annotations

import uuid

import pytest

STAFF_NOTICES = "/api/v1/staff/notices"
NOTICES = "/api/v1/me/notices"
HOME = "/internal/v1/home"


def test_m2_staff_post_the_seeker_reads_and_the_unread_count_falls(client, staff, seeker, as_seeker, clock):
    known = seeker()
    headers = as_seeker(known["seeker_id"])
    posted = client.post(STAFF_NOTICES, headers=staff, json={"seeker_number": known["seeker_number"],
                                                             "title": "  職業相談のご案内 ",
                                                             "body": "窓口で\r\nお待ちしています。"})
    assert posted.status_code == 201, posted.json
    notice = posted.json
    assert notice["seeker_id"] == known["seeker_id"] and notice["seeker_number"] == known["seeker_number"]
    assert notice["title"] == "職業相談のご案内" and notice["body"] == "窓口で\nお待ちしています。"
    assert notice["read"] is False and notice["read_at"] is None
    assert notice["auto_delete_at"] == "2027-11-26T01:00:00+00:00"  # M3: a year after it was sent
    assert client.get(HOME, headers=headers).json["counts"]["unread_notices"] == 1

    listed = client.get(NOTICES, headers=headers).json
    assert listed["total"] == 1 and listed["unread"] == 1 and listed["page"] == 1 and listed["per_page"] == 20
    assert listed["items"][0]["id"] == notice["id"] and listed["items"][0]["read"] is False
    one = client.get(f"{NOTICES}/{notice['id']}", headers=headers)
    assert one.status_code == 200 and one.json["read"] is False  # reading the detail does not mark it

    clock.advance(minutes=5)
    read = client.post(f"{NOTICES}/{notice['id']}/read", headers=headers)
    assert read.status_code == 200 and read.json["read"] is True and read.json["read_at"] == "2026-11-26T01:05:00+00:00"
    clock.advance(minutes=5)
    again = client.put(f"{NOTICES}/{notice['id']}/read", headers=headers)
    assert again.json["read_at"] == "2026-11-26T01:05:00+00:00"  # the first reading is kept
    assert client.get(NOTICES, headers=headers).json["unread"] == 0
    assert client.get(HOME, headers=headers).json["counts"] == {
        "unread_messages": 0, "unread_notices": 0, "unread_establishment_messages": 0}


def test_m2_newest_first_and_paged(client, seeker, as_seeker, post_notice, clock):
    known = seeker()
    for n in range(5):
        post_notice(known, title=f"お知らせ{n}")
        clock.advance(minutes=1)
    headers = as_seeker(known["seeker_id"])
    first = client.get(f"{NOTICES}?per_page=2", headers=headers).json
    assert [i["title"] for i in first["items"]] == ["お知らせ4", "お知らせ3"]
    assert first["total"] == 5 and first["unread"] == 5 and first["per_page"] == 2
    last = client.get(f"{NOTICES}?per_page=2&page=3", headers=headers).json
    assert [i["title"] for i in last["items"]] == ["お知らせ0"] and last["page"] == 3
    assert client.get(f"{NOTICES}?page=9", headers=headers).json["items"] == []


def test_m2_zero_cross_user_reads(client, seeker, as_seeker, post_notice):
    mine, theirs = seeker(), seeker()
    their_notice = post_notice(theirs, title="他の人へのお知らせ")
    headers = as_seeker(mine["seeker_id"])
    assert client.get(NOTICES, headers=headers).json == {"items": [], "total": 0, "page": 1, "per_page": 20,
                                                         "unread": 0}
    for method, path in (("get", f"{NOTICES}/{their_notice['id']}"), ("post", f"{NOTICES}/{their_notice['id']}/read"),
                         ("put", f"{NOTICES}/{their_notice['id']}/read")):
        response = getattr(client, method)(path, headers=headers)
        assert response.status_code == 404 and "他の人" not in response.get_data(as_text=True)
    assert client.get(NOTICES, headers=as_seeker(theirs["seeker_id"])).json["items"][0]["read"] is False


def test_m2_by_the_opaque_id_and_full_width_numbers(client, staff, seeker):
    known = seeker()
    by_id = client.post(STAFF_NOTICES, headers=staff, json={"seeker_id": known["seeker_id"], "title": "t", "body": "b"})
    assert by_id.status_code == 201 and by_id.json["seeker_number"] == known["seeker_number"]
    wide = known["seeker_number"].translate(str.maketrans("0123456789-", "０１２３４５６７８９ー"))
    assert client.post(STAFF_NOTICES, headers=staff, json={"seeker_number": wide, "title": "t", "body": "b"}
                       ).status_code == 201


def test_m2_only_staff_post(client, seeker, as_seeker, signer):
    known = seeker()
    body = {"seeker_number": known["seeker_number"], "title": "t", "body": "b"}
    assert client.post(STAFF_NOTICES, json=body).status_code == 401
    assert client.post(STAFF_NOTICES, headers=as_seeker(known["seeker_id"]), json=body).status_code == 403
    assert client.post(STAFF_NOTICES, headers=signer.headers("employer", roles=("employer",)), json=body
                       ).status_code == 403


def test_m2_unknown_seeker_is_404_withdrawn_is_409_invalid_still_gets_it(client, staff, seeker, deliver, clock):
    unknown = client.post(STAFF_NOTICES, headers=staff,
                          json={"seeker_number": "11040-99999999", "title": "t", "body": "b"})
    assert unknown.status_code == 404 and unknown.json["errors"][0]["field"] == "seeker_number"
    assert client.post(STAFF_NOTICES, headers=staff, json={"seeker_id": str(uuid.uuid4()), "title": "t", "body": "b"}
                       ).status_code == 404
    assert client.post(STAFF_NOTICES, headers=staff, json={"seeker_number": seeker("invalid")["seeker_number"],
                                                           "title": "t", "body": "b"}).status_code == 201
    gone = seeker()
    deliver("auth.mypage.withdrawn.v1", {"seeker_id": gone["seeker_id"], "withdrawn_at": clock.now().isoformat()})
    assert client.post(STAFF_NOTICES, headers=staff, json={"seeker_number": gone["seeker_number"], "title": "t",
                                                           "body": "b"}).status_code == 409


@pytest.mark.parametrize(("body", "fields"), [
    ({}, {"seeker_number", "title", "body"}),
    ({"seeker_number": "11040-1234", "title": "t", "body": "b"}, {"seeker_number"}),
    ({"seeker_number": 11040, "title": "t", "body": "b"}, {"seeker_number"}),
    ({"seeker_number": "11040-12345678", "seeker_id": "x", "title": "t", "body": "b"}, {"seeker_number"}),
    ({"seeker_number": "11040-12345678", "title": "", "body": "   "}, {"title", "body"}),
    ({"seeker_number": "11040-12345678", "title": "x" * 101, "body": "b" * 4001}, {"title", "body"}),
    ({"seeker_number": "11040-12345678", "title": "a\x00b", "body": "b\x1b[31m"}, {"title", "body"}),
    ({"seeker_number": "11040-12345678", "title": ["t"], "body": {"b": 1}}, {"title", "body"}),
    ({"seeker_number": "11040-12345678", "title": "t", "body": "b", "urgent": True}, {"urgent"}),
])
def test_m2_bad_input_is_a_field_level_problem(client, staff, body, fields):
    response = client.post(STAFF_NOTICES, headers=staff | {"Accept-Language": "en"}, json=body)
    assert response.status_code == 422 and response.headers["Content-Type"].startswith("application/problem+json")
    assert {e["field"] for e in response.json["errors"]} == fields
    assert all(m.isascii() for e in response.json["errors"] for m in e["messages"])


def test_m2_field_messages_are_japanese_by_default(client, staff):
    response = client.post(STAFF_NOTICES, headers=staff, json={"seeker_number": "1", "title": "", "body": "b"})
    errors = {e["field"]: e["messages"] for e in response.json["errors"]}
    assert errors == {"seeker_number": ["求職番号は 11040-12345678 の形式で入力してください。"],
                      "title": ["1文字以上100文字以内で入力してください。"]}
    assert response.json["title"] == "入力内容に誤りがあります"


@pytest.mark.parametrize("query", ["page=0", "per_page=101", "per_page=x", "page=-1"])
def test_paging_bad_values_are_field_level(client, seeker, as_seeker, query):
    response = client.get(f"{NOTICES}?{query}", headers=as_seeker(seeker()["seeker_id"]))
    assert response.status_code == 422 and response.json["errors"][0]["field"] in ("page", "per_page")
