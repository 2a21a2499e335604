"""Issue 10: a service called directly (not through the gateway) refuses a too deep or too large JSON
body with the gateway's own problems (kit.bodies: 400 past 32 levels, 413 past 10 MB), never a 500.

Each service is its own app on its own (in-memory) database, called with Flask's test client, so the
gateway's check at its door plays no part.
"""

from __future__ import annotations

import importlib

import pytest

from kit.bodies import MAX_BODY_BYTES, MAX_JSON_DEPTH
from kit.settings import Settings

PROBLEM_JSON = "application/problem+json"
# a write of each service that takes a JSON body (the answer without a token or with a bad body is its own)
WRITES = {"auth": "/api/v1/auth/login", "profile": "/api/v1/staff/seekers",
          "jobs": "/api/v1/me/saved-searches", "messaging": "/api/v1/staff/notices"}


def _nested(depth: int) -> bytes:
    return b'{"email": ' + b"[" * depth + b"]" * depth + b"}"


@pytest.fixture(params=sorted(WRITES))
def service(request):
    name = request.param
    module = importlib.import_module(f"services.{name}.app")
    runtime = module.build_runtime(Settings.from_env(name, {}, database_url="sqlite://"))
    runtime.migrate()
    yield module.create_app(runtime=runtime).test_client(), WRITES[name]
    runtime.dispose()


def test_a_service_called_directly_takes_json_nested_32_levels_and_refuses_33_with_a_400(service):
    client, path = service
    at_limit = client.post(path, data=_nested(MAX_JSON_DEPTH - 1), content_type="application/json")
    assert at_limit.status_code in (401, 422)  # the route's own answer: it was reached
    over = client.post(path, data=_nested(MAX_JSON_DEPTH), content_type="application/json",
                       headers={"Accept-Language": "en"})
    assert over.status_code == 400
    assert over.mimetype == PROBLEM_JSON
    assert over.json["detail"] == "The JSON body is nested too deeply (at most 32 levels)."


@pytest.mark.parametrize("content_type", ["application/json", "text/plain"])
def test_a_200000_deep_json_body_sent_to_a_service_directly_is_a_400_problem_not_a_500(service, content_type):
    client, path = service
    response = client.post(path, data=_nested(200_000), content_type=content_type)
    assert response.status_code == 400
    assert response.mimetype == PROBLEM_JSON
    assert response.json["detail"] == "JSON の入れ子が深すぎます（32段まで）。"


def test_a_service_called_directly_takes_10_mb_and_refuses_one_byte_more_with_a_413(service):
    client, path = service
    at_limit = client.post(path, data=b'"' + b"A" * (MAX_BODY_BYTES - 2) + b'"', content_type="application/json")
    assert at_limit.status_code in (401, 422)
    over = client.post(path, data=b"A" * (MAX_BODY_BYTES + 1), content_type="application/json")
    assert over.status_code == 413
    assert over.mimetype == PROBLEM_JSON
    assert over.json["detail"] == "送信できるのは10MBまでです。"
