"""The profile service in-process: a SQLite database, a frozen clock, tokens from a test signer."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable

import pytest
from sqlalchemy import select

from kit.testing.component import TOKEN_TTL, service_fixtures
from services.profile.app import build_runtime, create_app

# clock, runtime, signer, app, client, staff, employer, as_seeker, outbox (kit/testing/component.py)
globals().update(service_fixtures("profile", build_runtime, create_app))
LONG = TOKEN_TTL  # what the tests here sign their own tokens for

# SPEC "Staff register a seeker" (求職登録), as the counter system sends it.
SPEC_PAYLOAD = {
    "seeker_number": "11040-12345678", "name": "求職 太郎", "name_kana": "キュウショク タロウ",
    "birth_date": "1990-04-01", "email": "taro@example.jp", "kind": "registered",
    "office": {"code": "11040", "name": "越谷公共職業安定所"},
    "address": {"postal_code": "343-0023", "prefecture": "埼玉県", "municipality": "越谷市"},
    "phone": "048-000-0000", "applied_on": "2026-11-02",
    "desired": {"occupations": ["介護職員"], "employment_types": ["正社員"],
                "prefectures": ["埼玉県"], "municipalities": ["越谷市"], "wage_min": 200000},
}

def payload(**changes) -> dict:
    """The SPEC payload with a unique seeker number and email, and `changes` applied."""
    body = copy.deepcopy(SPEC_PAYLOAD)
    unique = uuid.uuid4().int % 10**8
    body["seeker_number"] = f"11040-{unique:08d}"
    body["email"] = f"seeker{unique}@example.jp"
    body.update(changes)
    return body


@pytest.fixture
def register(client, staff) -> Callable[..., dict]:
    """register(**changes) -> the registered profile plus its opaque `seeker_id`."""

    def make(**changes) -> dict:
        response = client.post("/api/v1/staff/seekers", json=payload(**changes), headers=staff)
        assert response.status_code == 201, response.json
        return response.json | {"seeker_id": seeker_id(client.application, response.json["seeker_number"])}

    return make


def seeker_id(app, seeker_number: str) -> str:
    from services.profile.models import Seeker

    with app.extensions["runtime"].session_factory() as session:
        return session.scalar(select(Seeker.id).where(Seeker.seeker_number == seeker_number))
