"""A jobs web keeps the search node's answers `cache_seconds` (services/jobs/search_engine.py): the same
select within them is answered from memory, concurrent misses of one select wait for the first, a failed
select is not kept. The engine here is a stand-in answering Groonga's JSON; tests/integration has the real one."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest

from services.jobs.search_engine import SCHEMA, SearchEngine, SearchError

TODAY = date(2026, 11, 26)


class StandIn(SearchEngine):
    """Answers config_get with one generation (of `layout`) and every select with `total` hits; counts the selects."""

    def __init__(self, **options) -> None:
        super().__init__("http://search.invalid", **options)
        self.selects: list[dict] = []
        self.total = 1
        self.failing = False
        self.gate: threading.Event | None = None
        self.layout = SCHEMA

    def command(self, command, /, **params):
        if command == "config_get":
            answers = {"jobs.search.generation": "g1_", "jobs.search.schema.g1_": self.layout}
            return answers.get(params["key"], "20261126")  # the swept day
        assert command == "select"
        self.selects.append(params)
        if self.gate is not None:
            assert self.gate.wait(5)
        if self.failing:
            raise SearchError("select: an error", code=-22)
        return [[[self.total], [["_key", "ShortText"]], *[[f"11040-{n:08d}"] for n in range(min(self.total, 3))]]]


def search(engine: SearchEngine, q: str = "介護", *, registered: bool = False, page: int = 1):
    return engine.search({"q": q}, page=page, per_page=3, today=TODAY, registered_caller=registered)


def test_the_same_search_within_the_cache_seconds_is_answered_from_memory_and_asked_anew_at_their_end():
    now = [100.0]
    engine = StandIn(cache_seconds=1.0, timer=lambda: now[0])
    assert search(engine).total == 1
    engine.total = 2  # the index changes
    now[0] = 100.999
    assert search(engine).total == 1 and len(engine.selects) == 1
    now[0] = 101.0
    assert search(engine).total == 2 and len(engine.selects) == 2


def test_another_word_page_or_kind_of_caller_is_another_select():
    engine = StandIn(cache_seconds=1.0, timer=lambda: 100.0)
    for asked in ({}, {"q": "事務"}, {"page": 2}, {"registered": True}, {}):
        search(engine, **asked)
    assert len(engine.selects) == 4
    filters = {params["filter"] for params in engine.selects}
    assert filters >= {'((text_public @ "介護"))', '((text_registered @ "介護"))'}


def test_without_cache_seconds_every_search_asks_the_engine():
    engine = StandIn()
    search(engine), search(engine)
    assert len(engine.selects) == 2


def test_a_failed_select_is_not_kept():
    engine = StandIn(cache_seconds=1.0, timer=lambda: 100.0)
    engine.failing = True
    for _ in range(2):
        with pytest.raises(SearchError):
            search(engine)
    engine.failing = False
    assert search(engine).total == 1
    assert len(engine.selects) == 3


def test_concurrent_misses_of_one_select_wait_for_the_first_instead_of_all_asking_the_engine():
    engine = StandIn(cache_seconds=1.0, timer=lambda: 100.0)
    engine.gate = threading.Event()
    with ThreadPoolExecutor(8) as pool:
        answers = [pool.submit(search, engine) for _ in range(8)]
        while not engine.selects:
            threading.Event().wait(0.01)
        engine.gate.set()
        totals = [answer.result(timeout=5).total for answer in answers]
    assert totals == [1] * 8
    assert len(engine.selects) == 1


@pytest.mark.parametrize(("layout", "newest", "deadline"), [
    (SCHEMA, "-newest_order", "deadline_order"),
    ("2", "-received_on, -row_id", "deadline, row_id"),  # a node its indexer is still rebuilding after a deploy
])
def test_a_web_sorts_by_the_keys_of_the_live_generations_layout(layout, newest, deadline):
    engine = StandIn()
    engine.layout = layout
    search(engine)
    engine.search({"sort": "deadline"}, page=1, per_page=3, today=TODAY, registered_caller=False)
    assert [params["sort_keys"] for params in engine.selects] == [newest, deadline]
