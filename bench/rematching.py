"""J6 re-matching benchmark: a seeker's changed desired conditions against 100,000 postings on PostgreSQL.

    .venv/bin/python bench/rematching.py --postings 100000 --runs 7

Creates and drops its own database (`bench_rematching_<hex>` on the server of --server), migrates it with
the jobs service's own migrations and loads N postings (received over the last 60 days, so about an
eighth within J2's 新着 week; places weighted by population, any 細分類, four employment types, monthly
or hourly wages) through the service's own `posting_row`. Three seekers change their conditions: a
broad one (all 埼玉県, nothing else: hundreds of the week's postings fit, 30 are taken), a typical one
(越谷市, 正社員, ≥ 200,000 a month: a few) and a rare one (611-01 in 那覇市, part-time, hourly: none).

For each it measures p50/p95 of
- `raw_query`: the baseline — the very SQL of the week's new postings (rematching.new_postings_query,
  compiled with its values) through psycopg;
- `ours_query`: the same statement through SQLAlchemy, as the handler runs it;
- `ours_rematch`: the whole use case, rematching.rematch_seeker + commit: the two UPDATEs of the seeker's
  earlier matches, the query, one batch INSERT into `matches` and one `jobs.posting.matched.v1` each
  (then cleaned up). Every variant must find the same postings (checked). Figures to
  bench/results/rematching-<date>.json. Not a test: nothing is asserted but the equal results.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
from sqlalchemy import delete, insert  # noqa: E402

from bench.matching import percentiles, scratch_database  # noqa: E402
from kit import codes  # noqa: E402
from kit.clock import FrozenClock  # noqa: E402
from kit.events import Event  # noqa: E402
from kit.settings import Settings  # noqa: E402
from services.jobs.app import build_runtime  # noqa: E402
from services.jobs.commands import rematching  # noqa: E402
from services.jobs.handlers import SUBSCRIPTIONS  # noqa: E402
from services.jobs.models import matches, posting_row, postings  # noqa: E402

NOW = "2026-11-27T00:00:00+00:00"  # 9:00 in Japan, 2026-11-27
TODAY = date(2026, 11, 27)
PREFECTURE_WEIGHTS = {"13": 14, "14": 9, "27": 9, "23": 7, "11": 7, "12": 6, "01": 5, "40": 5, "28": 5, "26": 2}
EMPLOYMENT = ["正社員", "正社員以外", "パート労働者", "有期雇用派遣労働者"]
NOTHING = {"occupations": [], "employment_types": [], "prefectures": [], "municipalities": [], "wage_min": None,
           "wage_type": "monthly", "hours": None, "days_per_week": None}
SEEKERS = {
    "broad: all 埼玉県": {"prefectures": ["埼玉県"]},
    "typical: 越谷市 正社員 ≥ 200,000": {"employment_types": ["正社員"], "prefectures": ["埼玉県"],
                                      "municipalities": ["越谷市"], "wage_min": 200000},
    "rare: 611-01 那覇市 パート hourly ≥ 1,000": {"occupations": ["611-01"], "employment_types": ["パート労働者"],
                                            "prefectures": ["沖縄県"], "municipalities": ["那覇市"],
                                            "wage_min": 1000, "wage_type": "hourly"},
}


def _posting(draw: random.Random, serial: int, detailed: list[str], places: list, weights: list[int]) -> dict:
    municipality = draw.choices(places, weights)[0]
    employment = draw.choice(EMPLOYMENT)
    hourly = employment == "パート労働者"
    low = draw.randrange(900, 1500, 10) if hourly else draw.randrange(160000, 400000, 1000)
    received = TODAY - timedelta(days=draw.randrange(60))
    return {"job_number": f"11040-{serial:08d}", "establishment": {"number": "1104-123456-7", "name": "株式会社"},
            "title": "求人", "occupation_code": draw.choice(detailed), "description": "業務",
            "category": "一般", "full_time": not hourly, "employment_type": employment,
            "location": {"prefecture": municipality.prefecture_name, "municipality": municipality.name},
            "wage": {"type": "hourly" if hourly else "monthly", "min": low, "max": None},
            "publication_scope": draw.choice([1, 1, 1, 2, 3, 4]), "online_application": True,
            "received_on": received.isoformat(), "deadline": (received + timedelta(days=90)).isoformat()}


def load(runtime, count: int) -> float:
    """`count` postings through posting_row, in batches; seconds taken."""
    draw = random.Random(13)
    detailed = sorted(code for code, o in codes.occupations().items() if o.level == "detailed")
    places = list(codes.all_municipalities().values())
    weights = [PREFECTURE_WEIGHTS.get(m.code[:2], 1) for m in places]
    started = time.perf_counter()
    now = runtime.clock.now()
    for first in range(0, count, 5000):
        rows = [posting_row(_posting(draw, serial, detailed, places, weights), now=now)
                for serial in range(first, min(count, first + 5000))]
        with runtime.engine.begin() as connection:
            connection.execute(insert(postings), rows)
    return time.perf_counter() - started


def _conditions(runtime, seeker_id: str, wanted: dict, at: datetime) -> None:
    event = Event(type="profile.desired_conditions.changed.v1", source="/bench", subject=seeker_id,
                  data={"seeker_id": seeker_id, "desired": NOTHING | wanted}, time=at)
    with runtime.uow() as uow:
        SUBSCRIPTIONS[event.type](event, uow)
        uow.commit()


def measure(runtime, url: str, runs: int) -> dict:
    results: dict = {}
    for label, wanted in SEEKERS.items():
        seeker_id = str(uuid.uuid4())
        validated = Event(type="profile.registration.validated.v1", source="/bench", subject=seeker_id,
                          data={"seeker_id": seeker_id, "seeker_number": "11040-12345678", "kind": "registered",
                                "applied_on": "2026-11-02", "valid_until": "2027-01-31", "reason": "registered"})
        with runtime.uow() as uow:
            SUBSCRIPTIONS[validated.type](validated, uow)
            uow.commit()
        _conditions(runtime, seeker_id, {"occupations": ["000-00"]}, runtime.clock.now())  # kept before the change
        _conditions(runtime, seeker_id, wanted, runtime.clock.now())  # the change, matched once (then cleaned)
        with runtime.engine.begin() as connection:
            connection.execute(delete(matches))
            connection.execute(delete(runtime.outbox))
        statement = rematching.new_postings_query(seeker_id, TODAY)
        with runtime.engine.connect() as connection:
            sql = str(statement.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
        entry: dict = {}
        found: dict[str, list[str]] = {}
        samples = []
        with psycopg.connect(url) as connection:
            for _ in range(runs + 1):
                started = time.perf_counter()
                found["raw_query"] = [row[0] for row in connection.execute(sql).fetchall()]
                samples.append(time.perf_counter() - started)
        entry["raw_query"] = percentiles(samples[1:])  # the first run warms the cache
        samples = []
        for _ in range(runs + 1):
            with runtime.uow() as uow:
                started = time.perf_counter()
                found["ours_query"] = list(uow.session.scalars(statement))
                samples.append(time.perf_counter() - started)
        entry["ours_query"] = percentiles(samples[1:])
        samples = []
        for _ in range(runs + 1):
            with runtime.uow() as uow:
                started = time.perf_counter()
                found["ours_rematch"] = rematching.rematch_seeker(uow, seeker_id)
                uow.commit()
                samples.append(time.perf_counter() - started)
            with runtime.engine.begin() as connection:  # the next run starts from no match again
                connection.execute(delete(matches))
                connection.execute(delete(runtime.outbox))
        entry["ours_rematch"] = percentiles(samples[1:])
        if len({tuple(numbers) for numbers in found.values()}) != 1:
            raise SystemExit(f"the variants disagree on {label!r}: " + str({k: len(v) for k, v in found.items()}))
        entry["matched"] = len(found["raw_query"])
        results[label] = entry
        print(label, json.dumps(entry, ensure_ascii=False), flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postings", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    report: dict = {"benchmark": "rematching", "when": datetime.now(UTC).isoformat(), "postings": args.postings,
                    "runs": args.runs, "database": "postgresql 15, same host, 2 cores shared"}
    with scratch_database(args.server, "bench_rematching") as url:
        runtime = build_runtime(Settings.from_env("jobs", {}, database_url=url), clock=FrozenClock(NOW))
        try:
            runtime.migrate()
            report["load_s"] = round(load(runtime, args.postings), 1)
            with psycopg.connect(url, autocommit=True) as connection:
                connection.execute("VACUUM ANALYZE")
                report["postings_of_the_week"] = connection.execute(
                    "SELECT count(*) FROM postings WHERE received_on >= %s", (TODAY - timedelta(days=7),)).fetchone()[0]
            print(f"loaded {args.postings} postings in {report['load_s']} s", flush=True)
            report["seekers"] = measure(runtime, url, args.runs)
        finally:
            runtime.dispose()
    out = ROOT / "bench" / "results" / f"rematching-{datetime.now(UTC).date().isoformat()}.json"
    if args.postings < 100_000:
        out = out.with_name(out.stem + f"-{args.postings}.json")
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    print(f"wrote {out.relative_to(ROOT)}")

if __name__ == "__main__":
    main()
