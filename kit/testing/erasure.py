"""Test helpers for the erasure saga (SPEC R3, DESIGN S12), generic over a service's metadata.

    seed_rows(runtime, seeker_id)           # a row in every table holding a seeker id, inbox and outbox too
    erasure_request(seeker_id)              # the retention.erasure.requested.v1 event
    rows_mentioning(runtime, seeker_id)     # {table: rows with the id anywhere}: S12 wants {}

`seed_rows` builds its rows from the tables themselves (column types, `IN (…)` and `length(…) = n`
checks, foreign keys), so a table a service adds later is seeded — and must be erased — too.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import CheckConstraint, Column, Table, insert, select

from kit.erasure import ERASURE_REQUESTED, SAGA_SERVICES, SEEKER_COLUMN
from kit.events import Event
from kit.inbox import INBOX_TABLE, claim
from kit.outbox import OUTBOX_TABLE, record
from kit.runtime import Runtime

_ONE_OF = re.compile(r"(\w+) IN \(\s*'([^']*)'")
_LENGTH = re.compile(r"length\((\w+)\)\s*=\s*(\d+)")
_BETWEEN = re.compile(r"(\w+) BETWEEN (\d+) AND \d+")


def erasure_request(seeker_id: str, *, erasure_id: str | None = None, services=SAGA_SERVICES,
                    reason: str = "withdrawal", round_: int = 1) -> Event:
    """The event retention publishes to start (or retry) an erasure, in round 1 or the final round 2."""
    return Event(type=ERASURE_REQUESTED, source="/mypage/retention", subject=erasure_id,
                 data={"erasure_id": erasure_id or str(uuid.uuid4()), "seeker_id": seeker_id,
                       "reason": reason, "services": list(services), "round": round_})


def _checks(table: Table) -> dict[str, Any]:
    """Values the table's CHECK constraints allow, per column (the first of an IN list, …)."""
    allowed: dict[str, Any] = {}
    for constraint in table.constraints:
        if not isinstance(constraint, CheckConstraint):
            continue
        text = str(constraint.sqltext)
        for column, value in _ONE_OF.findall(text):
            allowed.setdefault(column, value)
        for column, length in _LENGTH.findall(text):
            allowed.setdefault(column, ("length", int(length)))
        for column, low in _BETWEEN.findall(text):
            allowed.setdefault(column, int(low))
    return allowed


def _string(length: int | None) -> str:
    value = uuid.uuid4().hex
    return value[: min(length or 32, 32)]


def _fixed_length(length: int) -> str:
    if length == 14:  # 求職番号 / 求人番号 NNNNN-NNNNNNNN
        return f"11040-{uuid.uuid4().int % 10**8:08d}"
    return (uuid.uuid4().hex * 2)[:length]


def _value(column: Column, allowed: Any) -> Any:
    if isinstance(allowed, tuple):
        return _fixed_length(allowed[1])
    if allowed is not None:
        return allowed
    kind = _python_type(column) or str
    if kind is str:
        return _string(getattr(column.type, "length", None))
    if kind is bool:
        return True
    if kind is int or kind is float:
        return 1
    if kind is datetime:
        return datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    if kind is date:
        return date(2026, 11, 26)
    if kind is dict:
        return {}
    if kind is list:
        return []
    if kind is bytes:
        return b"x"
    return 1


