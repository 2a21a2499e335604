"""J2 free word on PostgreSQL: the bigram GIN index path (migration 0006) finds exactly what a scan of
the same normalised text finds — for a few hundred generated postings and generated queries (AND, OR,
NOT, 1- to 5-character words, ひらがな spellings, LIKE and tsquery special characters) — and the
migration fills the new columns of postings loaded before it."""

from __future__ import annotations

import copy
import random
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import column, insert, select, table, text

from kit.clock import FrozenClock
from kit.settings import Settings
from kit.testing.services import migrated_runtime
from services.jobs import domain, search
from services.jobs.app import build_runtime
from services.jobs.demo import generate_postings
from services.jobs.models import posting_row, postings

pytestmark = pytest.mark.integration

TODAY = date(2026, 11, 26)
CLOCK = "2026-11-26T01:00:00+00:00"
# Texts the demo generator does not write: kana spellings, dashes, LIKE and tsquery specials.
CRAFTED = ["ぱーと・あるばいと歓迎", "ﾊﾟｰﾄ募集", "パ－トさん", "it's 50% off", "a_b\\c: (x) & y! <z>", "寮",
           "介護", "ＤＸ推進 ｄｘ", "夜勤なし。日勤のみ"]


@pytest.fixture
def runtime(database_url):
    with migrated_runtime(build_runtime, "jobs", FrozenClock(CLOCK), database_url) as runtime:
        yield runtime


@pytest.fixture
def texts(runtime) -> dict[str, str]:
    """300 demo postings and the crafted ones, open and online; job number → search_text."""
    now = runtime.clock.now()
    rows = []
    for payload in generate_postings(300, seed=7, start=TODAY):
        rows.append(posting_row(payload | {"publication_scope": 1, "deadline": "2027-01-31"}, now=now))
    template = rows[0]
    for i, description in enumerate(CRAFTED):
        payload_row = posting_row(_payload(f"99999-{i:08d}", description), now=now)
        rows.append(payload_row | {k: template[k] for k in ("received_on", "deadline")})
    with runtime.engine.begin() as connection:
        connection.execute(insert(postings), rows)
        connection.execute(text("ANALYZE postings"))
    return {row["job_number"]: row["search_text"] for row in rows}


def _payload(number: str, description: str) -> dict:
    return {"job_number": number, "establishment": {"number": "1104-123456-7", "name": "株式会社越谷ケア"},
            "title": "スタッフ", "occupation_code": "361-01", "description": description, "category": "一般",
            "full_time": True, "employment_type": "正社員",
            "location": {"prefecture": "埼玉県", "municipality": "越谷市", "station": "越谷駅"},
            "wage": {"type": "monthly", "min": 200000}, "publication_scope": 1, "online_application": False,
            "received_on": "2026-11-20", "deadline": "2027-01-31"}


def _hiragana(word: str) -> str:
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in word)


def _vocabulary(texts: dict[str, str]) -> list[str]:
    """Words a seeker might type: pieces of 1 to 5 characters of the texts (some in ひらがな), and
    a few found nowhere."""
    rng = random.Random(11)
    words = set()
    documents = sorted(texts.values())
    for _ in range(400):
        document = rng.choice(documents).replace("\n", " ")
        size = rng.choice((1, 2, 2, 2, 3, 4, 5))
        start = rng.randrange(max(1, len(document) - size))
        piece = document[start:start + size]
        if piece.strip() == piece and " " not in piece and "|" not in piece and not piece.startswith("-"):
            words.add(piece if rng.random() < 0.8 else _hiragana(piece))
    words -= {"OR", "NOT"}
    return sorted(words | {"量子", "ぱーと", "ﾊﾟｰﾄ", "50%", "a_b", "it's", "\\c", "&", "(x)", "寮", "介護", "事務"})


