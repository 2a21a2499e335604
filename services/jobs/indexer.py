"""The search node's indexer (DESIGN §9): keeps one Groonga server's index from jobs' own posting events.

    python -m services.jobs indexer        # MYPAGE_SEARCH_URL, MYPAGE_SEARCH_NODE (default "1")
    python -m services.jobs reindex        # rebuild from PostgreSQL into a fresh generation, then switch
    python -m services.jobs search-check   # compare the index with PostgreSQL; exit 1 on drift

Each search node has its own queue (`<prefix>.jobs.search.<node>`) bound to the posting events, so N
nodes each hold the whole index and scale reads like any other replica; run one indexer per node.
An event says only which posting changed: the indexer reads the posting as PostgreSQL has it now and
puts it in the index (or takes it out: closed, scope 4, gone), so duplicates and reordering cannot
leave an older state behind. While the engine is down the indexer waits with the events unacked
(kit.consumer.Unavailable) and catches up when it returns.

Expired postings are swept just after midnight (Japan) and hourly after that; a posting already past
its 紹介期限日 is never put in. The sweep marks the generation (SearchEngine.mark_swept), and from then
until the day changes its searches need no date condition; before the first sweep of a day they keep it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.engine import Engine

from kit import topology
from kit.consumer import Consumer, Unavailable, handles_batches
from kit.events import Event
from kit.metrics import BusProbe, serve_health
from kit.runtime import Runtime
from kit.uow import UnitOfWork
from services.jobs import domain
from services.jobs.events import POSTING_CHANGED, POSTING_CLOSED, POSTING_PUBLISHED
from services.jobs.models import postings
from services.jobs.search_engine import (
    GRACE_SECONDS,
    SearchEngine,
    SearchError,
    SearchUnavailable,
    document,
    indexed,
    timestamp,
)

log = logging.getLogger("mypage.jobs.indexer")

POSTING_EVENTS = (POSTING_PUBLISHED.type, POSTING_CHANGED.type, POSTING_CLOSED.type)
BATCH = 5_000  # postings per load when rebuilding
EXPIRY_SWEEP_SECONDS = 3600
AFTER_MIDNIGHT = timedelta(seconds=1)  # the first sweep of a day, once Japan's date has changed
CATCH_UP_MARGIN = timedelta(seconds=5)  # clock skew between PostgreSQL writers and this process


def queue_service(node: str) -> str:
    """The consumer name of search node `node`: its queue is `<prefix>.jobs.search.<node>`."""
    return f"jobs.search.{node}"


def index_handler(engine: SearchEngine, node: str, today: Callable[[], date],
                  lock: threading.Lock | None = None) -> Callable[[list[Event], UnitOfWork], None]:
    """J2: the batch handler of node `node` — its own inbox name, so every node applies every event.
    `lock` is held with the expiry sweep's (_sweep_expired), so no posting that expired at midnight is put
    back after the sweep marked the day."""
    lock = lock or threading.Lock()

    @handles_batches
    def index_postings(events: list[Event], uow: UnitOfWork) -> None:
        numbers = {event.subject or event.data["job_number"] for event in events}
        rows = uow.session.execute(select(postings).where(postings.c.job_number.in_(numbers))).all()
        try:
            with lock:
                apply(engine, rows, numbers, today=today())
        except SearchError:
            raise  # the engine refused the data: the message's to carry (retried, then parked)
        except SearchUnavailable as error:
            raise Unavailable(f"search engine: {error}") from error

    index_postings.inbox_name = f"services.jobs.indexer.index_postings[{node}]"
    return index_postings


def apply(engine: SearchEngine, rows: Iterable, numbers: Iterable[str], *, today: date,
          prefix: str | None = None) -> None:
    """Put `rows` in the index as they are now; take out those of `numbers` that must not be found (closed,
    not online, gone, or past the 紹介期限日 `today`)."""
    keep = [row for row in rows if indexed(row) and row.deadline >= today]
    engine.upsert([document(row) for row in keep], prefix=prefix)
    engine.delete(set(numbers) - {row.job_number for row in keep}, prefix=prefix)


def build_indexer(runtime: Runtime, engine: SearchEngine, node: str, lock: threading.Lock | None = None) -> Consumer:
    """The consumer of node `node`'s queue; it waits for the engine as long as it takes."""
    handler = index_handler(engine, node, lambda: domain.today_in_japan(runtime.clock.now()), lock)
    return Consumer(topology.connection(runtime.settings.amqp_url), service=queue_service(node),
                    subscriptions=dict.fromkeys(POSTING_EVENTS, handler),
                    uow_factory=runtime.uow, inbox_table=runtime.inbox, exchange_name=runtime.settings.exchange,
                    infrastructure_retries=None, clock=runtime.clock)


def prepare_node(runtime: Runtime, engine: SearchEngine, node: str, stop: threading.Event) -> None:
    """Before consuming: the node's queue (so no event published from now on is missed), then the
    index — an engine without one (a new node, a lost disk, the first start) or with one of an older
    layout (search_engine.SCHEMA) is filled from PostgreSQL first, and only then does it answer searches
    (its generation is switched to when loaded)."""
    with topology.connection(runtime.settings.amqp_url) as connection:
        topology.declare(connection, queue_service(node), POSTING_EVENTS, exchange_name=runtime.settings.exchange)
    while not stop.is_set():
        try:
            live = engine.current_generation()
            if live is None or engine.outdated(live):
                log.info("search node %s: %s, loading it from PostgreSQL", node,
                         "no index yet" if live is None else f"index {live} has an older layout")
                reindex(runtime.engine, engine, today=domain.today_in_japan(runtime.clock.now()))
            engine.warm_up()
            return
        except SearchUnavailable as error:
            log.warning("search node %s: engine unavailable (%s); retrying", node, error)
            stop.wait(2.0)


