"""§8 with real processes, PostgreSQL and RabbitMQ: `python -m services.profile web|worker|relay`.

- A gunicorn web with several workers reads one set of numbers on every scrape (prometheus
  multiprocess mode): a counter never goes down and equals the requests served by all workers.
- A worker and a relay serve /healthz and /metrics on a port of their own.
- A relay that makes no progress while events wait shows a growing
  `mypage_outbox_oldest_age_seconds` and fails its liveness — frozen by SIGSTOP, or cut off
  from its broker.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from kombu import Exchange, Producer, Queue
from prometheus_client.parser import text_string_to_metric_families

from kit import topology
from kit.events import Event
from kit.outbox import record
from kit.settings import ROOT, Settings
from kit.testing.plugin import eventually
from kit.testing.servers import free_port
from services.profile.app import build_runtime

SERVICE = "profile"
ROUTED = "profile.probe.noted.v1"  # bound to a queue of the test's own, so the relay's publishes are confirmed


class Stack:
    """The environment of one service's processes, and the processes started in it (stopped at the end)."""

    def __init__(self, tmp_path: Path, database_url: str, amqp_url: str, exchange: str) -> None:
        self.tmp_path = tmp_path
        self.database_url = database_url
        self.amqp_url = amqp_url
        self.exchange = exchange
        self.environ = {k: v for k, v in os.environ.items()
                        if not k.startswith("MYPAGE_") and k != "PROMETHEUS_MULTIPROC_DIR"}
        self.environ.update({"MYPAGE_PROFILE_DATABASE_URL": database_url, "MYPAGE_AMQP_URL": amqp_url,
                             "MYPAGE_EXCHANGE": exchange, "MYPAGE_VAR_DIR": str(tmp_path)})
        self.processes: list[subprocess.Popen] = []

    def migrate(self) -> None:
        done = subprocess.run([sys.executable, "-m", f"services.{SERVICE}", "migrate"], cwd=ROOT, env=self.environ,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        with topology.connection(self.amqp_url) as connection:
            self._probe_queue()(connection.default_channel).declare()

    def _probe_queue(self) -> Queue:
        return Queue(f"{topology.queue_prefix(self.exchange)}.probe", topology.events_exchange(self.exchange),
                     routing_key=ROUTED)

    def start(self, command: str, *args: str, **environ: str) -> tuple[subprocess.Popen, str]:
        """Start `python -m services.profile <command> --bind 127.0.0.1:<free port> <args>`; return it and its URL."""
        port = free_port()
        log = (self.tmp_path / f"{command}-{port}.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", f"services.{SERVICE}", command, "--bind", f"127.0.0.1:{port}", *args],
            cwd=ROOT, env={**self.environ, **environ}, stdout=log, stderr=subprocess.STDOUT)
        self.processes.append(process)
        base = f"http://127.0.0.1:{port}"
        eventually(lambda: process.poll() is None and _status(f"{base}/healthz") is not None, timeout=60,
                   interval=0.1, message=f"{command} answering /healthz")
        return process, base

    def emit(self, count: int) -> None:
        """`count` events written to profile's outbox, as a web writes them (the relay publishes them)."""
        runtime = build_runtime(Settings.from_env(SERVICE, {}, database_url=self.database_url))
        try:
            with runtime.session_factory() as session, session.begin():
                for n in range(count):
                    record(session, runtime.outbox, Event(ROUTED, {"n": n}, runtime.source))
        finally:
            runtime.dispose()

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGCONT)
                process.terminate()
        for process in self.processes:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)
        with topology.connection(self.amqp_url) as connection:
            self._probe_queue()(connection.default_channel).delete()


@pytest.fixture
def stack(tmp_path, database_url, amqp_url, exchange_name) -> Iterator[Stack]:
    stack = Stack(tmp_path, database_url, amqp_url, exchange_name)
    stack.migrate()
    yield stack
    stack.stop()


def _status(url: str, timeout: float = 5.0) -> int | None:
    """The HTTP status of GET `url`; None when nothing answers within `timeout`."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def _json(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def _metric(base: str, name: str, **labels: str) -> float | None:
    """The sum of `name`'s samples whose labels include `labels`, on one scrape of `base`/metrics."""
    with urllib.request.urlopen(f"{base}/metrics", timeout=10) as response:
        text = response.read().decode()
    values = [sample.value for family in text_string_to_metric_families(text) for sample in family.samples
              if sample.name == name and labels.items() <= sample.labels.items()]
    return sum(values) if values else None


