"""C3: staff clients act for an office (the `office` claim of their tokens), and every staff write is
recorded before the gateway forwards it — who (the client id), office, what (method and path, every
identifier `*`), when, request id, never personal data — readable by staff of that office. A gateway
with the real auth app in front of echo backends; when auth cannot record, the write is refused (503)
and never reaches its service."""

from __future__ import annotations

import pytest
from flask import Flask, jsonify, request
from sqlalchemy import select

from gateway.app import create_gateway
from gateway.backends import InProcessBackend
from gateway.security import RevokedSessions, SessionGuard
from kit.settings import Settings
from kit.tokens import EMPLOYER, STAFF, KeySet, TokenVerifier
from services.auth.audit import action
from services.auth.models import StaffAudit
from services.auth.sessions import access_token

AUDIT = "/api/v1/staff/audit"
SEEKER_NUMBER = "11040-12345678"


class Recorder:
    """An echo service that remembers what reached it."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        self.app = Flask("echo")

        @self.app.route("/<path:path>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
        def echo(path):
            self.paths.append(request.path)
            return jsonify(path=request.path)


class Broken:
    """An auth that does not record: every call answers `status`."""

    def __init__(self, status: int) -> None:
        self.app = Flask("broken")

        @self.app.route("/<path:path>", methods=["POST"])
        def fail(path):
            return jsonify(title="not recorded"), status


@pytest.fixture
def profile() -> Recorder:
    return Recorder()


def _gateway(world, tmp_path, profile: Recorder, auth_app):
    guard = SessionGuard(TokenVerifier(KeySet(world.ctx.secrets.public_jwks), clock=world.clock), RevokedSessions())
    backends = {"auth": InProcessBackend("auth", auth_app), "profile": InProcessBackend("profile", profile.app)}
    return create_gateway(backends, Settings.from_env("gateway", {"MYPAGE_VAR_DIR": str(tmp_path / "gw")}),
                          authenticate=guard).test_client()


@pytest.fixture
def gateway(world, tmp_path, profile):
    return _gateway(world, tmp_path, profile, world.app)


def _rows(world) -> list[StaffAudit]:
    with world.runtime.engine.connect() as connection:
        return connection.execute(select(StaffAudit.__table__).order_by(StaffAudit.id)).all()


def test_c3_the_development_counter_acts_for_its_office(world):
    staff = world.staff_headers()["Authorization"].split()[1]
    principal = TokenVerifier(KeySet(world.ctx.secrets.public_jwks), clock=world.clock).verify(staff)
    assert principal.office == "11040" and principal.roles == {STAFF}


@pytest.mark.parametrize(("method", "path", "shape"), [
    ("PUT", f"/api/v1/staff/seekers/{SEEKER_NUMBER}/mypage-status", "PUT /api/v1/staff/seekers/*/mypage-status"),
    ("PATCH", f"/api/v1/staff/seekers/{SEEKER_NUMBER}", "PATCH /api/v1/staff/seekers/*"),
    ("POST", "/api/v1/staff/employer-clients/ec-9f2c0a41/secret", "POST /api/v1/staff/employer-clients/*/secret"),
    ("POST", "/api/v1/staff/seekers/%E6%B1%82", "POST /api/v1/staff/seekers/*"),
    ("delete", "/api/v1/staff/notices/taro@example.jp", "DELETE /api/v1/staff/notices/*"),
])
def test_c3_what_is_recorded_names_no_identifier(method, path, shape):
    assert action(method, path) == shape


def test_c3_a_staff_write_is_recorded_before_it_reaches_its_service(world, gateway, profile):
    staff = world.staff_headers()
    forwarded = gateway.patch(f"/api/v1/staff/seekers/{SEEKER_NUMBER}", json={"phone": "048-000-1111"},
                              headers=staff | {"X-Request-ID": "req-c3-0001"})
    assert forwarded.status_code == 200 and profile.paths == [f"/api/v1/staff/seekers/{SEEKER_NUMBER}"]
    [row] = _rows(world)
    assert (row.client_id, row.office, row.action, row.service) == (
        "counter", "11040", "PATCH /api/v1/staff/seekers/*", "profile")
    assert row.at == world.clock.now() and row.request_id == forwarded.headers["X-Request-ID"]
    assert not any(SEEKER_NUMBER in str(value) or "048-000-1111" in str(value) for value in row)
    trail = gateway.get(AUDIT, headers=staff)
    assert trail.status_code == 200 and trail.headers["Cache-Control"] == "no-store"
    assert trail.json["total"] == 1 and trail.json["items"] == [{
        "at": "2026-11-26T09:00:00+00:00", "client_id": "counter", "office": "11040",
        "action": "PATCH /api/v1/staff/seekers/*", "service": "profile", "request_id": row.request_id}]


def test_c3_reads_and_other_callers_writes_are_not_recorded(world, gateway, profile):
    signer_token = world.client.post("/api/v1/auth/token", json={
        "grant_type": "client_credentials", "client_id": "employer", "client_secret": "employer-dev-secret"}).json
    employer = {"Authorization": f"Bearer {signer_token['access_token']}"}
    gateway.get(f"/api/v1/staff/seekers/{SEEKER_NUMBER}", headers=world.staff_headers())
    gateway.post("/api/v1/staff/seekers", json={}, headers=employer)  # the service refuses it itself
    assert _rows(world) == [] and len(profile.paths) == 2


@pytest.mark.parametrize("status", [503, 500, 401, 422, 200])
def test_c3_a_write_auth_does_not_record_is_refused_and_never_forwarded(world, tmp_path, profile, status):
    gateway = _gateway(world, tmp_path, profile, Broken(status).app)
    refused = gateway.put(f"/api/v1/staff/seekers/{SEEKER_NUMBER}/restriction", json={},
                          headers=world.staff_headers())
    assert refused.status_code == 503 and refused.content_type == "application/problem+json"
    assert profile.paths == []


def test_c3_staff_read_only_their_own_offices_trail(world, gateway):
    gateway.patch(f"/api/v1/staff/seekers/{SEEKER_NUMBER}", json={}, headers=world.staff_headers())
    other_office = access_token(world.ctx.secrets, world.clock.now(), "desk-13010", [STAFF], office="13010")
    theirs = world.client.get(AUDIT, headers={"Authorization": f"Bearer {other_office}"})
    assert theirs.status_code == 200 and theirs.json["total"] == 0 and theirs.json["items"] == []
    assert world.client.get(AUDIT, headers=world.staff_headers()).json["total"] == 1
    employer = access_token(world.ctx.secrets, world.clock.now(), "employer", [EMPLOYER], establishments="*")
    assert world.client.get(AUDIT, headers={"Authorization": f"Bearer {employer}"}).status_code == 403
    assert world.client.get(AUDIT).status_code == 401


@pytest.mark.parametrize(("query", "status"), [({"per_page": 100}, 200), ({"per_page": 101}, 422),
                                               ({"per_page": 0}, 422), ({"page": 0}, 422),
                                               ({"page": 10_000}, 200), ({"page": 10_001}, 422),
                                               ({"page": "x"}, 422)])
def test_c3_the_trail_pages_at_its_edges(world, query, status):
    response = world.client.get(AUDIT, query_string=query, headers=world.staff_headers())
    assert response.status_code == status, response.json
    if status == 422:
        assert response.content_type == "application/problem+json"
