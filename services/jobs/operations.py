"""The jobs service's operator commands beside web|worker|relay|migrate: the search node (DESIGN §9)
and the national demo data. See __main__.py for the command line."""

from __future__ import annotations

import argparse
import logging
import os
import socket
import sys
from itertools import islice

from kit.cli import _health_bind, _stop_on_signal
from kit.db import insert_ignore
from kit.logs import configure_logging
from services.jobs import domain, indexer
from services.jobs.app import build_runtime
from services.jobs.config import search_engine_of
from services.jobs.demo import generate_postings
from services.jobs.models import posting_row, postings

log = logging.getLogger("mypage.jobs")
COMMANDS = ("indexer", "reindex", "search-check", "load-demo")
LOAD_BATCH = 5_000


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.jobs")
    parser.add_argument("command", choices=COMMANDS)
    parser.add_argument("--postings", type=int, default=1_260_000, help="load-demo: how many (default 1,260,000)")
    parser.add_argument("--seed", type=int, default=0, help="load-demo: the generator's seed")
    parser.add_argument("--bind", default=None, help="indexer: where /healthz and /metrics answer (default "
                        "127.0.0.1:<MYPAGE_JOBS_INDEXER_METRICS_PORT>, else a free port, logged)")
    args = parser.parse_args(argv)
    configure_logging()
    runtime = build_runtime()
    engine = search_engine_of(runtime.settings)
    today = domain.today_in_japan(runtime.clock.now())
    if args.command == "load-demo":
        inserted = load_demo(runtime, args.postings, seed=args.seed)
        print(f"load-demo: {inserted} postings inserted")  # noqa: T201 — the command's answer
        if engine is not None:
            print(f"load-demo: {indexer.reindex(runtime.engine, engine, today=today)} postings indexed")  # noqa: T201
        return 0
    if engine is None:
        print("MYPAGE_SEARCH_URL is not set: no search node to work on", file=sys.stderr)  # noqa: T201
        return 2
    if args.command == "indexer":
        node = os.environ.get("MYPAGE_SEARCH_NODE", "").strip() or socket.gethostname()
        indexer.run_indexer(runtime, engine, node, _stop_on_signal(),
                            health_bind=_health_bind(args.bind, runtime, "indexer"))
        return 0
    if args.command == "reindex":
        print(f"reindex: {indexer.reindex(runtime.engine, engine, today=today)} postings indexed")  # noqa: T201
        return 0
    drift = indexer.check(runtime.engine, engine, today=today)
    print(f"search-check: PostgreSQL {drift.expected} open postings shown online, index {drift.indexed}; "  # noqa: T201
          f"missing {len(drift.missing)}, extra {len(drift.extra)}, stale {len(drift.stale)}")
    for name in ("missing", "extra", "stale"):
        for number in getattr(drift, name)[:20]:
            print(f"  {name}: {number}")  # noqa: T201
    return 1 if drift else 0


def load_demo(runtime, count: int, *, seed: int = 0) -> int:
    """J1 demo data at national scale: `count` generated postings streamed into the database in
    transactions of LOAD_BATCH (never the whole list in memory); job numbers already there are skipped."""
    now = runtime.clock.now()
    payloads = generate_postings(count, seed=seed, start=domain.today_in_japan(now))
    inserted = 0
    while batch := list(islice(payloads, LOAD_BATCH)):
        with runtime.engine.begin() as connection:
            statement = insert_ignore(connection, postings, on="job_number").returning(postings.c.id)
            inserted += len(connection.execute(statement, [posting_row(payload, now=now) for payload in batch]).all())
        if inserted and inserted % 100_000 < LOAD_BATCH:
            log.info("load-demo: %d postings", inserted)
    return inserted
