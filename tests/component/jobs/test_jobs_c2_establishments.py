"""C2: an employer token carries its establishments (事業所番号) and every employer route of jobs acts only
within them — another establishment's application, document, no-show report or direct request is
answered exactly as a made-up one (404); publishing, reading, changing or closing another's posting is
403; the application list shows only its own. The jobs service in-process, tokens from a test signer."""

from __future__ import annotations

import base64
import copy

import pytest
from sqlalchemy import select

from kit.tokens import EMPLOYER
from services.jobs.models import postings
from tests.component.jobs.conftest import LONG, POSTING, job_number

OURS, THEIRS = "1104-123456-7", "1104-999999-9"  # POSTING's establishment, and another one
PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
MADE_UP = "0" * 32


@pytest.fixture
def ours(signer) -> dict[str, str]:
    """The employer system of POSTING's establishment (and of one more)."""
    return signer.headers("koshigaya-care", roles=(EMPLOYER,), ttl=LONG, establishments=[OURS, "1104-000001-1"])


@pytest.fixture
def theirs(signer) -> dict[str, str]:
    """Another establishment's employer system."""
    return signer.headers("other-care", roles=(EMPLOYER,), ttl=LONG, establishments=[THEIRS])


@pytest.fixture
def application(client, seeker, post) -> dict:
    """An online self-application to POSTING's establishment, with a PDF."""
    _, headers = seeker()
    made = client.post("/api/v1/me/applications", headers=headers, json={
        "job_number": post(), "motivation": "介護の経験を活かしたく応募します。",
        "documents": [{"filename": "履歴書.pdf", "content": base64.b64encode(PDF).decode()}]})
    assert made.status_code == 201, made.json
    return made.json


def _same_as_made_up(response, made_up) -> None:
    """The answer to another establishment's resource is the made-up id's, word for word (but the path)."""
    assert response.status_code == made_up.status_code == 404
    assert response.headers["Content-Type"] == made_up.headers["Content-Type"] == "application/problem+json"
    strip = lambda body: {k: v for k, v in body.items() if k != "instance"}  # noqa: E731
    assert strip(response.json) == strip(made_up.json)


# -- applications ---------------------------------------------------------------------------------------


def test_c2_employer_of_another_establishment_gets_404_for_the_application(client, application, ours, theirs):
    path = f"/api/v1/employer/applications/{application['id']}"
    _same_as_made_up(client.get(path, headers=theirs),
                     client.get(f"/api/v1/employer/applications/{MADE_UP}", headers=theirs))
    own = client.get(path, headers=ours)
    assert own.status_code == 200 and own.json["motivation"] == "介護の経験を活かしたく応募します。"


def test_c2_employer_of_another_establishment_gets_404_for_the_document(client, application, ours, theirs):
    document_id = application["documents"][0]["id"]
    path = f"/api/v1/employer/applications/{application['id']}/documents/{document_id}"
    _same_as_made_up(client.get(path, headers=theirs),
                     client.get(f"/api/v1/employer/applications/{application['id']}/documents/{MADE_UP}",
                                headers=theirs))
    own = client.get(path, headers=ours)
    assert own.status_code == 200 and own.data == PDF


def test_c2_employer_of_another_establishment_cannot_set_the_status(client, application, ours, theirs, outbox):
    path = f"/api/v1/employer/applications/{application['id']}/status"
    _same_as_made_up(client.put(path, json={"status": "rejected"}, headers=theirs),
                     client.put(f"/api/v1/employer/applications/{MADE_UP}/status", json={"status": "rejected"},
                                headers=theirs))
    assert outbox("jobs.application.status_changed.v1") == []
    assert client.get(f"/api/v1/employer/applications/{application['id']}", headers=ours).json["status"] == "applied"


def test_c2_employer_of_another_establishment_cannot_report_a_no_show(client, application, theirs, outbox):
    body = {"interview_date": "2026-11-26"}
    _same_as_made_up(client.post(f"/api/v1/employer/applications/{application['id']}/no-show", json=body,
                                 headers=theirs),
                     client.post(f"/api/v1/employer/applications/{MADE_UP}/no-show", json=body, headers=theirs))
    assert outbox("jobs.no_show.reported.v1") == []


