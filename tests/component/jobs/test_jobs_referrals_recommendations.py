"""J5 referrals (紹介) and J7 recommendations (オンラインハローワーク紹介): staff record them, the seeker
reads their own (P4 gated), P3b keeps recommendations from online registrants, P5 counts them."""

from __future__ import annotations

import pytest

from contracts import validate_event
from tests.component.jobs.conftest import registration

REFERRALS, RECOMMENDATIONS = "/api/v1/staff/referrals", "/api/v1/staff/recommendations"
LETTER = {"office": "ハローワーク越谷", "interview_place": "越谷市本社 2階", "interview_date": "2026-12-01"}


# -- J7 recommendations ----------------------------------------------------------------------------


def test_j7_a_registered_seeker_gets_a_recommendation_once_newest_first(client, staff, seeker, post, outbox):
    seeker_id, headers = seeker()
    first, second = post(), post(publication_scope=2)
    made = client.post(RECOMMENDATIONS, json={"seeker_id": seeker_id, "job_number": first, "comment": "経験が活きます"},
                       headers=staff)
    assert made.status_code == 201 and made.json["job_number"] == first
    again = client.post(RECOMMENDATIONS, json={"seeker_id": seeker_id, "job_number": first}, headers=staff)
    assert again.status_code == 200 and again.json["comment"] == "経験が活きます"  # idempotent, nothing changed
    assert client.post(RECOMMENDATIONS, json={"seeker_id": seeker_id, "job_number": second},
                       headers=staff).status_code == 201
    listed = client.get("/api/v1/me/recommendations", headers=headers)
    assert listed.status_code == 200 and listed.json["total"] == 2
    item = {i["job_number"]: i for i in listed.json["items"]}[first]
    assert item["comment"] == "経験が活きます" and item["establishment"]["name"] == "株式会社越谷ケア"
    assert {i["job_number"]: i for i in listed.json["items"]}[second]["establishment"]["disclosed"] is True
    events = outbox("jobs.recommendation.made.v1")
    assert len(events) == 2
    for event in events:
        validate_event(event)
        assert set(event["data"]) == {"seeker_id", "job_number"}


def test_j7_newest_recommendation_first(client, staff, seeker, post, clock):
    seeker_id, headers = seeker()
    older, newer = post(), post()
    client.post(RECOMMENDATIONS, json={"seeker_id": seeker_id, "job_number": older}, headers=staff)
    clock.advance(seconds=60)
    client.post(RECOMMENDATIONS, json={"seeker_id": seeker_id, "job_number": newer}, headers=staff)
    items = client.get("/api/v1/me/recommendations", headers=headers).json["items"]
    assert [i["job_number"] for i in items] == [newer, older]


def test_p3b_an_online_registrant_cannot_be_recommended_postings(client, staff, seeker, post, outbox):
    seeker_id, _ = seeker(kind="online")
    refused = client.post(RECOMMENDATIONS, json={"seeker_id": seeker_id, "job_number": post()}, headers=staff)
    assert refused.status_code == 409 and refused.mimetype == "application/problem+json"
    assert refused.json["reason"] == "online_registrant"
    assert refused.json["detail"].startswith("オンライン登録者にはハローワークからの求人のおすすめはできません。")
    assert outbox("jobs.recommendation.made.v1") == []


def test_j7_by_seeker_number_from_the_projection(client, staff, seeker, post):
    seeker_id, headers = seeker()  # the conftest's registration event carries 求職番号 11040-12345678
    # every conftest seeker shares that number, so with one seeker the number names them
    made = client.post(RECOMMENDATIONS, json={"seeker_number": "11040-12345678", "job_number": post()}, headers=staff)
    assert made.status_code == 201 and made.json["seeker_id"] == seeker_id
    assert client.get("/api/v1/me/recommendations", headers=headers).json["total"] == 1


