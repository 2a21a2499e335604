"""J2 search at national scale (DESIGN §9): the postings read model in Groonga.

    engine = SearchEngine("http://127.0.0.1:10041")
    engine.upsert([documents.of(row), …]); engine.delete(["11040-00012345"])
    found = engine.search(criteria, page=1, per_page=30, today=day, registered_caller=False,
                          facets=("prefecture",))   # → Found(total, job_numbers, facets)

PostgreSQL stays the system of record; a search node (a Groonga server and its indexer) holds
every open posting shown online (closed ones and scope 4 are deleted from it) and answers the
J2 criteria with an exact total, the page's job numbers and the J2b facet counts in one
`select`. Every criterion is an indexed condition: the free word on a character-bigram index
(TokenNgram, every character kind split, blanks kept, so a word matches exactly where it is a
substring of the normalised text), codes on reference columns, numbers and dates on range
indexes. The normalisation is the engine's (NORMALIZERS); domain.normalise_text is its copy
for the embedded scan.

The objects of one index generation share a prefix (`g<stamp>_`); Groonga's config key
`jobs.search.generation` names the live one. `reindex` builds a new generation beside it and
switches the key; the old one is removed a grace period later, so a search that read the old
name a moment before still finds its tables.

Anything but an answer within TIMEOUT raises SearchUnavailable: the API answers 503, never a
hang and never a scan of PostgreSQL instead.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlencode

import urllib3
from cachetools import TTLCache, cached

from kit import codes
from services.jobs import domain
from services.jobs.models import free_word_text

TIMEOUT = urllib3.Timeout(connect=0.2, read=0.7)  # a search answers within 1 s, or 503
# Loads and maintenance: urllib3 sends a request body under the connect timeout, and the engine reads a
# large load only as fast as it indexes it.
LOAD_TIMEOUT = urllib3.Timeout(connect=30.0, read=300.0)
GENERATION_KEY = "jobs.search.generation"
SWEPT_KEY = "jobs.search.swept.{prefix}"  # the day before which a generation holds no posting (an int, 20261207)
# The layout of a generation's tables; a node whose live generation has another is rebuilt by its indexer.
SCHEMA = "4"  # 2: text_public/text_registered instead of text + establishment; 3: the order keys; 4: apart
SCHEMA_KEY = "jobs.search.schema.{prefix}"
GENERATION_CACHE_SECONDS = 1.0
CACHE_ENTRIES = 1024  # answers a process keeps (a page of 30 job numbers and the facets: a few kB each)
GRACE_SECONDS = 5.0  # > GENERATION_CACHE_SECONDS: how long a replaced generation stays readable

# Two normalizers in a row: the ヴ sounds must be unified before small kana become large (ヴァ → バ,
# not ヴア → ブア). domain.normalise_text does the same in Python.
NORMALIZERS = ('NormalizerNFKC130("unify_to_katakana", true, "unify_katakana_v_sounds", true), '
               'NormalizerNFKC130("unify_kana_case", true, "unify_hyphen_and_prolonged_sound_mark", true)')
# Bigrams of every character kind (TokenBigram would keep ASCII words whole: "abc" not found in "xabcx"),
# blanks kept as characters so that no bigram spans two words or two fields.
TOKENIZER = 'TokenNgram("unify_alphabet", false, "unify_symbol", false, "unify_digit", false, "remove_blank", false)'

UNKNOWN_START = -1  # a posting whose 就業時間 cannot be read never matches an hours criterion
UNKNOWN_END = 32767
UNKNOWN_HOLIDAYS = -1

# J2b: facet → (column, name of a code)
FACETS: dict[str, str] = {"prefecture": "prefecture", "employment_type": "employment_type",
                          "occupation_group": "occupation_group", "category": "category"}

_REFERENCE_COLUMNS = ("prefecture", "municipality", "occupation", "occupation_minor", "occupation_middle",
                      "occupation_group", "employment_type", "category", "wage_type", "two_days_weekly")
_NUMBER_COLUMNS = ("scope", "wage_min", "hours_start", "hours_end", "annual_holidays", "received_on", "deadline")
FREE_WORD_COLUMNS = ("text_public", "text_registered")
_INDEXED_NUMBERS = ("wage_min", "hours_start", "hours_end", "annual_holidays", "received_on", "deadline")
# J2's two orders, each one indexed Int64 (a day, then the row id: ties in PostgreSQL's order). One indexed key
# lets the engine read the newest postings off the index when nothing narrows the search (1.26 M postings:
# 69 ms of sorting → under 1 ms); two keys (-received_on, -row_id) sorted the whole table. Each key has a
# lexicon of its own: the engine walks the lexicon's keys in order, and one shared by both walked every
# deadline before the first 受理日 (85 ms).
ORDER_KEYS = {"newest": "-newest_order", "deadline": "deadline_order"}
_ORDER_TABLES = ("NewestOrders", "DeadlineOrders")
# The order keys of an older layout, searched while a deploy's indexer rebuilds its node (prepare_node): the
# old generation stays live until the new one is filled, and a sort key it lacks would be ignored, unsorted.
_OLDER_ORDER_KEYS = {"2": {"newest": "-received_on, -row_id", "deadline": "deadline, row_id"}}
_ROW_IDS = 10**10  # row ids stay below this: an order key is day * _ROW_IDS + id (2.0e17 < Int64's 9.2e18)


class SearchUnavailable(Exception):
    """The search engine did not answer (down, too slow, or in error)."""


@dataclass(frozen=True)
class Found:
    total: int
    job_numbers: list[str]
    facets: dict[str, list[tuple[str, int]]]


# -- what a posting looks like in the index -------------------------------------------------------------


def document(row: Any) -> dict[str, Any]:
    """A postings row as the index keeps it: the free-word text unnormalised (the engine normalises it),
    codes, and numbers where an unknown value can never satisfy a criterion."""
    return {
        "_key": row.job_number,
        **free_word_columns(row),
        "scope": row.publication_scope,
        "prefecture": row.prefecture_code,
        "municipality": row.municipality_code,
        "occupation": row.occupation_code,
        "occupation_minor": row.occupation_code[:3],
        "occupation_middle": row.occupation_code[:2],
        "occupation_group": row.occupation_group or "",
        "employment_type": row.employment_type,
        "category": row.category,
        "full_time": bool(row.full_time),
        "wage_type": row.wage_type,
        "wage_min": row.wage_min,
        "hours_start": UNKNOWN_START if row.hours_start is None else row.hours_start,
        "hours_end": UNKNOWN_END if row.hours_end is None else row.hours_end,
        "two_days_weekly": row.two_days_weekly or "",
        "annual_holidays": UNKNOWN_HOLIDAYS if row.annual_holidays is None else row.annual_holidays,
        "received_on": _day(row.received_on),
        "deadline": _day(row.deadline),
        "newest_order": _day(row.received_on) * _ROW_IDS + row.id,
        "deadline_order": _day(row.deadline) * _ROW_IDS + row.id,
        "updated_at": timestamp(row.updated_at),
    }


def free_word_columns(row: Any) -> dict[str, str]:
    """The text each kind of caller's free word is found in (J2, J2a): the posting's own text, and the
    establishment's name on its own line where that caller may see it — so a word is one index lookup,
    never an OR with a check of `scope` on every hit (3× the time of `介護 越谷` at 1.26 M postings)."""
    text = free_word_text(row.title, row.description, row.occupation_code, row.employment_type, row.category)
    scope, name = row.publication_scope, row.establishment_name

    def with_name(shown: bool) -> str:
        return _wave_dash(f"{text}\n{name}" if shown else text)

    return {"text_public": with_name(scope == domain.SCOPE_PUBLIC),
            "text_registered": with_name(scope <= domain.SCOPE_REGISTERED_ONLY)}


def _wave_dash(text: str) -> str:
    # The engine's normalizers make ～ a ~ but leave 〜 alone; domain.normalise_text folds both.
    return text.replace("〜", "~")


def indexed(row: Any) -> bool:
    """Which postings a search node holds: open ones shown online (J1, J2a). Expired ones stay until the
    expiry sweep; search leaves them out by date."""
    return not row.closed and domain.is_online(row.publication_scope)


# -- the client ----------------------------------------------------------------------------------------


class SearchEngine:
    """One Groonga server over HTTP (a search node). Thread-safe; one connection pool per process.

    `cache_seconds`: how long this process answers the same select from memory (config.search_cache_seconds).
    The popular searches (a broad word, a prefecture alone) repeat many times a second nationally and each
    costs 30–80 ms of the engine's CPU; a change stays searchable within J2's 2 s, since an answer is kept
    at most that long, whatever is written meanwhile. Concurrent misses of one select wait for the first
    (no stampede). Groonga's own query cache stays off: a select that overlaps a load across a second
    boundary keeps its stale answer there until the next write."""

    def __init__(self, url: str, *, timeout: urllib3.Timeout = TIMEOUT, cache_seconds: float = 0.0,
                 timer: Callable[[], float] = time.monotonic) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout
        self._pool = urllib3.PoolManager(maxsize=16, retries=False)
        self._generation: tuple[str, int, str, float] | None = None
        self._lock = threading.Lock()
        self._select = self._select_now if cache_seconds <= 0 else cached(
            TTLCache(CACHE_ENTRIES, cache_seconds, timer=timer), key=lambda params: tuple(sorted(params.items())),
            condition=threading.Condition())(self._select_now)

    # -- commands

    def command(self, command: str, /, *, timeout: urllib3.Timeout | None = None, body: str | None = None,
                **params: Any) -> Any:
        """Run one Groonga command; its body, or SearchUnavailable / SearchError. Searches wait `self.timeout`
        (under 1 s: a 503 rather than a hang); loads and maintenance LOAD_TIMEOUT."""
        query = urlencode({key: value for key, value in params.items() if value is not None})
        try:
            response = self._pool.request("POST" if body is not None else "GET", f"{self.url}/d/{command}?{query}",
                                          body=body.encode() if body is not None else None,
                                          headers={"Content-Type": "application/json"} if body else None,
                                          timeout=timeout or LOAD_TIMEOUT)
        except urllib3.exceptions.HTTPError as error:
            raise SearchUnavailable(f"{command}: {error}") from error
        try:
            header, *rest = json.loads(response.data)
        except ValueError as error:
            raise SearchUnavailable(f"{command}: HTTP {response.status}, not JSON") from error
        if header[0] != 0:
            raise SearchError(f"{command}: {header[3] if len(header) > 3 else header}", code=header[0])
        return rest[0] if rest else None

    def ping(self) -> None:
        """Readiness: the engine answers and holds an index generation."""
        self.generation(fresh=True)

    # -- generations

    def generation(self, *, fresh: bool = False) -> str:
        """The live generation's prefix (cached a second); SearchUnavailable when there is none."""
        return self._live(fresh=fresh)[0]

    def _live(self, *, fresh: bool = False) -> tuple[str, int, str]:
        """The live generation's prefix, the day its expiry sweep has reached (0: none yet) and its layout."""
        cached = self._generation
        if not fresh and cached is not None and time.monotonic() - cached[3] < GENERATION_CACHE_SECONDS:
            return cached[:3]
        value = self.command("config_get", key=GENERATION_KEY, timeout=self.timeout)
        if not value:
            raise SearchUnavailable("the search index has not been created (python -m services.jobs migrate)")
        swept = self.command("config_get", key=SWEPT_KEY.format(prefix=value), timeout=self.timeout)
        layout = self.command("config_get", key=SCHEMA_KEY.format(prefix=value), timeout=self.timeout)
        self._generation = (value, int(swept or 0), layout or "", time.monotonic())
        return self._generation[:3]

    def current_generation(self) -> str | None:
        """The live generation's prefix as the engine has it now, or None."""
        return self.command("config_get", key=GENERATION_KEY) or None

    def outdated(self, prefix: str) -> bool:
        """Whether generation `prefix` was made by an older layout (SCHEMA) than this code searches."""
        return self.command("config_get", key=SCHEMA_KEY.format(prefix=prefix)) != SCHEMA

    def ensure_schema_created(self) -> bool:
        """Create the first, empty generation when the engine holds none (jobs' `migrate`, the indexer's
        start); True when it did (the index must then be filled from PostgreSQL)."""
        with self._lock:
            if self.current_generation():
                return False
            self.switch_to(self.create_generation())
            return True

    def create_generation(self) -> str:
        """The tables and indexes of a new, empty generation; returns its prefix."""
        prefix = f"g{time.time_ns() // 1000}_"
        table = f"{prefix}Postings"
        self.command("table_create", name=table, flags="TABLE_HASH_KEY", key_type="ShortText")
        self.command("table_create", name=f"{prefix}Codes", flags="TABLE_HASH_KEY", key_type="ShortText")
        self.command("table_create", name=f"{prefix}Numbers", flags="TABLE_PAT_KEY", key_type="Int32")
        self.command("table_create", name=f"{prefix}Terms", flags="TABLE_PAT_KEY", key_type="ShortText",
                     default_tokenizer=TOKENIZER, normalizers=NORMALIZERS)
        for column in FREE_WORD_COLUMNS:
            self.command("column_create", table=table, name=column, flags="COLUMN_SCALAR", type="Text")
        self.command("column_create", table=table, name="full_time", flags="COLUMN_SCALAR", type="Bool")
        self.command("column_create", table=table, name="updated_at", flags="COLUMN_SCALAR", type="Int64")
        for column in _REFERENCE_COLUMNS:
            self.command("column_create", table=table, name=column, flags="COLUMN_SCALAR", type=f"{prefix}Codes")
            self.command("column_create", table=f"{prefix}Codes", name=f"{column}_index", flags="COLUMN_INDEX",
                         type=table, source=column)
        for column in _NUMBER_COLUMNS:
            self.command("column_create", table=table, name=column, flags="COLUMN_SCALAR", type="Int32")
        for column in _INDEXED_NUMBERS:
            self.command("column_create", table=f"{prefix}Numbers", name=f"{column}_index", flags="COLUMN_INDEX",
                         type=table, source=column)
        for order, lexicon in zip(ORDER_KEYS.values(), _ORDER_TABLES, strict=True):
            column = order.lstrip("-")
            self.command("column_create", table=table, name=column, flags="COLUMN_SCALAR", type="Int64")
            self.command("table_create", name=f"{prefix}{lexicon}", flags="TABLE_PAT_KEY", key_type="Int64")
            self.command("column_create", table=f"{prefix}{lexicon}", name="index", flags="COLUMN_INDEX", type=table,
                         source=column)
        for column in FREE_WORD_COLUMNS:
            self.command("column_create", table=f"{prefix}Terms", name=f"{column}_index",
                         flags="COLUMN_INDEX|WITH_POSITION", type=table, source=column)
        self.command("config_set", key=SCHEMA_KEY.format(prefix=prefix), value=SCHEMA)
        return prefix

    def switch_to(self, prefix: str) -> None:
        self.command("config_set", key=GENERATION_KEY, value=prefix)
        self._generation = None

    def mark_swept(self, prefix: str, today: date) -> None:
        """Generation `prefix` holds no posting whose 紹介期限日 is before `today` (the sweep removed them, the
        indexer keeps them out): its searches need no date condition until the day changes."""
        self.command("config_set", key=SWEPT_KEY.format(prefix=prefix), value=str(_day(today)))

    def remove_generation(self, prefix: str) -> None:
        """Drop a generation's objects (indexes first, then the tables they point into)."""
        for table in ("Terms", "Numbers", *_ORDER_TABLES, "Codes", "Postings"):
            with contextlib.suppress(SearchError):  # already gone
                self.command("table_remove", name=f"{prefix}{table}", dependent="yes")
        for key in (SWEPT_KEY, SCHEMA_KEY):
            with contextlib.suppress(SearchError):
                self.command("config_delete", key=key.format(prefix=prefix))

    def generations(self) -> list[str]:
        """Every generation the engine holds (live or left over from an interrupted reindex)."""
        tables = self.command("table_list")
        names = [row[1] for row in tables[1:]]
        return sorted({name.removesuffix("Postings") for name in names if name.endswith("_Postings")})

    # -- writes

    def upsert(self, documents: Sequence[Mapping[str, Any]], *, prefix: str | None = None) -> None:
        """Add or replace postings (by 求人番号)."""
        if documents:
            self.command("load", table=f"{prefix or self.generation(fresh=True)}Postings",
                         body=json.dumps(list(documents), ensure_ascii=False))

    def delete(self, job_numbers: Iterable[str], *, prefix: str | None = None) -> None:
        """Remove postings (closed, scope 4) — absent ones are fine."""
        numbers = list(job_numbers)
        if numbers:
            table = f"{prefix or self.generation(fresh=True)}Postings"
            self.command("delete", table=table, filter=f"in_values(_key, {', '.join(map(_literal, numbers))})",
                         timeout=LOAD_TIMEOUT)

    def delete_expired(self, today: date) -> int:
        """Remove postings whose 紹介期限日 has passed, and mark the generation swept through `today`; how many
        were removed. The caller keeps expired postings out of the index meanwhile (indexer.apply)."""
        prefix = self.generation(fresh=True)
        table = f"{prefix}Postings"
        expired = self.command("select", table=table, filter=f"deadline < {_day(today)}", limit=0,
                               output_columns="_id")[0][0][0]
        if expired:
            self.command("delete", table=table, filter=f"deadline < {_day(today)}", timeout=LOAD_TIMEOUT)
        self.mark_swept(prefix, today)
        return expired

    # -- reads

    def warm_up(self) -> None:
        """Read the live index once, with the load timeout: the first selects after the engine starts read it
        from disk and can take longer than a search may wait (TIMEOUT) — at 1.26 M postings, over 0.7 s."""
        params: dict[str, Any] = {"table": f"{self.generation(fresh=True)}Postings", "limit": 0, "cache": "no",
                                  "filter": f"text_public @ {_literal('の')} || text_registered @ {_literal('の')}",
                                  "sort_keys": ORDER_KEYS["newest"]}
        for facet, column in FACETS.items():
            params[f"drilldowns[{facet}].keys"] = column
        self.command("select", **params)

    def search(self, criteria: Mapping[str, Any], *, page: int, per_page: int, today: date,
               registered_caller: bool, facets: Sequence[str] = ()) -> Found:
        """J2 / J2b: one page of job numbers, the exact total and the facet counts of the whole result."""
        order = "deadline" if criteria.get("sort") == "deadline" else "newest"
        params: dict[str, Any] = {
            "output_columns": "_key", "offset": (page - 1) * per_page, "limit": per_page,
            "match_escalation_threshold": -1,  # never a looser match when the exact one finds nothing
            "cache": "no",
        }
        for facet in facets:
            params[f"drilldowns[{facet}].keys"] = FACETS[facet]
            params[f"drilldowns[{facet}].sort_keys"] = "-_nsubrecs, _key"
            params[f"drilldowns[{facet}].limit"] = -1
            params[f"drilldowns[{facet}].output_columns"] = "_key, _nsubrecs"

        def in_live_generation() -> str:
            """The parts of the select that depend on the live generation (its tables, sweep and layout)."""
            prefix, swept, layout = self._live()
            params.update(table=f"{prefix}Postings", sort_keys=_OLDER_ORDER_KEYS.get(layout, ORDER_KEYS)[order],
                          filter=filter_expression(criteria, today, registered_caller=registered_caller,
                                                   expired_swept=swept >= _day(today)))
            return prefix

        prefix = in_live_generation()
        try:
            body = self._select(params)
        except SearchError:
            # switched by a reindex since this process read the key, the old tables gone: read it again, once
            self._generation = None
            if in_live_generation() == prefix:
                raise
            body = self._select(params)
        records = body[0]
        found = {facet: [(key, count) for key, count in body[1][facet][2:] if key]
                 for facet in facets} if facets else {}
        return Found(total=records[0][0], job_numbers=[record[0] for record in records[2:]], facets=found)

    def _select_now(self, params: dict[str, Any]) -> Any:
        return self.command("select", timeout=self.timeout, **params)

    def keys(self, *, today: date, batch: int = 100_000) -> dict[str, int]:
        """Every unexpired posting the index holds: 求人番号 → updated_at (µs), for search-check."""
        table = f"{self.generation(fresh=True)}Postings"
        result: dict[str, int] = {}
        offset = 0
        while True:
            body = self.command("select", table=table, output_columns="_key, updated_at", sort_keys="_id",
                                filter=f"deadline >= {_day(today)}", offset=offset, limit=batch,
                                timeout=LOAD_TIMEOUT, cache="no")
            rows = body[0][2:]
            result.update((key, updated) for key, updated in rows)
            if len(rows) < batch:
                return result
            offset += batch


