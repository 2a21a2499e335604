"""A 求人番号 typed with any dash, the long vowel mark, no hyphen or full-width digits is one posting
everywhere (domain.canonical_job_number): search, the 求人票, favourites, applications, intake. And SPEC's
convention: an optional text sent as "" is not given (an employer system's `"station": ""`)."""

from __future__ import annotations

import copy

import pytest

from kit.tokens import EMPLOYER
from services.jobs import domain

from .conftest import LONG, POSTING

NUMBER = "11040-12345678"
TYPED = ["11040‐12345678", "11040ー12345678", "1104012345678", "１１０４０－１２３４５６７８", " 11040−12345678 "]


@pytest.mark.parametrize("typed", [NUMBER, *TYPED])
def test_every_typed_form_is_the_canonical_job_number(typed):
    assert domain.canonical_job_number(typed) == NUMBER


@pytest.mark.parametrize("typed", ["11040-1234567", "1104-012345678", "11040_12345678", "abcde-12345678", ""])
def test_what_is_not_a_job_number_is_none(typed):
    assert domain.canonical_job_number(typed) is None


@pytest.mark.parametrize("typed", TYPED)
def test_a_typed_job_number_reaches_the_same_posting_everywhere(client, post, seeker, typed):
    post(job_number=NUMBER)
    _, headers = seeker()
    found = client.get("/api/v1/jobs", query_string={"job_number": typed})
    assert [item["job_number"] for item in found.json["items"]] == [NUMBER]
    assert client.get(f"/api/v1/jobs/{typed}").json["job_number"] == NUMBER
    assert client.put(f"/api/v1/me/favourites/{typed}", headers=headers).status_code == 204
    assert [item["job_number"] for item in client.get("/api/v1/me/favourites", headers=headers).json["items"]] == [
        NUMBER]
    assert client.delete(f"/api/v1/me/favourites/{typed}", headers=headers).status_code == 204
    applied = client.post("/api/v1/me/applications", json={"job_number": typed, "motivation": "志望します。"},
                          headers=headers)
    assert applied.status_code == 201, applied.json
    assert applied.json["job"]["job_number"] == NUMBER


def test_an_optional_text_sent_empty_is_not_given(client, signer):
    employer = signer.headers("employer-system", roles=(EMPLOYER,), ttl=LONG, establishments="*")
    body = copy.deepcopy(POSTING) | {"job_number": "11040-00099999"}
    body["location"] = body["location"] | {"station": ""}
    body["hours"] = "  "
    published = client.post("/api/v1/employer/jobs", json=body, headers=employer)
    assert published.status_code == 201, published.json
    assert published.json["location"]["station"] is None and published.json["hours"] is None
    body["title"] = ""
    refused = client.post("/api/v1/employer/jobs", json=body | {"job_number": "11040-00099998"}, headers=employer)
    assert refused.status_code == 422
    assert [error["field"] for error in refused.json["errors"]] == ["title"]
