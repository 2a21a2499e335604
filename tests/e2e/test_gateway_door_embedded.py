"""Issue 10 through the embedded system's gateway (`make run` in-process, real services): canonical paths
only, JSON depth limits, no-store on personal answers, CSP on /api/docs and /dev.

Requests go out as raw HTTP request targets (http.client): urllib3, which the other e2e tests use,
would remove the dot segments before sending them.
"""

from __future__ import annotations

import json

import pytest

from kit.testing.e2e import raw_request as raw

PROBLEM_JSON = "application/problem+json"
LOGIN = json.dumps({"email": "taro@example.jp", "password": "Wrong@2026x"}).encode()


@pytest.mark.parametrize("method, target", [
    ("POST", "/api/v1/terms/../auth/login"),
    ("POST", "/api/v1/terms/%2e%2e/auth/login"),
    ("POST", "/api/v1/terms/%2E%2E/auth/login"),
    ("GET", "/api/v1/terms/%2e%2e/%2e%2e/%2e%2e/metrics"),
    ("GET", "/api/v1/me/%2e%2e/%2e%2e/%2e%2e/internal/v1/home"),
    ("GET", "/api/v1/terms%5c..%5cauth%5cjwks"),
    ("GET", "/api/v1//terms"),
    ("GET", "//api/v1/terms"),  # Python's http.server folds a leading // before the app sees it
])
def test_gateway_refuses_non_canonical_paths_in_the_embedded_mode(system, method, target):
    status, headers, body = raw(system.url, method, target, LOGIN if method == "POST" else None,
                                {"Content-Type": "application/json"})
    assert status == 400
    assert headers["content-type"] == PROBLEM_JSON
    assert json.loads(body)["title"] == "リクエストの形式が正しくありません"


def test_internal_routes_are_not_reachable_through_the_embedded_gateway(system):
    status, headers, _ = raw(system.url, "GET", "/internal/v1/home")
    assert status == 404 and headers["content-type"] == PROBLEM_JSON


def test_a_200000_deep_json_login_is_a_400_problem_not_a_500(system):
    body = b'{"email": ' + b"[" * 200_000 + b"]" * 200_000 + b', "password": "x"}'
    status, headers, answer = raw(system.url, "POST", "/api/v1/auth/login", body,
                                  {"Content-Type": "application/json", "Accept-Language": "en"})
    assert status == 400
    assert headers["content-type"] == PROBLEM_JSON
    assert json.loads(answer)["detail"] == "The JSON body is nested too deeply (at most 32 levels)."


def test_token_and_employer_answers_are_no_store_and_public_ones_are_not(system, call):
    token = call("POST", "/api/v1/auth/token", {"grant_type": "client_credentials", "client_id": "employer",
                                                "client_secret": "employer-dev-secret"})
    assert token.status == 200
    assert token.headers["Cache-Control"] == "no-store"
    seekers = call("GET", "/api/v1/employer/seekers", token=token.json()["access_token"])
    assert seekers.status == 200
    assert seekers.headers["Cache-Control"] == "no-store"
    terms = call("GET", "/api/v1/terms")
    assert terms.status == 200
    assert terms.headers.get("Cache-Control") != "no-store"


def test_api_docs_and_dev_mail_have_a_content_security_policy(system, call):
    for path in ("/api/docs", "/dev/mail"):
        response = call("GET", path)
        assert response.status == 200
        assert "script-src 'self';" in response.headers["Content-Security-Policy"], path
