"""SQLAlchemy engines and sessions for PostgreSQL (production) and SQLite (embedded, unit tests)."""

from __future__ import annotations

import functools
import json
from datetime import UTC
from pathlib import Path

from sqlalchemy import DateTime, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import StaticPool
from sqlalchemy.types import TypeDecorator


def make_engine(url: str, **kwargs) -> Engine:
    """An engine with the settings each backend needs.

    SQLite: WAL, foreign keys, a busy timeout so threads of the embedded mode wait instead
    of failing. PostgreSQL: psycopg 3, pre-ping so a restarted server gives a clean error.
    """
    parsed = make_url(url)
    kwargs.setdefault("json_serializer", _json_dumps)
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
    return create_engine(parsed, **options)


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