def _healthz_count(base: str) -> float:
    return _metric(base, "mypage_profile_http_request_seconds_count", endpoint="/healthz") or 0.0


def test_s8_a_counter_of_a_web_with_several_workers_never_goes_down_between_scrapes(stack, tmp_path):
    metrics_dir = tmp_path / "prometheus"
    metrics_dir.mkdir()
    (metrics_dir / "counter_1.db").write_bytes(b"left by an earlier run")  # the web clears it at start
    _, base = stack.start("web", "--workers", "3", PROMETHEUS_MULTIPROC_DIR=str(metrics_dir))
    assert not (metrics_dir / "counter_1.db").exists()
    served = _healthz_count(base)  # start() polled /healthz until a worker answered
    readings = []
    with ThreadPoolExecutor(6) as pool:
        for _ in range(12):
            statuses = list(pool.map(lambda _: _status(f"{base}/healthz"), range(12)))
            assert statuses == [200] * 12
            served += 12
            readings.append(_healthz_count(base))
            assert readings[-1] == served  # every worker's requests, whichever worker answers the scrape
    assert readings == sorted(readings)
    workers = {path.stem.rsplit("_", 1)[1] for path in metrics_dir.glob("histogram_*.db")}
    assert len(workers) >= 2, "the requests were not spread over several workers; the test proves nothing"


def test_s8_readyz_of_the_web_reports_the_broker_and_metrics_the_bus(stack):
    _, base = stack.start("web")
    status, body = _json(f"{base}/readyz")
    assert (status, body["checks"], body["broker"]) == (200, {"database": "ok"}, "ok")
    stack.emit(3)
    assert _metric(base, "mypage_outbox_backlog", service=SERVICE) == 3
    assert _metric(base, "mypage_broker_up", service=SERVICE) == 1
    queue = topology.queue_name(SERVICE, stack.exchange)
    assert _metric(base, "mypage_queue_messages", queue=queue, state="ready") == 0
    assert _metric(base, "mypage_parked_messages", queue=topology.parking_queue_name(SERVICE, stack.exchange)) == 0


def test_s8_a_worker_serves_health_and_metrics_and_counts_what_it_parks(stack):
    _, base = stack.start("worker")
    assert _json(f"{base}/healthz") == (200, {"status": "ok"})
    queue = topology.queue_name(SERVICE, stack.exchange)
    with topology.connection(stack.amqp_url) as connection:
        Producer(connection.default_channel).publish(
            b"not a cloud event", exchange=Exchange(f"{stack.exchange}.dlx", type="direct"), routing_key=queue,
            content_type="application/octet-stream", content_encoding="binary", retry=False)
    eventually(lambda: _metric(base, "mypage_events_parked_total", service=SERVICE) == 1, timeout=30,
               message="the worker to park the poison message")
    assert _metric(base, "mypage_parked_messages", service=SERVICE) == 1
    assert _metric(base, "mypage_events_handled_total", service=SERVICE) == 0
    assert _metric(base, "mypage_consumer_unacked_messages", service=SERVICE) == 0
    assert _metric(base, "mypage_queue_messages", queue=queue, state="unacked") is None  # no management API
    assert _json(f"{base}/healthz") == (200, {"status": "ok"})


def _growing(read: Callable[[], float | None]) -> Callable[[], bool]:
    first = read()

    def grew() -> bool:
        later = read()
        return first is not None and later is not None and later > first
    return grew


