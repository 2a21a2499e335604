"""Issue 10 at the gateway's door: canonical paths only (the exact checked path is what a service
receives), JSON depth and size limits, no-store on personal data, CSP, HSTS, and /metrics and /readyz
for operators only.

Paths are sent as raw HTTP request targets (http.client) to a gateway on a real server, in both
modes: services in process, and services over HTTP (urllib3's URL parser would otherwise remove the
dot segments before they are sent — as it did inside the gateway). The finding of the issue is
replayed against the real auth service over HTTP.
"""

from __future__ import annotations

import json
from urllib.parse import unquote

import pytest
from flask import Flask, Response, request

from gateway.app import create_gateway
from gateway.backends import HttpBackend, InProcessBackend
from kit.bodies import MAX_BODY_BYTES, MAX_JSON_DEPTH
from kit.settings import SERVICES, ConfigurationError, Settings
from kit.testing.e2e import raw_request as raw
from services.auth.app import create_app as create_auth_app

PROBLEM_JSON = "application/problem+json"
OPERATIONS_TOKEN = "operations-token-" + "x" * 24


def recording_app(name: str) -> Flask:
    """A service that records the PATH_INFO and raw request target it received, and says it was reached."""
    app = Flask(name)
    app.extensions["received"] = []

    @app.route("/", defaults={"path": ""}, methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"])
    @app.route("/<path:path>", methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"])
    def record(path: str) -> Response:
        received = {"path_info": request.environ["PATH_INFO"], "target": request.environ.get("REQUEST_URI"),
                    "body_bytes": len(request.get_data())}
        app.extensions["received"].append(received)
        response = Response(json.dumps({"service": name, **received}), mimetype="application/json")
        # A service that forgot: the gateway must still make personal answers no-store.
        response.headers["Cache-Control"] = "public, max-age=600"
        return response

    return app


@pytest.fixture
def services() -> dict[str, Flask]:
    return {name: recording_app(name) for name in SERVICES}


@pytest.fixture(params=["in-process", "http"])
def gateway_url(request, serve, services, settings) -> str:
    """The gateway on a real server, its services in process or over HTTP."""
    if request.param == "in-process":
        backends = {name: InProcessBackend(name, app) for name, app in services.items()}
    else:
        backends = {name: HttpBackend(name, serve(app)) for name, app in services.items()}
    return serve(create_gateway(backends, settings))


def _reached(services: dict[str, Flask]) -> list[dict]:
    return [call for app in services.values() for call in app.extensions["received"]]


NON_CANONICAL = [
    "/api/v1/terms/../auth/login",  # the finding: limited as `terms`, answered as `login`
    "/api/v1/terms/%2e%2e/auth/login",
    "/api/v1/terms/%2E%2E/auth/login",
    "/api/v1/terms/.%2e/auth/login",
    "/api/v1/terms/%2e%2e/%2e%2e/%2e%2e/metrics",  # the finding: reached a service's /metrics
    "/api/v1/me/..%2f..%2f..%2finternal/v1/home",  # and /internal/v1/home
    "/api/v1/jobs/./11040-00012345",
    "/api/v1/jobs/%2e/11040-00012345",
    "/api/v1//auth/login",
    "/api/v1/terms//",
    "/api/v1/terms\\..\\auth\\login",
    "/api/v1/terms%5c..%5cauth%5clogin",
    "/api/v1/terms%5C..%5Cauth%5Clogin",
    "/api/v1/terms/%252e%252e/auth/login",  # a hop that decodes twice
    "/api/v1/terms/a%252fb",
    "/api/v1/jobs/%00",
]


@pytest.mark.parametrize("target", NON_CANONICAL)
def test_gateway_refuses_non_canonical_paths_and_forwards_nothing(gateway_url, services, target):
    status, headers, body = raw(gateway_url, "POST", target, b'{"email": "a@example.jp", "password": "x"}',
                                {"Content-Type": "application/json"})
    assert status == 400
    assert headers["content-type"] == PROBLEM_JSON
    problem = json.loads(body)
    assert problem["title"] == "リクエストの形式が正しくありません"
    assert "「..」" in problem["detail"]
    assert _reached(services) == []


@pytest.mark.parametrize("path_info", ["//api/v1/terms", "/api/v1/terms/../auth/login"])
def test_a_leading_double_slash_is_refused_as_gunicorn_passes_it(client, services, path_info):
    # Python's http.server (the embedded mode's) already reduces a leading // to one; gunicorn does not.
    response = client.get("/", environ_overrides={"PATH_INFO": path_info, "RAW_URI": path_info})
    assert response.status_code == 400
    assert response.mimetype == PROBLEM_JSON
    assert _reached(services) == []


def test_a_non_canonical_path_is_explained_in_english_on_request(gateway_url):
    status, _, body = raw(gateway_url, "GET", "/api/v1/terms/%2e%2e/auth/jwks", headers={"Accept-Language": "en"})
    assert status == 400
    assert json.loads(body)["detail"] == ("The URL path is not canonical: send it without '.', '..', '//' or '\\' "
                                          "segments.")


def test_the_service_receives_exactly_the_checked_path(gateway_url, services):
    # Dots inside a segment, encoded Japanese, an encoded space, a trailing slash: all canonical.
    target = "/api/v1/jobs/a.b/..c/%E4%BB%8B%E8%AD%B7%20x/"
    status, _, body = raw(gateway_url, "GET", target)
    assert status == 200
    seen = json.loads(body)
    assert seen["service"] == "jobs"
    # PATH_INFO is WSGI's bytes-as-latin-1 string (PEP 3333)
    assert seen["path_info"].encode("latin-1").decode() == unquote(target) == "/api/v1/jobs/a.b/..c/介護 x/"
    assert unquote(seen["target"]) == unquote(target)


def test_the_http_backend_never_normalises_the_path_it_is_given(serve, services):
    # gateway.paths refuses dot segments first; the backend on its own still sends what it was given.
    backend = HttpBackend("jobs", serve(services["jobs"]))
    answer = backend.send("GET", "/api/v1/terms/../auth/login")
    assert answer.status == 200
    assert json.loads(answer.body)["target"] == "/api/v1/terms/../auth/login"


def test_internal_routes_are_never_reachable_from_outside(gateway_url, services):
    for target in ("/internal/v1/home", "/api/v1/internal/v1/home", "/api/v1/me/%2e%2e/%2e%2e/%2e%2e/internal/v1/home"):
        status, headers, _ = raw(gateway_url, "GET", target)
        assert status in (400, 404)
        assert headers["content-type"] == PROBLEM_JSON
    assert _reached(services) == []


# -- the finding replayed against the real auth service over HTTP ----------------------------------------

@pytest.fixture
def auth_over_http(serve, tmp_path, settings):
    """The gateway on a real server; auth is the real service on its own WSGI server (SQLite), the login
    limit is 1 a minute per address."""
    auth_settings = Settings.from_env("auth", {"MYPAGE_VAR_DIR": str(tmp_path / "auth")},
                                      database_url=f"sqlite:///{tmp_path / 'auth.db'}", smtp_url="smtp://unused:25")
    auth = create_auth_app(auth_settings)
    auth.extensions["runtime"].migrate()
    received = []

    def recorded(environ, start_response):
        received.append(environ["PATH_INFO"])
        return auth(environ, start_response)

    backends = {"auth": HttpBackend("auth", serve(recorded))}
    limited = settings.with_(options={"rate_limit_auth": "1/minute", "rate_limit": "off"})
    yield serve(create_gateway(backends, limited)), received
    auth.extensions["runtime"].dispose()


LOGIN = json.dumps({"email": "nobody@example.jp", "password": "Wrong@2026x"}).encode()


def test_gateway_refuses_dot_segments_before_rate_limiting(auth_over_http):
    gateway_url, received = auth_over_http
    headers = {"Content-Type": "application/json"}
    status, _, _ = raw(gateway_url, "POST", "/api/v1/auth/login", LOGIN, headers)
    assert status == 401  # the one login this address may try this minute (unknown email)
    assert raw(gateway_url, "POST", "/api/v1/auth/login", LOGIN, headers)[0] == 429
    for target in ("/api/v1/terms/../auth/login", "/api/v1/terms/%2e%2e/auth/login",
                   "/api/v1/terms/%2E%2E/auth/login"):
        status, answer_headers, _ = raw(gateway_url, "POST", target, LOGIN, headers)
        assert status == 400, target  # before: auth answered it as a login, past the login limit
        assert answer_headers["content-type"] == PROBLEM_JSON
    assert received == ["/api/v1/auth/login"]


def test_encoded_dot_segments_never_reach_a_services_metrics(auth_over_http):
    gateway_url, received = auth_over_http
    status, headers, body = raw(gateway_url, "GET", "/api/v1/terms/%2e%2e/%2e%2e/%2e%2e/metrics")
    assert status == 400 and headers["content-type"] == PROBLEM_JSON
    assert b"mypage_" not in body
    assert received == []


# -- body limits ---------------------------------------------------------------------------------------

def _nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


@pytest.fixture
def client(services, settings):
    return create_gateway({n: InProcessBackend(n, a) for n, a in services.items()}, settings).test_client()


def test_json_nested_32_levels_is_forwarded_and_33_is_a_400_problem(client, services, bearer):
    at_limit = client.post("/api/v1/me/saved-searches", data=_nested(MAX_JSON_DEPTH),
                           content_type="application/json", headers=bearer)
    assert at_limit.status_code == 200
    over = client.post("/api/v1/me/saved-searches", data=_nested(MAX_JSON_DEPTH + 1),
                       content_type="application/json", headers={**bearer, "Accept-Language": "en"})
    assert over.status_code == 400
    assert over.mimetype == PROBLEM_JSON
    assert over.json["detail"] == "The JSON body is nested too deeply (at most 32 levels)."
    assert len(_reached(services)) == 1


def test_a_200000_deep_json_body_is_a_400_problem_not_a_500(gateway_url, services):
    for content_type in ("application/json", "text/plain"):  # a service might parse it anyway
        status, headers, body = raw(gateway_url, "POST", "/api/v1/auth/login",
                                    b'{"email": ' + _nested(200_000) + b"}", {"Content-Type": content_type})
        assert status == 400
        assert headers["content-type"] == PROBLEM_JSON
        assert json.loads(body)["detail"] == "JSON の入れ子が深すぎます（32段まで）。"
    assert _reached(services) == []


def test_brackets_inside_json_strings_do_not_count_toward_the_depth(client, bearer):
    body = json.dumps({"motivation": "[" * 1000 + '\\"{' * 100}).encode()
    assert client.post("/api/v1/me/applications", data=body, content_type="application/json",
                       headers=bearer).status_code == 200


def test_a_body_of_10_mb_is_forwarded_and_one_byte_more_is_a_413_problem(client, services, bearer):
    # J8: three 2 MB PDFs in base64 (8 MB) fit; nothing a service takes is larger.
    at_limit = client.post("/api/v1/me/applications", data=b'"' + b"A" * (MAX_BODY_BYTES - 2) + b'"',
                           content_type="application/json", headers=bearer)
    assert at_limit.status_code == 200
    assert at_limit.json["body_bytes"] == MAX_BODY_BYTES
    over = client.post("/api/v1/me/applications", data=b"A" * (MAX_BODY_BYTES + 1),
                       content_type="application/json", headers=bearer)
    assert over.status_code == 413
    assert over.mimetype == PROBLEM_JSON
    assert over.json["detail"] == "送信できるのは10MBまでです。"
    assert len(_reached(services)) == 1


# -- Cache-Control: no-store on personal data --------------------------------------------------------

@pytest.mark.parametrize("method, path", [
    ("GET", "/api/v1/me"), ("GET", "/api/v1/me/profile"), ("GET", "/api/v1/me/applications"),
    ("GET", "/api/v1/me/messages"),
    ("GET", "/api/v1/me/favourites"), ("GET", "/api/v1/staff/erasures/1"),
    ("GET", "/api/v1/employer/applications"), ("GET", "/api/v1/employer/seekers"),
    ("GET", "/api/v1/jobs"),  # with a token: the answer depends on who asks (J2a scope 2)
])
def test_personal_data_answers_are_no_store(client, signer, method, path):
    response = client.open(path, method=method, headers=signer.headers("someone", roles=("seeker", "staff",
                                                                                          "employer")))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("path", ["/api/v1/auth/login", "/api/v1/auth/login/otp", "/api/v1/auth/token",
                                  "/api/v1/auth/refresh"])
def test_token_answers_are_no_store(client, path):
    response = client.post(path, json={})
    assert response.headers["Cache-Control"] == "no-store"


def test_an_anonymous_read_of_public_data_keeps_the_services_caching(client):
    for path in ("/api/v1/terms", "/api/v1/jobs", "/api/v1/auth/jwks"):
        assert client.get(path).headers["Cache-Control"] == "public, max-age=600"
    client.set_cookie("refresh", "x")  # the web client's refresh cookie: the answer may be personal
    assert client.get("/api/v1/jobs").headers["Cache-Control"] == "no-store"


# -- CSP, HSTS, Swagger UI -------------------------------------------------------------------------

def test_api_docs_and_dev_pages_have_a_content_security_policy(client):
    docs = client.get("/api/docs")
    policy = docs.headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "frame-ancestors 'none'" in policy
    mail = client.get("/dev/mail")
    assert mail.status_code == 200
    assert "script-src 'self';" in mail.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in mail.headers["Content-Security-Policy"]
    assert mail.headers["Cache-Control"] == "no-store"


def test_swagger_ui_does_not_persist_pasted_tokens(client):
    with client.get("/api/docs/init.js") as response:
        init = response.get_data(as_text=True)
    assert "persistAuthorization: false" in init
    assert "persistAuthorization: true" not in init


def _production(tmp_path, **secrets) -> Settings:
    return Settings(service="gateway", env="production", var_dir=tmp_path, secrets=secrets)


def test_hsts_in_production_only(tmp_path, settings):
    production = create_gateway({}, _production(tmp_path, secret_operations_token=OPERATIONS_TOKEN)).test_client()
    assert production.get("/healthz").headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert production.get("/api/v1/terms").headers["Strict-Transport-Security"].startswith("max-age=31536000")
    development = create_gateway({}, settings).test_client()
    assert "Strict-Transport-Security" not in development.get("/healthz").headers


# -- /metrics and /readyz for operators ------------------------------------------------------------

def test_metrics_and_readyz_answer_only_to_the_operations_token(services, tmp_path):
    settings = Settings.from_env("gateway", {"MYPAGE_VAR_DIR": str(tmp_path),
                                             "MYPAGE_GATEWAY_SECRET_OPERATIONS_TOKEN": OPERATIONS_TOKEN})
    client = create_gateway({n: InProcessBackend(n, a) for n, a in services.items()}, settings).test_client()
    for path in ("/metrics", "/readyz"):
        for headers in ({}, {"Authorization": "Bearer " + OPERATIONS_TOKEN[:-1] + "y"},
                        {"Authorization": OPERATIONS_TOKEN}):
            refused = client.get(path, headers=headers)
            assert refused.status_code == 401, (path, headers)
            assert refused.mimetype == PROBLEM_JSON
            assert refused.json["detail"] == "運用者用のトークンが必要です。"
        assert client.get(path, headers={"Authorization": f"Bearer {OPERATIONS_TOKEN}"}).status_code == 200
    assert client.get("/healthz").json == {"status": "ok"}  # liveness stays open and says nothing else


@pytest.mark.parametrize("token", [None, "x" * 31])
def test_a_production_gateway_refuses_to_start_without_an_operations_token(tmp_path, token):
    secrets = {"secret_operations_token": token} if token else {}
    with pytest.raises(ConfigurationError, match="MYPAGE_GATEWAY_SECRET_OPERATIONS_TOKEN"):
        create_gateway({}, _production(tmp_path, **secrets))
    create_gateway({}, _production(tmp_path, secret_operations_token="x" * 32))
