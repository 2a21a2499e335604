"""Event bus benchmark (DESIGN §3): our outbox → relay → RabbitMQ → consumer path against raw baselines.

    .venv/bin/python bench/events.py --events 20000

Measured in one run, against the local PostgreSQL and RabbitMQ:
- raw pika, one publisher confirm per message (BlockingConnection);
- raw pika, confirms awaited per batch of 100 (SelectConnection);
- raw kombu consume + ack, no database;
- ours, sustained: events committed to the outbox in transactions of 100, relayed (own process),
  consumed with inbox dedupe and a handler insert (own process), until the last handler commit —
  once with a per-event handler (one INSERT per event, `handler(event, uow)`) and once with a
  `@handles_batches` handler (one executemany per delivery batch, still one row per event);
- ours, single-event transactions from 4 writer threads (one commit per event, like HTTP writes);
- ours, each stage alone (outbox inserts, relay drain, consumer drain);
- ours, latency outbox commit → handler commit at a steady 500 events/s (p50/p99/max).

Every figure is the median of `--runs` runs (3 by default; each run's value is kept under
"runs"). Prints every figure with the ratio to its raw baseline and writes
bench/results/events-<date>.json. Not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import statistics
import sys
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import marshmallow  # noqa: E402
import pika  # noqa: E402
import psycopg  # noqa: E402
from kombu import Consumer as KombuConsumer  # noqa: E402
from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, func, insert, select  # noqa: E402

from kit import topology  # noqa: E402
from kit.clock import SystemClock  # noqa: E402
from kit.consumer import Consumer, handles_batches  # noqa: E402
from kit.db import make_engine, make_session_factory  # noqa: E402
from kit.events import EventSpec  # noqa: E402
from kit.inbox import inbox_table  # noqa: E402
from kit.outbox import notify_channel, outbox_table  # noqa: E402
from kit.publisher import make_publisher  # noqa: E402
from kit.relay import Relay  # noqa: E402
from kit.uow import UnitOfWork  # noqa: E402

SERVICE = "bench"
EVENT_TYPE = "bench.thing.noted.v1"
BODY = json.dumps({"specversion": "1.0", "id": "x", "type": EVENT_TYPE, "source": "/bench",
                   "time": "2026-11-26T09:00:00Z", "data": {"seeker_id": "s" * 32, "n": 1}}).encode()


class NotedSchema(marshmallow.Schema):
    seeker_id = marshmallow.fields.String(required=True)
    n = marshmallow.fields.Integer(required=True)


NOTED = EventSpec(EVENT_TYPE, NotedSchema, "a benchmark event")


# -- the service under test -----------------------------------------------------------------------

def schema() -> tuple[MetaData, Table, Table, Table]:
    metadata = MetaData()
    effects = Table("effects", metadata, Column("id", Integer, primary_key=True),
                    Column("event_id", String(36), nullable=False), Column("n", Integer),
                    Column("handled_at", DateTime(timezone=True)))
    return metadata, outbox_table(metadata), inbox_table(metadata), effects


def relay_process(database_url: str, amqp_url: str, exchange: str, stop) -> None:
    engine = make_engine(database_url)
    _, outbox, _, _ = schema()
    relay = Relay(engine, outbox, make_publisher(amqp_url, exchange), clock=SystemClock(),
                  notify_channel=notify_channel(SERVICE))
    relay.run_forever(stop)


class TimingConsumer(Consumer):
    """Records when each event arrived and when its transaction committed (its ack follows at once)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.committed_at: dict[str, float] = {}
        self.received_at: dict[str, float] = {}

    def _receive(self, message) -> None:
        self.received_at[message.properties.get("message_id")] = time.time()
        super()._receive(message)

    def _acknowledge(self, messages) -> None:
        now = time.time()
        for message in messages:
            self.committed_at[message.properties.get("message_id")] = now
        super()._acknowledge(messages)


HANDLERS = ("event", "batch")


