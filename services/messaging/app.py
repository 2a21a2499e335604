"""create_app(settings): the messaging service's Flask app."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from kit.clock import Clock
from kit.runtime import Runtime
from kit.settings import Settings
from kit.tokens import TokenVerifier
from kit.web import create_service_app
from services.messaging.api import blp
from services.messaging.config import load_settings
from services.messaging.events import PUBLISHES
from services.messaging.handlers import SUBSCRIPTIONS
from services.messaging.internal import internal
from services.messaging.models import Base
from services.messaging.tasks import RETENTION_TASK, retention_task

MIGRATIONS = Path(__file__).parent / "migrations"


def build_runtime(settings: Settings | None = None, *, clock: Clock | None = None) -> Runtime:
    runtime = Runtime(settings or load_settings(), metadata=Base.metadata, migrations=MIGRATIONS,
                      subscriptions=SUBSCRIPTIONS, publishes=PUBLISHES, clock=clock)
    runtime.add_task(RETENTION_TASK, retention_task(runtime))  # M3: deleted one year after sent/received
    return runtime


def create_app(settings: Settings | None = None, *, clock: Clock | None = None,
               runtime: Runtime | None = None, token_verifier: TokenVerifier | None = None) -> Flask:
    runtime = runtime or build_runtime(settings, clock=clock)
    app = create_service_app("messaging", title="My Page messaging", blueprints=[blp], runtime=runtime,
                             token_verifier=token_verifier)
    app.register_blueprint(internal)  # P5 fragment: not part of the public API document
    return app
