"""create_app(settings): the jobs service's Flask app."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from kit.clock import Clock
from kit.runtime import Runtime
from kit.settings import Settings
from kit.tokens import TokenVerifier
from kit.web import create_service_app, problem_response
from services.jobs import alerts_api, employer_api, refusals
from services.jobs.api import blp, internal
from services.jobs.config import load_settings, search_engine_of
from services.jobs.domain import Refused
from services.jobs.events import PUBLISHES
from services.jobs.handlers import SUBSCRIPTIONS
from services.jobs.models import Base
from services.jobs.search_engine import SearchEngine
from services.jobs.tasks import DIGEST_TASK, digest_task

MIGRATIONS = Path(__file__).parent / "migrations"


def build_runtime(settings: Settings | None = None, *, clock: Clock | None = None) -> Runtime:
    """The jobs process: its database, subscriptions and one runtime task, the daily saved-search digest."""
    runtime = Runtime(settings or load_settings(), metadata=Base.metadata, migrations=MIGRATIONS,
                      subscriptions=SUBSCRIPTIONS, publishes=PUBLISHES, clock=clock)
    runtime.add_task(DIGEST_TASK, digest_task(runtime))
    return runtime


def create_app(settings: Settings | None = None, *, clock: Clock | None = None,
               runtime: Runtime | None = None, token_verifier: TokenVerifier | None = None,
               engine: SearchEngine | None = None) -> Flask:
    """`engine`: the search node to ask (default: MYPAGE_SEARCH_URL's, none in the embedded mode)."""
    runtime = runtime or build_runtime(settings, clock=clock)
    engine = engine or search_engine_of(runtime.settings)
    readiness = []
    if engine is not None:
        def search_engine():
            engine.ping()

        readiness.append(search_engine)
    app = create_service_app("jobs", title="My Page jobs", blueprints=[blp, employer_api.blp, alerts_api.blp],
                             runtime=runtime, token_verifier=token_verifier, readiness=readiness)
    app.extensions["search_engine"] = engine
    app.register_error_handler(Refused, lambda refused: problem_response(refusals.problem(refused)))
    app.register_blueprint(internal)  # P5 home counts: plain Flask, so not in the public OpenAPI document
    return app
