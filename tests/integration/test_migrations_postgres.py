"""Every service's migrations run on PostgreSQL too (production), in a throw-away database.

Each test gets a fresh database (kit.testing.plugin's `database_url`: the machine's server, or
MYPAGE_TEST_DATABASE_URL; skipped without one, failed under CI=true).
"""

import importlib

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, inspect, select

from kit.clock import FrozenClock
from kit.migrations import alembic_config
from kit.settings import SERVICES, Settings


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


@pytest.fixture
def jobs_runtime(database_url):
    from services.jobs.app import build_runtime

    runtime = build_runtime(Settings.from_env("jobs", {}, database_url=database_url), clock=FrozenClock())
    runtime.migrate()
    yield runtime
    runtime.dispose()


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

    runtime = build_runtime(Settings.from_env("profile", {}, database_url=database_url), clock=FrozenClock())
    runtime.migrate()
    yield runtime
    runtime.dispose()


def test_demo_seeker_registers_on_postgresql(profile_runtime):
    from services.profile.demo import load_demo

    assert load_demo(profile_runtime) is True
    assert load_demo(profile_runtime) is False
    with profile_runtime.engine.connect() as connection:
        types = connection.execute(select(profile_runtime.outbox.c.type)).scalars().all()
    assert types == ["profile.seeker.registered.v1", "profile.registration.validated.v1",
                     "profile.desired_conditions.changed.v1"]
