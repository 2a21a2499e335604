"""J8a direct requests (直接リクエスト): an employer sends an open posting that accepts online
applications to a seeker who disclosed their information — at most 10 seekers per posting, once each,
not to a gated or no-show-restricted seeker; the seeker lists them and applies (a self-application)."""

from __future__ import annotations

import uuid

import pytest

from contracts import validate_event
from services.jobs import domain
from tests.component.jobs.conftest import LONG, registration

SEND, MINE = "/api/v1/employer/direct-requests", "/api/v1/me/direct-requests"


@pytest.fixture
def disclosed(feed, signer):
    """disclosed(public=True) -> (seeker id, public ref, headers) of a valid seeker who disclosed."""

    def make(public: bool = True) -> tuple[str, str, dict[str, str]]:
        seeker_id, ref = str(uuid.uuid4()), uuid.uuid4().hex
        feed(*registration(seeker_id, "valid"))
        feed("profile.disclosure.changed.v1", {"seeker_id": seeker_id, "public": public,
                                               "public_ref": ref if public else None})
        return seeker_id, ref, signer.headers(seeker_id, ttl=LONG)

    return make


def test_j8a_a_disclosed_seeker_receives_the_posting_lists_it_and_applies_as_a_self_application(
        client, employer, disclosed, post, outbox):
    seeker_id, ref, headers = disclosed()
    job = post()
    sent = client.post(SEND, json={"job_number": job, "seeker_ref": ref, "message": "ぜひご応募ください"},
                       headers=employer)
    assert sent.status_code == 201 and sent.json["sent_for_posting"] == 1 and sent.json["limit"] == 10
    [event] = outbox("jobs.direct_request.sent.v1")
    validate_event(event)
    assert event["data"] == {"seeker_id": seeker_id, "job_number": job}
    listed = client.get(MINE, headers=headers).json
    assert listed["total"] == 1 and listed["items"][0]["job_number"] == job
    assert listed["items"][0]["message"] == "ぜひご応募ください" and listed["items"][0]["applied"] is False
    applied = client.post("/api/v1/me/applications", json={"job_number": job, "motivation": "志望します。"},
                          headers=headers)
    assert applied.status_code == 201 and applied.json["route"] == "self"
    assert client.get(MINE, headers=headers).json["items"][0]["applied"] is True


def test_j8a_at_most_10_seekers_per_posting(client, employer, disclosed, post):
    job = post()
    for count in range(1, domain.MAX_DIRECT_REQUESTS + 1):
        _, ref, _ = disclosed()
        answer = client.post(SEND, json={"job_number": job, "seeker_ref": ref}, headers=employer)
        assert answer.status_code == 201 and answer.json["sent_for_posting"] == count
    _, eleventh, _ = disclosed()
    refused = client.post(SEND, json={"job_number": job, "seeker_ref": eleventh},
                          headers=employer | {"Accept-Language": "en"})
    assert refused.status_code == 409 and refused.json["limit"] == 10
    assert refused.json["detail"] == "A posting can be sent to at most 10 seekers."
    assert client.post(SEND, json={"job_number": post(), "seeker_ref": eleventh}, headers=employer).status_code == 201


def test_j8a_once_per_seeker_and_posting(client, employer, disclosed, post):
    _, ref, headers = disclosed()
    job = post()
    assert client.post(SEND, json={"job_number": job, "seeker_ref": ref}, headers=employer).status_code == 201
    again = client.post(SEND, json={"job_number": job, "seeker_ref": ref}, headers=employer)
    assert again.status_code == 409 and again.json["reason"] == "already_requested"
    assert client.get(MINE, headers=headers).json["total"] == 1


def test_j8a_only_to_a_seeker_who_discloses_now(client, employer, disclosed, feed, post):
    seeker_id, ref, _ = disclosed()
    feed("profile.disclosure.changed.v1", {"seeker_id": seeker_id, "public": False, "public_ref": None},
         at="2026-11-26T02:00:00+00:00")
    refused = client.post(SEND, json={"job_number": post(), "seeker_ref": ref}, headers=employer)
    assert refused.status_code == 404
    feed("profile.disclosure.changed.v1", {"seeker_id": seeker_id, "public": True, "public_ref": ref},
         at="2026-11-26T01:30:00+00:00")  # older news arriving late changes nothing
    assert client.post(SEND, json={"job_number": post(), "seeker_ref": ref}, headers=employer).status_code == 404


@pytest.mark.parametrize(("changes", "status", "reason"), [
    ({"online_application": False}, 409, "online_application_not_accepted"),
    ({"deadline": "2026-11-25"}, 409, "closed"),
    ({"publication_scope": 4}, 404, None)])
def test_j8a_only_open_postings_that_accept_online_applications(client, employer, disclosed, post, changes, status,
                                                                reason):
    _, ref, _ = disclosed()
    refused = client.post(SEND, json={"job_number": post(**changes), "seeker_ref": ref}, headers=employer)
    assert refused.status_code == status and refused.json.get("reason") == reason


def test_j9_a_restricted_seeker_gets_no_direct_requests_and_p4_a_gated_one_neither(
        client, employer, disclosed, post, feed):
    from services.jobs.models import no_show_restrictions

    restricted_id, restricted_ref, _ = disclosed()
    runtime = client.application.extensions["runtime"]
    with runtime.engine.begin() as connection:
        connection.execute(no_show_restrictions.insert().values(
            seeker_id=restricted_id, restricted_at=runtime.clock.now(), updated_at=runtime.clock.now()))
    refused = client.post(SEND, json={"job_number": post(), "seeker_ref": restricted_ref}, headers=employer)
    assert refused.status_code == 409 and refused.json["reason"] == "no_show_restricted"
    gated_id, gated_ref, _ = disclosed()
    feed(*registration(gated_id, "invalid"), at="2026-11-26T02:00:00+00:00")
    refused = client.post(SEND, json={"job_number": post(), "seeker_ref": gated_ref}, headers=employer)
    assert refused.status_code == 409 and refused.json["reason"] == "registration_invalid"


def test_j8a_input_and_roles(client, employer, disclosed, post, signer):
    _, ref, headers = disclosed()
    bad = client.post(SEND, json={"job_number": post(), "seeker_ref": "not-a-ref", "message": "あ" * 501},
                      headers=employer)
    assert bad.status_code == 422 and sorted(e["field"] for e in bad.json["errors"]) == ["message", "seeker_ref"]
    assert client.post(SEND, json={"job_number": post(), "seeker_ref": ref}, headers=headers).status_code == 403
    assert client.post(SEND, json={"job_number": post(), "seeker_ref": ref}).status_code == 401
    assert client.get(MINE, headers=employer).status_code == 403
