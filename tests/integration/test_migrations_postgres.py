"""Every service's migrations run on PostgreSQL too (production), in a throw-away database.

Each test gets a fresh database (kit.testing.plugin's `database_url`: the machine's server, or
MYPAGE_TEST_DATABASE_URL; skipped without one, failed under CI=true).
"""

import importlib

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, inspect, select, text

from kit.clock import FrozenClock
from kit.migrations import alembic_config
from kit.settings import SERVICES, Settings
from kit.testing.services import migrated_runtime


@pytest.fixture(params=SERVICES)
def runtime(request, database_url):
    service = request.param
    app = importlib.import_module(f"services.{service}.app")
    settings = Settings.from_env(service, {}, database_url=database_url)
    runtime = app.build_runtime(settings, clock=FrozenClock())
    yield runtime
    runtime.dispose()


def test_migrations_run_on_postgresql_and_match_the_models(runtime):
    runtime.migrate()
    runtime.migrate()
    assert {"outbox", "inbox", "alembic_version"} <= set(inspect(runtime.engine).get_table_names())
    with runtime.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), runtime.metadata) == []
    command.downgrade(alembic_config(runtime.engine, runtime.migrations), "base")
    assert set(inspect(runtime.engine).get_table_names()) <= {"alembic_version"}


# What revision 0001 made on PostgreSQL when the services were first deployed: kit.migrations builds it
# from kit.outbox's and kit.inbox's declarations, which must not drift from it (a change is a new revision).
MESSAGING_TABLES = {
    "outbox": {
        "columns": [
            ("id", "bigint", True, "nextval('outbox_id_seq'::regclass)"),
            ("event_id", "character varying(36)", True, None),
            ("type", "character varying(120)", True, None),
            ("subject", "character varying(120)", False, None),
            ("body", "bytea", True, None),
            ("created_at", "timestamp with time zone", True, None),
            ("sent_at", "timestamp with time zone", False, None),
            ("attempts", "integer", True, "0"),
            ("next_attempt_at", "timestamp with time zone", False, None),
            ("last_error", "text", False, None),
        ],
        "indexes": [
            "CREATE INDEX ix_outbox_subject ON public.outbox USING btree (subject)",
            "CREATE INDEX ix_outbox_unsent ON public.outbox USING btree (id) WHERE (sent_at IS NULL)",
            "CREATE UNIQUE INDEX outbox_event_id_key ON public.outbox USING btree (event_id)",
            "CREATE UNIQUE INDEX outbox_pkey ON public.outbox USING btree (id)",
        ],
        "constraints": [("outbox_event_id_key", "UNIQUE (event_id)"), ("outbox_pkey", "PRIMARY KEY (id)")],
    },
    "inbox": {
        "columns": [
            ("event_id", "character varying(36)", True, None),
            ("handler", "character varying(120)", True, None),
            ("event_type", "character varying(120)", True, None),
            ("subject", "character varying(120)", False, None),
            ("handled_at", "timestamp with time zone", True, None),
        ],
        "indexes": [
            "CREATE UNIQUE INDEX inbox_pkey ON public.inbox USING btree (event_id, handler)",
            "CREATE INDEX ix_inbox_subject ON public.inbox USING btree (subject)",
        ],
        "constraints": [("inbox_pkey", "PRIMARY KEY (event_id, handler)")],
    },
}


def catalog(connection, table: str) -> dict:
    """`table` as PostgreSQL's catalog holds it: columns (type, NOT NULL, default) in order, indexes, constraints."""
    columns = connection.execute(text(
        "SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, pg_get_expr(d.adbin, d.adrelid)"
        " FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
        " WHERE a.attrelid = CAST(:table AS regclass) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum"),
        {"table": table})
    indexes = connection.execute(text(
        "SELECT indexdef FROM pg_indexes WHERE tablename = :table AND schemaname = current_schema()"
        " ORDER BY indexname"), {"table": table})
    constraints = connection.execute(text(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = CAST(:table AS regclass)"
        " ORDER BY conname"), {"table": table})
    return {"columns": [tuple(row) for row in columns], "indexes": indexes.scalars().all(),
            "constraints": [tuple(row) for row in constraints]}


def test_the_first_revision_makes_the_messaging_tables_it_always_made(runtime):
    config = alembic_config(runtime.engine, runtime.migrations)
    command.upgrade(config, "0001")
    with runtime.engine.connect() as connection:
        assert set(inspect(connection).get_table_names()) == {"outbox", "inbox", "alembic_version"}
        assert {table: catalog(connection, table) for table in MESSAGING_TABLES} == MESSAGING_TABLES
    command.upgrade(config, "head")
    with runtime.engine.connect() as connection:
        assert {table: catalog(connection, table) for table in MESSAGING_TABLES} == MESSAGING_TABLES
    command.downgrade(config, "base")
    assert set(inspect(runtime.engine).get_table_names()) <= {"alembic_version"}


@pytest.fixture
def jobs_runtime(database_url):
    from services.jobs.app import build_runtime

    with migrated_runtime(build_runtime, "jobs", FrozenClock(), database_url) as runtime:
        yield runtime


def test_demo_postings_load_on_postgresql(jobs_runtime):
    from services.jobs.demo import load_demo
    from services.jobs.models import postings

    assert load_demo(jobs_runtime, count=1500) == 1500
    assert load_demo(jobs_runtime, count=1500) == 0
    with jobs_runtime.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(postings)) == 1500
        document = connection.scalar(select(postings.c.document).limit(1))
    assert "insurance" in document


def test_the_demo_seekers_activity_loads_on_postgresql(jobs_runtime):
    from services.jobs.demo import DEMO_SEEKER_ID, load_activity, load_demo
    from services.jobs.models import applications

    load_demo(jobs_runtime)
    assert load_activity(jobs_runtime) is True
    assert load_activity(jobs_runtime) is False
    with jobs_runtime.engine.connect() as connection:
        assert connection.scalar(select(applications.c.seeker_id)) == DEMO_SEEKER_ID


@pytest.fixture
def profile_runtime(database_url):
    from services.profile.app import build_runtime

    with migrated_runtime(build_runtime, "profile", FrozenClock(), database_url) as runtime:
        yield runtime


def test_demo_seeker_registers_on_postgresql(profile_runtime):
    from services.profile.demo import load_demo

    assert load_demo(profile_runtime) is True
    assert load_demo(profile_runtime) is False
    with profile_runtime.engine.connect() as connection:
        types = connection.execute(select(profile_runtime.outbox.c.type)).scalars().all()
    assert types == ["profile.seeker.registered.v1", "profile.registration.validated.v1",
                     "profile.desired_conditions.changed.v1"]
