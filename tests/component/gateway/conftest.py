"""Fake services for the gateway's component tests: a Flask app that echoes what it received."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator

import pytest
from flask import Flask, Response, request
from werkzeug.serving import make_server

from gateway.app import create_gateway
from gateway.backends import HttpBackend, InProcessBackend
from kit.settings import SERVICES, Settings
from kit.testing.tokens import TestSigner

PROBLEM_DOCUMENT = {"type": "https://mypage.hellowork.example/problems/limit-reached",
                    "title": "登録できる上限に達しています", "status": 409,
                    "detail": "お気に入りは300件までです。", "instance": "/api/v1/me/favourites/x"}


def echo_app(name: str = "echo") -> Flask:
    """A service that answers every path with what it received (and a problem on request)."""
    app = Flask(name)
    app.extensions["calls"] = []

    @app.route("/<path:path>", methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
    def echo(path: str) -> Response:
        app.extensions["calls"].append((request.method, request.path))
        if path == "readyz":
            ready = {"status": "ok", "checks": {"database": "ok"}}
            return Response(json.dumps(ready), mimetype="application/json")
        if path.endswith("/problem"):
            response = Response(json.dumps(PROBLEM_DOCUMENT, ensure_ascii=False), status=409,
                                mimetype="application/problem+json")
            response.headers["Content-Language"] = "ja"
            return response
        if path.endswith("/cookies"):
            response = Response("", status=204)
            response.headers.add("Set-Cookie", "a=1; HttpOnly")
            response.headers.add("Set-Cookie", "b=2; HttpOnly")
            return response
        body = {"service": name, "method": request.method, "path": request.path,
                "query": request.query_string.decode(), "body": request.get_data(as_text=True),
                "headers": {k.lower(): v for k, v in request.headers.items()}}
        return Response(json.dumps(body, ensure_ascii=False), mimetype="application/json")

    return app


@pytest.fixture(name="echo_app")
def echo_app_factory():
    """echo_app(name) -> a fresh echo service."""
    return echo_app


@pytest.fixture(name="closed_port")
def closed_port_factory():
    """closed_port() -> a local port nothing listens on."""
    return closed_port


@pytest.fixture
def signer(tmp_path) -> TestSigner:
    """Signs access tokens the gateway accepts: its JWKS is where the gateway's settings look (var/jwks.json)."""
    signer = TestSigner()
    (tmp_path / "jwks.json").write_text(json.dumps(signer.jwks()))
    return signer


@pytest.fixture
def settings(tmp_path, signer) -> Settings:
    return Settings.from_env("gateway", {"MYPAGE_VAR_DIR": str(tmp_path)})


@pytest.fixture
def bearer(signer) -> dict[str, str]:
    """A valid seeker's Authorization header, for routes that need a token."""
    return signer.headers("seeker-1")


@pytest.fixture
def problem_document() -> dict:
    """What the echo service answers on any path ending in /problem."""
    return PROBLEM_DOCUMENT


@pytest.fixture
def echo_apps() -> dict[str, Flask]:
    return {name: echo_app(name) for name in SERVICES}


@pytest.fixture
def gateway(echo_apps, settings):
    """The gateway with every service in process (echo apps)."""
    app = create_gateway({n: InProcessBackend(n, a) for n, a in echo_apps.items()}, settings)
    return app.test_client()


def closed_port() -> int:
    """A local port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def serve() -> Iterator:
    """serve(app, port=0) -> base URL of `app` on a real threaded HTTP server, on `port` when given (a free
    one otherwise); stopped after the test."""
    servers = []

    def start(app, port: int = 0) -> str:
        server = make_server("127.0.0.1", port, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        thread.start()
        servers.append((server, thread))
        return f"http://127.0.0.1:{server.server_port}"

    yield start
    for server, thread in servers:
        server.shutdown()
        server.server_close()
        thread.join(10)


@pytest.fixture
def http_gateway(serve, echo_apps, settings):
    """The gateway reaching every (echo) service over real HTTP."""
    backends = {name: HttpBackend(name, serve(app)) for name, app in echo_apps.items()}
    return create_gateway(backends, settings).test_client()
