"""create_app(settings): the profile service's Flask app."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from kit.clock import Clock
from kit.runtime import Runtime
from kit.settings import Settings
from kit.web import create_service_app
from services.profile.api import blp
from services.profile.config import load_settings
from services.profile.handlers import SUBSCRIPTIONS
from services.profile.models import Base

MIGRATIONS = Path(__file__).parent / "migrations"


def build_runtime(settings: Settings | None = None, *, clock: Clock | None = None) -> Runtime:
    return Runtime(settings or load_settings(), metadata=Base.metadata, migrations=MIGRATIONS,
                   subscriptions=SUBSCRIPTIONS, clock=clock)


def create_app(settings: Settings | None = None, *, clock: Clock | None = None,
               runtime: Runtime | None = None) -> Flask:
    runtime = runtime or build_runtime(settings, clock=clock)
    return create_service_app("profile", title="My Page profile", blueprints=[blp], runtime=runtime)
