"""C1/C2 end to end in the embedded system (`make run`), over real HTTP through the gateway: staff
register an employer client for one establishment; its token reaches that establishment's application
and thread and nothing of another's (404 as for a made-up id, 403 for the other's posting); revoking it
refuses its token at the gateway within seconds (auth.client_tokens.revoked.v1 on the bus) and gives no
new one. C3: those staff writes are in the audit trail, with the request id the gateway answered and
no identifier from their paths. Every wait is a condition with a deadline."""

from __future__ import annotations

import copy
import uuid

import pytest

from kit.testing import e2e
from kit.testing.plugin import eventually

OURS, THEIRS = "1104-555555-1", "1104-666666-2"
PASSWORD = "Koshigaya@2026"
EVENT_DEADLINE = 20.0  # seconds for an event to cross the bus (outbox → relay → bus → consumer)
MADE_UP = "0" * 32
POSTING = {
    "establishment": {"number": OURS, "name": "株式会社越谷ケア"}, "title": "介護職員", "occupation_code": "361-01",
    "description": "特別養護老人ホームでの介護業務です。", "category": "一般", "full_time": True,
    "employment_type": "正社員", "location": {"prefecture": "埼玉県", "municipality": "越谷市"},
    "wage": {"type": "monthly", "min": 200000, "max": 260000}, "hours": "08:30-17:30",
    "holidays": {"two_days_weekly": "毎週", "annual_days": 120}, "publication_scope": 1,
    "online_application": True, "received_on": "2026-11-02", "deadline": "2099-01-31"}


def _token(call, client_id: str, secret: str):
    return call("POST", "/api/v1/auth/token", {"grant_type": "client_credentials", "client_id": client_id,
                                                "client_secret": secret})


def _publish(call, establishment: str) -> str:
    """J1: the development employer client (every establishment) publishes a posting of `establishment`."""
    payload = copy.deepcopy(POSTING) | {"job_number": f"11040-{uuid.uuid4().int % 10**8:08d}"}
    payload["establishment"]["number"] = establishment
    dev = _token(call, "employer", "employer-dev-secret").json()["access_token"]
    published = call("POST", "/api/v1/employer/jobs", payload, token=dev)
    assert published.status == 201, published.data
    return payload["job_number"]


def _seeker_token(call, system) -> str:
    number = f"11040-{uuid.uuid4().int % 10**8:08d}"
    email = f"{number}@example.jp"
    created = call("POST", "/api/v1/staff/seekers", {
        "seeker_number": number, "name": "応募 三郎", "name_kana": "オウボ サブロウ", "birth_date": "1991-03-03",
        "email": email, "kind": "registered", "office": {"code": "11040", "name": "越谷公共職業安定所"},
        "address": {"postal_code": "343-0023", "prefecture": "埼玉県", "municipality": "越谷市"},
        "phone": "048-000-0000"}, token=e2e.staff_token(call))
    assert created.status == 201, created.data
    e2e.open_mypage(call, system, email, "1991-03-03", PASSWORD)
    return e2e.login(call, system, email, PASSWORD)["access_token"]


def _apply(call, token: str, job_number: str) -> str:
    def made():
        answer = call("POST", "/api/v1/me/applications", {"job_number": job_number, "motivation": "応募します。"},
                      token=token)
        return answer.json()["id"] if answer.status == 201 else None

    return eventually(made, timeout=EVENT_DEADLINE, message="jobs to hear of the registration and accept it")


def _body(answer) -> dict:
    return {k: v for k, v in answer.json().items() if k != "instance"}


@pytest.fixture(scope="module")
def client(call) -> dict:
    """C1: an employer client staff registered for OURS."""
    registered = call("POST", "/api/v1/staff/employer-clients",
                      {"name": "越谷ケア 採用システム", "establishments": [OURS]}, token=e2e.staff_token(call))
    assert registered.status == 201, registered.data
    assert registered.headers["Cache-Control"] == "no-store"
    return registered.json()