class SearchError(SearchUnavailable):
    """Groonga answered with an error (`code` is its return code)."""

    def __init__(self, message: str, *, code: int) -> None:
        super().__init__(message)
        self.code = code


# -- criteria → a Groonga filter (script syntax) ----------------------------------------------------------


def filter_expression(criteria: Mapping[str, Any], today: date, *, registered_caller: bool,
                      expired_swept: bool = False) -> str:
    """The J2 criteria (CriteriaSchema's canonical form) as one filter; the most selective conditions
    first (Groonga narrows with the first and checks the rest on what is left). `expired_swept`: the
    generation holds no posting past its 紹介期限日 today, so the date condition — a check of every hit,
    half of a broad word's engine time at 1.26 M postings (介護 68 → 34 ms) — is left out."""
    where = free_word_conditions(domain.criteria_free_word(criteria.get("q")), registered_caller=registered_caller)
    if criteria.get("job_number"):
        where.append(_in("_key", criteria["job_number"]))
    municipalities, whole = domain.places(criteria)
    if municipalities or whole:
        places = ([_in("municipality", municipalities)] if municipalities else []) + (
            [_in("prefecture", whole)] if whole else [])
        where.append(_or(places))
    if criteria.get("occupation"):
        where.append(_or([_occupation(code) for code in criteria["occupation"]]))
    if criteria.get("employment_type"):
        where.append(_in("employment_type", criteria["employment_type"]))
    if criteria.get("category"):
        where.append(_in("category", criteria["category"]))
    if criteria.get("full_time") is not None:
        where.append(f"full_time == {'true' if criteria['full_time'] else 'false'}")
    if criteria.get("wage_min") is not None:
        where.append(f"wage_type == {_literal(criteria.get('wage_type', 'monthly'))} && "
                     f"wage_min >= {int(criteria['wage_min'])}")
    if criteria.get("hours_start_from") is not None:
        where.append(f"hours_start >= {domain.clock_minutes(criteria['hours_start_from'])}")
    if criteria.get("hours_end_by") is not None:
        where.append(f"hours_end <= {domain.clock_minutes(criteria['hours_end_by'])}")
    if criteria.get("two_days_weekly"):
        where.append(_in("two_days_weekly", domain.TWO_DAYS_WEEKLY_CHOICES[criteria["two_days_weekly"]]))
    if criteria.get("annual_holidays_min") is not None:
        where.append(f"annual_holidays >= {int(criteria['annual_holidays_min'])}")
    if criteria.get("new_within"):
        where.append(f"received_on >= {_day(domain.new_since(criteria['new_within'], today))}")
    if not expired_swept:
        where.append(f"deadline >= {_day(today)}")
    # scope 4 (J2a: not online) is never in the index (indexer.apply, search_engine.indexed): no condition
    return " && ".join(f"({condition})" for condition in where)


