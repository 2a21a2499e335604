"""J6 matching benchmark: one new posting against 100,000 seekers' desired conditions on PostgreSQL.

    .venv/bin/python bench/matching.py --seekers 100000 --runs 7

Creates and drops its own database (`bench_matching_<hex>` on the server of --server), migrates it with
the jobs service's own migrations, and loads N seekers (COPY): their `seeker_status` (85% valid, the
rest invalid, 利用不可 or withdrawn) and their desired conditions normalised by the service's own
`desired.normalise_desired` into `desired_conditions` + `desired_condition_terms`. The conditions are
drawn like real ones: 0–3 occupations (細分類, 小分類 or 中分類 codes, or none), 0–2 employment types,
a prefecture weighted by population with or without 1–3 of its municipalities (or no place), a wage
floor or none — and one seeker in ten named only a monthly wage floor, so a well-paid posting meets
very many of them (the flood case).

For each posting (a typical one, a well-paid one matching very many, a rare one) it measures p50/p95:
- `raw_query`: the baseline — the very SQL of the match (compiled with its values) through psycopg;
- `raw_query_no_index`: the same without ix_desired_condition_terms_lookup (the primary key only);
- `ours_query`: matching.matching_seekers_query through SQLAlchemy, as the handler runs it;
- `ours_match`: the whole handler, matching.match_posting + commit: the query, one batch INSERT into
  `matches` and one `jobs.posting.matched.v1` per match written to the outbox (then cleaned up).
Every variant must find the same seekers (checked). Figures to bench/results/matching-<date>.json.
Not a test: nothing is asserted but the equal results.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
from sqlalchemy import delete, insert  # noqa: E402

from kit import codes  # noqa: E402
from kit.clock import FrozenClock  # noqa: E402
from kit.settings import Settings  # noqa: E402
from services.jobs import desired, search  # noqa: E402
from services.jobs.app import build_runtime  # noqa: E402
from services.jobs.commands import matching  # noqa: E402
from services.jobs.domain import EMPLOYMENT_TYPES  # noqa: E402
from services.jobs.models import matches, posting_row, postings  # noqa: E402

NOW = "2026-11-27T00:00:00+00:00"
# prefecture weights, roughly by population (the rest share what is left)
PREFECTURE_WEIGHTS = {"13": 14, "14": 9, "27": 9, "23": 7, "11": 7, "12": 6, "01": 5, "40": 5, "28": 5, "26": 2}
BASE = {
    "establishment": {"number": "1104-123456-7", "name": "株式会社越谷ケア"}, "description": "介護業務",
    "category": "一般", "full_time": True, "publication_scope": 1, "online_application": True,
    "received_on": "2026-11-20", "deadline": "2027-01-31",
}
POSTINGS = {
    "typical 361-01 越谷市 正社員 monthly 220,000": {
        "job_number": "11040-90000001", "title": "介護職員", "occupation_code": "361-01", "employment_type": "正社員",
        "location": {"prefecture": "埼玉県", "municipality": "越谷市"},
        "wage": {"type": "monthly", "min": 220000, "max": 260000}},
    "well paid 104-04 千代田区 正社員 monthly 320,000 (flood)": {
        "job_number": "11040-90000002", "title": "プログラマー", "occupation_code": "104-04",
        "employment_type": "正社員", "location": {"prefecture": "東京都", "municipality": "千代田区"},
        "wage": {"type": "monthly", "min": 320000, "max": 450000}},
    "rare 611-01 那覇市 パート hourly 1,000": {
        "job_number": "11040-90000003", "title": "金属材料検査工", "occupation_code": "611-01",
        "employment_type": "パート労働者", "location": {"prefecture": "沖縄県", "municipality": "那覇市"},
        "wage": {"type": "hourly", "min": 1000, "max": 1200}},
}


@contextmanager
def scratch_database(server: str, prefix: str) -> Iterator[str]:
    """A new database `<prefix>_<hex>` on `server` for one run (its URL), dropped afterwards whatever happens."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlsplit(server)._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50_ms": round(statistics.median(ordered) * 1000, 2), "p95_ms": round(p95 * 1000, 2)}


