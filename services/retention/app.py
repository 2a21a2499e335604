"""create_app(settings): the retention service's Flask app."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from kit.clock import Clock
from kit.runtime import Runtime
from kit.settings import Settings
from kit.web import create_service_app
from services.retention.api import blp
from services.retention.config import load_settings
from services.retention.events import PUBLISHES
from services.retention.handlers import SUBSCRIPTIONS
from services.retention.models import Base

MIGRATIONS = Path(__file__).parent / "migrations"


def build_runtime(settings: Settings | None = None, *, clock: Clock | None = None) -> Runtime:
    return Runtime(settings or load_settings(), metadata=Base.metadata, migrations=MIGRATIONS,
                   subscriptions=SUBSCRIPTIONS, publishes=PUBLISHES, clock=clock)


def create_app(settings: Settings | None = None, *, clock: Clock | None = None,
               runtime: Runtime | None = None) -> Flask:
    runtime = runtime or build_runtime(settings, clock=clock)
    return create_service_app("retention", title="My Page retention", blueprints=[blp], runtime=runtime)
