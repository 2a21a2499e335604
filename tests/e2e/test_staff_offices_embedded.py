"""C3 end to end over real HTTP through the gateway (the embedded system and `make up`): a staff client acts as
staff of its office. SPEC C3 limits no staff client to the seekers of its own office — a seeker may be
served at any Hello Work (the 紹介状 names the referring office, P3a's extension counts counselling at
any office) — so staff of another office read and act for a seeker registered at 越谷 like 越谷's own
staff, and every such write is on the audit trail under the office that made it, not under the seeker's.
"""

from __future__ import annotations

import uuid

import pytest

from kit.testing import e2e
from tests.e2e.clients import DESK_SECRET, SECRET_CLIENTS


@pytest.fixture(scope="module")
def system_environ() -> dict[str, str]:
    """A second staff client, `desk`, of office 13010 (the make up stack has it too)."""
    return {"MYPAGE_AUTH_SECRET_CLIENTS": SECRET_CLIENTS}


def _token(call, client_id: str, secret: str) -> str:
    answer = call("POST", "/api/v1/auth/token", {"grant_type": "client_credentials", "client_id": client_id,
                                                 "client_secret": secret})
    assert answer.status == 200, answer.data
    return answer.json()["access_token"]


def _trail(call, token: str) -> dict[str, dict]:
    answer = call("GET", "/api/v1/staff/audit?per_page=100", token=token)
    assert answer.status == 200
    return {item["request_id"]: item for item in answer.json()["items"]}


def test_c3_staff_of_another_office_act_for_a_seeker_and_the_trail_names_the_acting_office(call):
    koshigaya, tokyo = e2e.staff_token(call), _token(call, "desk", DESK_SECRET)
    number = f"11040-{uuid.uuid4().int % 10**8:08d}"
    registered = call("POST", "/api/v1/staff/seekers", {
        "seeker_number": number, "name": "来所 四郎", "name_kana": "ライショ シロウ", "birth_date": "1988-08-08",
        "email": f"{number}@example.jp", "kind": "registered",
        "office": {"code": "11040", "name": "越谷公共職業安定所"},
        "address": {"postal_code": "343-0023", "prefecture": "埼玉県", "municipality": "越谷市"},
        "phone": "048-000-0000"}, token=koshigaya)
    assert registered.status == 201, registered.data

    read = call("GET", f"/api/v1/staff/seekers/{number}", token=tokyo)
    assert read.status == 200 and read.json()["office"]["code"] == "11040"
    visited = call("POST", f"/api/v1/staff/seekers/{number}/counselling", {"kind": "referral"}, token=tokyo)
    assert visited.status == 200, visited.data

    tokyo_trail, koshigaya_trail = _trail(call, tokyo), _trail(call, koshigaya)
    entry = tokyo_trail[visited.headers["X-Request-ID"]]
    assert (entry["client_id"], entry["office"], entry["action"], entry["service"]) == (
        "desk", "13010", "POST /api/v1/staff/seekers/*/counselling", "profile")
    assert visited.headers["X-Request-ID"] not in koshigaya_trail  # the seeker's office reads its own writes
    assert koshigaya_trail[registered.headers["X-Request-ID"]]["office"] == "11040"
    assert registered.headers["X-Request-ID"] not in tokyo_trail