def test_j7_an_ambiguous_or_unknown_seeker_number_is_refused(client, staff, seeker, post):
    unknown = client.post(RECOMMENDATIONS, json={"seeker_number": "99999-00000000", "job_number": post()},
                          headers=staff)
    assert unknown.status_code == 404
    seeker(), seeker()
    assert client.post(RECOMMENDATIONS, json={"seeker_number": "11040-12345678", "job_number": post()},
                       headers=staff).status_code == 409


def test_p4_a_gated_seeker_is_not_recommended_and_cannot_read_recommendations(client, staff, seeker, feed, post):
    seeker_id, headers = seeker()
    job = post()
    assert client.post(RECOMMENDATIONS, json={"seeker_id": seeker_id, "job_number": job}, headers=staff).status_code \
        == 201
    feed(*registration(seeker_id, "invalid"))
    refused = client.post(RECOMMENDATIONS, json={"seeker_id": seeker_id, "job_number": post()}, headers=staff)
    assert refused.status_code == 409 and refused.json["reason"] == "registration_invalid"
    gated = client.get("/api/v1/me/recommendations", headers=headers)
    assert gated.status_code == 403 and gated.json["reason"] == "registration_invalid"


def test_j7_unknown_or_not_online_job_is_404_and_only_staff_may_recommend(client, staff, seeker, post):
    seeker_id, headers = seeker()
    for job in ("11040-99999999", post(publication_scope=4)):
        assert client.post(RECOMMENDATIONS, json={"seeker_id": seeker_id, "job_number": job},
                           headers=staff).status_code == 404
    assert client.post(RECOMMENDATIONS, json={"seeker_id": seeker_id, "job_number": post()},
                       headers=headers).status_code == 403
    assert client.post(RECOMMENDATIONS, json={"seeker_id": "nobody", "job_number": post()},
                       headers=staff).status_code == 404


@pytest.mark.parametrize(("body", "field"), [
    ({"job_number": "11040-00012345"}, "seeker_id"),  # neither seeker_id nor seeker_number
    ({"seeker_id": "a", "seeker_number": "11040-12345678", "job_number": "11040-00012345"}, "seeker_id"),
    ({"seeker_number": "11040", "job_number": "11040-00012345"}, "seeker_number"),
    ({"seeker_id": "a"}, "job_number"),
    ({"seeker_id": "a", "job_number": "11040-00012345", "comment": "x" * 501}, "comment"),
])
def test_j7_bad_input_is_a_field_level_problem(client, staff, body, field):
    refused = client.post(RECOMMENDATIONS, json=body, headers=staff)
    assert refused.status_code == 422 and refused.mimetype == "application/problem+json"
    assert field in str(refused.json)


# -- J5 referrals ----------------------------------------------------------------------------------


def test_j5_a_referral_with_its_letter_is_the_seekers_own(client, staff, seeker, post, outbox):
    seeker_id, headers = seeker()
    other_id, other = seeker()
    job = post(publication_scope=3)  # a referral letter names the establishment whatever the scope
    made = client.post(REFERRALS, json={"seeker_id": seeker_id, "job_number": job, "letter": LETTER}, headers=staff)
    assert made.status_code == 201
    referral_id = made.json["id"]
    assert made.json["referred_on"] == "2026-11-26"  # today in Japan
    listed = client.get("/api/v1/me/referrals", headers=headers)
    assert listed.status_code == 200 and listed.json["total"] == 1
    assert listed.json["items"][0]["id"] == referral_id and listed.json["items"][0]["job"]["job_number"] == job
    detail = client.get(f"/api/v1/me/referrals/{referral_id}", headers=headers)
    assert detail.status_code == 200
    letter = detail.json["letter"]
    assert letter["office"] == "ハローワーク越谷" and letter["establishment"]["name"] == "株式会社越谷ケア"
    assert letter["job"]["job_number"] == job and letter["interview"] == {"place": "越谷市本社 2階",
                                                                           "date": "2026-12-01"}
    # another seeker reads nothing of it
    assert client.get(f"/api/v1/me/referrals/{referral_id}", headers=other).status_code == 404
    assert client.get("/api/v1/me/referrals", headers=other).json == {"items": [], "total": 0}
    assert client.get("/api/v1/me/referrals/made-up", headers=headers).status_code == 404
    (event,) = outbox("jobs.referral.recorded.v1")
    validate_event(event)
    assert event["data"] == {"referral_id": referral_id, "seeker_id": seeker_id, "job_number": job,
                             "establishment_number": "1104-123456-7", "establishment_name": "株式会社越谷ケア"}
    assert other_id not in str(event)


