"""The gateway forwards requests unchanged, passes answers back unchanged, and never shows a trace."""

from __future__ import annotations

import json
import socket
import threading

import pytest

from gateway.app import create_gateway
from gateway.backends import HttpBackend, InProcessBackend
from kit.problem import Problem

PROBLEM_JSON = "application/problem+json"


def test_a_request_reaches_the_owning_service_with_method_path_query_and_body(gateway, bearer):
    response = gateway.put("/api/v1/me/favourites/11040-00012345?note=%E4%BB%8B%E8%AD%B7&x=1",
                           data="本文".encode(), content_type="text/plain; charset=utf-8",
                           headers={**bearer, "Accept-Language": "en"})
    assert response.status_code == 200
    seen = response.json
    assert seen["service"] == "jobs"
    assert (seen["method"], seen["path"]) == ("PUT", "/api/v1/me/favourites/11040-00012345")
    assert seen["query"] == "note=%E4%BB%8B%E8%AD%B7&x=1"
    assert seen["body"] == "本文"
    assert seen["headers"]["authorization"] == bearer["Authorization"]
    assert seen["headers"]["accept-language"] == "en"
    assert seen["headers"]["content-type"] == "text/plain; charset=utf-8"


def test_a_problem_passes_through_unchanged(gateway, problem_document, bearer):
    response = gateway.post("/api/v1/me/favourites/problem", headers=bearer)
    assert response.status_code == 409
    assert response.mimetype == PROBLEM_JSON
    assert response.json == problem_document
    assert response.headers["Content-Language"] == "ja"


def test_unknown_paths_are_a_404_problem_from_the_gateway_itself(gateway, echo_apps):
    response = gateway.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.mimetype == PROBLEM_JSON
    assert response.json["title"] == "お探しの情報は見つかりません"
    assert response.json["instance"] == "/api/v1/nothing-here"
    assert all(not app.extensions["calls"] for app in echo_apps.values())


def test_a_method_no_service_serves_on_a_known_path_is_a_405_problem(gateway):
    response = gateway.post("/api/v1/me", headers={"Accept-Language": "en"})
    assert response.status_code == 405
    assert response.json["title"] == "The method is not allowed here"
    assert response.headers["Allow"] == "DELETE, GET"


def test_a_request_id_is_generated_forwarded_and_echoed(gateway):
    response = gateway.get("/api/v1/jobs")
    request_id = response.headers["X-Request-ID"]
    assert len(request_id) == 32
    assert response.json["headers"]["x-request-id"] == request_id
    assert response.json["headers"]["x-correlation-id"] == request_id


def test_the_clients_request_and_correlation_ids_are_kept(gateway):
    response = gateway.get("/api/v1/jobs", headers={"X-Request-ID": "req-123", "X-Correlation-ID": "corr-9"})
    assert response.headers["X-Request-ID"] == "req-123"
    assert response.json["headers"]["x-request-id"] == "req-123"
    assert response.json["headers"]["x-correlation-id"] == "corr-9"


def test_a_request_id_that_is_not_a_plain_token_is_replaced(gateway):
    response = gateway.get("/api/v1/jobs", headers={"X-Request-ID": "evil\tvalue " + "x" * 200})
    assert response.headers["X-Request-ID"] != "evil"
    assert len(response.headers["X-Request-ID"]) == 32


def test_hop_by_hop_headers_stay_behind_and_forwarded_headers_are_added(gateway):
    response = gateway.get("/api/v1/jobs", headers={"Connection": "keep-alive, X-Private", "X-Private": "1",
                                                    "Keep-Alive": "timeout=5", "X-Forwarded-For": "10.0.0.1"})
    seen = response.json["headers"]
    assert "x-private" not in seen and "keep-alive" not in seen
    assert seen["x-forwarded-for"] == "10.0.0.1, 127.0.0.1"
    assert seen["x-forwarded-proto"] == "http"


def test_a_service_that_is_down_is_a_503_problem_in_japanese(settings, closed_port):
    down = HttpBackend("jobs", f"http://127.0.0.1:{closed_port()}", retries=1, backoff=0)
    client = create_gateway({"jobs": down}, settings).test_client()
    response = client.get("/api/v1/jobs")
    assert response.status_code == 503
    assert response.mimetype == PROBLEM_JSON
    assert response.json["title"] == "ただいまサービスを利用できません。しばらくしてから再度お試しください"
    assert response.json["status"] == 503
    assert response.headers["Content-Language"] == "ja"
    assert response.headers["Retry-After"]
    assert b"Traceback" not in response.data


def test_a_service_that_is_down_is_a_503_problem_in_english_on_request(settings, closed_port, bearer):
    down = HttpBackend("jobs", f"http://127.0.0.1:{closed_port()}", retries=1, backoff=0)
    client = create_gateway({"jobs": down}, settings).test_client()
    english = {"Accept-Language": "en-GB,en;q=0.9,ja;q=0.5", **bearer}
    response = client.post("/api/v1/me/favourites", json={}, headers=english)
    assert response.status_code == 503
    assert response.json["title"] == "The service is temporarily unavailable; try again later"
    assert response.headers["Content-Language"] == "en"


def test_a_service_that_is_not_configured_is_a_503_problem(settings):
    client = create_gateway({}, settings).test_client()
    response = client.get("/api/v1/jobs")
    assert response.status_code == 503
    assert response.mimetype == PROBLEM_JSON