def _found(runtime, q: str, *, bigram_index: bool) -> set[str]:
    """The postings the free word finds; with `bigram_index`, through the GIN index (proved by the
    plan: with sequential and plain index scans off, a bitmap scan of it is the only way left)."""
    where = search.free_word_conditions(domain.parse_free_word(q), bigram_index=bigram_index)
    query = select(postings.c.job_number).where(*where)
    with runtime.engine.connect() as connection:
        if bigram_index:
            connection.execute(text("SET enable_seqscan = off"))
            connection.execute(text("SET enable_indexscan = off"))
            compiled = query.compile(connection)
            plan = "\n".join(connection.exec_driver_sql("EXPLAIN " + str(compiled), compiled.params).scalars())
            assert "Bitmap Index Scan on ix_postings_search_bigrams" in plan, plan
        return set(connection.execute(query).scalars())


@st.composite
def _queries(draw, vocabulary: list[str]) -> str:
    groups = []
    for _ in range(draw(st.integers(1, 3))):
        words = draw(st.lists(st.sampled_from(vocabulary), min_size=1, max_size=3))
        groups.append(draw(st.sampled_from([" OR ", "|", " ｜ "])).join(words))
    if draw(st.booleans()):
        excluded = draw(st.sampled_from(vocabulary))
        groups.insert(draw(st.integers(0, len(groups))), draw(st.sampled_from(["-", "－", "NOT "])) + excluded)
    return draw(st.sampled_from([" ", "　"])).join(groups)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_j2_the_bigram_index_finds_exactly_what_the_scan_finds(runtime, texts, data):
    vocabulary = _vocabulary(texts)
    q = data.draw(_queries(vocabulary))
    query = domain.parse_free_word(q)
    expected = {number for number, document in texts.items() if query.matches(document)}
    assert _found(runtime, q, bigram_index=True) == expected, q
    assert _found(runtime, q, bigram_index=False) == expected, q


@pytest.mark.parametrize(("q", "at_least"), [("介護", 2), ("事務", 1), ("ぱーと", 3), ("寮", 1), ("介護 -夜勤", 2),
                                             ("it's", 1), ("50%", 1), ("a_b\\c:", 1)])
def test_j2_the_search_agrees_with_the_scan(runtime, texts, q, at_least):
    expected = {number for number, document in texts.items() if domain.parse_free_word(q).matches(document)}
    assert len(expected) >= at_least
    assert _found(runtime, q, bigram_index=True) == expected == _found(runtime, q, bigram_index=False)
    with runtime.uow() as uow:
        page = search.search(uow.session, {"q": q}, page=1, per_page=10, today=TODAY, registered_caller=False)
    assert page["total"] == len(expected)
    assert {item["job_number"] for item in page["items"]} <= expected


def test_migration_0006_folds_kana_and_reads_hours_of_postings_loaded_before_it(database_url):
    from kit.migrations import upgrade
    from services.jobs.app import MIGRATIONS

    runtime = build_runtime(Settings.from_env("jobs", {}, database_url=database_url), clock=FrozenClock(CLOCK))
    try:
        upgrade(runtime.engine, MIGRATIONS, "0005")
        row = posting_row(copy.deepcopy(_payload("11040-00000001", "ぱーと募集")) | {"hours": "8時30分～17時"},
                          now=runtime.clock.now())
        new = {"hours_start", "hours_end"}
        row = {key: value for key, value in row.items() if key not in new} | {"search_text": "ぱーと募集 (old)"}
        before = table("postings", *[column(c.name, c.type) for c in postings.columns if c.name not in new])
        with runtime.engine.begin() as connection:
            connection.execute(insert(before), [row])
        runtime.migrate()
        with runtime.engine.connect() as connection:
            migrated = connection.execute(select(postings.c.search_text, postings.c.hours_start,
                                                 postings.c.hours_end)).one()
        assert tuple(migrated) == ("スタッフ\nパート募集", 510, 1020)
        with runtime.uow() as uow:
            found = search.search(uow.session, {"q": "パート"}, page=1, per_page=10, today=TODAY,
                                  registered_caller=False)
        assert found["total"] == 1
    finally:
        runtime.dispose()


def test_the_models_match_the_migrations_on_postgresql_too(runtime):
    """The bigram index and its function exist only on PostgreSQL (SQLite cannot compare them)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with runtime.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), runtime.metadata) == []
        assert connection.scalar(text("SELECT jobs_bigrams('介護士')::text")) == "'介護' '士' '護士'"
