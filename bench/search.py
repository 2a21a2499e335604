"""J2 free-word search benchmark (DESIGN §7): which index serves Japanese free words on PostgreSQL.

    .venv/bin/python bench/search.py --postings 1000000 --runs 5

Loads N demo postings (services/jobs/demo.py, realistic Japanese text) into a fresh PostgreSQL
database it creates and drops (`bench_search_<hex>` on the server of --server), through the jobs
service's own migrations, then measures the same battery of searches — the total count and the
first page of 30 newest, as GET /api/v1/jobs runs them (open postings, scope ≠ 4) — three ways:

- `scan_ilike` (raw baseline): no text index, `search_text ILIKE '%word%'` for every word;
- `scan_like`: no text index, our conditions with LIKE (what SQLite runs; LIKE is cheaper than ILIKE
  on multibyte text and search_text is already case-folded);
- `bigram_gin`: ours — jobs_bigrams(search_text) GIN index (migration 0006) + the LIKE check;
- `pg_trgm_gin`: a pg_trgm GIN index on search_text serving the same LIKE conditions
  (pg_trgm cannot use the index for a pattern shorter than 3 characters: 介護 and 事務 scan it whole).

With --sudachi-python (a Python that has sudachipy and sudachidict_core; the project does not
depend on them), bench/search_sudachi.py measures the morphological-analyser candidate on the first
20,000 postings: analysis throughput and the recall of a token index against the substring results.

Queries: 2-character words (介護, 事務), 3+ characters (看護師, フォークリフト), a word found nowhere,
1 character (寮), AND, OR, NOT — each without and with a prefecture filter (東京都). Every variant
must return the same totals as the baseline (checked; a mismatch aborts). Figures: p50/p95 of the
count, of the page and of both together per query, index build time and size; written to
bench/results/search-<date>.json. Not a test: nothing here asserts but the equal totals.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
from sqlalchemy import func, not_, or_, select, text  # noqa: E402

from kit.clock import FrozenClock  # noqa: E402
from kit.settings import Settings  # noqa: E402
from services.jobs import domain, search  # noqa: E402
from services.jobs.app import build_runtime  # noqa: E402
from services.jobs.demo import generate_postings  # noqa: E402
from services.jobs.models import posting_row, postings  # noqa: E402

JST = timezone(timedelta(hours=9), "JST")
TODAY = date(2026, 11, 27)
QUERIES = {
    "2char 介護": "介護",
    "2char 事務": "事務",
    "3char 看護師": "看護師",
    "7char フォークリフト": "フォークリフト",
    "no hit 量子コンピュータ": "量子コンピュータ",
    "1char 寮": "寮",
    "AND 介護 越谷": "介護 越谷",
    "OR 介護 OR 看護師": "介護 OR 看護師",
    "NOT 事務 -未経験": "事務 -未経験",
}
FILTERS = {"": {}, " +東京都": {"prefecture": ["13"]}}
COLUMNS = [c.name for c in postings.columns if c.name != "id"]


def load(url: str, count: int) -> float:
    """COPY `count` demo postings in; returns seconds (generation and posting_row included)."""
    now = datetime(2026, 11, 27, 0, 0, tzinfo=UTC)
    started = time.perf_counter()
    with (psycopg.connect(url) as connection, connection.cursor() as cursor,
          cursor.copy(f"COPY postings ({', '.join(COLUMNS)}) FROM STDIN") as copy):
        for payload in generate_postings(count, seed=0, start=TODAY):
            row = posting_row(payload, now=now)
            row["document"] = json.dumps(row["document"], ensure_ascii=False)
            copy.write_row([row[name] for name in COLUMNS])
    return time.perf_counter() - started


def baseline_conditions(criteria: dict) -> list:
    """The raw baseline: the same filters, the free word as ILIKE scans (no bigram index)."""
    query = domain.parse_free_word(criteria.get("q"))
    where = search.conditions({key: value for key, value in criteria.items() if key != "q"}, TODAY)
    like = lambda word: postings.c.search_text.ilike(search._like(word), escape="\\")  # noqa: E731
    where += [or_(*(like(word) for word in group)) for group in query.groups]
    if query.excluded:
        where.append(not_(like(query.excluded)))
    return where


def measure(connection, where: list, runs: int) -> dict:
    count_q = select(func.count()).select_from(postings).where(*where)
    page_q = (select(postings.c.job_number).where(*where)
              .order_by(postings.c.received_on.desc(), postings.c.id.desc()).limit(30))
    total = connection.scalar(count_q)  # warm-up, and the figure the variants must agree on
    first = connection.execute(page_q).scalars().all()
    counts, pages, both = [], [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        connection.scalar(count_q)
        t1 = time.perf_counter()
        connection.execute(page_q).all()
        t2 = time.perf_counter()
        counts.append((t1 - t0) * 1000)
        pages.append((t2 - t1) * 1000)
        both.append((t2 - t0) * 1000)
    return {"total": total, "first_page": first, "count": _stats(counts), "page": _stats(pages),
            "count_and_page": _stats(both)}


def _stats(values: list[float]) -> dict:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50_ms": round(statistics.median(ordered), 2), "p95_ms": round(p95, 2)}


def battery(engine, variant: str, runs: int) -> dict:
    results = {}
    with engine.connect() as connection:
        for name, q in QUERIES.items():
            for suffix, extra in FILTERS.items():
                criteria = {"q": q, **extra}
                where = (baseline_conditions(criteria) if variant == "scan_ilike"
                         else search.conditions(criteria, TODAY, bigram_index=variant == "bigram_gin"))
                if name == "2char 介護" and not suffix:
                    compiled = select(func.count()).select_from(postings).where(*where).compile(connection)
                    plan = connection.exec_driver_sql("EXPLAIN " + str(compiled), compiled.params).scalars().all()
                    print("   ", " / ".join(line.strip() for line in plan[:4]), flush=True)
                results[name + suffix] = measure(connection, where, runs)
                print(f"  {variant:12} {name + suffix:28} total {results[name + suffix]['total']:>8}  "
                      f"count+page p50 {results[name + suffix]['count_and_page']['p50_ms']:>9.1f} ms", flush=True)
    return results


def build(engine, ddl: str, name: str) -> dict:
    with engine.begin() as connection:
        t0 = time.perf_counter()
        connection.execute(text(ddl))
        seconds = time.perf_counter() - t0
    with engine.begin() as connection:
        connection.execute(text("ANALYZE postings"))
        size = connection.scalar(text("SELECT pg_relation_size(:name)"), {"name": name})
    return {"build_s": round(seconds, 1), "size_mb": round(size / 2**20, 1)}


def drop(engine, name: str) -> None:
    with engine.begin() as connection:
        connection.execute(text(f"DROP INDEX IF EXISTS {name}"))


def sudachi(python: str | None, count: int) -> dict:
    """The analyser candidate, from its own interpreter (bench/search_sudachi.py)."""
    if not python:
        return {"measured": False, "why": "no --sudachi-python given"}
    words = list(dict.fromkeys(word for q in QUERIES.values() for group in domain.parse_free_word(q).groups
                               for word in group))
    with tempfile.TemporaryDirectory() as folder:
        texts, listed = Path(folder, "texts.jsonl"), Path(folder, "words.json")
        with texts.open("w", encoding="utf-8") as out:
            for payload in generate_postings(count, seed=0, start=TODAY):
                out.write(json.dumps(f"{payload['title']}\n{payload['description']}", ensure_ascii=False) + "\n")
        listed.write_text(json.dumps(words, ensure_ascii=False), encoding="utf-8")
        done = subprocess.run([python, str(ROOT / "bench" / "search_sudachi.py"), str(texts), str(listed)],
                              capture_output=True, text=True, check=True)
    return {"measured": True, **json.loads(done.stdout)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postings", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--sudachi-python", help="a Python with sudachipy + sudachidict_core")
    parser.add_argument("--sudachi-postings", type=int, default=20_000)
    parser.add_argument("--variants", default="scan_ilike,scan_like,bigram_gin,pg_trgm_gin")
    args = parser.parse_args()
    name = f"bench_search_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(args.server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = urlsplit(args.server)._replace(path=f"/{name}").geturl()
    runtime = build_runtime(Settings.from_env("jobs", {}, database_url=url),
                            clock=FrozenClock("2026-11-27T00:00:00+00:00"))
    report: dict = {"benchmark": "search", "when": datetime.now(UTC).isoformat(), "postings": args.postings,
                    "runs": args.runs, "today": TODAY.isoformat(), "database": "postgresql 15, same host, 2 cores",
                    "variants": {}}
    try:
        runtime.migrate()
        drop(runtime.engine, "ix_postings_search_bigrams")
        report["load_s"] = round(load(url, args.postings), 1)
        with runtime.engine.begin() as connection:
            connection.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute("VACUUM ANALYZE postings")
            report["table_mb"] = round(connection.execute(
                "SELECT pg_total_relation_size('postings')").fetchone()[0] / 2**20, 1)
        print(f"loaded {args.postings} postings in {report['load_s']} s", flush=True)
        indexes = {
            "scan_ilike": None,
            "scan_like": None,
            "bigram_gin": ("CREATE INDEX ix_postings_search_bigrams ON postings USING gin (jobs_bigrams(search_text))",
                           "ix_postings_search_bigrams"),
            "pg_trgm_gin": ("CREATE INDEX ix_bench_trgm ON postings USING gin (search_text gin_trgm_ops)",
                            "ix_bench_trgm"),
        }
        for variant in args.variants.split(","):
            entry: dict = {}
            if indexes[variant] is not None:
                ddl, index = indexes[variant]
                entry["index"] = build(runtime.engine, ddl, index)
                print(f"{variant}: index built in {entry['index']['build_s']} s, {entry['index']['size_mb']} MB",
                      flush=True)
            entry["queries"] = battery(runtime.engine, variant, args.runs)
            if indexes[variant] is not None:
                drop(runtime.engine, indexes[variant][1])
            report["variants"][variant] = entry
        baseline = report["variants"].get("scan_ilike", {}).get("queries", {})
        for variant, entry in report["variants"].items():
            for query, figures in entry["queries"].items():
                if query in baseline and (figures["total"], figures["first_page"]) != (
                        baseline[query]["total"], baseline[query]["first_page"]):
                    raise SystemExit(f"{variant} disagrees with the scan on {query!r}")
        for entry in report["variants"].values():
            for figures in entry["queries"].values():
                figures.pop("first_page")
        report["sudachi"] = sudachi(args.sudachi_python, min(args.sudachi_postings, args.postings))
        print("sudachi:", json.dumps(report["sudachi"], ensure_ascii=False), flush=True)
    finally:
        runtime.dispose()
        with psycopg.connect(args.server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    out = ROOT / "bench" / "results" / f"search-{datetime.now(UTC).date().isoformat()}.json"
    if args.postings < 100_000:
        out = out.with_name(out.stem + f"-{args.postings}.json")
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
