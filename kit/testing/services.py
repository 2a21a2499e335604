"""One service in a test process: its runtime on a migrated database, what it wrote to its outbox,
and calls made to it at the same moment (the concurrency limits, S6).

    @pytest.fixture
    def runtime(clock):
        with migrated_runtime(build_runtime, "jobs", clock) as runtime:   # in-memory SQLite
            yield runtime

Plain functions, no fixtures: each tests/component/<service>/conftest.py names its own.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import select

from kit.clock import Clock
from kit.runtime import Runtime
from kit.settings import Settings


@contextmanager
def migrated_runtime(build_runtime: Callable[..., Runtime], service: str, clock: Clock,
                     database_url: str = "sqlite://") -> Iterator[Runtime]:
    """`service`'s runtime (its app module's `build_runtime`) on `database_url`, migrated to head;
    disposed when the block ends. The default is an in-memory SQLite database of its own."""
    runtime = build_runtime(Settings.from_env(service, {}, database_url=database_url), clock=clock)
    try:
        runtime.migrate()
        yield runtime
    finally:
        runtime.dispose()


def outbox_envelopes(runtime: Runtime, event_type: str | None = None) -> list[dict]:
    """The CloudEvents envelopes `runtime` wrote to its outbox so far (only `event_type`'s if given), oldest first."""
    with runtime.engine.connect() as connection:
        rows = connection.execute(select(runtime.outbox).order_by(runtime.outbox.c.id)).all()
    envelopes = [json.loads(row.body) for row in rows]
    return [e for e in envelopes if event_type is None or e["type"] == event_type]


def in_parallel(calls: list[Callable[[], object]]) -> list:
    """Run the calls at once (released together by a barrier); their results, in the calls' order."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        barrier.wait(30)
        results[index] = call()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return results
