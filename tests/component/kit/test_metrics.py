"""§8: the bus as Prometheus and the probes see it (kit.metrics): outbox backlog and age, queue
depths, event counters, and the liveness of a relay or worker that makes no progress while work
waits — read over HTTP from the health server a worker or relay runs."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from prometheus_client.parser import text_string_to_metric_families

from kit import topology
from kit.metrics import BusProbe, serve_health, stall_seconds
from kit.settings import ConfigurationError, Settings
from kit.testing.servers import free_port
from services.profile import app as profile_app
from tests.conftest import SERVICE

STALL = 60.0


@pytest.fixture
def world(bus_world, memory_bus, frozen_clock, tmp_path):
    world = bus_world(f"sqlite:///{tmp_path / 'bus.db'}", memory_bus, clock=frozen_clock)
    world.declare()
    return world


@pytest.fixture
def probe(world, memory_bus, frozen_clock) -> BusProbe:
    probe = BusProbe(SERVICE, world.engine, world.outbox, memory_bus.url, memory_bus.exchange, consumes=True,
                     clock=frozen_clock, stall_after=STALL)
    probe.relays.append(world.relay)
    return probe


@pytest.fixture
def health(probe) -> Iterator[str]:
    server = serve_health(probe, "127.0.0.1:0", role="relay")
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def _get(url: str) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers["Content-Type"], response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read().decode()


def _samples(base: str) -> dict[tuple[str, frozenset], float]:
    status, _, text = _get(f"{base}/metrics")
    assert status == 200
    return {(sample.name, frozenset(sample.labels.items())): sample.value
            for family in text_string_to_metric_families(text) for sample in family.samples}


def _value(samples, name: str, **labels: str) -> float:
    return samples[(name, frozenset({"service": SERVICE, **labels}.items()))]


def test_s8_outbox_backlog_and_the_age_of_its_oldest_row_come_from_the_outbox(world, frozen_clock, health):
    empty = _samples(health)
    assert _value(empty, "mypage_outbox_backlog") == 0
    assert _value(empty, "mypage_outbox_oldest_age_seconds") == 0

    world.emit(3)
    frozen_clock.advance(seconds=90)
    world.emit(1, start=3)
    waiting = _samples(health)
    assert _value(waiting, "mypage_outbox_backlog") == 4
    assert _value(waiting, "mypage_outbox_oldest_age_seconds") == 90
    assert _value(waiting, "mypage_events_published_total") == 0

    assert world.relay.run_once() == 4
    drained = _samples(health)
    assert _value(drained, "mypage_outbox_backlog") == 0
    assert _value(drained, "mypage_outbox_oldest_age_seconds") == 0
    assert _value(drained, "mypage_events_published_total") == 4
    queue = topology.queue_name(SERVICE, world.bus.exchange)
    assert _value(drained, "mypage_queue_messages", queue=queue, state="ready") == 4
    parking = topology.parking_queue_name(SERVICE, world.bus.exchange)
    assert _value(drained, "mypage_parked_messages", queue=parking) == 0
    assert _value(drained, "mypage_broker_up") == 1


def test_s8_a_relay_that_makes_no_progress_while_events_wait_fails_its_liveness(world, frozen_clock, health):
    world.emit(2)
    frozen_clock.advance(seconds=STALL)  # the edge: waited exactly as long as allowed
    status, _, body = _get(f"{health}/healthz")
    assert (status, json.loads(body)) == (200, {"status": "ok"})
    assert _value(_samples(health), "mypage_stalled", role="relay") == 0

    frozen_clock.advance(seconds=1)
    status, content_type, body = _get(f"{health}/healthz")
    assert (status, content_type) == (503, "application/json")
    assert json.loads(body)["status"] == "stalled"
    assert "relay: oldest unsent event 61 s old, no pass completed for 61 s" in json.loads(body)["reason"]
    samples = _samples(health)
    assert _value(samples, "mypage_stalled", role="relay") == 1
    assert _value(samples, "mypage_outbox_oldest_age_seconds") == 61

    assert world.relay.run_once() == 2  # the relay moves again
    assert _get(f"{health}/healthz")[0] == 200


def test_s8_an_idle_relay_with_nothing_waiting_stays_alive(world, frozen_clock, health):
    frozen_clock.advance(hours=5)
    assert _get(f"{health}/healthz")[0] == 200


def test_s8_a_worker_whose_loop_stands_still_while_messages_are_ready_fails_its_liveness(
        world, probe, frozen_clock):
    probe.relays.clear()
    consumer = world.make_consumer(clock=frozen_clock)  # never run: its loop does not turn
    probe.consumers.append(consumer)
    server = serve_health(probe, "127.0.0.1:0", role="worker")
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        frozen_clock.advance(seconds=STALL + 1)
        assert _get(f"{base}/healthz")[0] == 200  # nothing ready: idle is fine

        world.emit(1)
        assert world.relay.run_once() == 1
        status, _, body = _get(f"{base}/healthz")
        assert status == 503
        assert json.loads(body)["reason"] == "consumer: 1 messages ready, its loop idle for 61 s"
        samples = _samples(base)
        assert _value(samples, "mypage_consumer_unacked_messages") == 0
        assert _value(samples, "mypage_events_handled_total") == 0

        consumer.on_iteration()  # one turn of its loop
        assert _get(f"{base}/healthz")[0] == 200
    finally:
        server.shutdown()
        server.server_close()


def test_s8_the_health_server_answers_other_paths_with_a_japanese_problem(health):
    status, content_type, body = _get(f"{health}/nowhere")
    assert (status, content_type) == (404, "application/problem+json")
    assert json.loads(body)["title"] == "お探しの情報は見つかりません"


@pytest.mark.parametrize("raw", ["0", "-1", "abc", "", "nan"])
def test_s8_stall_seconds_must_be_a_positive_number(raw):
    with pytest.raises(ConfigurationError, match="MYPAGE_STALL_SECONDS"):
        stall_seconds({"MYPAGE_STALL_SECONDS": raw})


def test_s8_stall_seconds_default_to_60_and_take_fractions():
    assert stall_seconds({}) == 60.0
    assert stall_seconds({"MYPAGE_STALL_SECONDS": "0.5"}) == 0.5


def test_s8_readyz_of_a_web_is_about_its_database_and_reports_the_broker_in_its_body():
    closed = free_port()
    settings = Settings.from_env("profile", {}, database_url="sqlite://",
                                 amqp_url=f"amqp://guest:guest@127.0.0.1:{closed}/")
    runtime = profile_app.build_runtime(settings)
    runtime.migrate()
    client = profile_app.create_app(runtime=runtime).test_client()
    try:
        ready = client.get("/readyz")
        assert ready.status_code == 200  # writes go to the outbox; the relay waits for the broker
        assert ready.json["checks"] == {"database": "ok"}
        assert ready.json["broker"] not in ("ok", "", None)
        metrics = {(s.name, s.labels.get("role", "")): s.value
                   for f in text_string_to_metric_families(client.get("/metrics").get_data(as_text=True))
                   for s in f.samples}
        assert metrics[("mypage_broker_up", "")] == 0
        assert metrics[("mypage_outbox_backlog", "")] == 0
    finally:
        runtime.dispose()