def test_s8_a_frozen_relay_shows_a_growing_backlog_age_and_fails_its_liveness(stack):
    _, web = stack.start("web")
    relay, health = stack.start("relay", MYPAGE_STALL_SECONDS="1")
    stack.emit(1)
    eventually(lambda: _metric(web, "mypage_outbox_backlog", service=SERVICE) == 0, timeout=30,
               message="the live relay to publish")
    assert _metric(health, "mypage_events_published_total", service=SERVICE) == 1

    relay.send_signal(signal.SIGSTOP)
    try:
        stack.emit(2)
        age = lambda: _metric(web, "mypage_outbox_oldest_age_seconds", service=SERVICE)  # noqa: E731
        eventually(lambda: (age() or 0) > 1, timeout=30, interval=0.2, message="the backlog to age past 1 s")
        eventually(_growing(age), timeout=30, interval=0.2, message="the backlog's age to keep growing")
        assert _metric(web, "mypage_outbox_backlog", service=SERVICE) == 2
        assert _status(f"{health}/healthz", timeout=1.0) is None  # a kubelet's probe times out: not alive
    finally:
        relay.send_signal(signal.SIGCONT)
    eventually(lambda: _metric(web, "mypage_outbox_backlog", service=SERVICE) == 0, timeout=30,
               message="the thawed relay to drain the outbox")
    eventually(lambda: _status(f"{health}/healthz") == 200, timeout=30, message="the relay to be alive again")


def test_s8_a_relay_cut_off_from_its_broker_fails_its_liveness_with_the_reason(stack):
    closed = f"amqp://guest:guest@127.0.0.1:{free_port()}/"
    _, health = stack.start("relay", MYPAGE_STALL_SECONDS="1", MYPAGE_AMQP_URL=closed)
    assert _json(f"{health}/healthz") == (200, {"status": "ok"})  # nothing waits
    stack.emit(1)
    age = lambda: _metric(health, "mypage_outbox_oldest_age_seconds", service=SERVICE)  # noqa: E731
    eventually(_growing(age), timeout=30, interval=0.2, message="the backlog's age to grow")

    def stalled() -> dict | None:
        status, body = _json(f"{health}/healthz")
        return body if status == 503 else None
    body = eventually(stalled, timeout=30, interval=0.2, message="the relay's liveness to fail")
    assert body["status"] == "stalled" and body["reason"].startswith("relay: oldest unsent event")
    assert _metric(health, "mypage_stalled", service=SERVICE, role="relay") == 1
    assert _metric(health, "mypage_broker_up", service=SERVICE) == 0
    assert _metric(health, "mypage_outbox_backlog", service=SERVICE) == 1


def test_s8_a_gunicorn_web_writes_json_lines_only_one_access_line_per_request_with_its_request_id(stack, tmp_path):
    """Issue 11 item 6: gunicorn's plain-text access log is off; the app's JSON line names the request id."""
    _, base = stack.start("web", "--workers", "2")
    request = urllib.request.Request(f"{base}/api/v1/staff/seekers/12345-67890123?email=taro%40example.jp",
                                     headers={"X-Request-ID": "access-log-probe"})
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(request, timeout=10)

    def access() -> list[dict]:
        lines = [json.loads(line) for path in tmp_path.glob("web-*.log")
                 for line in path.read_text(encoding="utf-8").splitlines()]  # every line is JSON
        return [line for line in lines if line.get("logger") == "mypage.access"]

    [line] = eventually(access, timeout=10, message="the access line")
    assert line["request_id"] == "access-log-probe" and line["method"] == "GET"
    assert line["path"] == "/api/v1/staff/seekers/*" and line["query"] == ["email"]
    assert line["status"] >= 400 and line["duration_ms"] >= 0
    assert "taro" not in json.dumps(line) and "12345-67890123" not in json.dumps(line)
    assert any("Booting worker" in entry["message"] for path in tmp_path.glob("web-*.log")
               for entry in map(json.loads, path.read_text(encoding="utf-8").splitlines()))  # gunicorn's own, as JSON


def test_a_web_keeps_its_connections_alive_and_serves_one_while_another_is_held_open(stack):
    """gthread workers (kit.cli): the gateway reuses its connections to a web, and one worker serves a second
    connection while a first stays open (a sync worker would close each connection after one answer, and
    answer nothing else while one is being read)."""
    _, base = stack.start("web", "--workers", "1", "--threads", "2")
    port = int(base.rsplit(":", 1)[1])
    held = socket.create_connection(("127.0.0.1", port), timeout=10)
    held.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # a request whose headers never end
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        for _ in range(2):
            connection.request("GET", "/healthz")
            response = connection.getresponse()
            response.read()
            assert response.status == 200 and not response.will_close
        connection.close()
    finally:
        held.close()