def test_a_service_that_crashes_in_process_is_a_503_problem(settings):
    def broken(environ, start_response):
        raise RuntimeError("boom")

    client = create_gateway({"jobs": InProcessBackend("jobs", broken)}, settings).test_client()
    response = client.get("/api/v1/jobs")
    assert response.status_code == 503
    assert b"boom" not in response.data and b"Traceback" not in response.data


def test_over_http_everything_is_forwarded_and_passed_back(http_gateway, signer):
    employer = signer.headers("employer", roles=("employer",))
    response = http_gateway.post("/api/v1/employer/jobs?dry=1", json={"title": "介護職員"},
                                 headers={**employer, "X-Request-ID": "over-http"})
    assert response.status_code == 200
    seen = response.json
    assert (seen["service"], seen["method"], seen["query"]) == ("jobs", "POST", "dry=1")
    assert json.loads(seen["body"]) == {"title": "介護職員"}
    assert seen["headers"]["authorization"] == employer["Authorization"]
    assert seen["headers"]["x-request-id"] == "over-http"
    assert response.headers["X-Request-ID"] == "over-http"


def test_over_http_a_problem_passes_through_unchanged(http_gateway, problem_document, bearer):
    response = http_gateway.post("/api/v1/me/favourites/problem", headers=bearer)
    assert response.status_code == 409
    assert response.mimetype == PROBLEM_JSON
    assert response.json == problem_document


def test_over_http_every_set_cookie_header_is_kept(http_gateway):
    response = http_gateway.post("/api/v1/auth/cookies")
    assert response.status_code == 204
    assert response.headers.getlist("Set-Cookie") == ["a=1; HttpOnly", "b=2; HttpOnly"]


class _HangUp:
    """A TCP server that reads each request and closes the connection without answering."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                self.connections += 1
                conn.recv(65536)

    def close(self) -> None:
        self.sock.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept()
        self.sock.close()
        self._thread.join(5)


@pytest.fixture
def hang_up():
    server = _HangUp()
    yield server
    server.close()


@pytest.mark.parametrize(("method", "attempts"), [("GET", 3), ("PUT", 3), ("POST", 1), ("PATCH", 1)])
def test_only_idempotent_methods_are_retried_after_the_request_was_sent(settings, hang_up, method, attempts, bearer):
    backend = HttpBackend("jobs", f"http://127.0.0.1:{hang_up.port}", retries=2, backoff=0)
    client = create_gateway({"jobs": backend}, settings).test_client()
    response = client.open("/api/v1/me/applications", method=method, json={}, headers=bearer)
    assert response.status_code == 503
    assert hang_up.connections == attempts


def test_the_authentication_hook_can_refuse_before_forwarding(echo_apps, settings):
    seen_routes = []

    def refuse(route, request):
        seen_routes.append((route.service, route.access.value))
        return Problem("unauthorized")

    backends = {n: InProcessBackend(n, a) for n, a in echo_apps.items()}
    client = create_gateway(backends, settings, authenticate=refuse).test_client()
    response = client.get("/api/v1/me/favourites")
    assert response.status_code == 401
    assert response.json["title"] == "ログインが必要です"
    assert seen_routes == [("jobs", "token")]
    assert not echo_apps["jobs"].extensions["calls"]


def test_readyz_is_ok_when_every_service_is_ready(gateway):
    response = gateway.get("/readyz")
    assert response.status_code == 200
    assert response.json["status"] == "ok"
    assert response.json["services"]["jobs"] == {"status": "ok", "checks": {"database": "ok"}}


def test_readyz_names_the_service_that_is_down(serve, settings, echo_app, closed_port):
    backends = {"auth": HttpBackend("auth", serve(echo_app("auth"))),
                "jobs": HttpBackend("jobs", f"http://127.0.0.1:{closed_port()}", retries=0)}
    response = create_gateway(backends, settings).test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["services"]["auth"]["status"] == "ok"
    assert response.json["services"]["jobs"]["status"] == "unavailable"


def test_healthz_answers_without_asking_the_services(settings):
    response = create_gateway({}, settings).test_client().get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_over_http_head_keeps_the_length_the_service_announced(http_gateway):
    full = http_gateway.get("/api/v1/jobs/11040-00012345", headers={"X-Request-ID": "same"})
    head = http_gateway.head("/api/v1/jobs/11040-00012345", headers={"X-Request-ID": "same"})
    assert head.status_code == 200 and head.data == b""
    assert int(head.headers["Content-Length"]) == len(full.data.replace(b'"GET"', b'"HEAD"'))


def test_the_gateway_counts_upstream_latency_for_prometheus(gateway):
    gateway.get("/api/v1/jobs")
    metrics = gateway.get("/metrics").get_data(as_text=True)
    assert 'mypage_gateway_upstream_seconds_count{service="jobs",status="200"} 1.0' in metrics


def test_over_http_the_device_cookie_reaches_the_login(http_gateway):
    """A7 (issue 12, defect 9): the browser's remembered-device cookie goes through to auth's login."""
    http_gateway.set_cookie("mypage_device", "abc", path="/api/v1/auth/login")
    response = http_gateway.post("/api/v1/auth/login", json={})
    assert response.status_code == 200
    assert response.json["headers"]["cookie"] == "mypage_device=abc"