def consumer_process(database_url: str, amqp_url: str, exchange: str, stop, ready, results,
                     handler: str = "event") -> None:
    engine = make_engine(database_url)
    _, outbox, inbox, effects = schema()
    sessions = make_session_factory(engine)
    clock = SystemClock()

    add_effect = insert(effects)

    def note(event, uow) -> None:
        """The per-event handler: one INSERT of one row per event, like a projection update."""
        row = {"event_id": event.id, "n": event.data["n"], "handled_at": clock.now()}
        uow.session.execute(add_effect, row)

    @handles_batches
    def note_all(events, uow) -> None:
        """The batch handler: the same row per event, all of a delivery batch in one executemany."""
        now = clock.now()
        uow.session.execute(add_effect, [{"event_id": event.id, "n": event.data["n"], "handled_at": now}
                                         for event in events])

    consumer = TimingConsumer(
        topology.connection(amqp_url), service=SERVICE,
        subscriptions={EVENT_TYPE: note_all if handler == "batch" else note},
        uow_factory=lambda: UnitOfWork(sessions, outbox=outbox, clock=clock, source="/bench"),
        inbox_table=inbox, exchange_name=exchange,
    )
    threading.Thread(target=lambda: (consumer.ready.wait(), ready.set()), daemon=True).start()
    consumer.run_forever(stop)
    results.put((consumer.committed_at, consumer.received_at))


class Pipeline:
    """A fresh database and exchange, a relay process and a consumer process."""

    def __init__(self, server_url: str, amqp_url: str, consumers: int = 1, *, processes: bool = True,
                 handler: str = "event") -> None:
        self.server_url = server_url
        self.amqp_url = amqp_url
        self.name = f"bench_{uuid.uuid4().hex[:10]}"
        self.exchange = f"{self.name}.events"
        with psycopg.connect(server_url, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{self.name}"')
        self.database_url = server_url.rsplit("/", 1)[0] + f"/{self.name}"
        self.engine = make_engine(self.database_url)
        metadata, self.outbox, _, self.effects = schema()
        metadata.create_all(self.engine)
        self.sessions = make_session_factory(self.engine)
        with topology.connection(amqp_url) as conn:
            topology.declare(conn, SERVICE, [EVENT_TYPE], exchange_name=self.exchange)
        context = multiprocessing.get_context("spawn")
        self.stop, self.results = context.Event(), context.Queue()
        self.processes = []
        if not processes:
            return
        readiness = [context.Event() for _ in range(consumers)]
        args = (self.database_url, amqp_url, self.exchange, self.stop)
        self.processes = [context.Process(target=relay_process, args=args)]
        self.processes += [context.Process(target=consumer_process, args=(*args, ready, self.results, handler))
                           for ready in readiness]
        for process in self.processes:
            process.start()
        for ready in readiness:
            ready.wait(60)

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.sessions, outbox=self.outbox, clock=SystemClock(), source="/bench",
                          notify_channel=notify_channel(SERVICE))

    def emit(self, count: int, start: int) -> list[str]:
        with self.uow() as uow:
            ids = [uow.publish(NOTED, {"seeker_id": "s" * 32, "n": start + i}).id for i in range(count)]
            uow.commit()
        return ids

    def effects_count(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(self.effects)).scalar_one()

    def wait_for_effects(self, count: int, timeout: float = 600) -> float:
        deadline = time.monotonic() + timeout
        pause = threading.Event()
        while self.effects_count() < count:
            if time.monotonic() > deadline:
                raise TimeoutError(f"only {self.effects_count()} of {count} effects")
            pause.wait(0.005)
        return time.monotonic()

    def close(self) -> dict[str, float]:
        self.stop.set()
        committed: dict[str, float] = {}
        self.received: dict[str, float] = {}
        for _ in self.processes[1:]:
            committed_at, received_at = self.results.get(timeout=60)
            committed.update(committed_at)
            self.received.update(received_at)
        for process in self.processes:
            process.join(30)
        self.engine.dispose()
        with topology.connection(self.amqp_url) as conn:
            channel = conn.default_channel
            channel.queue_delete(topology.queue_name(SERVICE, self.exchange))
            channel.queue_delete(topology.parking_queue_name(SERVICE, self.exchange))
            channel.exchange_delete(topology.dead_letter_exchange(self.exchange).name)
            channel.exchange_delete(self.exchange)
        with psycopg.connect(self.server_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        return committed


def ours_sustained(server_url: str, amqp_url: str, events: int, per_transaction: int,
                   consumers: int = 1, producers: int = 1, handler: str = "event") -> float:
    """Events/s from the first outbox insert to the last handler commit (`producers` writer threads)."""
    pipeline = Pipeline(server_url, amqp_url, consumers, handler=handler)
    try:
        starts = list(range(0, events, per_transaction))
        started = time.monotonic()
        threads = [threading.Thread(target=lambda mine=starts[first::producers]: [
            pipeline.emit(per_transaction, start) for start in mine]) for first in range(producers)]
        for thread in threads:
            thread.start()
        finished = pipeline.wait_for_effects(events)
        for thread in threads:
            thread.join()
        return events / (finished - started)
    finally:
        pipeline.close()


def ours_stages(server_url: str, amqp_url: str, events: int, handler: str = "event") -> dict[str, float]:
    """Each stage alone, in this process: outbox inserts (tx of 100), relay drain, consumer drain."""
    pipeline = Pipeline(server_url, amqp_url, processes=False)
    try:
        started = time.monotonic()
        for start in range(0, events, 100):
            pipeline.emit(100, start)
        produce = events / (time.monotonic() - started)
        relay = Relay(pipeline.engine, pipeline.outbox, make_publisher(amqp_url, pipeline.exchange),
                      clock=SystemClock())
        started = time.monotonic()
        while relay.run_once():
            pass
        relayed = events / (time.monotonic() - started)
        relay._publisher.close()
        ready, results = threading.Event(), _ListQueue()
        started = time.monotonic()
        worker = threading.Thread(target=consumer_process, args=(
            pipeline.database_url, amqp_url, pipeline.exchange, pipeline.stop, ready, results, handler))
        worker.start()
        pipeline.wait_for_effects(events)
        consumed = events / (time.monotonic() - started)
        pipeline.stop.set()
        worker.join(30)
    finally:
        pipeline.close()
    return {"outbox_insert_tx100_per_s": round(produce), "relay_per_s": round(relayed),
            "consumer_per_s": round(consumed)}


class _ListQueue(list):
    def put(self, item) -> None:
        self.append(item)


def ours_latency(server_url: str, amqp_url: str, rate: int, seconds: float,
                 handler: str = "event") -> dict[str, float]:
    """Outbox commit → handler commit, single-event transactions paced at `rate` per second."""
    pipeline = Pipeline(server_url, amqp_url, handler=handler)
    committed_at: dict[str, float] = {}
    count = int(rate * seconds)
    try:
        started = time.monotonic()

        def produce(first: int, step: int) -> None:
            pause = threading.Event()
            for i in range(first, count, step):
                delay = started + i / rate - time.monotonic()
                if delay > 0:
                    pause.wait(delay)
                [event_id] = pipeline.emit(1, i)
                committed_at[event_id] = time.time()

        producers = [threading.Thread(target=produce, args=(first, 2)) for first in range(2)]
        for producer in producers:
            producer.start()
        for producer in producers:
            producer.join()
        achieved = count / (time.monotonic() - started)
        pipeline.wait_for_effects(count)
    finally:
        handled_at = pipeline.close()
    latencies = sorted((handled_at[key] - at) * 1000 for key, at in committed_at.items() if key in handled_at)
    received = pipeline.received
    # The consumer's share: message arrival → handler commit (batch wait + transaction).
    in_consumer = sorted((handled_at[key] - received[key]) * 1000 for key in committed_at
                         if key in handled_at and key in received)
    return {
        "rate_offered": rate, "rate_achieved": round(achieved, 1), "events": len(latencies),
        "p50_ms": round(statistics.median(latencies), 2),
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1], 2),
        "max_ms": round(latencies[-1], 2),
        "consumer_share_p50_ms": round(statistics.median(in_consumer), 2),
        "consumer_share_p99_ms": round(in_consumer[int(len(in_consumer) * 0.99) - 1], 2),
    }


