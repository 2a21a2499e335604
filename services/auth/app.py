"""create_app(settings): the auth service's Flask app, and its composition root."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from flask import Flask

from kit.clock import Clock
from kit.runtime import Runtime
from kit.settings import Settings
from kit.web import create_service_app
from services.auth import audit_api, clients_api, digests
from services.auth.api import blp
from services.auth.commands import AuthContext
from services.auth.config import AuthSecrets, load_secrets, load_settings
from services.auth.events import PUBLISHES
from services.auth.handlers import SUBSCRIPTIONS
from services.auth.mail import MailDispatcher
from services.auth.models import Base
from services.auth.passwords import Passwords
from services.auth.purge import PURGE_TASK, purge_task

MIGRATIONS = Path(__file__).parent / "migrations"
MAIL_TASK = "auth-mail"


def build_runtime(settings: Settings | None = None, *, clock: Clock | None = None) -> Runtime:
    """The auth process: its database, subscriptions, and two background tasks: the mail dispatcher (S3)
    and the purge of expired keys, challenges, sessions, devices, throttles and sent mail (R1)."""
    runtime = Runtime(settings or load_settings(), metadata=Base.metadata, migrations=MIGRATIONS,
                      subscriptions=SUBSCRIPTIONS, publishes=PUBLISHES, clock=clock)
    digests.public_url(runtime.settings)  # C4: refused at start, not at the first digest mail
    runtime.add_task(MAIL_TASK, MailDispatcher(runtime).run_forever)
    runtime.add_task(PURGE_TASK, purge_task(runtime))
    return runtime


def mail_dispatcher(runtime: Runtime) -> MailDispatcher | None:
    """The dispatcher registered by build_runtime (its task is the bound `run_forever`)."""
    task = runtime.tasks.get(MAIL_TASK)
    return getattr(task, "__self__", None)


def create_app(settings: Settings | None = None, *, clock: Clock | None = None,
               runtime: Runtime | None = None) -> Flask:
    runtime = runtime or build_runtime(settings, clock=clock)
    secrets = load_secrets(runtime.settings)
    write_jwks(runtime.settings, secrets)
    dispatcher = mail_dispatcher(runtime)
    app = create_service_app("auth", title="My Page auth", blueprints=[blp, clients_api.blp, audit_api.blp],
                             runtime=runtime)
    app.register_blueprint(audit_api.internal)  # C3: the gateway records staff writes here
    app.extensions["auth"] = AuthContext(runtime, secrets, Passwords(),
                                         wake_mail=dispatcher.wake if dispatcher else None)
    return app


def write_jwks(settings: Settings, secrets: AuthSecrets) -> Path | None:
    """Embedded mode (MYPAGE_JWKS_URL is file://…): publish the public keys where every verifier reads them."""
    if not settings.jwks_url.startswith("file://"):
        return None
    path = Path(settings.jwks_url[len("file://"):])
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".jwks-", suffix=".json")
    with os.fdopen(descriptor, "w") as file:
        json.dump(secrets.public_jwks(), file)
    os.replace(temporary, path)
    return path
