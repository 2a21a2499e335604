"""SQLAlchemy engines and sessions for PostgreSQL (production) and SQLite (embedded, component tests)."""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from datetime import UTC
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Connection,
    DateTime,
    Engine,
    Integer,
    Select,
    create_engine,
    event,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool
from sqlalchemy.types import TypeDecorator

# The column types every service's tables use (models and migrations alike; applied revisions too, so a
# change to one is a new revision, not an edit here).
ROW_ID = BigInteger().with_variant(Integer(), "sqlite")
"""A surrogate key: BIGINT on PostgreSQL; INTEGER PRIMARY KEY on SQLite, the rowid, so it autoincrements."""
DOCUMENT = JSON().with_variant(postgresql.JSONB(), "postgresql")
"""A JSON document: JSONB on PostgreSQL."""


def make_engine(url: str, **kwargs) -> Engine:
    """An engine with the settings each backend needs.

    SQLite: WAL, foreign keys, a busy timeout so threads of the embedded mode wait instead
    of failing. PostgreSQL: psycopg 3, pre-ping so a restarted server gives a clean error.
    Both: S7/E3 — an error names the statement, never its parameters or a value of a row.
    """
    parsed = make_url(url)
    kwargs.setdefault("json_serializer", _json_dumps)
    kwargs.setdefault("hide_parameters", True)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        options = {"connect_args": {"check_same_thread": False, "timeout": 30}}
        if not database or database == ":memory:":
            options["poolclass"] = StaticPool
        options.update(kwargs)
        engine = create_engine(parsed, **options)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    options = {"pool_pre_ping": True, "pool_size": 10, "max_overflow": 10}
    options.update(kwargs)
    engine = create_engine(parsed, **options)
    event.listen(engine, "handle_error", _without_values)
    return engine


def _without_values(context) -> None:
    """S7/E3: PostgreSQL quotes row values in an error's DETAIL (`Key (email)=(taro@…) already exists`,
    `Failing row contains (…)`) and data errors quote the value (`invalid input syntax for type
    integer: "…"`); hide_parameters cannot reach those. Keep the message's first line (for a data
    error only its SQLSTATE), the SQLSTATE and the names of constraint, table and column."""
    original = context.original_exception
    diag = getattr(original, "diag", None)
    sqlstate = getattr(diag, "sqlstate", None)
    if not sqlstate:  # not an error the server reported (connection refused, …): no row in it
        return
    primary = "data exception" if sqlstate.startswith("22") else (diag.message_primary or "error")
    names = [f"{label} {value}" for label, value in (("constraint", diag.constraint_name),
                                                     ("table", diag.table_name), ("column", diag.column_name))
             if value]
    text = f"{primary} (SQLSTATE {sqlstate}{''.join(f'; {name}' for name in names)})"
    original.args = (text,)
    wrapped = context.sqlalchemy_exception
    if wrapped is not None:
        wrapped.args = (f"({type(original).__module__}.{type(original).__name__}) {text}",)


# Japanese stays readable in JSON columns (no \\u escapes).
_json_dumps = functools.partial(json.dumps, ensure_ascii=False)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_session_factory(engine: Engine) -> sessionmaker:
    return sessionmaker(bind=engine, expire_on_commit=False)


def insert_ignore(bind: Session | Connection | Engine, table, on: str | Sequence[str]):
    """`INSERT … ON CONFLICT (on) DO NOTHING` into `table` in the dialect of `bind` (PostgreSQL or SQLite):
    a row whose key `on` is already there is left as it is. Chain `.values(…)` or execute it with a list of rows.
    To learn which rows were new, add `.returning(…)`: SQLAlchemy 2.1 + psycopg 3 report rowcount -1 for an
    INSERT, so `rowcount` cannot tell a new row from one left as it was on PostgreSQL."""
    dialect = (bind.get_bind() if isinstance(bind, Session) else bind).dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(table).on_conflict_do_nothing(index_elements=[on] if isinstance(on, str) else list(on))


def for_update(session: Session, statement: Select, *, key: Column | None = None, value: Any = None) -> Select:
    """`statement`, holding the rows it reads until the transaction ends: FOR UPDATE on PostgreSQL.

    SQLite has no row locks, only the database's write lock, which a transaction takes at its first write:
    a caller that has written nothing yet names the rows by `key` == `value`, and a no-op write of them takes
    the lock now (a read first would let a concurrent writer commit between that read and the caller's
    write); a caller that has written already (an insert_ignore of the row) holds it and names no key."""
    if session.get_bind().dialect.name != "sqlite":
        return statement.with_for_update()
    if key is not None:
        session.execute(update(key.table).where(key == value).values({key.name: key}))
    return statement


class UtcDateTime(TypeDecorator):
    """A timestamp stored in UTC that always reads back timezone-aware (SQLite keeps no zone).

    The column is `DateTime(timezone=True)`, so migrations declare it as such.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
