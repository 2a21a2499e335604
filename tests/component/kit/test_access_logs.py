"""Issue 11 item 6, §8: one JSON access line per request (method, path without identifiers, query
parameter names without values, status, duration, request id) from every web and the gateway, and the
AMQP clients' reconnect noise down to one WARNING per outage."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from kombu import Connection

from kit.consumer import Consumer
from kit.logs import QUIET_LOGGERS, configure_logging, path_shape
from kit.publisher import BrokerUnavailable, OutgoingMessage, PikaPublisher
from kit.testing.servers import free_port
from tests.component.kit.conftest import access_lines, probe_app


@pytest.mark.parametrize(("path", "shape"), [
    ("/api/v1/staff/seekers/12345-67890123/profile", "/api/v1/staff/seekers/*/profile"),
    ("/api/v1/me/favourites/11040-00012345", "/api/v1/me/favourites/*"),
    ("/api/v1/staff/employer-clients/ec-3f9a1b/secret", "/api/v1/staff/employer-clients/*/secret"),
    ("/api/v1/messages/d2c9e0f4-1b2a-4c3d-9e8f-0a1b2c3d4e5f", "/api/v1/messages/*"),
    ("/js/screens/my-page.js", "/js/screens/my-page.js"),
    ("/", "/"),
])
def test_s8_the_logged_path_keeps_resource_names_and_hides_identifiers(path, shape):
    assert path_shape(path) == shape


def test_s8_a_service_web_logs_one_json_access_line_per_request(caplog):
    client = probe_app().test_client()
    with caplog.at_level(logging.INFO, logger="mypage.access"):
        response = client.get("/api/v1/probe?email=taro%40example.jp&page=2", headers={"X-Request-ID": "req-7"})
        client.get("/healthz")  # probes and scrapes: DEBUG, not in an INFO log
    [line] = access_lines(caplog)
    assert response.status_code == 409
    assert {key: line[key] for key in ("method", "path", "query", "status", "request_id")} == {
        "method": "GET", "path": "/api/v1/probe", "query": ["email", "page"], "status": 409, "request_id": "req-7"}
    assert line["duration_ms"] >= 0 and line["time"].endswith("Z") and line["logger"] == "mypage.access"
    assert "taro" not in json.dumps(line)  # a query value may be personal


@pytest.fixture
def json_stderr() -> Iterator[io.StringIO]:
    """What the processes' logging (configure_logging) writes to stderr during one test."""
    root = logging.getLogger()
    saved = root.handlers[:], root.level, {name: logging.getLogger(name).level for name in QUIET_LOGGERS}
    configure_logging()
    written = io.StringIO()
    root.handlers[0].setStream(written)
    yield written
    root.handlers[:], root.level = saved[0], saved[1]
    for name, level in saved[2].items():
        logging.getLogger(name).setLevel(level)


def test_s8_pika_writes_nothing_when_the_broker_is_unreachable(json_stderr):
    """The issue: ~7 ERROR lines from pika per attempt. The relay reports an outage itself (kit.relay)."""
    publisher = PikaPublisher(f"amqp://guest:guest@127.0.0.1:{free_port()}/", "test.events")
    for _ in range(3):
        with pytest.raises(BrokerUnavailable):
            publisher.publish([OutgoingMessage("test.thing.v1", b"{}", "id-1", "test.thing.v1")], timeout=2)
    assert json_stderr.getvalue() == ""


def test_s8_a_consumer_logs_one_warning_per_outage_and_one_line_when_the_broker_is_back(json_stderr):
    consumer = Consumer(Connection("memory://"), service="test", subscriptions={}, uow_factory=None, inbox_table=None)
    for attempt in range(5):
        consumer.on_connection_error(ConnectionRefusedError(111, "Connection refused"), 2 * attempt)
    consumer.on_connection_revived()
    consumer.on_connection_error(ConnectionRefusedError(111, "Connection refused"), 0)  # the next outage
    lines = [json.loads(line) for line in json_stderr.getvalue().splitlines()]
    assert [(line["level"], line["message"].split(":")[1].strip()) for line in lines] == [
        ("warning", "broker unreachable ([Errno 111] Connection refused); retrying in 0 s (attempt 1)"),
        ("info", "broker reachable again after 5 failed attempts"),
        ("warning", "broker unreachable ([Errno 111] Connection refused); retrying in 0 s (attempt 1)"),
    ]
