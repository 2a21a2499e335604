"""Alembic, driven from code: one migration history per service, in services/<name>/migrations."""

from __future__ import annotations

import zlib
from pathlib import Path

from alembic import command, context, op
from alembic.config import Config
from sqlalchemy import Column, DateTime, Engine, MetaData, String, text

from kit.inbox import inbox_table
from kit.outbox import outbox_table


def alembic_config(engine: Engine, script_location: Path) -> Config:
    config = Config()
    config.set_main_option("script_location", str(script_location))
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, script_location: Path, revision: str = "head") -> None:
    """Bring the service's database to `revision` (idempotent).

    On PostgreSQL an advisory lock serialises replicas that start together, so only one of
    them migrates and the others find the work done.
    """
    config = alembic_config(engine, script_location)
    if engine.dialect.name != "postgresql":
        command.upgrade(config, revision)
        return
    key = zlib.crc32(str(script_location).encode())  # one lock per migration history
    with engine.connect() as lock:
        lock.execute(text("SELECT pg_advisory_lock(:key)"), {"key": key})
        try:
            command.upgrade(config, revision)
        finally:
            lock.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
            lock.commit()


def run_env(target_metadata: MetaData) -> None:
    """The body of every service's migrations/env.py (online mode on the runtime's engine)."""
    engine: Engine = context.config.attributes["engine"]
    with engine.begin() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        context.run_migrations()


def _messaging_tables() -> MetaData:
    metadata = MetaData()
    outbox_table(metadata)
    inbox_table(metadata)
    return metadata


def create_messaging_tables() -> None:
    """Revision 0001 of every service (its `upgrade`): the outbox and inbox tables as kit.outbox and
    kit.inbox declare them.

    Databases migrated long ago keep what this made then, so a change to those declarations is a new
    revision in every service, not an edit here; tests/integration/test_migrations_postgres.py holds
    the schema this revision makes on PostgreSQL.
    """
    _messaging_tables().create_all(op.get_bind())


def drop_messaging_tables() -> None:
    """Revision 0001's `downgrade`."""
    _messaging_tables().drop_all(op.get_bind())


# The columns the services' revisions repeat, one place each for their type and width. NOT NULL unless
# `nullable=True` is said (a primary key's column is NOT NULL anyway). Applied revisions call these, so
# they are frozen like the revisions: a wider column is a new revision that alters it, not an edit here.

def seeker_id(*constraints, nullable: bool = False, **kwargs) -> Column:
    """The seeker's opaque id (a UUID, 36 characters): profile's, and every service's reference to it."""
    return Column("seeker_id", String(36), *constraints, nullable=nullable, **kwargs)


def seeker_number(*constraints, nullable: bool = False, **kwargs) -> Column:
    """A seeker's 求職番号 as stored: 14 characters, 11040-12345678."""
    return Column("seeker_number", String(14), *constraints, nullable=nullable, **kwargs)


def job_number(*constraints, nullable: bool = False, **kwargs) -> Column:
    """A posting's 求人番号 as stored: 14 characters, 11040-00012345."""
    return Column("job_number", String(14), *constraints, nullable=nullable, **kwargs)


def timestamp(name: str, *, nullable: bool = False, **kwargs) -> Column:
    """A moment, with its zone (kit.db.UtcDateTime reads and writes it)."""
    return Column(name, DateTime(timezone=True), nullable=nullable, **kwargs)
