"""create_app(settings): the profile service's Flask app."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from kit.clock import Clock
from kit.runtime import Runtime
from kit.settings import Settings
from kit.tokens import TokenVerifier
from kit.web import create_service_app
from services.profile import applications_api
from services.profile.api import blp
from services.profile.commands import expiry_task
from services.profile.config import load_settings
from services.profile.events import PUBLISHES
from services.profile.handlers import SUBSCRIPTIONS
from services.profile.models import Base

MIGRATIONS = Path(__file__).parent / "migrations"
EXPIRY_TASK = "registration-expiry"


def build_runtime(settings: Settings | None = None, *, clock: Clock | None = None) -> Runtime:
    runtime = Runtime(settings or load_settings(), metadata=Base.metadata, migrations=MIGRATIONS,
                      subscriptions=SUBSCRIPTIONS, publishes=PUBLISHES, clock=clock)
    runtime.add_task(EXPIRY_TASK, expiry_task(runtime))  # P3a: expiry turns a registration invalid by itself
    return runtime


def create_app(settings: Settings | None = None, *, clock: Clock | None = None,
               runtime: Runtime | None = None, token_verifier: TokenVerifier | None = None) -> Flask:
    runtime = runtime or build_runtime(settings, clock=clock)
    return create_service_app("profile", title="My Page profile", blueprints=[blp, applications_api.blp],
                              runtime=runtime, token_verifier=token_verifier)
