"""J2 search at national scale (DESIGN §9, issue 8): GET /api/v1/jobs through the gateway, beside raw Groonga
and the old PostgreSQL bigram path, in one run.

    .venv/bin/python bench/search.py --postings 1260000 [--clients 1,8] [--queries FILE] [--json OUT]

Starts what it needs and stops it after: a fresh database `bench_search_<hex>` on --server (dropped at the
end), a private Groonga server (kit.testing.servers.PrivateGroonga, query cache off), and as separate
processes the jobs service (`python -m services.jobs migrate`, `load-demo --postings N`, `web --workers 2`,
`relay`, `indexer`) and the gateway (`python -m gateway --distributed`; the other services' URLs point at
a closed port: GET /api/v1/jobs needs none of them). Events go through the machine's RabbitMQ on a
private exchange `bench-<hex>.events`, whose queues and exchanges are deleted at the end.

Measured, for each --clients count (threads, one keep-alive HTTP connection each):
- every query of the battery (or of --queries FILE: one URL query string a line, `q=介護&prefecture=13`),
  without and with `facets=prefecture,employment_type,occupation_group,category`: p50/p99 through the
  gateway, with its exact total;
- the jobs web alone (no gateway) for the same query, to tell the gateway's share from the service's;
- the same `select` the service sends to Groonga (captured from services.jobs.search_engine), sent
  straight to Groonga: the limit;
- sustained searches/s: every thread cycling through the battery (with and without facets) for
  --duration seconds.
Then, once:
- the old way on PostgreSQL: jobs_bigrams (git show e25cd9f:services/jobs/models.py) over the free-word
  and establishment text in a GIN index built here, narrowing search.conditions' exact LIKE conditions;
  count + the first page of 30 newest. Its totals and first pages are the truth the service must equal
  (a mismatch is printed loudly, recorded, and makes the exit status 1);
- freshness: --changes postings changed (PATCH, an existing one) or published (POST, a new one) through
  the gateway with an employer token, each given a unique word; the delay until a search through the
  gateway finds it (outbox → relay → RabbitMQ → indexer → Groonga).

A database kept by an earlier run (--keep-database, then --database NAME) skips the load; with --search-url
a Groonga server already indexed from it (`python -m services.jobs reindex`) skips the reindex too.

Figures go to bench/results/search-<date>.json (a `-<N>` suffix below 100,000 postings) and, with
--json, to OUT: a list with one object per client count, each {"postings", "clients", "searches_per_s",
"freshness_p99_ms", "queries": [{"query", "total", "postgres_total", "p50_ms", "p99_ms",
"raw_groonga_p50_ms", …}]}. Not a test: nothing is asserted but the equal totals.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import math
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
from sqlalchemy import cast, func, select, text  # noqa: E402
from sqlalchemy.dialects.postgresql import TSQUERY  # noqa: E402

from kit import topology  # noqa: E402
from kit.clock import SystemClock  # noqa: E402
from kit.db import make_engine  # noqa: E402
from kit.fields import Several  # noqa: E402
from kit.settings import SERVICES  # noqa: E402
from kit.testing.servers import PrivateGroonga, free_port  # noqa: E402
from kit.testing.tokens import TestSigner  # noqa: E402
from kit.tokens import EMPLOYER, EVERY_ESTABLISHMENT  # noqa: E402
from services.jobs import domain, search  # noqa: E402
from services.jobs.demo import generate_postings  # noqa: E402
from services.jobs.models import postings  # noqa: E402
from services.jobs.schemas import JobQuerySchema  # noqa: E402
from services.jobs.search_engine import FACETS, LOAD_TIMEOUT, SearchEngine  # noqa: E402

PYTHON = sys.executable
AMQP_URL = "amqp://guest:guest@127.0.0.1:5672/"
FACETS_PARAM = ",".join(FACETS)
BATTERY = [f"q={words}{place}" for words in ("介護", "事務", "看護師", "フォークリフト", "量子コンピュータ", "寮",
                                                "介護 越谷", "介護 OR 看護師", "事務 -未経験")
           for place in ("", "&prefecture=13")]
SEARCH_NODE = "bench"
# urllib3 2 sends a request under the *connect* timeout: search_engine.LOAD_TIMEOUT's 1 s fails a load whose
# body (5,000 postings, ~4 MB) outgrows the socket buffers while Groonga reads it for over a second
# (seen at 20,000 postings on the shared machine). Used only after the real `reindex` failed, and reported.
WIDE_SEND_TIMEOUT = """
import sys, urllib3
from services.jobs import operations, search_engine
search_engine.LOAD_TIMEOUT = urllib3.Timeout(connect=60.0, read=60.0)
sys.exit(operations.run(["reindex"]))
"""
START_TIMEOUT = 120.0
FOUND_TIMEOUT = 30.0  # a change not found by then counts as not found
POLL_SECONDS = 0.01

# The old path's function (migration 0006, dropped by 0009), built here on the text the free word covers.
BIGRAMS_FUNCTION = """
CREATE OR REPLACE FUNCTION jobs_bigrams(document text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT array_to_tsvector(array(
    SELECT DISTINCT substr(document, position, 2) FROM generate_series(1, length(document)) AS position))
$$
"""
BIGRAMS_INDEX = ("CREATE INDEX ix_bench_bigrams ON postings USING gin "
                 "(jobs_bigrams(search_text || E'\\n' || establishment_text))")


# -- the system under test ------------------------------------------------------------------------------


class System:
    """The processes of one run and what they share (database, Groonga, exchange, token signer)."""

    def __init__(self, server: str, directory: Path, database: str | None = None, keep: bool = False,
                 search_url: str | None = None, search_cache: str | None = None) -> None:
        self.server = server
        self.search_cache = search_cache  # the webs' MYPAGE_SEARCH_CACHE_SECONDS (None: the service's default)
        self.search_url = search_url  # a Groonga server an earlier reindex of `database` filled (not stopped)
        self.directory = directory
        self.reused = database is not None
        self.keep = keep or self.reused
        self.database = database or f"bench_search_{uuid.uuid4().hex[:12]}"
        self.database_url = urlsplit(server)._replace(path=f"/{self.database}").geturl()
        self.exchange = f"bench-{uuid.uuid4().hex[:8]}.events"
        self.signer = TestSigner()
        self.groonga: PrivateGroonga | None = None
        self.processes: dict[str, subprocess.Popen] = {}
        self.web_port = self.gateway_port = self.closed_port = 0

    def environment(self) -> dict[str, str]:
        closed = f"http://127.0.0.1:{self.closed_port}"  # nobody listens: GET /api/v1/jobs needs no other service
        return {**os.environ, "MYPAGE_ENV": "dev", "MYPAGE_VAR_DIR": str(self.directory),
                "MYPAGE_JOBS_DATABASE_URL": self.database_url, "MYPAGE_SEARCH_URL": self.groonga_url,
                "MYPAGE_SEARCH_NODE": SEARCH_NODE, "MYPAGE_AMQP_URL": AMQP_URL, "MYPAGE_EXCHANGE": self.exchange,
                "MYPAGE_JWKS_URL": f"file://{self.directory / 'jwks.json'}",
                "MYPAGE_GATEWAY_RATE_LIMIT": "off",  # every client of the bench has one address
                **({"MYPAGE_SEARCH_CACHE_SECONDS": self.search_cache} if self.search_cache is not None else {}),
                **{f"MYPAGE_{name.upper()}_URL": closed for name in SERVICES},
                "MYPAGE_JOBS_URL": f"http://127.0.0.1:{self.web_port}"}

    def start_stores(self) -> None:
        if not self.reused:
            with psycopg.connect(self.server, autocommit=True) as admin:
                admin.execute(f'CREATE DATABASE "{self.database}"')
        if self.search_url is None:
            self.groonga = PrivateGroonga()
            self.groonga.start()
        ports = {self.groonga_port}
        while len(ports) < 4:  # free_port may hand out a port twice until someone binds it
            ports.add(free_port())
        self.web_port, self.gateway_port, self.closed_port = sorted(ports - {self.groonga_port})
        (self.directory / "jwks.json").write_text(json.dumps(self.signer.jwks()))

    @property
    def groonga_url(self) -> str:
        return self.search_url or self.groonga.url

    @property
    def groonga_port(self) -> int:
        return urlsplit(self.groonga_url).port

    def run(self, *command: str, search_node: bool = True) -> subprocess.CompletedProcess:
        """A one-shot command of the jobs service (without `search_node`: PostgreSQL only)."""
        environment = self.environment()
        if not search_node:
            del environment["MYPAGE_SEARCH_URL"]
        return subprocess.run([PYTHON, "-m", "services.jobs", *command], cwd=ROOT, env=environment,
                              capture_output=True, text=True)

    def load(self, count: int) -> dict:
        """`load-demo` into PostgreSQL, then `reindex` into Groonga (what load-demo does with a search node,
        timed apart). A reindex that fails is recorded and run again with WIDE_SEND_TIMEOUT (see there)."""
        figures: dict = {}
        with psycopg.connect(self.database_url) as connection:
            there = connection.execute("SELECT count(*) FROM postings").fetchone()[0]
        if there < count:  # load-demo skips the job numbers a kept database already holds
            started = time.perf_counter()
            _succeeded(self.run("load-demo", "--postings", str(count), search_node=False))
            figures["load_demo_s"] = round(time.perf_counter() - started, 1)
        if self.search_url and SearchEngine(self.search_url).current_generation():
            return figures | {"reindex": f"reused the index at {self.search_url}", "reindex_s": 0}
        for attempt in ("reindex", "reindex with a wide send timeout"):
            started = time.perf_counter()
            done = self.run("reindex") if attempt == "reindex" else subprocess.run(
                [PYTHON, "-c", WIDE_SEND_TIMEOUT], cwd=ROOT, env=self.environment(), capture_output=True, text=True)
            seconds = round(time.perf_counter() - started, 1)
            if done.returncode == 0:
                figures.update(reindex_s=seconds, reindex=f"{attempt}: {done.stdout.strip()}")
                return figures
            error = (done.stderr.strip().splitlines() or ["?"])[-1]
            print(f"{attempt} failed after {seconds} s: {error}", flush=True)
            figures.setdefault("reindex_failures", []).append({"attempt": attempt, "after_s": seconds,
                                                               "error": error})
        raise SystemExit("reindex failed")

    def spawn(self, name: str, *command: str) -> None:
        log = open(self.directory / f"{name}.log", "ab")  # noqa: SIM115 — owned by the child process
        self.processes[name] = subprocess.Popen([PYTHON, "-m", *command], cwd=ROOT, env=self.environment(),
                                                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                                start_new_session=True)
        log.close()

    def start_processes(self) -> None:
        self.spawn("web", "services.jobs", "web", "--bind", f"127.0.0.1:{self.web_port}", "--workers", "2")
        self.spawn("gateway", "gateway", "--distributed", "--bind", f"127.0.0.1:{self.gateway_port}")
        self.spawn("relay", "services.jobs", "relay")
        self.spawn("indexer", "services.jobs", "indexer")
        wait_for(lambda: self._answers(self.web_port, "/readyz"), "the jobs web's /readyz")
        wait_for(lambda: self._answers(self.gateway_port, "/api/v1/jobs?q=x"), "the gateway")

    def _answers(self, port: int, path: str) -> bool:
        for name, process in self.processes.items():
            if process.poll() is not None:
                raise SystemExit(f"{name} exited: {(self.directory / f'{name}.log').read_text()[-3000:]}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", path)
            return connection.getresponse().status == 200
        except OSError:
            return False

    def stop(self) -> None:
        for process in self.processes.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)
        if self.groonga is not None:
            self.groonga.stop()
        with contextlib.suppress(Exception), topology.connection(AMQP_URL) as connection:
            channel = connection.default_channel
            for service in ("jobs", f"jobs.search.{SEARCH_NODE}"):
                channel.queue_delete(topology.queue_name(service, self.exchange))
                channel.queue_delete(topology.parking_queue_name(service, self.exchange))
            channel.queue_delete(topology.archive_queue_name(self.exchange))
            channel.queue_delete(topology.discard_queue_name(self.exchange))
            channel.exchange_delete(topology.dead_letter_exchange(self.exchange).name)
            channel.exchange_delete(self.exchange)
        if self.keep:
            print(f"kept database {self.database} (again: --database {self.database}; drop it after)", flush=True)
            return
        with psycopg.connect(self.server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')


def _succeeded(done: subprocess.CompletedProcess) -> str:
    if done.returncode:
        raise SystemExit(f"{' '.join(done.args[1:])} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def wait_for(condition, what: str, timeout: float = START_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"{what}: not within {timeout:.0f} s")
        time.sleep(0.2)


# -- HTTP clients -----------------------------------------------------------------------------------------


class Client:
    """One keep-alive HTTP/1.1 connection (reopened when the server closes it)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.connection: http.client.HTTPConnection | None = None
        self.reconnects = 0

    def request(self, method: str, path: str, body: dict | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        if self.connection is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            self.reconnects += 1
        payload = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
        self.connection.request(method, path, body=payload, headers={
            **({"Content-Type": "application/json"} if payload else {}), **(headers or {})})
        response = self.connection.getresponse()
        data = response.read()
        if response.will_close:
            self.connection.close()
            self.connection = None
        return response.status, data

    def json(self, method: str, path: str, body: dict | None = None, headers: dict[str, str] | None = None) -> dict:
        status, data = self.request(method, path, body, headers)
        if status >= 300:
            raise RuntimeError(f"{method} {path}: {status} {data[:500]!r}")
        return json.loads(data) if data else {}


def timed_requests(port: int, paths: list[str], clients: int, per_client: int) -> tuple[list[float], int]:
    """`clients` threads, released together, each sending `per_client` GETs (cycling through `paths`);
    every latency in ms and the number of answers that were not 200."""
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    barrier = threading.Barrier(clients)

    def client(offset: int) -> None:
        connection = Client(port)
        connection.request("GET", paths[offset % len(paths)])  # the connection opened before the clock runs
        mine, failed = [], 0
        barrier.wait()
        for i in range(per_client):
            started = time.perf_counter()
            status, _ = connection.request("GET", paths[(offset + i) % len(paths)])
            mine.append((time.perf_counter() - started) * 1000)
            failed += status != 200
        with lock:
            latencies.extend(mine)
            failures[0] += failed

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, failures[0]


def sustained(port: int, paths: list[str], clients: int, seconds: float) -> dict:
    """Searches/s with `clients` threads cycling through `paths` for `seconds`."""
    done = [0]
    failures = [0]
    lock = threading.Lock()
    stop = threading.Event()

    def client(offset: int) -> None:
        connection, count, failed, i = Client(port), 0, 0, offset
        while not stop.is_set():
            status, _ = connection.request("GET", paths[i % len(paths)])
            count, failed, i = count + 1, failed + (status != 200), i + 1
        with lock:
            done[0] += count
            failures[0] += failed

    threads = [threading.Thread(target=client, args=(n * 7,)) for n in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {"searches": done[0], "seconds": round(elapsed, 1), "searches_per_s": round(done[0] / elapsed, 1),
            "not_200": failures[0]}


def groonga_queries(url: str) -> int:
    """How many commands the Groonga server has answered since it started (its `status`)."""
    with urllib.request.urlopen(f"{url}/d/status", timeout=10) as response:
        return json.loads(response.read())[1]["n_queries"]


def percentile(values: list[float], share: float) -> float:
    """Nearest rank."""
    ordered = sorted(values)
    return round(ordered[max(0, math.ceil(share * len(ordered)) - 1)], 2)


def stats(values: list[float]) -> dict:
    return {"p50_ms": round(statistics.median(values), 2), "p99_ms": percentile(values, 0.99),
            "max_ms": round(max(values), 2), "samples": len(values)}


# -- the queries ------------------------------------------------------------------------------------------


@dataclass
class Query:
    """One line of the battery: its path through the gateway (with and without facets), its criteria as the
    service reads them, and the very `select`s the service sends Groonga for it."""

    line: str
    path: str
    facets_path: str
    criteria: dict
    raw_path: str = ""
    raw_facets_path: str = ""
    cold_ms: dict = field(default_factory=dict)  # the first select's time, without and with facets


def read_queries(file: str | None) -> list[str]:
    if file is None:
        return BATTERY
    lines = Path(file).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def criteria_of(pairs: list[tuple[str, str]]) -> dict:
    """The query string as GET /api/v1/jobs reads it (JobQuerySchema: canonical criteria)."""
    schema = JobQuerySchema()
    values: dict = {}
    for key, value in pairs:
        values.setdefault(key, []).append(value)
    loaded = schema.load({key: found if isinstance(schema.fields.get(key), Several) else found[-1]
                          for key, found in values.items()})
    loaded.pop("facets", None)
    return loaded


class CapturingEngine(SearchEngine):
    """The service's search engine client, keeping the parameters of the last `select` it sent."""

    captured: dict

    def command(self, command: str, /, **params):
        if command == "select":
            self.captured = {key: value for key, value in params.items() if key not in ("timeout", "body")}
        return super().command(command, **params)


def prepare(lines: list[str], groonga_url: str) -> list[Query]:
    """Each query's selects, captured and sent once — the first, cold, answers may take longer than the
    service waits (search_engine.TIMEOUT): timed here under LOAD_TIMEOUT and kept as `cold_ms`."""
    engine = CapturingEngine(groonga_url, timeout=LOAD_TIMEOUT)
    today = domain.today_in_japan(SystemClock().now())
    queries = []
    for line in lines:
        pairs = [(key, value) for key, value in parse_qsl(line, keep_blank_values=True) if key != "facets"]
        query = Query(line, "/api/v1/jobs?" + urlencode(pairs),
                      "/api/v1/jobs?" + urlencode([*pairs, ("facets", FACETS_PARAM)]), criteria_of(pairs))
        criteria = dict(query.criteria)
        page = criteria.pop("page")
        per_page = criteria.get("per_page") or domain.DEFAULT_PER_PAGE
        for facets in ((), tuple(FACETS)):
            started = time.perf_counter()
            engine.search(criteria, page=page, per_page=per_page, today=today, registered_caller=False,
                          facets=facets)
            query.cold_ms[bool(facets)] = round((time.perf_counter() - started) * 1000, 1)
            raw = "/d/select?" + urlencode({key: value for key, value in engine.captured.items()
                                            if value is not None})
            if facets:
                query.raw_facets_path = raw
            else:
                query.raw_path = raw
        queries.append(query)
    return queries


# -- measurements -----------------------------------------------------------------------------------------


def latency_battery(system: System, queries: list[Query], clients: int, samples: int, raw_samples: int) -> list:
    """Per query: through the gateway without and with facets, and raw Groonga for the same selects."""
    gateway, groonga = system.gateway_port, system.groonga_port
    results = []
    for query in queries:
        answer, faceted = first_answer(gateway, query.path), first_answer(gateway, query.facets_path)
        per_client = max(1, math.ceil(samples / clients))
        plain, plain_failed = timed_requests(gateway, [query.path], clients, per_client)
        facets, facets_failed = timed_requests(gateway, [query.facets_path], clients, per_client)
        raw_per_client = max(1, math.ceil(raw_samples / clients))
        web, _ = timed_requests(system.web_port, [query.path], clients, raw_per_client)
        raw, _ = timed_requests(groonga, [query.raw_path], clients, raw_per_client)
        raw_facets, _ = timed_requests(groonga, [query.raw_facets_path], clients, raw_per_client)
        prefecture_sum = sum(value["count"] for value in faceted.get("facets", {}).get("prefecture", []))
        entry = {
            "query": query.line, "total": answer.get("total"), "facets_total": faceted.get("total"),
            "first_status": [answer["status"], faceted["status"]],
            "raw_groonga_cold_ms": query.cold_ms[False], "raw_groonga_facets_cold_ms": query.cold_ms[True],
            "prefecture_facet_sum": prefecture_sum,
            "first_page": [item["job_number"] for item in answer.get("items", [])],
            **stats(plain), "not_200": plain_failed + facets_failed,
            "facets": stats(facets),
            "jobs_web": stats(web), "raw_groonga_p50_ms": stats(raw)["p50_ms"], "raw_groonga": stats(raw),
            "raw_groonga_facets": stats(raw_facets),
        }
        entry["over_raw_p50_ms"] = round(entry["p50_ms"] - entry["raw_groonga_p50_ms"], 2)
        results.append(entry)
        print(f"  {clients} client(s) {query.line:32} total {answer.get('total', answer['status']):>8}  "
              f"not 200 {entry['not_200']:>3}  p50 {entry['p50_ms']:7.1f}  "
              f"p99 {entry['p99_ms']:7.1f}  facets p50 {entry['facets']['p50_ms']:7.1f} p99 "
              f"{entry['facets']['p99_ms']:7.1f}  web p50 {entry['jobs_web']['p50_ms']:6.1f}  "
              f"raw p50 {entry['raw_groonga_p50_ms']:6.1f} "
              f"facets {entry['raw_groonga_facets']['p50_ms']:6.1f} ms", flush=True)
    return results


def first_answer(port: int, path: str) -> dict:
    """The first answer to a query, its status beside the body (a 503 is recorded, not fatal)."""
    status, data = Client(port).request("GET", path)
    return {**(json.loads(data) if status == 200 else {}), "status": status}


def bigram_tsquery(query: domain.FreeWordQuery) -> str | None:
    """The old path's index condition (e25cd9f services/jobs/search.py): each group an OR of its words'
    bigrams, the groups ANDed; the NOT word is left to the LIKE check."""
    if not query:
        return None

    def lexeme(value: str) -> str:
        return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'"

    def word(value: str) -> str:
        if len(value) == 1:
            return lexeme(value) + ":*"
        return "(" + " & ".join(lexeme(value[i:i + 2]) for i in dict.fromkeys(range(len(value) - 1))) + ")"

    return " & ".join("(" + " | ".join(word(value) for value in group) + ")" for group in query.groups)


def postgres_battery(system: System, queries: list[Query], runs: int) -> dict:
    """The old way: the bigram GIN index narrowing search.conditions (exact), count + first page of 30."""
    engine = make_engine(system.database_url)
    today = domain.today_in_japan(SystemClock().now())
    report: dict = {"queries": {}}
    try:
        with engine.begin() as connection:
            connection.execute(text("SET maintenance_work_mem = '512MB'"))
            connection.execute(text(BIGRAMS_FUNCTION))
            started = time.perf_counter()
            connection.execute(text(BIGRAMS_INDEX))
            report["index_build_s"] = round(time.perf_counter() - started, 1)
        with engine.begin() as connection:
            connection.execute(text("ANALYZE postings"))
            report["index_mb"] = round(connection.scalar(text("SELECT pg_relation_size('ix_bench_bigrams')"))
                                       / 2**20, 1)
        print(f"postgres: bigram index built in {report['index_build_s']} s, {report['index_mb']} MB", flush=True)
        indexed = func.jobs_bigrams(postings.c.search_text + "\n" + postings.c.establishment_text)
        with engine.connect() as connection:
            for query in queries:
                where = search.conditions(query.criteria, today, registered_caller=False)
                tsquery = bigram_tsquery(domain.criteria_free_word(query.criteria.get("q")))
                if tsquery:
                    where.append(indexed.op("@@")(cast(tsquery, TSQUERY)))
                count = select(func.count()).select_from(postings).where(*where)
                per_page = query.criteria.get("per_page") or domain.DEFAULT_PER_PAGE
                page = (select(postings.c.job_number).where(*where)
                        .order_by(postings.c.received_on.desc(), postings.c.id.desc()).limit(per_page))
                timings = []
                for _ in range(runs + 1):  # the first run warms the cache and is not counted
                    started = time.perf_counter()
                    total = connection.scalar(count)
                    first_page = connection.execute(page).scalars().all()
                    timings.append((time.perf_counter() - started) * 1000)
                report["queries"][query.line] = {"total": total, "first_page": first_page,
                                                 **stats(timings[1:] or timings)}
                print(f"  postgres {query.line:32} total {total:>8}  count+page p50 "
                      f"{report['queries'][query.line]['p50_ms']:9.1f} ms", flush=True)
        with engine.begin() as connection:
            connection.execute(text("DROP INDEX ix_bench_bigrams"))  # the writes of the freshness run pay no GIN
    finally:
        engine.dispose()
    return report


def freshness(system: System, changes: int) -> dict:
    """Changes (PATCH) and new postings (POST) through the gateway, each with a unique word; the delay
    from sending it until a search through the gateway finds it."""
    client = Client(system.gateway_port)
    token = system.signer.issue("bench-employer", (EMPLOYER,), establishments=EVERY_ESTABLISHMENT)
    employer = {"Authorization": f"Bearer {token}"}
    listed = client.json("GET", "/api/v1/jobs?per_page=50")["items"]
    existing = [item["job_number"] for item in listed]
    # Another seed's postings under random job numbers (a 409: the number is taken, another one)
    new = (payload for payload in generate_postings(changes * 10, seed=1, start=domain.today_in_japan(
        SystemClock().now())) if payload["publication_scope"] != domain.SCOPE_NOT_ONLINE)
    delays, writes, missed = [], [], 0
    for n in range(changes):
        word = f"fresh{uuid.uuid4().hex[:10]}"
        if n % 2 == 0:
            job_number = existing[n // 2 % len(existing)]
            current = client.json("GET", f"/api/v1/employer/jobs/{job_number}", headers=employer)
            method, path, body = "PATCH", f"/api/v1/employer/jobs/{job_number}", {
                "description": f"{current['description']} {word}"}
        else:
            payload = next(new)
            method, path, body = "POST", "/api/v1/employer/jobs", {
                **payload, "description": f"{payload['description']} {word}"}
        while True:
            if method == "POST":
                body["job_number"] = f"{body['job_number'][:5]}-{uuid.uuid4().int % 10**8:08d}"
            started = time.perf_counter()
            status, answer = client.request(method, path, body, headers=employer)
            writes.append((time.perf_counter() - started) * 1000)
            if status != 409:
                break
        if status >= 300:
            raise RuntimeError(f"{method} {path}: {status} {answer[:500]!r}")
        found = None
        while time.perf_counter() - started < FOUND_TIMEOUT:
            status, data = client.request("GET", f"/api/v1/jobs?q={word}")
            if status == 200 and json.loads(data)["total"] == 1:
                found = (time.perf_counter() - started) * 1000
                break
            time.sleep(POLL_SECONDS)
        if found is None:
            missed += 1
            print(f"  freshness: {method} {word} not found within {FOUND_TIMEOUT:.0f} s", flush=True)
        else:
            delays.append(found)
    report = {"changes": changes, "not_found": missed, "write": stats(writes),
              "delay": stats(delays) if delays else None, "poll_ms": POLL_SECONDS * 1000}
    print(f"freshness: p50 {report['delay']['p50_ms'] if delays else '-'} ms, p99 "
          f"{report['delay']['p99_ms'] if delays else '-'} ms, {missed} not found", flush=True)
    return report


# -- the run --------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postings", type=int, default=1_260_000)
    parser.add_argument("--clients", default="1,8", help="comma-separated client counts (default 1,8)")
    parser.add_argument("--queries", help="a file of URL query strings, one a line (default: the battery)")
    parser.add_argument("--json", help="also write the per-client-count figures here (a JSON list)")
    parser.add_argument("--samples", type=int, default=100, help="requests per query and variant (default 100)")
    parser.add_argument("--raw-samples", type=int, default=40, help="raw Groonga requests per query and variant")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of the sustained run")
    parser.add_argument("--changes", type=int, default=50, help="postings changed or published for freshness")
    parser.add_argument("--postgres-runs", type=int, default=3, help="timed runs of the old PostgreSQL path (0: "
                        "skip it, totals not compared)")
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--keep-database", action="store_true", help="do not drop the loaded database")
    parser.add_argument("--database", help="a database a --keep-database run loaded (kept too; load-demo adds "
                        "what is missing)")
    parser.add_argument("--search-url", help="with --database: a Groonga server already indexed from it (e.g. "
                        "by `python -m services.jobs reindex`), searched instead of a fresh private one")
    parser.add_argument("--search-cache", help="the jobs webs' MYPAGE_SEARCH_CACHE_SECONDS (default: the "
                        "service's, 1 s; 0: every search asks the engine)")
    args = parser.parse_args()
    client_counts = [int(value) for value in args.clients.split(",")]
    lines = read_queries(args.queries)
    report: dict = {"benchmark": "search", "when": datetime.now(UTC).isoformat(timespec="seconds"),
                    "postings": args.postings, "machine": {"cores": os.cpu_count(),
                                                           "loadavg_at_start": os.getloadavg()},
                    "samples": args.samples, "raw_samples": args.raw_samples,
                    "search_cache_seconds": args.search_cache or "the service's default (1)"}
    runs: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="bench-search-") as folder:
        system = System(args.server, Path(folder), args.database, args.keep_database, args.search_url,
                        args.search_cache)
        try:
            system.start_stores()
            _succeeded(system.run("migrate"))
            report.update(system.load(args.postings))
            print(f"load-demo {report.get('load_demo_s', '(reused)')} s, {report['reindex']} in "
                  f"{report['reindex_s']} s", flush=True)
            system.start_processes()
            queries = prepare(lines, system.groonga_url)
            report["loadavg_before_searches"] = os.getloadavg()
            for clients in client_counts:
                with recorded(report, f"{clients} clients"):
                    battery = latency_battery(system, queries, clients, args.samples, args.raw_samples)
                    mixed = [path for query in queries for path in (query.path, query.facets_path)]
                    engine_queries = groonga_queries(system.groonga_url)
                    rate = sustained(system.gateway_port, mixed, clients, args.duration)
                    # what reached the engine: the selects the webs' caches missed, and their config reads
                    rate["engine_queries_per_search"] = round(
                        (groonga_queries(system.groonga_url) - engine_queries) / max(rate["searches"], 1), 3)
                    print(f"  {clients} client(s): {rate['searches_per_s']} searches/s sustained "
                          f"({rate['not_200']} not 200)", flush=True)
                    runs.append({"postings": args.postings, "clients": clients,
                                 "searches_per_s": rate["searches_per_s"], "sustained": rate, "queries": battery})
            report["loadavg_after_searches"] = os.getloadavg()
            if args.postgres_runs:  # 0: a quick look, totals not compared (and the exit status says so)
                with recorded(report, "postgres"):
                    report["postgres"] = postgres_battery(system, queries, args.postgres_runs)
            with recorded(report, "freshness"):
                report["freshness"] = freshness(system, args.changes)
        finally:
            system.stop()
    mismatches = check_totals(runs, report["postgres"]["queries"]) if "postgres" in report else [
        "not compared: the PostgreSQL path " + ("failed" if args.postgres_runs else "was skipped (--postgres-runs 0)")]
    delay = report.get("freshness", {}).get("delay")
    for run in runs:
        run["freshness_p99_ms"] = delay["p99_ms"] if delay else None
        for entry in run["queries"]:
            entry.pop("first_page")
    for entry in report.get("postgres", {}).get("queries", {}).values():
        entry.pop("first_page")
    report.update(runs=runs, mismatches=mismatches, loadavg_at_end=os.getloadavg())
    out = ROOT / "bench" / "results" / f"search-{datetime.now(UTC).date().isoformat()}.json"
    if args.postings < 100_000:
        out = out.with_name(f"{out.stem}-{args.postings}.json")
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    print(f"wrote {out.relative_to(ROOT)}")
    if args.json:
        Path(args.json).write_text(json.dumps(runs, ensure_ascii=False, indent=2) + "\n")
    if mismatches:
        print("\n!!! TOTALS DIFFER FROM POSTGRESQL !!!", *mismatches, sep="\n  ", file=sys.stderr)
    if report.get("errors"):
        print("\nphases that failed:", *report["errors"], sep="\n  ", file=sys.stderr)
    return 1 if mismatches or report.get("errors") else 0


@contextlib.contextmanager
def recorded(report: dict, phase: str):
    """A phase that fails is recorded in the report and the run goes on (the load took long)."""
    try:
        yield
    except Exception as error:  # noqa: BLE001 — recorded, printed and reported by the exit status
        print(f"{phase} failed: {error!r}", flush=True)
        report.setdefault("errors", []).append(f"{phase}: {error!r}")


def check_totals(runs: list[dict], truth: dict) -> list[str]:
    """Every total and first page the service gave must equal PostgreSQL's; the facets must add up."""
    problems = []
    for run in runs:
        for entry in run["queries"]:
            expected = truth[entry["query"]]
            if entry["first_status"] != [200, 200]:
                problems.append(f"{entry['query']} ({run['clients']} clients): answered {entry['first_status']}, "
                                f"{entry['not_200']} of {entry['samples'] * 2} timed requests not 200")
            entry["postgres_total"] = expected["total"]
            entry["postgres_count_page_p50_ms"] = expected["p50_ms"]
            if (entry["total"], entry["facets_total"]) != (expected["total"], expected["total"]):
                problems.append(f"{entry['query']} ({run['clients']} clients): service {entry['total']} "
                                f"(with facets {entry['facets_total']}), PostgreSQL {expected['total']}")
            if entry["first_page"] != expected["first_page"]:
                problems.append(f"{entry['query']}: the first page differs from PostgreSQL's")
            if entry["prefecture_facet_sum"] != entry["total"]:
                problems.append(f"{entry['query']}: the prefecture facet adds up to {entry['prefecture_facet_sum']}, "
                                f"not {entry['total']}")
    return problems


if __name__ == "__main__":
    sys.exit(main())