def indexer_probe(runtime: Runtime, node: str) -> BusProbe:
    """§8: what the indexer's /healthz and /metrics read — node `node`'s queue and its parking queue, the
    consumer once it runs; no outbox (the indexer publishes nothing)."""
    return replace(BusProbe.for_runtime(runtime), service=queue_service(node), outbox=None, consumes=True)


def run_indexer(runtime: Runtime, engine: SearchEngine, node: str, stop: threading.Event, *,
                health_bind: str | None = None) -> None:
    """`python -m services.jobs indexer`: prepare_node, the expiry sweep, and the consumer until `stop`; with
    `health_bind` (host:port) /healthz and /metrics answer there from the start (§8: /healthz fails when the
    consumer's loop stands still while events wait in the node's queue; loading the index is not a stall)."""
    probe = indexer_probe(runtime, node)
    server = serve_health(probe, health_bind, role="indexer") if health_bind else None
    try:
        prepare_node(runtime, engine, node, stop)
        lock = threading.Lock()
        sweeper = threading.Thread(target=_sweep_expired, args=(runtime, engine, stop, lock), name="search-expiry",
                                   daemon=True)
        sweeper.start()
        consumer = build_indexer(runtime, engine, node, lock)
        probe.consumers.append(consumer)
        consumer.run_forever(stop)
    finally:
        if server is not None:
            server.shutdown()
            server.server_close()


def sweep_expired(engine: SearchEngine, today: date, lock: threading.Lock) -> int:
    """One expiry sweep (and the generation marked swept through `today`); how many postings it removed."""
    with lock:
        return engine.delete_expired(today)


def seconds_to_next_sweep(now: datetime) -> float:
    """An hour, or less when Japan's next midnight comes first (then just after it)."""
    japan = now.astimezone(domain.JST)
    midnight = datetime.combine(japan.date() + timedelta(days=1), datetime.min.time(), domain.JST)
    return min(float(EXPIRY_SWEEP_SECONDS), (midnight + AFTER_MIDNIGHT - japan).total_seconds())


def _sweep_expired(runtime: Runtime, engine: SearchEngine, stop: threading.Event, lock: threading.Lock) -> None:
    while not stop.is_set():
        try:
            removed = sweep_expired(engine, domain.today_in_japan(runtime.clock.now()), lock)
            if removed:
                log.info("search: %d expired postings removed", removed)
        except SearchUnavailable as error:
            log.warning("search: expiry sweep skipped (%s)", error)
        stop.wait(seconds_to_next_sweep(runtime.clock.now()))


# -- rebuilding and checking --------------------------------------------------------------------------


def _indexed_rows(database: Engine, *, since=None, today: date | None = None) -> Iterator[list]:
    """Batches of the postings a node holds (or, with `since`, every posting written since then), by id."""
    last = 0
    with database.connect() as connection:
        while True:
            query = select(postings).where(postings.c.id > last).order_by(postings.c.id).limit(BATCH)
            if since is not None:
                query = query.where(postings.c.updated_at >= since)
            else:
                query = query.where(postings.c.closed.is_(False),
                                    postings.c.publication_scope != domain.SCOPE_NOT_ONLINE)
                if today is not None:
                    query = query.where(postings.c.deadline >= today)
            rows = connection.execute(query).all()
            if not rows:
                return
            yield rows
            last = rows[-1].id


def reindex(database: Engine, engine: SearchEngine, *, today: date, grace: float = GRACE_SECONDS) -> int:
    """`reindex`: every open posting shown online into a fresh generation, then the switch — searches go on
    meanwhile against the old one, which is removed `grace` seconds later. Postings written while the
    rebuild ran (the live indexer put them in the old generation) are loaded again after the switch."""
    with database.connect() as connection:
        started = connection.scalar(select(postings.c.updated_at).order_by(postings.c.updated_at.desc()).limit(1))
    prefix = engine.create_generation()
    loaded = 0
    for rows in _indexed_rows(database, today=today):
        engine.upsert([document(row) for row in rows], prefix=prefix)
        loaded += len(rows)
    old = engine.current_generation()
    engine.switch_to(prefix)
    if started is not None:
        for rows in _indexed_rows(database, since=started - CATCH_UP_MARGIN):
            apply(engine, rows, [row.job_number for row in rows], today=today, prefix=prefix)
    # Only now: a live sweep after midnight may have marked the next day already; marking `today` again is
    # the safe side (the date condition comes back until the next sweep).
    engine.mark_swept(prefix, today)
    log.info("search: reindexed %d postings into %s", loaded, prefix)
    if old and old != prefix:
        time.sleep(grace)
        engine.remove_generation(old)
    return loaded


@dataclass(frozen=True)
class Drift:
    """What search-check found: postings missing from the index, there but not to be found, or stale."""

    expected: int
    indexed: int
    missing: list[str]
    extra: list[str]
    stale: list[str]

    def __bool__(self) -> bool:
        return bool(self.missing or self.extra or self.stale)


def check(database: Engine, engine: SearchEngine, *, today: date) -> Drift:
    """`search-check`: the index against PostgreSQL — ids and `updated_at` of every open posting shown online."""
    expected = {row.job_number: timestamp(row.updated_at)
                for rows in _indexed_rows(database, today=today) for row in rows}
    actual = engine.keys(today=today)
    stale = sorted(number for number, updated in actual.items()
                   if number in expected and expected[number] != updated)
    return Drift(expected=len(expected), indexed=len(actual), missing=sorted(expected.keys() - actual.keys()),
                 extra=sorted(actual.keys() - expected.keys()), stale=stale)