class _Seeder:
    def __init__(self, runtime: Runtime, seeker_id: str, key_columns: Mapping[str, str]) -> None:
        self.runtime, self.seeker_id, self.keys = runtime, seeker_id, dict(key_columns)
        self.rows: dict[str, dict[str, Any]] = {}  # one row per table, by table name
        self.counts: dict[str, int] = {}

    def key(self, table: Table) -> str | None:
        column = self.keys.get(table.name, SEEKER_COLUMN)
        return column if column in table.c else None

    def owned(self, table: Table, seen: frozenset[str] = frozenset()) -> bool:
        """The table holds the seeker id, or points (through foreign keys) at a table that does."""
        if self.key(table):
            return True
        return any(fk.column.table.name not in seen and self.owned(fk.column.table, seen | {table.name})
                   for fk in table.foreign_keys)

    def row(self, session, table: Table) -> dict[str, Any]:
        if table.name in self.rows:
            return self.rows[table.name]
        key = self.key(table)
        existing = session.execute(select(table).where(table.c[key] == self.seeker_id)).first() if key else None
        if existing is not None:  # the service knows the seeker already (e.g. from profile's events)
            self.rows[table.name] = dict(existing._mapping)
            self.counts[table.name] = 0
            return self.rows[table.name]
        allowed = _checks(table)
        values: dict[str, Any] = {}
        for column in table.columns:
            if column.name == self.key(table):
                values[column.name] = self.seeker_id
            elif column.foreign_keys:
                foreign_key = next(iter(column.foreign_keys))
                parent = foreign_key.column.table
                if parent is table or (column.nullable and not self.owned(parent)):
                    continue
                values[column.name] = self.row(session, parent)[foreign_key.column.name]
            elif column.primary_key and len(table.primary_key.columns) == 1 and _python_type(column) is int:
                continue  # an autoincrementing id: the database numbers it
            elif not column.nullable or column.name in allowed:
                if column.default is not None or column.server_default is not None:
                    continue
                values[column.name] = _value(column, allowed.get(column.name))
        result = session.execute(insert(table).values(**values).returning(*table.primary_key.columns)).first()
        values.update(result._mapping)
        self.rows[table.name] = values
        self.counts[table.name] = 1
        return values


def _python_type(column: Column) -> type | None:
    kind = column.type
    try:
        found = kind.python_type
        if found is object and hasattr(kind, "impl"):  # a TypeDecorator (e.g. kit.db.UtcDateTime)
            found = kind.impl.python_type
        return found
    except NotImplementedError:
        return None


def seed_rows(runtime: Runtime, seeker_id: str, *, key_columns: Mapping[str, str] | None = None) -> dict[str, int]:
    """A row for `seeker_id` in every table of `runtime.metadata` that holds a seeker id or belongs
    (by foreign key) to one that does, an inbox row whose subject is the id, and two outbox rows: one
    with the id as subject (sent) and one with it only inside `data` (unsent). A table that holds a row
    of the seeker already keeps it (counted 0). Returns the rows added per table."""
    seeder = _Seeder(runtime, seeker_id, key_columns or {})
    with runtime.uow() as uow:
        session = uow.session
        for table in runtime.metadata.sorted_tables:
            if table.name not in (INBOX_TABLE, OUTBOX_TABLE) and seeder.owned(table):
                seeder.row(session, table)
        now = uow.clock.now()
        claim(session, runtime.inbox, event_id=str(uuid.uuid4()), handler="tests.seed", event_type="test.row.seeded.v1",
              subject=seeker_id, now=now)
        record(session, runtime.outbox, Event(type="test.row.seeded.v1", data={"seeker_id": seeker_id},
                                              source=runtime.source, subject=seeker_id, time=now))
        record(session, runtime.outbox, Event(type="test.row.mentioned.v1", data={"about": [seeker_id]},
                                              source=runtime.source, subject=None, time=now))
        session.execute(runtime.outbox.update().where(runtime.outbox.c.subject == seeker_id).values(sent_at=now))
        uow.commit()
    return {**seeder.counts, INBOX_TABLE: 1, OUTBOX_TABLE: 2}


def rows_mentioning(runtime: Runtime, seeker_id: str) -> dict[str, int]:
    """S12: per table, the rows holding `seeker_id` in any column (outbox bodies decoded); {} when none."""
    found: dict[str, int] = {}
    with runtime.engine.connect() as connection:
        for table in runtime.metadata.sorted_tables:
            count = sum(1 for row in connection.execute(select(table)) if any(_mentions(v, seeker_id) for v in row))
            if count:
                found[table.name] = count
    return found


def _mentions(value: Any, seeker_id: str) -> bool:
    if value is None:
        return False
    if isinstance(value, bytes | bytearray | memoryview):
        value = bytes(value).decode("utf-8", "replace")
    return seeker_id in str(value)