def test_j5_an_online_registrant_may_be_referred_at_the_counter(client, staff, seeker, post):
    seeker_id, headers = seeker(kind="online")
    made = client.post(REFERRALS, json={"seeker_id": seeker_id, "job_number": post(), "letter": {"office": "越谷"}},
                       headers=staff)
    assert made.status_code == 201
    assert client.get("/api/v1/me/referrals", headers=headers).json["total"] == 1


def test_p4_referral_letters_are_refused_while_the_registration_is_invalid(client, staff, seeker, feed, post):
    seeker_id, headers = seeker()
    made = client.post(REFERRALS, json={"seeker_id": seeker_id, "job_number": post(), "letter": LETTER},
                       headers=staff)
    feed(*registration(seeker_id, "invalid"))
    for path in ("/api/v1/me/referrals", f"/api/v1/me/referrals/{made.json['id']}"):
        refused = client.get(path, headers=headers)
        assert refused.status_code == 403 and refused.json["reason"] == "registration_invalid"
        assert refused.json["detail"].startswith("求職登録が無効のため")


def test_j5_unknown_seeker_or_job_and_closed_postings(client, staff, seeker, post):
    seeker_id, headers = seeker()
    assert client.post(REFERRALS, json={"seeker_id": "nobody", "job_number": post(), "letter": LETTER},
                       headers=staff).status_code == 404
    assert client.post(REFERRALS, json={"seeker_id": seeker_id, "job_number": "11040-99999999", "letter": LETTER},
                       headers=staff).status_code == 404
    expired = post(deadline="2026-11-25")
    assert client.post(REFERRALS, json={"seeker_id": seeker_id, "job_number": expired, "letter": LETTER},
                       headers=staff).status_code == 409
    assert client.post(REFERRALS, json={"seeker_id": seeker_id, "job_number": post(), "letter": LETTER},
                       headers=headers).status_code == 403


@pytest.mark.parametrize(("body", "field"), [
    ({"seeker_id": "a", "job_number": "11040-00012345"}, "letter"),
    ({"seeker_id": "a", "job_number": "11040-00012345", "letter": {}}, "office"),
    ({"seeker_id": "a", "job_number": "11040-00012345", "letter": LETTER, "referred_on": "tomorrow"}, "referred_on"),
    ({"seeker_id": "a", "job_number": "11040-00012345", "letter": LETTER | {"interview_date": "12/1"}},
     "interview_date"),
])
def test_j5_bad_input_is_a_field_level_problem(client, staff, body, field):
    refused = client.post(REFERRALS, json=body, headers=staff)
    assert refused.status_code == 422 and refused.mimetype == "application/problem+json"
    assert field in str(refused.json)


# -- P5 home counts --------------------------------------------------------------------------------


def test_p5_home_counts_referrals_and_recommendations(client, staff, seeker, post):
    seeker_id, headers = seeker()
    other_id, other = seeker()
    for _ in range(2):
        client.post(REFERRALS, json={"seeker_id": seeker_id, "job_number": post(), "letter": LETTER}, headers=staff)
    client.post(RECOMMENDATIONS, json={"seeker_id": seeker_id, "job_number": post()}, headers=staff)
    client.post(RECOMMENDATIONS, json={"seeker_id": other_id, "job_number": post()}, headers=staff)
    counts = client.get("/internal/v1/home", headers=headers).json["counts"]
    assert counts["referrals"] == 2 and counts["recommendations"] == 1
    assert client.get("/internal/v1/home", headers=other).json["counts"] == {
        "favourites": 0, "saved_searches": 0, "referrals": 0, "recommendations": 1}