def test_c2_the_application_list_shows_only_the_clients_establishments(client, seeker, post, ours, theirs):
    _, headers = seeker()
    for job in (post(), post(establishment={"number": THEIRS, "name": "他社"})):
        assert client.post("/api/v1/me/applications", headers=headers,
                           json={"job_number": job, "motivation": "応募します。"}).status_code == 201
    listed = client.get("/api/v1/employer/applications", headers=ours).json
    assert listed["total"] == 1 and [a["establishment_number"] for a in listed["items"]] == [OURS]
    # naming another establishment shows nothing of it
    named = client.get("/api/v1/employer/applications", query_string={"establishment_number": THEIRS},
                       headers=ours).json
    assert named["total"] == 0 and named["items"] == []
    theirs_listed = client.get("/api/v1/employer/applications", headers=theirs).json
    assert [a["establishment_number"] for a in theirs_listed["items"]] == [THEIRS]


def test_c2_a_token_without_the_establishments_claim_acts_for_none(client, signer, application):
    bare = signer.headers("employer", roles=(EMPLOYER,), ttl=LONG)
    assert client.get("/api/v1/employer/applications", headers=bare).json["total"] == 0
    assert client.get(f"/api/v1/employer/applications/{application['id']}", headers=bare).status_code == 404
    with_none = signer.headers("employer", roles=(EMPLOYER,), ttl=LONG, establishments=[])
    assert client.get(f"/api/v1/employer/applications/{application['id']}", headers=with_none).status_code == 404


@pytest.mark.parametrize("claim", ["1104-123456-7", ["*"], [1104], {"1104-123456-7": True}])
def test_c2_a_malformed_establishments_claim_is_refused(client, signer, claim):
    headers = signer.headers("employer", roles=(EMPLOYER,), ttl=LONG, establishments=claim)
    response = client.get("/api/v1/employer/applications", headers=headers)
    assert response.status_code == 401 and response.json["type"].endswith("/unauthorized")


# -- postings ---------------------------------------------------------------------------------------------


def _payload(establishment: str = OURS) -> dict:
    return copy.deepcopy(POSTING) | {"job_number": job_number(),
                                     "establishment": {"number": establishment, "name": "株式会社越谷ケア"}}


def test_c2_publishing_for_an_establishment_not_on_the_list_is_403(client, runtime, theirs, ours, outbox):
    payload = _payload(OURS)
    refused = client.post("/api/v1/employer/jobs", json=payload, headers=theirs)
    assert refused.status_code == 403 and refused.json["type"].endswith("/forbidden")
    assert refused.json["reason"] == "other_establishment" and OURS in refused.json["detail"]
    with runtime.engine.connect() as connection:
        assert connection.scalar(select(postings.c.id).where(postings.c.job_number == payload["job_number"])) is None
    assert outbox("jobs.posting.published.v1") == []
    assert client.post("/api/v1/employer/jobs", json=payload, headers=ours).status_code == 201


def test_c2_another_establishments_posting_cannot_be_read_changed_or_closed(client, post, theirs, ours, outbox):
    job = post()
    path = f"/api/v1/employer/jobs/{job}"
    for response in (client.get(path, headers=theirs),
                     client.patch(path, json={"title": "書き換え"}, headers=theirs),
                     client.delete(path, headers=theirs)):
        assert response.status_code == 403, response.json
        assert response.json["reason"] == "other_establishment"
    assert outbox("jobs.posting.changed.v1") == [] and outbox("jobs.posting.closed.v1") == []
    own = client.get(path, headers=ours).json
    assert own["title"] == "介護職員" and own["status"] == "open"


def test_c2_the_403_speaks_english_on_request(client, post, theirs):
    response = client.delete(f"/api/v1/employer/jobs/{post()}", headers=theirs | {"Accept-Language": "en"})
    assert response.status_code == 403 and "establishment 1104-123456-7" in response.json["detail"]


def test_c2_an_unknown_posting_stays_404_for_any_establishment(client, theirs):
    response = client.patch(f"/api/v1/employer/jobs/{job_number()}", json={"title": "x"}, headers=theirs)
    assert response.status_code == 404


# -- direct requests --------------------------------------------------------------------------------------


def test_c2_a_direct_request_for_another_establishments_posting_is_404_as_for_an_unknown_one(client, post, theirs,
                                                                                            outbox):
    job, unknown = post(), job_number()
    sent = client.post("/api/v1/employer/direct-requests", json={"job_number": job, "seeker_ref": "a" * 32},
                       headers=theirs)
    made_up = client.post("/api/v1/employer/direct-requests",
                          json={"job_number": unknown, "seeker_ref": "a" * 32}, headers=theirs)
    assert sent.status_code == made_up.status_code == 404
    assert sent.json["detail"] == made_up.json["detail"].replace(unknown, job)
    assert outbox("jobs.direct_request.sent.v1") == []