def _desired(draw: random.Random, detailed: list[str], prefectures: list[str], weights: list[int]) -> dict:
    if draw.random() < 0.1:  # only a wage floor: every well-paid monthly posting anywhere
        return {"occupations": [], "employment_types": [], "prefectures": [], "municipalities": [],
                "wage_min": draw.choice([200000, 250000, 300000]), "wage_type": "monthly"}
    occupations = []
    for code in draw.sample(detailed, draw.choice([0, 1, 1, 2, 3])):
        occupations.append(draw.choice([code, code, code[:3], code[:2]]))
    places, municipalities = [], []
    if draw.random() < 0.85:
        prefecture = draw.choices(prefectures, weights)[0]
        places = [codes.prefecture_name(prefecture)]
        if draw.random() < 0.6:
            names = list(codes.municipalities(prefecture).values())
            municipalities = draw.sample(names, min(len(names), draw.choice([1, 2, 3])))
    hourly = draw.random() < 0.15
    wage = None if draw.random() < 0.4 else (draw.randrange(950, 1500, 50) if hourly
                                               else draw.randrange(150000, 320000, 10000))
    return {"occupations": occupations,
            "employment_types": draw.sample(EMPLOYMENT_TYPES, draw.choice([0, 0, 1, 2])),
            "prefectures": places, "municipalities": municipalities,
            "wage_min": wage, "wage_type": "hourly" if hourly else "monthly"}


def load(url: str, count: int) -> float:
    """COPY `count` seekers' projection rows and normalised desired conditions; seconds taken."""
    draw = random.Random(6)
    detailed = sorted(code for code, o in codes.occupations().items() if o.level == "detailed")
    prefectures = list(codes.prefectures())
    weights = [PREFECTURE_WEIGHTS.get(code, 1) for code in prefectures]
    started = time.perf_counter()
    status_rows, condition_rows, term_rows = [], [], []
    for _ in range(count):
        seeker_id = str(uuid.UUID(int=draw.getrandbits(128)))
        state = draw.random()  # 85% open; invalid, 利用不可, withdrawn 5% each
        status_rows.append((seeker_id, "invalid" if 0.85 <= state < 0.9 else "valid", NOW, "registered", NOW,
                            not 0.9 <= state < 0.95, state >= 0.95, NOW))
        wanted = _desired(draw, detailed, prefectures, weights)
        terms = desired.normalise_desired(wanted)
        condition_rows.append((seeker_id, terms.wage_type, terms.wage_min, json.dumps(wanted, ensure_ascii=False),
                               NOW, NOW))
        term_rows += [(seeker_id, kind, value) for kind, value in terms.terms]
    with psycopg.connect(url) as connection, connection.cursor() as cursor:  # one COPY at a time per connection
        for statement, rows in (
                ("COPY seeker_status (seeker_id, registration, registration_at, kind, kind_at, usable, withdrawn, "
                 "updated_at) FROM STDIN", status_rows),
                ("COPY desired_conditions (seeker_id, wage_type, wage_min, desired, changed_at, updated_at) "
                 "FROM STDIN", condition_rows),
                ("COPY desired_condition_terms (seeker_id, kind, value) FROM STDIN", term_rows)):
            with cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row(row)
        connection.commit()
    return time.perf_counter() - started


def _raw(url: str, sql: str, runs: int) -> tuple[set[str], dict[str, float]]:
    """The baseline: the match's SQL text through psycopg; (the seekers found, p50/p95)."""
    samples = []
    with psycopg.connect(url) as connection:
        for _ in range(runs + 1):
            started = time.perf_counter()
            ids = {row[0] for row in connection.execute(sql).fetchall()}
            samples.append(time.perf_counter() - started)
    return ids, percentiles(samples[1:])  # the first run warms the cache


