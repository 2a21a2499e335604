"""Issue 10, path confusion, against the distributed gateway as deployed: `python -m gateway --distributed`
under gunicorn, reaching (recording) services over HTTP. Gunicorn passes a leading `//` and encoded
dots through to the application, unlike Python's http.server of the embedded mode, so this is where
the raw request target matters.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask import Flask, Response, request
from werkzeug.serving import make_server

from kit.settings import ROOT, SERVICES
from kit.testing.e2e import raw_request
from kit.testing.plugin import eventually
from kit.testing.servers import free_port

PROBLEM_JSON = "application/problem+json"
START_TIMEOUT = 30.0


def _raw(port: int, method: str, target: str) -> tuple[int, dict[str, str], bytes]:
    return raw_request(f"http://127.0.0.1:{port}", method, target)


@contextmanager
def _gunicorn_gateway(services_url: str, var_dir, *, workers: int, exchange: str) -> Iterator[int]:
    """`python -m gateway --distributed` under gunicorn with `workers` on a free port, every service at
    `services_url`, on an exchange of its own; stopped (its process group) when the block ends."""
    port = free_port()
    environ = {k: v for k, v in os.environ.items() if not k.startswith("MYPAGE_") and k != "PROMETHEUS_MULTIPROC_DIR"}
    environ.update({f"MYPAGE_{s.upper()}_URL": services_url for s in SERVICES}, MYPAGE_VAR_DIR=str(var_dir),
                   MYPAGE_ENV="test", MYPAGE_EXCHANGE=f"{exchange}{port}.events")
    process = subprocess.Popen([sys.executable, "-m", "gateway", "--distributed", "--workers", str(workers),
                                "--bind", f"127.0.0.1:{port}"], cwd=ROOT, env=environ,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        eventually(lambda: process.poll() is None and _healthy(port), timeout=START_TIMEOUT,
                   message="the gunicorn gateway to answer /healthz")
        yield port
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(30)


@pytest.fixture(scope="module")
def recorder() -> Iterator[tuple[str, list[str]]]:
    """One recording service on a real server (every service URL points at it): (URL, targets it received)."""
    app = Flask("recorder")
    received: list[str] = []

    @app.route("/<path:path>", methods=["GET", "POST"])
    def record(path: str) -> Response:
        received.append(request.environ.get("RAW_URI") or request.environ["PATH_INFO"])
        return Response(json.dumps({"path": request.environ["PATH_INFO"]}), mimetype="application/json")

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", received
    server.shutdown()
    server.server_close()
    thread.join(10)


@pytest.fixture(scope="module")
def gunicorn_gateway(recorder, tmp_path_factory) -> Iterator[int]:
    """The distributed gateway under gunicorn (one worker) on a free port."""
    with _gunicorn_gateway(recorder[0], tmp_path_factory.mktemp("gateway"), workers=1, exchange="door") as port:
        yield port


@pytest.fixture(autouse=True)
def _nothing_received_yet(recorder) -> None:
    recorder[1].clear()


def _healthy(port: int) -> bool:
    try:
        return _raw(port, "GET", "/healthz")[0] == 200
    except OSError:
        return False


@pytest.mark.parametrize("target", [
    "//api/v1/terms",
    "//api/v1/terms/../../metrics",
    "/api/v1/terms/../auth/login",
    "/api/v1/terms/%2e%2e/auth/login",
    "/api/v1/terms/%2E%2E/%2E%2E/%2E%2E/metrics",
    "/api/v1/me/%2e%2e/%2e%2e/%2e%2e/internal/v1/home",
    "/api/v1/terms%5c..%5cauth%5clogin",
])
def test_the_gunicorn_gateway_refuses_non_canonical_paths(gunicorn_gateway, recorder, target):
    status, headers, _ = _raw(gunicorn_gateway, "POST" if "login" in target else "GET", target)
    assert status == 400
    assert headers.get("content-type") == PROBLEM_JSON
    assert recorder[1] == []


def test_the_gunicorn_gateway_forwards_a_canonical_path_exactly(gunicorn_gateway, recorder):
    target = "/api/v1/terms/a.b/..c/%E4%BB%8B%E8%AD%B7"
    status, _, _ = _raw(gunicorn_gateway, "GET", target)
    assert status == 200
    assert recorder[1] == [target]


@pytest.fixture(scope="module")
def gateway_of_three_workers(recorder, tmp_path_factory) -> Iterator[int]:
    """The distributed gateway under gunicorn with three workers (its /metrics open: no operations token)."""
    with _gunicorn_gateway(recorder[0], tmp_path_factory.mktemp("gateway3"), workers=3, exchange="metrics") as port:
        yield port


def _upstream_count(port: int) -> float:
    from prometheus_client.parser import text_string_to_metric_families

    status, _, body = _raw(port, "GET", "/metrics")
    assert status == 200
    return sum(sample.value for family in text_string_to_metric_families(body.decode())
               for sample in family.samples if sample.name == "mypage_gateway_upstream_seconds_count")


def test_s8_the_gateways_metrics_count_every_workers_requests_on_every_scrape(gateway_of_three_workers):
    """Issue 11 item 3 for the gateway: one registry per gunicorn worker read 726, 726, 757… on consecutive
    scrapes; in multiprocess mode every scrape adds up all three workers."""
    port = gateway_of_three_workers
    before = _upstream_count(port)
    for _ in range(30):
        assert _raw(port, "GET", "/api/v1/terms")[0] == 200
    scrapes = [_upstream_count(port) for _ in range(12)]
    assert scrapes == [before + 30] * 12