# -- raw baselines --------------------------------------------------------------------------------

def raw_queue(amqp_url: str) -> tuple[str, str]:
    """A bench exchange with one quorum queue bound — the same topology our path uses."""
    exchange = f"bench_raw_{uuid.uuid4().hex[:8]}.events"
    with topology.connection(amqp_url) as conn:
        topology.declare(conn, SERVICE, [EVENT_TYPE], exchange_name=exchange)
    return exchange, topology.queue_name(SERVICE, exchange)


def drop_raw(amqp_url: str, exchange: str) -> None:
    with topology.connection(amqp_url) as conn:
        channel = conn.default_channel
        channel.queue_delete(topology.queue_name(SERVICE, exchange))
        channel.queue_delete(topology.parking_queue_name(SERVICE, exchange))
        channel.exchange_delete(topology.dead_letter_exchange(exchange).name)
        channel.exchange_delete(exchange)


def properties(i: int) -> pika.BasicProperties:
    return pika.BasicProperties(content_type="application/cloudevents+json", delivery_mode=2,
                                message_id=str(i), type=EVENT_TYPE)


def raw_pika_confirm_each(amqp_url: str, exchange: str, count: int) -> float:
    connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
    channel = connection.channel()
    channel.confirm_delivery()
    started = time.monotonic()
    for i in range(count):
        channel.basic_publish(exchange, EVENT_TYPE, BODY, properties(i), mandatory=True)
    elapsed = time.monotonic() - started
    connection.close()
    return count / elapsed


