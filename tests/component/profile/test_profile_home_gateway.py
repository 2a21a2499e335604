"""P5 through the gateway: profile's home answer composed in parallel with the other services'
fragments (gateway/home.py); what nobody answered is null, never invented."""

from __future__ import annotations

import json
import threading

import pytest
from flask import Flask, Response, request

from gateway.app import create_gateway
from gateway.backends import InProcessBackend
from gateway.home import FRAGMENT_PATH, PARTIAL_HEADER
from gateway.security import SessionGuard
from kit.settings import Settings


def fragment_app(name: str, fragment: dict | None, *, status: int = 200, gate: threading.Event | None = None):
    """A stand-in for jobs or messaging serving GET /internal/v1/home (or not)."""
    app = Flask(name)
    app.extensions["calls"] = []

    @app.get(FRAGMENT_PATH)
    def home() -> Response:
        app.extensions["calls"].append(request.headers.get("Authorization"))
        if gate is not None:
            gate.wait(5)
        if fragment is None:
            return Response("{}", status=404, mimetype="application/problem+json")
        return Response(json.dumps(fragment), status=status, mimetype="application/json")

    return app


def audit_app() -> Flask:
    """A stand-in for auth's audit trail: every staff write is recorded (C3: the gateway forwards none
    that is not)."""
    app = Flask("auth")

    @app.post("/internal/v1/staff-audit")
    def record() -> Response:
        return Response(status=201)

    return app


@pytest.fixture
def gateway_for(app, signer, tmp_path):
    def make(**others):
        backends = {"profile": InProcessBackend("profile", app)}
        backends.update({name: InProcessBackend(name, other) for name, other in others.items()})
        settings = Settings.from_env("gateway", {"MYPAGE_VAR_DIR": str(tmp_path)})
        return create_gateway(backends, settings, authenticate=SessionGuard(signer.verifier())).test_client()

    return make


def test_p5_counts_come_from_jobs_and_messaging_in_one_round_trip(gateway_for, register, as_seeker):
    seeker = register()
    jobs = fragment_app("jobs", {"counts": {"favourites": 12, "saved_searches": 3, "referrals": 1,
                                            "recommendations": 0, "unread_messages": 99},
                                 "restriction": {"no_show": True}})
    messaging = fragment_app("messaging", {"counts": {"unread_messages": 4, "favourites": 1000}})
    gateway = gateway_for(jobs=jobs, messaging=messaging)
    headers = as_seeker(seeker["seeker_id"])
    response = gateway.get("/api/v1/me", headers=headers)
    assert response.status_code == 200
    home = response.json
    assert home["greeting"] == "求職 太郎様" and home["office"]["name"] == "越谷公共職業安定所"
    # each service only fills the counts it keeps
    assert home["counts"] == {"favourites": 12, "saved_searches": 3, "unread_messages": 4, "referrals": 1,
                              "recommendations": 0}
    assert home["restriction"] == {"registration_invalid": False, "online_registrant": False, "no_show": True}
    assert PARTIAL_HEADER not in response.headers
    assert jobs.extensions["calls"] == [headers["Authorization"]]  # the seeker's own token, checked there


def test_p5_missing_services_leave_their_counts_unknown(gateway_for, register, as_seeker):
    seeker = register()
    gateway = gateway_for(jobs=fragment_app("jobs", None))  # jobs without a fragment yet; no messaging
    response = gateway.get("/api/v1/me", headers=as_seeker(seeker["seeker_id"]))
    assert response.status_code == 200
    assert set(response.json["counts"].values()) == {None}
    assert response.json["restriction"]["no_show"] is None
    assert response.headers[PARTIAL_HEADER] == "jobs,messaging"


def test_p5_a_slow_service_does_not_hold_the_home_screen(gateway_for, register, as_seeker, monkeypatch):
    monkeypatch.setattr("gateway.home.FRAGMENT_TIMEOUT", 0.2)
    seeker = register()
    gate = threading.Event()
    try:
        gateway = gateway_for(jobs=fragment_app("jobs", {"counts": {"favourites": 1}}, gate=gate),
                              messaging=fragment_app("messaging", {"counts": {"unread_messages": 2}}))
        response = gateway.get("/api/v1/me", headers=as_seeker(seeker["seeker_id"]))
    finally:
        gate.set()
    assert response.json["counts"]["favourites"] is None and response.json["counts"]["unread_messages"] == 2
    assert response.headers[PARTIAL_HEADER] == "jobs"


def test_p5_bad_fragments_are_ignored(gateway_for, register, as_seeker):
    seeker = register()
    gateway = gateway_for(jobs=fragment_app("jobs", {"counts": {"favourites": "12", "saved_searches": True}}),
                          messaging=fragment_app("messaging", {"counts": {"unread_messages": 1}}, status=500))
    home = gateway.get("/api/v1/me", headers=as_seeker(seeker["seeker_id"])).json
    assert home["counts"]["favourites"] is None and home["counts"]["saved_searches"] is None
    assert home["counts"]["unread_messages"] is None


def test_p5_profiles_refusal_passes_through(gateway_for):
    gateway = gateway_for(jobs=fragment_app("jobs", {"counts": {"favourites": 1}}))
    response = gateway.get("/api/v1/me")
    assert response.status_code == 401 and response.mimetype == "application/problem+json"


def test_profile_routes_through_the_gateway(gateway_for, register, as_seeker, staff):
    seeker = register()
    gateway = gateway_for(auth=audit_app())
    headers = as_seeker(seeker["seeker_id"])
    assert gateway.get("/api/v1/me/profile", headers=headers).json["seeker_number"] == seeker["seeker_number"]
    invalid = gateway.put("/api/v1/me/registration", headers=headers, json={"status": "invalid"})
    assert invalid.status_code == 200 and invalid.json["status"] == "invalid"
    assert gateway.get("/api/v1/me/profile", headers=headers).status_code == 200  # P4: own profile stays readable
    staff_path = f"/api/v1/staff/seekers/{seeker['seeker_number']}/reapplication"
    assert gateway.post(staff_path, headers=staff, json={}).json["status"] == "valid"
