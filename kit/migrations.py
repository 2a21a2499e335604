"""Alembic, driven from code: one migration history per service, in services/<name>/migrations."""

from __future__ import annotations

from pathlib import Path

from alembic import command, context
from alembic.config import Config
from sqlalchemy import Engine, MetaData


def alembic_config(engine: Engine, script_location: Path) -> Config:
    config = Config()
    config.set_main_option("script_location", str(script_location))
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, script_location: Path, revision: str = "head") -> None:
    """Bring the service's database to `revision` (idempotent)."""
    command.upgrade(alembic_config(engine, script_location), revision)


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
