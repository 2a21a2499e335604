"""Every service builds, migrates, answers /healthz /readyz and serves its OpenAPI document;
`python -m services.<name> migrate` works from the command line."""

import importlib
import os
import sqlite3
import subprocess
import sys

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from kit.events import EventSpec
from kit.migrations import alembic_config
from kit.settings import SERVICES, Settings

# the tables each service's migrations create besides the outbox and inbox
OWN_TABLES = {"auth": {"accounts", "auth_keys", "login_challenges", "login_throttles", "sessions", "devices",
                       "retired_refresh_tokens", "mail_outbox", "employer_clients", "staff_audit"},
              "jobs": {"postings", "seeker_status", "favourites", "saved_searches",
                       "referrals", "recommendations", "applications", "application_documents", "no_shows",
                       "no_show_restrictions", "desired_conditions", "desired_condition_terms",
                       "matches", "disclosures", "direct_requests", "employer_clients", "posting_event_versions"},
              "profile": {"seekers", "application_profiles"},
              "messaging": {"seeker_status", "notices", "threads", "messages"},
              "retention": {"registrations", "erasures", "erasure_confirmations", "erasure_audit"}}


def _module(service: str, name: str):
    return importlib.import_module(f"services.{service}.{name}")


@pytest.fixture(params=SERVICES)
def service(request) -> str:
    return request.param


@pytest.fixture
def runtime(service):
    runtime = _module(service, "app").build_runtime(Settings.from_env(service, {}, database_url="sqlite://"))
    runtime.migrate()
    yield runtime
    runtime.dispose()


@pytest.fixture
def client(service, runtime):
    return _module(service, "app").create_app(runtime=runtime).test_client()


def test_the_five_services_are_the_ones_settings_know():
    assert set(OWN_TABLES) == set(SERVICES)


def test_healthz_and_readyz_answer_200(client):
    assert client.get("/healthz").json == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json["checks"]["database"] == "ok"


def test_openapi_document_names_the_service_in_japanese(service, client):
    response = client.get("/openapi.json")
    assert response.status_code == 200
    document = response.json
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == f"My Page {service}"
    tags = {tag["name"]: tag.get("description", "") for tag in document.get("tags", [])}
    assert f"({service})" in tags[service]
    assert any("\u3040" <= char <= "\u30ff" or "\u4e00" <= char <= "\u9fff" for char in tags[service])


def test_create_app_from_settings_alone(service):
    module = _module(service, "app")
    app = module.create_app(Settings.from_env(service, {}, database_url="sqlite://"))
    runtime = app.extensions["runtime"]
    try:
        runtime.migrate()
        assert app.test_client().get("/readyz").status_code == 200
    finally:
        runtime.dispose()


def test_blueprint_is_mounted_under_api_v1(service):
    assert _module(service, "api").blp.url_prefix == "/api/v1"


def test_migrations_create_the_tables_the_models_declare(service, runtime):
    tables = set(inspect(runtime.engine).get_table_names()) - {"alembic_version"}
    assert tables == {"outbox", "inbox"} | OWN_TABLES[service]
    with runtime.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), runtime.metadata) == []


def test_migrate_is_idempotent_and_downgrades_to_nothing(runtime):
    runtime.migrate()
    config = alembic_config(runtime.engine, runtime.migrations)
    command.downgrade(config, "base")
    assert set(inspect(runtime.engine).get_table_names()) <= {"alembic_version"}
    runtime.migrate()
    assert "outbox" in inspect(runtime.engine).get_table_names()


def test_events_and_subscriptions_are_declared(service):
    published = _module(service, "events").PUBLISHES
    assert all(isinstance(spec, EventSpec) and spec.service == service for spec in published)
    assert isinstance(_module(service, "handlers").SUBSCRIPTIONS, dict)


def _clean_environ(**extra: str) -> dict[str, str]:
    environ = {key: value for key, value in os.environ.items() if not key.startswith("MYPAGE_")}
    environ.update(extra)
    return environ


def _tables(path) -> set[str]:
    with sqlite3.connect(path) as connection:
        return {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_cli_migrate_into_the_var_dir(service, tmp_path):
    result = subprocess.run([sys.executable, "-m", f"services.{service}", "migrate"], cwd=tmp_path,
                            env=_clean_environ(MYPAGE_VAR_DIR=str(tmp_path / "var")),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    database = tmp_path / "var" / f"{service}.db"
    assert {"outbox", "inbox", "alembic_version"} | OWN_TABLES[service] <= _tables(database)


def test_cli_migrate_to_the_service_database_url(tmp_path):
    database = tmp_path / "elsewhere" / "jobs.sqlite"
    environ = _clean_environ(MYPAGE_JOBS_DATABASE_URL=f"sqlite:///{database}",
                             MYPAGE_VAR_DIR=str(tmp_path / "var"))
    for _ in range(2):  # the second run finds nothing to do
        result = subprocess.run([sys.executable, "-m", "services.jobs", "migrate"], cwd=tmp_path, env=environ,
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
    assert "postings" in _tables(database)
    assert not (tmp_path / "var" / "jobs.db").exists()
