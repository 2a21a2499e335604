"""Alembic, driven from code: one migration history per service, in services/<name>/migrations."""

from __future__ import annotations

import zlib
from pathlib import Path

from alembic import command, context
from alembic.config import Config
from sqlalchemy import Engine, MetaData, text


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


def create_messaging_tables(bind) -> None:
    """Create the outbox and inbox tables (the first migration of every service calls this)."""
    from kit.inbox import inbox_table
    from kit.outbox import outbox_table

    metadata = MetaData()
    outbox_table(metadata)
    inbox_table(metadata)
    metadata.create_all(bind)


def drop_messaging_tables(bind) -> None:
    from kit.inbox import inbox_table
    from kit.outbox import outbox_table

    metadata = MetaData()
    outbox_table(metadata)
    inbox_table(metadata)
    metadata.drop_all(bind)
