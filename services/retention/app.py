"""create_app(settings): the retention service's Flask app, and its composition root."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from kit.clock import Clock
from kit.runtime import Runtime
from kit.settings import Settings
from kit.tokens import TokenVerifier
from kit.web import create_service_app
from services.retention.api import blp
from services.retention.config import RetentionOptions, load_options, load_settings
from services.retention.events import PUBLISHES
from services.retention.handlers import SUBSCRIPTIONS
from services.retention.models import Base
from services.retention.tasks import RETRY_TASK, SWEEP_TASK, retry_task, sweep_task

MIGRATIONS = Path(__file__).parent / "migrations"


def build_runtime(settings: Settings | None = None, *, clock: Clock | None = None,
                  options: RetentionOptions | None = None) -> Runtime:
    """The retention process: its database, subscriptions (R2 projection, A9, R3 confirmations) and two
    tasks: the five-year sweep (R2) and the re-sending of unconfirmed erasure requests (R3)."""
    settings = settings or load_settings()
    options = options or load_options(settings.options)
    runtime = Runtime(settings, metadata=Base.metadata, migrations=MIGRATIONS,
                      subscriptions=SUBSCRIPTIONS, publishes=PUBLISHES, clock=clock)
    runtime.add_task(SWEEP_TASK, sweep_task(runtime, options.sweep_every))
    runtime.add_task(RETRY_TASK, retry_task(runtime, options.retry_interval, options.retry_check_every,
                                                 options.final_round_delay))
    return runtime


def create_app(settings: Settings | None = None, *, clock: Clock | None = None,
               runtime: Runtime | None = None, token_verifier: TokenVerifier | None = None) -> Flask:
    runtime = runtime or build_runtime(settings, clock=clock)
    return create_service_app("retention", title="My Page retention", blueprints=[blp], runtime=runtime,
                              token_verifier=token_verifier)