def free_word_conditions(query: domain.FreeWordQuery, *, registered_caller: bool) -> list[str]:
    """J2 free word: each group one of its words, every group, never the NOT word — in the text the caller's
    kind searches (free_word_columns: the establishment's name only where J2a lets them see it)."""
    if not query:
        return []
    column = "text_registered" if registered_caller else "text_public"

    def anywhere(word: str) -> str:
        return f"{column} @ {_literal(word)}"

    where = [_or([anywhere(word) for word in group]) for group in query.groups]
    if query.excluded is not None:
        where.append(f"!({anywhere(query.excluded)})")
    return where


def _occupation(code: str) -> str:
    found = codes.occupation(code)
    level = found.level if found is not None else None
    column = {"detailed": "occupation", "minor": "occupation_minor", "middle": "occupation_middle",
              "major": "occupation_group"}.get(level or "")
    if column is None:
        return f"occupation @^ {_literal(code)}"
    return f"{column} == {_literal(found.code)}"


def _in(column: str, values: Iterable[str]) -> str:
    return f"in_values({column}, {', '.join(_literal(value) for value in values)})"


def _or(conditions: Sequence[str]) -> str:
    return " || ".join(f"({condition})" for condition in conditions)


def _literal(value: str) -> str:
    """A string literal of Groonga's script syntax."""
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _day(value: date) -> int:
    """A date as the index keeps it: 2026-11-27 → 20261127 (ordered like the dates)."""
    return value.year * 10000 + value.month * 100 + value.day


def timestamp(value: datetime) -> int:
    """`updated_at` in µs since the epoch (SQLite hands back UTC without its offset)."""
    return int((value if value.tzinfo else value.replace(tzinfo=UTC)).timestamp() * 1_000_000)
