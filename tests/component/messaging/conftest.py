"""The messaging service in-process: a SQLite database, a frozen clock, tokens from a test signer,
and profile's and auth's events delivered straight to the handlers (as the consumer does)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

import pytest

from kit.testing.component import TOKEN_TTL, service_fixtures
from services.messaging.app import build_runtime, create_app
from services.messaging.handlers import SUBSCRIPTIONS

# clock, runtime, signer, app, client, staff, employer, as_seeker, outbox, deliver (kit/testing/component.py)
globals().update(service_fixtures("messaging", build_runtime, create_app, SUBSCRIPTIONS))
LONG = TOKEN_TTL  # what the tests here sign their own tokens for


@pytest.fixture
def seeker(deliver) -> Callable[..., dict]:
    """seeker(status="valid") -> a seeker messaging learnt of from profile's registration events."""

    def make(status: str = "valid") -> dict:
        seeker_id = str(uuid.uuid4())
        number = f"11040-{uuid.uuid4().int % 10**8:08d}"
        deliver("profile.seeker.registered.v1", {"seeker_id": seeker_id, "seeker_number": number,
                                                 "email": f"{number}@example.jp", "birth_date": "1990-04-01"})
        deliver("profile.registration.validated.v1", registration_data(seeker_id, number))
        if status == "invalid":
            deliver("profile.registration.invalidated.v1", invalidation_data(seeker_id, number))
        return {"seeker_id": seeker_id, "seeker_number": number}

    return make


@pytest.fixture
def validated() -> Callable[..., dict]:
    """validated(seeker_id, number, reason="registered") -> data of profile.registration.validated.v1."""
    return registration_data


@pytest.fixture
def invalidated() -> Callable[..., dict]:
    """invalidated(seeker_id, number, reason="seeker") -> data of profile.registration.invalidated.v1."""
    return invalidation_data


def registration_data(seeker_id: str, number: str, reason: str = "registered") -> dict:
    return {"seeker_id": seeker_id, "seeker_number": number, "kind": "registered", "applied_on": "2026-11-26",
            "valid_until": "2027-01-31", "reason": reason}


def invalidation_data(seeker_id: str, number: str, reason: str = "seeker") -> dict:
    return {"seeker_id": seeker_id, "seeker_number": number, "kind": "registered", "invalidated_on": "2026-11-26",
            "reason": reason}


@pytest.fixture
def post_notice(client, staff) -> Callable[..., dict]:
    """post_notice(seeker, title=…, body=…) -> the posted notice (201)."""

    def post(seeker: dict, title: str = "職業相談のご案内", body: str = "窓口でお待ちしております。") -> dict:
        response = client.post("/api/v1/staff/notices", headers=staff,
                               json={"seeker_number": seeker["seeker_number"], "title": title, "body": body})
        assert response.status_code == 201, response.json
        return response.json

    return post


@pytest.fixture
def applied(deliver) -> Callable[..., dict]:
    """applied(seeker, job_number=…, establishment_number=…, at=None) -> the data of the
    jobs.application.submitted.v1 just delivered (the seeker applied online, J8)."""

    def apply(seeker: dict, job_number: str = "11040-00012345", establishment_number: str = "1104-123456-7",
              at: datetime | str | None = None, establishment_name: str | None = None) -> dict:
        data = application_data(seeker["seeker_id"], uuid.uuid4().hex, job_number, establishment_number)
        deliver("jobs.application.submitted.v1",
                data | {"route": "self", "submitted_at": "2026-11-26T01:00:00+00:00",
                        "establishment_name": establishment_name}, at=at)
        return data

    return apply


def application_data(seeker_id: str, application_id: str, job_number: str = "11040-00012345",
                     establishment_number: str = "1104-123456-7") -> dict:
    """jobs' ApplicationPayload (services/jobs/events.py)."""
    return {"application_id": application_id, "seeker_id": seeker_id, "job_number": job_number,
            "establishment_number": establishment_number}


def assert_out_of_reach(client, headers: dict[str, str], thread_id: str, secret: str) -> None:
    """M1: a seeker with no thread of their own is shown none, and reading another's thread (whose
    messages hold `secret`), writing to it or marking it read answers 404 with nothing of it."""
    messages = "/api/v1/me/messages"
    assert client.get(messages, headers=headers).json["items"] == []
    for method, path, body in (("get", f"{messages}/{thread_id}", None),
                               ("post", f"{messages}/{thread_id}", {"body": "のぞき見"}),
                               ("post", f"{messages}/{thread_id}/read", None)):
        response = getattr(client, method)(path, headers=headers, json=body)
        assert response.status_code == 404 and secret not in response.get_data(as_text=True)