def raw_pika_confirm_batched(amqp_url: str, exchange: str, count: int, batch: int = 100) -> float:
    """Publish `batch` messages, wait for all their confirms, repeat — SelectConnection, no kit code."""
    state = {"sent": 0, "pending": 0, "tag": 0, "started": 0.0, "elapsed": 0.0}

    def publish_batch(channel) -> None:
        size = min(batch, count - state["sent"])
        for _ in range(size):
            channel.basic_publish(exchange, EVENT_TYPE, BODY, properties(state["sent"]), mandatory=True)
            state["sent"] += 1
        state["pending"] = size

    def on_confirm(frame) -> None:
        tag = frame.method.delivery_tag
        done = tag - state["tag"] if frame.method.multiple else 1
        state["tag"] = max(state["tag"], tag)
        state["pending"] -= done
        if state["pending"] <= 0:
            if state["sent"] >= count:
                state["elapsed"] = time.monotonic() - state["started"]
                connection.close()
            else:
                publish_batch(channel_holder[0])

    def on_channel(channel) -> None:
        channel_holder.append(channel)
        channel.confirm_delivery(on_confirm, callback=lambda _: (state.update(started=time.monotonic()),
                                                                 publish_batch(channel)))

    channel_holder: list = []
    connection = pika.SelectConnection(pika.URLParameters(amqp_url),
                                       on_open_callback=lambda c: c.channel(on_open_callback=on_channel),
                                       on_close_callback=lambda c, e: c.ioloop.stop())
    connection.ioloop.start()
    return count / state["elapsed"]


def raw_kombu_consume(amqp_url: str, queue_name: str, count: int) -> float:
    """Drain `count` messages already in the queue with kombu, ack each, no database."""
    from kombu import Queue

    received = [0]
    with topology.connection(amqp_url) as conn:
        def on_message(message) -> None:
            received[0] += 1
            message.ack()

        queue = Queue(queue_name, no_declare=True)
        with KombuConsumer(conn, queues=[queue], on_message=on_message, prefetch_count=100):
            started = time.monotonic()
            while received[0] < count:
                conn.drain_events(timeout=10)
            return count / (time.monotonic() - started)


# -- main ---------------------------------------------------------------------------------------------

def median_of(runs: int, measure, label: str, results: dict, key: str) -> float:
    """Run `measure()` `runs` times; store the median under `key` and every value under runs[key]."""
    values = []
    for _ in range(runs):
        values.append(measure())
    median = round(statistics.median(values))
    results[key] = median
    results["runs"][key] = [round(value) for value in values]
    report(label, median, results)
    return median


