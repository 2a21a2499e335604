"""§8: a service's replicas behind the gateway — round robin, and a replica that refuses connections left out.

Real HTTP servers on free ports (werkzeug), the gateway's own HttpBackend and create_gateway; a clock
the test moves decides when a left-out replica is tried again.
"""

from __future__ import annotations

import json
import threading
from collections import Counter

import pytest
from werkzeug.serving import make_server

from gateway.app import create_gateway
from gateway.backends import EJECT_SECONDS, HttpBackend, http_backends_from_env, split_urls
from kit.settings import ConfigurationError

PROBLEM_JSON = "application/problem+json"


class Clock:
    """A monotonic clock that moves only when told."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _served_by(backend: HttpBackend, count: int, method: str = "GET") -> Counter:
    """Send `count` requests; count the answering replica of each (its echo `service` name)."""
    seen = Counter()
    for n in range(count):
        response = backend.send(method, f"/api/v1/jobs/{n}", body=b"{}" if method == "POST" else b"")
        assert response.status == 200
        seen[json.loads(response.body)["service"]] += 1
    return seen


def test_s8_two_replicas_take_requests_in_turn(serve, echo_app):
    a, b = echo_app("a"), echo_app("b")
    backend = HttpBackend("jobs", f"{serve(a)},{serve(b)}")
    assert _served_by(backend, 10) == {"a": 5, "b": 5}
    assert _served_by(backend, 6, "POST") == {"a": 3, "b": 3}


def test_s8_a_replica_that_refuses_connections_is_left_out_and_every_request_succeeds(
        serve, echo_app, closed_port):
    clock = Clock()
    dead = f"http://127.0.0.1:{closed_port()}"
    backend = HttpBackend("jobs", [dead, serve(echo_app("alive"))], clock=clock)
    assert _served_by(backend, 6) == {"alive": 6}
    assert _served_by(backend, 4, "POST") == {"alive": 4}  # a write never left, so it may go elsewhere
    assert backend.addresses[0].ejected_until == pytest.approx(clock.now + EJECT_SECONDS)


def test_s8_a_left_out_replica_is_tried_again_after_the_pause(serve, echo_app, closed_port):
    clock = Clock()
    port = closed_port()
    backend = HttpBackend("jobs", [f"http://127.0.0.1:{port}", serve(echo_app("b"))], clock=clock)
    assert _served_by(backend, 2) == {"b": 2}
    serve(echo_app("a"), port)  # the replica is back
    clock.now += EJECT_SECONDS - 0.001
    assert _served_by(backend, 4) == {"b": 4}  # still within the pause: not tried
    clock.now += 0.001
    assert _served_by(backend, 4) == {"a": 2, "b": 2}


def test_s8_when_every_replica_is_out_they_are_all_tried_and_one_that_is_back_answers(
        serve, echo_app, closed_port):
    clock = Clock()
    ports = [closed_port(), closed_port()]
    backend = HttpBackend("jobs", [f"http://127.0.0.1:{p}" for p in ports], retries=0, clock=clock)
    with pytest.raises(Exception, match="jobs: NewConnectionError"):
        backend.send("GET", "/api/v1/jobs")
    assert all(address.ejected_until > clock.now for address in backend.addresses)
    serve(echo_app("second"), ports[1])
    assert _served_by(backend, 3) == {"second": 3}  # no pause to wait out


def test_s8_every_replica_down_is_the_503_problem_in_japanese(settings, closed_port, bearer):
    down = HttpBackend("jobs", f"http://127.0.0.1:{closed_port()},http://127.0.0.1:{closed_port()}",
                       retries=1, backoff=0)
    client = create_gateway({"jobs": down}, settings).test_client()
    for response in (client.get("/api/v1/jobs"), client.post("/api/v1/me/favourites", json={}, headers=bearer)):
        assert response.status_code == 503
        assert response.mimetype == PROBLEM_JSON
        assert response.json["title"] == "ただいまサービスを利用できません。しばらくしてから再度お試しください"
        assert b"Traceback" not in response.data


def test_s8_through_the_gateway_both_replicas_serve_and_one_stopped_changes_nothing(
        serve, echo_app, settings):
    a, b = echo_app("jobs"), echo_app("jobs")
    urls = [serve(a), serve(b)]
    client = create_gateway(http_backends_from_env({"MYPAGE_JOBS_URL": ",".join(urls)}), settings).test_client()
    assert [client.get("/api/v1/jobs").status_code for _ in range(6)] == [200] * 6
    assert len(a.extensions["calls"]) == len(b.extensions["calls"]) == 3


def test_s8_a_replica_whose_server_stops_is_left_out_without_a_failed_request(echo_app, settings):
    a, b = echo_app("jobs"), echo_app("jobs")
    servers = [make_server("127.0.0.1", 0, app, threaded=True) for app in (a, b)]
    threads = [threading.Thread(target=s.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
               for s in servers]
    for thread in threads:
        thread.start()
    try:
        urls = ",".join(f"http://127.0.0.1:{s.server_port}" for s in servers)
        client = create_gateway(http_backends_from_env({"MYPAGE_JOBS_URL": urls}), settings).test_client()
        assert [client.get("/api/v1/jobs").status_code for _ in range(4)] == [200] * 4
        servers[0].shutdown()
        servers[0].server_close()  # kept-alive connections to it now fail to reconnect
        before = len(b.extensions["calls"])
        assert [client.get("/api/v1/jobs").status_code for _ in range(6)] == [200] * 6
        assert len(b.extensions["calls"]) - before == 6
    finally:
        servers[1].shutdown()
        servers[1].server_close()
        for thread in threads:
            thread.join(10)


@pytest.mark.parametrize(("value", "expected"), [
    ("http://a:8103", ["http://a:8103"]),
    ("http://a:8103/,http://b:8103", ["http://a:8103", "http://b:8103"]),
    (" http://a:8103 , http://b:8103/prefix/ ,", ["http://a:8103", "http://b:8103/prefix"]),
    (",", []),
    ("", []),
])
def test_s8_a_service_url_is_a_comma_list_of_addresses(value, expected):
    assert split_urls(value) == expected


def test_s8_the_environment_gives_each_service_its_replicas_and_a_pool_for_every_address():
    environ = {"MYPAGE_JOBS_URL": ",".join(f"http://127.0.0.1:{8103 + 10 * n}" for n in range(12)),
               "MYPAGE_AUTH_URL": "http://127.0.0.1:8101", "MYPAGE_PROFILE_URL": " , "}
    backends = http_backends_from_env(environ)
    assert sorted(backends) == ["auth", "jobs"]
    assert [a.url for a in backends["jobs"].addresses][:2] == ["http://127.0.0.1:8103", "http://127.0.0.1:8113"]
    assert len(backends["jobs"].addresses) == 12
    assert backends["jobs"].pool is backends["auth"].pool
    assert backends["jobs"].pool.pools._maxsize >= 13  # no replica's pool evicted by another's
    with pytest.raises(ConfigurationError, match="MYPAGE_PROFILE_URL"):
        http_backends_from_env(environ, required=["jobs", "profile"])


def test_s8_a_backend_without_an_address_is_refused_at_start():
    with pytest.raises(ConfigurationError, match="jobs: no address"):
        HttpBackend("jobs", " , ")
