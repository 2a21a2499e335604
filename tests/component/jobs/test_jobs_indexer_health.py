"""§8 for the search node's indexer (`python -m services.jobs indexer --bind host:port`, the k8s liveness probe of
the mypage-search pod's indexer): /healthz and /metrics of the node's own queue, answering from the start (a
long index load is no stall), failing when the consumer's loop stands still while posting events wait.
On SQLite and the memory:// bus, at a frozen clock."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from kombu import Producer
from prometheus_client.parser import text_string_to_metric_families

from kit import topology
from kit.metrics import serve_health
from kit.settings import Settings
from kit.testing.plugin import eventually
from kit.testing.servers import free_port
from services.jobs import indexer
from services.jobs.app import build_runtime
from services.jobs.events import POSTING_PUBLISHED
from services.jobs.search_engine import SearchEngine

NODE = "n1"
STALL = 60.0  # kit.metrics' default MYPAGE_STALL_SECONDS


@pytest.fixture
def runtime(memory_bus, frozen_clock, monkeypatch) -> Iterator:
    monkeypatch.delenv("MYPAGE_STALL_SECONDS", raising=False)
    settings = Settings.from_env("jobs", {}, database_url="sqlite://", amqp_url=memory_bus.url,
                                 exchange=memory_bus.exchange)
    runtime = build_runtime(settings, clock=frozen_clock)
    runtime.migrate()
    with topology.connection(memory_bus.url) as connection:  # the node's queue, as prepare_node declares it
        topology.declare(connection, indexer.queue_service(NODE), indexer.POSTING_EVENTS,
                         exchange_name=memory_bus.exchange)
    yield runtime
    runtime.dispose()


def _get(url: str) -> tuple[int, dict | str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            body = response.read().decode()
            return response.status, json.loads(body) if url.endswith("/healthz") else body
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read().decode())


def _samples(base: str) -> dict[tuple[str, frozenset], float]:
    status, text = _get(f"{base}/metrics")
    assert status == 200
    return {(sample.name, frozenset(sample.labels.items())): sample.value
            for family in text_string_to_metric_families(text) for sample in family.samples}


def _publish_posting_event(bus) -> None:
    body = {"specversion": "1.0", "id": "e-1", "type": POSTING_PUBLISHED.type, "source": "/mypage/jobs",
            "time": "2026-11-26T01:00:00Z", "subject": "11040-00012345", "datacontenttype": "application/json",
            "data": {"job_number": "11040-00012345"}}
    with topology.connection(bus.url) as connection:
        Producer(connection.default_channel).publish(json.dumps(body), exchange=topology.events_exchange(bus.exchange),
                                                      routing_key=POSTING_PUBLISHED.type, retry=False)


def test_s8_the_indexers_healthz_fails_when_its_loop_stands_still_while_posting_events_wait(
        runtime, memory_bus, frozen_clock):
    probe = indexer.indexer_probe(runtime, NODE)
    consumer = indexer.build_indexer(runtime, SearchEngine("http://127.0.0.1:9"), NODE)  # never run
    probe.consumers.append(consumer)
    server = serve_health(probe, "127.0.0.1:0", role="indexer")
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        frozen_clock.advance(seconds=STALL + 1)
        assert _get(f"{base}/healthz") == (200, {"status": "ok"})  # nothing waits: idle is fine

        _publish_posting_event(memory_bus)
        status, body = _get(f"{base}/healthz")
        assert status == 503 and body["reason"] == "consumer: 1 messages ready, its loop idle for 61 s"
        samples = _samples(base)
        service = indexer.queue_service(NODE)
        queue = topology.queue_name(service, memory_bus.exchange)
        assert samples[("mypage_queue_messages", frozenset({"service": service, "queue": queue,
                                                             "state": "ready"}.items()))] == 1
        assert samples[("mypage_stalled", frozenset({"service": service, "role": "indexer"}.items()))] == 1
        # the indexer publishes nothing: no outbox figures of its own (jobs' relay reports jobs' outbox)
        assert not [name for name, _ in samples if name.startswith("mypage_outbox_")]

        consumer.on_iteration()  # one turn of its loop
        assert _get(f"{base}/healthz")[0] == 200
    finally:
        server.shutdown()
        server.server_close()


def test_s8_the_indexer_answers_its_healthz_while_it_loads_the_index_and_stops_serving_when_stopped(
        runtime, monkeypatch):
    """`health_bind` serves from before prepare_node, which may load the whole index for minutes."""
    loading, loaded = threading.Event(), threading.Event()

    def prepare(_runtime, _engine, _node, stop) -> None:
        loading.set()
        loaded.wait(30)

    monkeypatch.setattr(indexer, "prepare_node", prepare)
    probes = []
    make_probe = indexer.indexer_probe
    monkeypatch.setattr(indexer, "indexer_probe", lambda *args: probes.append(make_probe(*args)) or probes[-1])
    port, stop = free_port(), threading.Event()
    run = threading.Thread(target=indexer.run_indexer, args=(runtime, SearchEngine("http://127.0.0.1:9"), NODE, stop),
                           kwargs={"health_bind": f"127.0.0.1:{port}"}, daemon=True)
    run.start()
    try:
        assert loading.wait(30)
        assert eventually(lambda: _get(f"http://127.0.0.1:{port}/healthz")[0], timeout=10,
                          message="the indexer's /healthz while it loads") == 200
        loaded.set()
        eventually(lambda: probes[0].consumers and probes[0].consumers[0].ready.is_set(), timeout=30,
                   message="the indexer consuming its node's queue")
        assert _get(f"http://127.0.0.1:{port}/healthz") == (200, {"status": "ok"})
    finally:
        loaded.set()
        stop.set()
        run.join(30)
    assert not run.is_alive()
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5)
