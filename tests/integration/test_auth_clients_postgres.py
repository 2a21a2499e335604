"""C1 and C3 on PostgreSQL (production's database): an employer client's life — registration, its
establishments (a JSON column) in its token, a changed list, rotation, revocation, each announced in the
outbox — parallel rotations that leave exactly one working secret, and the audit trail of staff writes
(kept five years to the second).
A fresh database per test, the injected FrozenClock; parallel calls released together by a barrier."""

from __future__ import annotations

import pytest

from contracts import validate_event
from kit.clock import FrozenClock
from kit.testing.services import in_parallel, outbox_envelopes
from kit.tokens import KeySet, TokenVerifier
from services.auth.purge import purge_expired
from tests.component.auth.conftest import AuthWorld

CLIENTS = "/api/v1/staff/employer-clients"
OURS, OTHER = "1104-123456-7", "1104-000001-1"


@pytest.fixture
def world(database_url, tmp_path):
    world = AuthWorld(tmp_path, FrozenClock("2026-11-26T09:00:00+00:00"), database_url=database_url)
    assert world.runtime.engine.dialect.name == "postgresql"
    yield world
    world.runtime.dispose()


def _token(world, client_id: str, secret: str):
    return world.client.post("/api/v1/auth/token", json={"grant_type": "client_credentials", "client_id": client_id,
                                                         "client_secret": secret})


def _claims(world, token: str):
    return TokenVerifier(KeySet(world.ctx.secrets.public_jwks), clock=world.clock).verify(token)


def _revocations(world) -> list[dict]:
    envelopes = outbox_envelopes(world.runtime, "auth.client_tokens.revoked.v1")
    for envelope in envelopes:
        validate_event(envelope)
    return [envelope["data"] for envelope in envelopes]


def test_c1_the_life_of_an_employer_client_on_postgresql(world):
    staff = world.staff_headers()
    client = world.client.post(CLIENTS, json={"name": "越谷ケア 採用システム", "establishments": [OURS, OTHER]},
                               headers=staff).json
    first = _claims(world, _token(world, client["client_id"], client["client_secret"]).json["access_token"])
    assert first.establishment_scope() == {OURS, OTHER}
    path = f"{CLIENTS}/{client['client_id']}"
    assert world.client.put(f"{path}/establishments", json={"establishments": [OTHER]},
                            headers=staff).json["establishments"] == [OTHER]
    second = _claims(world, _token(world, client["client_id"], client["client_secret"]).json["access_token"])
    assert second.establishment_scope() == {OTHER}
    rotated = world.client.post(f"{path}/secret", headers=staff).json
    assert _token(world, client["client_id"], client["client_secret"]).status_code == 401
    third = _claims(world, _token(world, client["client_id"], rotated["client_secret"]).json["access_token"])
    assert world.client.delete(path, headers=staff).status_code == 204
    assert _token(world, client["client_id"], rotated["client_secret"]).status_code == 401
    assert [(r["session_ids"], r["reason"]) for r in _revocations(world)] == [
        ([first.session_id], "establishments_changed"), ([second.session_id], "secret_rotated"),
        ([third.session_id], "revoked")]


def test_c1_parallel_rotations_leave_exactly_one_working_secret(world):
    staff = world.staff_headers()
    client = world.client.post(CLIENTS, json={"name": "並行", "establishments": [OURS]}, headers=staff).json

    def rotate():
        response = world.app.test_client().post(f"{CLIENTS}/{client['client_id']}/secret", headers=staff)
        return response.status_code, response.json.get("client_secret")

    results = in_parallel([rotate] * 4)
    assert [status for status, _ in results] == [200] * 4
    working = [secret for _, secret in results if _token(world, client["client_id"], secret).status_code == 200]
    assert len(working) == 1
    # each rotation refused the sid the one before it left: one chain, no sid revoked twice
    revoked = [r["session_ids"][0] for r in _revocations(world)]
    assert len(revoked) == len(set(revoked)) == 4


def test_c3_a_staff_write_is_recorded_on_postgresql(world):
    staff = world.staff_headers()
    recorded = world.client.post("/internal/v1/staff-audit", headers=staff | {"X-Request-ID": "req-pg-1"},
                                 json={"method": "PUT", "path": "/api/v1/staff/seekers/11040-12345678/restriction",
                                       "service": "jobs"})
    assert recorded.status_code == 201
    trail = world.client.get("/api/v1/staff/audit", headers=staff).json
    assert trail["items"] == [{"at": "2026-11-26T09:00:00+00:00", "client_id": "counter", "office": "11040",
                               "action": "PUT /api/v1/staff/seekers/*/restriction", "service": "jobs",
                               "request_id": "req-pg-1"}]


def test_c3_the_trail_keeps_an_entry_five_years_to_the_second_on_postgresql(world):
    assert world.client.post("/internal/v1/staff-audit", headers=world.staff_headers(), json={
        "method": "POST", "path": "/api/v1/staff/notices", "service": "messaging"}).status_code == 201
    world.clock.set("2031-11-26T08:59:59+00:00")
    assert purge_expired(world.runtime)["audit"] == 0
    assert world.client.get("/api/v1/staff/audit", headers=world.staff_headers()).json["total"] == 1
    world.clock.set("2031-11-26T09:00:00+00:00")
    assert purge_expired(world.runtime)["audit"] == 1
    assert world.client.get("/api/v1/staff/audit", headers=world.staff_headers()).json["total"] == 0
