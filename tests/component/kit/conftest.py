"""Helpers of the kit's component tests: a probe service app, and the access log lines caplog holds."""

from __future__ import annotations

import json

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields
from sqlalchemy.exc import OperationalError

from kit.logs import JsonFormatter
from kit.problem import Problem
from kit.runtime import Runtime
from kit.settings import Settings
from kit.web import create_service_app
from services.auth.app import MIGRATIONS
from services.auth.models import Base


class _Body(Schema):
    email = fields.Email(required=True)
    count = fields.Integer()


def probe_app():
    """A service app (auth's runtime on in-memory SQLite) with /api/v1/probe (a body schema, a Problem),
    /api/v1/boom (an unexpected error) and /api/v1/db-down (the database away)."""
    blp = Blueprint("probe", __name__, url_prefix="/api/v1")

    @blp.route("/probe")
    class Probe(MethodView):
        @blp.arguments(_Body)
        @blp.response(201)
        def post(self, body):
            return body

        def get(self):
            raise Problem("conflict", detail_ja="状態が違います。", detail_en="Wrong state.")

    @blp.route("/boom")
    class Boom(MethodView):
        def get(self):
            raise RuntimeError("secret stack detail")

    @blp.route("/db-down")
    class DbDown(MethodView):
        def get(self):
            raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    runtime = Runtime(Settings.from_env("auth", {}, database_url="sqlite://"), metadata=Base.metadata,
                      migrations=MIGRATIONS)
    return create_service_app("auth", title="probe", blueprints=[blp], runtime=runtime)


def access_lines(caplog) -> list[dict]:
    """The mypage.access records caplog holds, as the JSON lines the processes write."""
    return [json.loads(JsonFormatter().format(record)) for record in caplog.records if record.name == "mypage.access"]