def test_c2_employer_of_another_establishment_gets_404_for_the_application_through_the_gateway(call, system, client):
    ours_job, theirs_job = _publish(call, OURS), _publish(call, THEIRS)
    seeker = _seeker_token(call, system)
    ours, theirs = _apply(call, seeker, ours_job), _apply(call, seeker, theirs_job)
    token = _token(call, client["client_id"], client["client_secret"]).json()["access_token"]

    assert call("GET", f"/api/v1/employer/applications/{ours}", token=token).status == 200
    other = call("GET", f"/api/v1/employer/applications/{theirs}", token=token)
    made_up = call("GET", f"/api/v1/employer/applications/{MADE_UP}", token=token)
    assert other.status == made_up.status == 404 and _body(other) == _body(made_up)
    listed = call("GET", "/api/v1/employer/applications", token=token).json()
    assert [item["id"] for item in listed["items"]] == [ours]
    patched = call("PATCH", f"/api/v1/employer/jobs/{theirs_job}", {"title": "書き換え"}, token=token)
    assert patched.status == 403 and patched.json()["reason"] == "other_establishment"

    # messaging: the thread of our application opens with jobs' event; theirs stays a 404 like a made-up one
    eventually(lambda: call("POST", "/api/v1/employer/messages", {"application_id": ours, "body": "面接のご案内"},
                            token=token).status == 201, timeout=EVENT_DEADLINE, message="our thread to open")
    dev = _token(call, "employer", "employer-dev-secret").json()["access_token"]
    eventually(lambda: call("GET", f"/api/v1/employer/messages?application_id={theirs}",
                            token=dev).status == 200, timeout=EVENT_DEADLINE, message="their thread to open")
    other = call("POST", "/api/v1/employer/messages", {"application_id": theirs, "body": "面接のご案内"}, token=token)
    made_up = call("POST", "/api/v1/employer/messages", {"application_id": MADE_UP, "body": "面接のご案内"},
                   token=token)
    assert other.status == made_up.status == 404 and _body(other) == _body(made_up)


def test_c1_a_revoked_clients_token_is_refused_at_the_gateway_within_seconds(call, client):
    token = _token(call, client["client_id"], client["client_secret"]).json()["access_token"]
    assert call("GET", "/api/v1/employer/applications", token=token).status == 200
    assert call("DELETE", f"/api/v1/staff/employer-clients/{client['client_id']}",
                token=e2e.staff_token(call)).status == 204
    eventually(lambda: call("GET", "/api/v1/employer/applications", token=token).status == 401,
               timeout=EVENT_DEADLINE, message="the gateway to refuse the revoked client's token")
    assert _token(call, client["client_id"], client["client_secret"]).status == 401


def test_c3_staff_writes_through_the_gateway_are_in_the_audit_trail(call):
    staff = e2e.staff_token(call)
    registered = call("POST", "/api/v1/staff/employer-clients", {"name": "監査", "establishments": [THEIRS]},
                      token=staff)
    assert registered.status == 201
    changed = call("PUT", f"/api/v1/staff/employer-clients/{registered.json()['client_id']}/establishments",
                   {"establishments": [OURS]}, token=staff)
    assert changed.status == 200
    trail = call("GET", "/api/v1/staff/audit?per_page=100", token=staff)
    assert trail.status == 200 and trail.headers["Cache-Control"] == "no-store"
    by_request = {item["request_id"]: item for item in trail.json()["items"]}
    assert {key: by_request[registered.headers["X-Request-ID"]][key] for key in ("client_id", "office", "action",
                                                                                 "service")} == {
        "client_id": "counter", "office": "11040", "action": "POST /api/v1/staff/employer-clients",
        "service": "auth"}
    assert by_request[changed.headers["X-Request-ID"]]["action"] == \
        "PUT /api/v1/staff/employer-clients/*/establishments"
    assert registered.json()["client_id"] not in trail.data.decode()