def median_dict(runs: int, measure, results: dict, key: str, order_by: str) -> dict:
    """Run `measure()` (a dict of figures) `runs` times; keep the run whose `order_by` is the median."""
    values = [measure() for _ in range(runs)]
    results["runs"][key] = values
    chosen = sorted(values, key=lambda value: value[order_by])[len(values) // 2]
    results[key] = chosen
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=20_000, help="events for the sustained runs")
    parser.add_argument("--amqp-url", default="amqp://guest:guest@127.0.0.1:5672/")
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--latency-rate", type=int, default=500)
    parser.add_argument("--latency-seconds", type=float, default=10.0)
    parser.add_argument("--consumers", type=int, default=1, help="consumer processes (competing consumers)")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure; the median is reported")
    parser.add_argument("--only", choices=["all", "sustained"], default="all",
                        help="`sustained`: skip the tx-of-1, stage and latency figures")
    args = parser.parse_args()
    n, runs = args.events, args.runs
    results: dict = {"date": datetime.now(UTC).isoformat(), "events": n, "consumers": args.consumers,
                     "machine_cores": multiprocessing.cpu_count(), "runs_per_figure": runs,
                     "consumer_prefetch": Consumer.__init__.__kwdefaults__["prefetch"],
                     "consumer_batch_size": Consumer.__init__.__kwdefaults__["batch_size"], "runs": {}}

    db, amqp = args.database_url, args.amqp_url
    each = min(n, 5_000)

    def raw_consume() -> float:
        exchange, queue = raw_queue(amqp)
        try:
            raw_pika_confirm_batched(amqp, exchange, each + n)
            return raw_kombu_consume(amqp, queue, each + n)
        finally:
            drop_raw(amqp, exchange)

    def raw(measure):
        def run() -> float:
            exchange, _queue = raw_queue(amqp)
            try:
                return measure(exchange)
            finally:
                drop_raw(amqp, exchange)
        return run

    median_of(runs, raw(lambda exchange: raw_pika_confirm_each(amqp, exchange, each)),
              "raw pika, confirm per message", results, "raw_pika_confirm_each_per_s")
    median_of(runs, raw(lambda exchange: raw_pika_confirm_batched(amqp, exchange, n)),
              "raw pika, confirms per batch of 100", results, "raw_pika_confirm_batch100_per_s")
    median_of(runs, raw_consume, "raw kombu consume + ack", results, "raw_kombu_consume_per_s")

    median_of(runs, lambda: ours_sustained(db, amqp, n, 100, args.consumers, handler="event"),
              "ours, outbox (tx of 100) → per-event handler", results, "ours_tx100_per_s")
    median_of(runs, lambda: ours_sustained(db, amqp, n, 100, args.consumers, handler="batch"),
              "ours, outbox (tx of 100) → batch handler", results, "ours_tx100_batch_handler_per_s")
    if args.only == "all":
        single = max(1_000, n // 4)
        results["ours_tx1_events"] = single
        median_of(runs, lambda: ours_sustained(db, amqp, single, 1, args.consumers, producers=4),
                  "ours, outbox (tx of 1, 4 writers) → handler", results, "ours_tx1_per_s")
        for handler, key in (("event", "stages_alone"), ("batch", "stages_alone_batch_handler")):
            stages = median_dict(runs, lambda handler=handler: ours_stages(db, amqp, n, handler), results, key,
                                 "consumer_per_s")
            for stage, per_second in stages.items():
                report(f"stage alone ({handler} handler): {stage}", per_second)
        for handler, key in (("event", "latency"), ("batch", "latency_batch_handler")):
            latency = median_dict(runs, lambda handler=handler: ours_latency(
                db, amqp, args.latency_rate, args.latency_seconds, handler), results, key, "p99_ms")
            print(f"latency ({handler} handler) at {latency['rate_achieved']}/s over {latency['events']} "
                  f"events: p50 {latency['p50_ms']} ms, p99 {latency['p99_ms']} ms, max {latency['max_ms']} ms")
    ratios = results["ratios"] = {}
    for ours_key in ("ours_tx100_per_s", "ours_tx100_batch_handler_per_s"):
        name = ours_key.removesuffix("_per_s")
        ours = results[ours_key]
        ratios[f"{name}_vs_raw_pika_batch100"] = round(ours / results["raw_pika_confirm_batch100_per_s"], 3)
        ratios[f"{name}_vs_raw_pika_confirm_each"] = round(ours / results["raw_pika_confirm_each_per_s"], 3)
        ratios[f"{name}_vs_raw_kombu_consume"] = round(ours / results["raw_kombu_consume_per_s"], 3)
    for key in ("stages_alone", "stages_alone_batch_handler"):
        if key in results:
            stages = results[key]
            ratios[f"{key}_relay_vs_raw_pika_batch100"] = round(
                stages["relay_per_s"] / results["raw_pika_confirm_batch100_per_s"], 3)
            ratios[f"{key}_consumer_vs_raw_kombu_consume"] = round(
                stages["consumer_per_s"] / results["raw_kombu_consume_per_s"], 3)
    for name, ratio in ratios.items():
        print(f"{name:55s} {ratio:8.3f}")
    suffix = "" if args.only == "all" else f"-{args.only}"  # a partial run never overwrites a full one
    out = ROOT / "bench" / "results" / f"events-{datetime.now(UTC):%Y-%m-%d}{suffix}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"written to {out.relative_to(ROOT)}")


def report(label: str, per_second: float, results: dict | None = None) -> None:
    line = f"{label:45s} {per_second:10,.0f} events/s"
    if results and results.get("raw_pika_confirm_batch100_per_s"):
        line += f"   ({per_second / results['raw_pika_confirm_batch100_per_s']:.2f}× raw pika batch-100)"
    print(line, flush=True)


if __name__ == "__main__":
    main()
