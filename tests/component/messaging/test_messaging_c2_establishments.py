"""C2 in messaging: an employer token reaches only the threads of its own establishments — another
establishment's thread (by application or referral id) is answered exactly as one that does not exist
(404), for writing, reading and marking read; the thread stays as it was."""

from __future__ import annotations

import uuid

import pytest

from kit.tokens import EMPLOYER
from tests.component.messaging.conftest import LONG

EMPLOYER_MESSAGES = "/api/v1/employer/messages"
MADE_UP = "0" * 32
OURS, THEIRS = "1104-123456-7", "1104-999999-9"


@pytest.fixture
def ours(signer) -> dict[str, str]:
    return signer.headers("koshigaya-care", roles=(EMPLOYER,), ttl=LONG, establishments=[OURS])


@pytest.fixture
def theirs(signer) -> dict[str, str]:
    return signer.headers("other-care", roles=(EMPLOYER,), ttl=LONG, establishments=[THEIRS])


def _same_as_made_up(response, made_up) -> None:
    assert response.status_code == made_up.status_code == 404
    strip = lambda body: {k: v for k, v in body.items() if k != "instance"}  # noqa: E731
    assert strip(response.json) == strip(made_up.json)


def test_c2_employer_of_another_establishment_gets_404_for_the_thread(client, seeker, applied, ours, theirs,
                                                                      as_seeker, outbox):
    known = seeker()
    application_id = applied(known, establishment_number=OURS)["application_id"]
    _same_as_made_up(client.post(EMPLOYER_MESSAGES, json={"application_id": application_id, "body": "面接のご案内"},
                                 headers=theirs),
                     client.post(EMPLOYER_MESSAGES, json={"application_id": MADE_UP, "body": "面接のご案内"},
                                 headers=theirs))
    _same_as_made_up(client.get(EMPLOYER_MESSAGES, query_string={"application_id": application_id}, headers=theirs),
                     client.get(EMPLOYER_MESSAGES, query_string={"application_id": MADE_UP}, headers=theirs))
    _same_as_made_up(client.post(f"{EMPLOYER_MESSAGES}/read", json={"application_id": application_id},
                                 headers=theirs),
                     client.post(f"{EMPLOYER_MESSAGES}/read", json={"application_id": MADE_UP}, headers=theirs))
    assert outbox("messaging.message.sent.v1") == []
    assert client.get("/api/v1/me/messages", headers=as_seeker(known["seeker_id"])).json["items"][0]["unread"] == 0
    # its own establishment's system writes as before
    own = client.post(EMPLOYER_MESSAGES, json={"application_id": application_id, "body": "面接のご案内"}, headers=ours)
    assert own.status_code == 201, own.json


def test_c2_employer_of_another_establishment_gets_404_for_a_referral_thread(client, seeker, deliver, ours, theirs):
    known = seeker()
    referral_id = uuid.uuid4().hex
    deliver("jobs.referral.recorded.v1", {"referral_id": referral_id, "seeker_id": known["seeker_id"],
                                          "job_number": "11040-00012345", "establishment_number": OURS,
                                          "establishment_name": "株式会社越谷ケア"})
    query = {"referral_id": referral_id}
    _same_as_made_up(client.get(EMPLOYER_MESSAGES, query_string=query, headers=theirs),
                     client.get(EMPLOYER_MESSAGES, query_string={"referral_id": MADE_UP}, headers=theirs))
    assert client.get(EMPLOYER_MESSAGES, query_string=query, headers=ours).status_code == 200


def test_c2_a_token_without_the_establishments_claim_reaches_no_thread(client, signer, seeker, applied):
    application_id = applied(seeker(), establishment_number=OURS)["application_id"]
    bare = signer.headers("employer", roles=(EMPLOYER,), ttl=LONG)
    assert client.get(EMPLOYER_MESSAGES, query_string={"application_id": application_id},
                      headers=bare).status_code == 404