def measure(runtime, url: str, runs: int) -> dict:
    results: dict = {}
    for label, posting in POSTINGS.items():
        with runtime.uow() as uow:
            row = search.find(uow.session, posting["job_number"])
            statement = matching.matching_seekers_query(row, job_number=posting["job_number"])
            sql = str(statement.compile(dialect=uow.session.get_bind().dialect,
                                        compile_kwargs={"literal_binds": True}))
        entry: dict = {}
        found: dict[str, set[str]] = {}
        found["raw_query"], entry["raw_query"] = _raw(url, sql, runs)
        samples = []
        for _ in range(runs + 1):
            with runtime.uow() as uow:
                started = time.perf_counter()
                ids = set(uow.session.scalars(statement))
                samples.append(time.perf_counter() - started)
        found["ours_query"] = ids
        entry["ours_query"] = percentiles(samples[1:])
        samples = []
        for _ in range(runs + 1):
            with runtime.uow() as uow:
                started = time.perf_counter()
                ids = set(matching.match_posting(uow, posting["job_number"]))
                uow.commit()
                samples.append(time.perf_counter() - started)
            with runtime.engine.begin() as connection:  # the next run starts from no match again
                connection.execute(delete(matches))
                connection.execute(delete(runtime.outbox))
        found["ours_match"] = ids
        entry["ours_match"] = percentiles(samples[1:])
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute("DROP INDEX ix_desired_condition_terms_lookup")
        found["raw_query_no_index"], entry["raw_query_no_index"] = _raw(url, sql, runs)
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute("CREATE INDEX ix_desired_condition_terms_lookup ON desired_condition_terms "
                               "(kind, value, seeker_id)")
            connection.execute("ANALYZE desired_condition_terms")
        if len({frozenset(ids) for ids in found.values()}) != 1:
            raise SystemExit(f"the variants disagree on {label!r}: " + str({k: len(v) for k, v in found.items()}))
        entry["matches"] = len(found["raw_query"])
        results[label] = entry
        print(label, json.dumps(entry, ensure_ascii=False), flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seekers", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    report: dict = {"benchmark": "matching", "when": datetime.now(UTC).isoformat(), "seekers": args.seekers,
                    "runs": args.runs, "database": "postgresql 15, same host, 2 cores shared"}
    with scratch_database(args.server, "bench_matching") as url:
        runtime = build_runtime(Settings.from_env("jobs", {}, database_url=url), clock=FrozenClock(NOW))
        try:
            _run(runtime, url, args, report)
        finally:
            runtime.dispose()
    out = ROOT / "bench" / "results" / f"matching-{datetime.now(UTC).date().isoformat()}.json"
    if args.seekers < 100_000:
        out = out.with_name(out.stem + f"-{args.seekers}.json")
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    print(f"wrote {out.relative_to(ROOT)}")


def _run(runtime, url: str, args, report: dict) -> None:
    """Migrate, load the seekers and the three postings, measure each, and read the typical plan into `report`."""
    runtime.migrate()
    report["load_s"] = round(load(url, args.seekers), 1)
    with runtime.engine.begin() as connection:
        connection.execute(insert(postings), [posting_row(BASE | posting, now=runtime.clock.now())
                                              for posting in POSTINGS.values()])
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")
        report["terms_rows"] = connection.execute("SELECT count(*) FROM desired_condition_terms").fetchone()[0]
        report["terms_mb"] = round(connection.execute(
            "SELECT pg_total_relation_size('desired_condition_terms')").fetchone()[0] / 2**20, 1)
        report["valid_seekers"] = connection.execute(
            "SELECT count(*) FROM seeker_status WHERE registration = 'valid' AND usable AND NOT withdrawn"
        ).fetchone()[0]
    print(f"loaded {args.seekers} seekers in {report['load_s']} s ({report['terms_rows']} terms)", flush=True)
    report["postings"] = measure(runtime, url, args.runs)
    with runtime.engine.connect() as connection:
        plan_of = POSTINGS[next(iter(POSTINGS))]["job_number"]
        row = search.find(connection, plan_of)
        statement = matching.matching_seekers_query(row, job_number=plan_of)
        sql = str(statement.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
        report["plan_typical"] = [r[0] for r in connection.exec_driver_sql("EXPLAIN " + sql)]


if __name__ == "__main__":
    main()
