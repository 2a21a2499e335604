"""J4 favourites (お気に入り): add, list newest first, remove; at most 300; closed postings stay."""

from __future__ import annotations

from sqlalchemy import insert

from contracts import validate_event
from services.jobs.models import favourites

FAVOURITES = "/api/v1/me/favourites"
SUMMARY_KEYS = {"job_number", "title", "establishment", "location", "wage", "employment_type", "received_on",
                "deadline"}


def _keep_directly(runtime, seeker_id: str, job_numbers: list[str]) -> None:
    """Favourites written straight into the table (the setup of a limit test, not the rule under test)."""
    with runtime.engine.begin() as connection:
        connection.execute(insert(favourites), [{"seeker_id": seeker_id, "job_number": number,
                                                 "added_at": runtime.clock.now()} for number in job_numbers])


def test_j4_add_list_and_remove(client, seeker, post, clock, outbox):
    seeker_id, headers = seeker()
    first, second = post(), post(title="訪問介護員")
    assert client.put(f"{FAVOURITES}/{first}", headers=headers).status_code == 204
    clock.advance(minutes=1)
    assert client.put(f"{FAVOURITES}/{second}", headers=headers).status_code == 204
    listed = client.get(FAVOURITES, headers=headers).json
    assert [item["job_number"] for item in listed["items"]] == [second, first]  # newest first
    assert listed["total"] == 2 and listed["limit"] == 300
    assert set(listed["items"][0]) >= SUMMARY_KEYS
    assert listed["items"][0]["establishment"]["name"] == "株式会社越谷ケア"
    assert client.delete(f"{FAVOURITES}/{first}", headers=headers).status_code == 204
    assert [item["job_number"] for item in client.get(FAVOURITES, headers=headers).json["items"]] == [second]
    added, removed = outbox("jobs.favourite.added.v1"), outbox("jobs.favourite.removed.v1")
    assert [e["data"] for e in added] == [{"seeker_id": seeker_id, "job_number": first},
                                          {"seeker_id": seeker_id, "job_number": second}]
    assert [e["data"] for e in removed] == [{"seeker_id": seeker_id, "job_number": first}]
    for event in added + removed:
        validate_event(event)
        assert event["subject"] == seeker_id


def test_j4_adding_and_removing_twice_changes_nothing(client, seeker, post, outbox):
    _, headers = seeker()
    number = post()
    assert client.put(f"{FAVOURITES}/{number}", headers=headers).status_code == 204
    assert client.put(f"{FAVOURITES}/{number}", headers=headers).status_code == 204
    assert client.get(FAVOURITES, headers=headers).json["total"] == 1
    assert client.delete(f"{FAVOURITES}/{number}", headers=headers).status_code == 204
    assert client.delete(f"{FAVOURITES}/{number}", headers=headers).status_code == 204
    assert len(outbox("jobs.favourite.added.v1")) == 1 and len(outbox("jobs.favourite.removed.v1")) == 1


def test_j4_the_300th_favourite_is_kept_and_the_301st_refused(client, runtime, seeker, post_many):
    seeker_id, headers = seeker()
    numbers = post_many(301)
    _keep_directly(runtime, seeker_id, numbers[:299])
    assert client.put(f"{FAVOURITES}/{numbers[299]}", headers=headers).status_code == 204
    refused = client.put(f"{FAVOURITES}/{numbers[300]}", headers=headers)
    assert refused.status_code == 409 and refused.mimetype == "application/problem+json"
    assert refused.json["type"].endswith("/limit-reached")
    assert refused.json["detail"] == "お気に入りは300件までです。" and refused.json["limit"] == 300
    english = client.put(f"{FAVOURITES}/{numbers[300]}", headers=headers | {"Accept-Language": "en"})
    assert english.json["detail"] == "You can keep at most 300 favourites."
    # at the limit, one already kept is still a harmless PUT, and removing one makes room again
    assert client.put(f"{FAVOURITES}/{numbers[0]}", headers=headers).status_code == 204
    assert client.get(FAVOURITES, headers=headers).json["total"] == 300
    assert client.delete(f"{FAVOURITES}/{numbers[0]}", headers=headers).status_code == 204
    assert client.put(f"{FAVOURITES}/{numbers[300]}", headers=headers).status_code == 204


def test_j4_the_limit_is_per_seeker(client, runtime, seeker, post_many):
    full_id, _ = seeker()
    _, other = seeker()
    numbers = post_many(301)
    _keep_directly(runtime, full_id, numbers[:300])
    assert client.put(f"{FAVOURITES}/{numbers[300]}", headers=other).status_code == 204


def test_j4_an_unknown_or_offline_posting_is_404(client, seeker, post):
    _, headers = seeker()
    for number in ("11040-99999999", "not-a-number", post(publication_scope=4)):
        response = client.put(f"{FAVOURITES}/{number}", headers=headers)
        assert response.status_code == 404 and response.json["type"].endswith("/not-found"), number


def test_j4_a_full_width_job_number_is_understood(client, seeker, post):
    _, headers = seeker()
    number = post()
    wide = number.translate(str.maketrans("0123456789-", "０１２３４５６７８９－"))
    assert client.put(f"{FAVOURITES}/{wide}", headers=headers).status_code == 204
    assert client.get(FAVOURITES, headers=headers).json["items"][0]["job_number"] == number


def test_j1_a_favourite_stays_listed_and_readable_after_the_posting_closes(client, runtime, seeker, post, clock):
    _, headers = seeker()
    number = post(deadline="2026-11-30")
    assert client.put(f"{FAVOURITES}/{number}", headers=headers).status_code == 204
    clock.set("2026-12-01T10:00:00+09:00")  # past its 紹介期限日
    listed = client.get(FAVOURITES, headers=headers).json["items"]
    assert [(item["job_number"], item["status"]) for item in listed] == [(number, "expired")]
    assert client.get(f"/api/v1/jobs/{number}", headers=headers).status_code == 200  # kept: readable
    assert client.get(f"/api/v1/jobs/{number}").status_code == 404  # for anyone else: gone
    assert client.get("/api/v1/jobs", headers=headers).json["total"] == 0  # never found by search
    # a posting that is no longer open cannot be newly added (it is not found to add)
    closed = post(deadline="2026-11-30")
    refused = client.put(f"{FAVOURITES}/{closed}", headers=headers)
    assert refused.status_code == 409 and "募集が終了" in refused.json["detail"]


def test_j4_needs_a_seeker_token(client, signer, post):
    number = post()
    assert client.get(FAVOURITES).status_code == 401
    staff = signer.headers("counter", roles=("staff",))
    assert client.put(f"{FAVOURITES}/{number}", headers=staff).status_code == 403
