"""Flask mechanics every service app shares: the flask-smorest Api, problem+json errors, the gateway's
body limits (kit.bodies), request/correlation ids, health and readiness, Prometheus metrics (with the
bus's, kit.metrics), JSON logs; and a view's unit of work: `in_uow` to read, `committed` to change (the view
owns the commit).
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any, TypeVar

from flask import Flask, Response, current_app, g, jsonify, request
from flask_smorest import Api, Blueprint
from flask_smorest.utils import prepare_response
from marshmallow import INCLUDE, Schema, fields
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException

from kit import bodies, tokens
from kit.logs import log_access
from kit.metrics import BusCollector, bus_probe, scrape_registry
from kit.problem import Problem, flatten_errors, prefers_english
from kit.tokens import KeySet, TokenVerifier
from kit.uow import correlation_id

PROBLEM_JSON = "application/problem+json"
REQUEST_ID_HEADER = "X-Request-ID"
CORRELATION_HEADER = "X-Correlation-ID"
log = logging.getLogger("mypage.web")
T = TypeVar("T")

_HTTP_TO_PROBLEM = {400: "bad-request", 401: "unauthorized", 403: "forbidden", 404: "not-found",
                    405: "method-not-allowed", 409: "conflict", 413: "payload-too-large", 415: "unsupported-media-type",
                    422: "validation-failed", 429: "too-many-requests", 503: "service-unavailable"}


class ProblemFieldSchema(Schema):
    """One invalid field of a 422 problem and what is wrong with it."""

    field = fields.String(required=True, metadata={"example": "email"})
    messages = fields.List(fields.String(), required=True)


class ProblemSchema(Schema):
    """An application/problem+json document (RFC 9457), as kit.problem.Problem renders it.

    Members beyond these are extensions a refusal may add (e.g. `reason`), hence INCLUDE.
    """

    class Meta:
        unknown = INCLUDE

    type = fields.String(required=True, metadata={
        "example": "https://mypage.hellowork.example/problems/validation-failed"})
    title = fields.String(required=True, metadata={"description": "Japanese, English with Accept-Language: en"})
    status = fields.Integer(required=True)
    detail = fields.String(metadata={"description": "what to do next"})
    instance = fields.String(metadata={"description": "the request path"})
    errors = fields.List(fields.Nested(ProblemFieldSchema), metadata={"description": "422: the invalid fields"})


class ProblemApi(Api):
    """flask-smorest's Api, documenting its error responses (DEFAULT_ERROR, UNPROCESSABLE_ENTITY, …)
    as they are sent: application/problem+json with ProblemSchema, not flask-smorest's JSON error."""

    ERROR_SCHEMA = ProblemSchema

    def _register_responses(self) -> None:
        for status in HTTPStatus:
            response = {"description": status.phrase}
            if not 100 <= status < 200 and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_JSON)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "エラー (problem+json) / an error (problem+json)", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_JSON)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, response, lazy=True)


def create_service_app(
    name: str,
    *,
    title: str,
    blueprints: Iterable[Blueprint],
    runtime,
    readiness: Iterable[Callable[[], None]] = (),
    version: str = "1.0.0",
    token_verifier: TokenVerifier | None = None,
) -> Flask:
    """Build a service's Flask app: Api + blueprints + errors + /healthz /readyz /metrics.

    `runtime` is the service's kit.runtime.Runtime; it is kept in app.extensions["runtime"].
    `token_verifier` checks bearer tokens (default: one reading the JWKS at settings.jwks_url).
    """
    app = Flask(f"services.{name}")
    app.config.update(
        API_TITLE=title,
        API_VERSION=version,
        OPENAPI_VERSION="3.1.0",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_URL_PREFIX="/",
        JSON_AS_ASCII=False,
    )
    app.json.ensure_ascii = False
    app.extensions["runtime"] = runtime
    api = ProblemApi(app, spec_kwargs={"info": {"description": f"{title} (Hello Work job-seeker My Page)"}})
    for blueprint in blueprints:
        api.register_blueprint(blueprint)
    app.extensions["api"] = api
    _install_request_ids(app)
    _install_error_handlers(app)
    bodies.install(app)
    if token_verifier is None and runtime.settings.jwks_url:
        token_verifier = TokenVerifier(KeySet(runtime.settings.jwks_url), clock=runtime.clock)
    tokens.install(app, token_verifier)
    _install_health(app, runtime, list(readiness))
    _install_metrics(app, name, runtime)
    return app


def current_runtime():
    """The kit.runtime.Runtime of the service answering this request."""
    return current_app.extensions["runtime"]


def in_uow(command: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """A view's read: `command(uow, *args, **kwargs)` in a unit of work of this service; nothing is committed."""
    with current_runtime().uow() as uow:
        return command(uow, *args, **kwargs)


def committed(command: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """A view's change: `command(uow, *args, **kwargs)` in a unit of work, then commit (the view owns the
    commit, README); returns what the command returned for the view to dump."""
    with current_runtime().uow() as uow:
        result = command(uow, *args, **kwargs)
        uow.commit()
        return result


def problem_response(problem: Problem) -> Response:
    """Render `problem` for the current request (language from Accept-Language)."""
    english = prefers_english(request.headers.get("Accept-Language"))
    body = problem.to_dict(english=english, instance=request.path)
    response = Response(json.dumps(body, ensure_ascii=False), status=problem.http_status, mimetype=PROBLEM_JSON)
    response.headers["Content-Language"] = "en" if english else "ja"
    for name, value in problem.headers.items():
        response.headers[name] = value
    return response


def _install_request_ids(app: Flask) -> None:
    @app.before_request
    def _ids() -> None:
        g.request_id = request.headers.get(REQUEST_ID_HEADER) or uuid.uuid4().hex
        g.correlation_token = correlation_id.set(request.headers.get(CORRELATION_HEADER) or g.request_id)
        g.started = time.perf_counter()

    @app.after_request
    def _echo(response: Response) -> Response:
        response.headers.setdefault(REQUEST_ID_HEADER, g.get("request_id", ""))
        started = g.get("started")
        log_access(request.method, request.path, request.args.keys(), response.status_code,
                   time.perf_counter() - started if started is not None else 0.0, g.get("request_id", ""))
        return response

    app.teardown_request(end_correlation)


def end_correlation(_exc: BaseException | None = None) -> None:
    """teardown_request: forget the correlation id a before_request set (its token in g.correlation_token)."""
    token = g.pop("correlation_token", None)
    if token is not None:
        correlation_id.reset(token)


def install_error_handlers(app: Flask, logger: logging.Logger = log) -> None:
    """problem+json for every error of `app` (a service or the gateway), never a stack trace.

    A raised Problem as it is; an HTTP error by its status (405 with Allow, 422 with the fields
    webargs named); anything else a 500, logged to `logger` with the request id.
    """

    @app.errorhandler(Problem)
    def _problem(problem: Problem):
        return problem_response(problem)

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        code = error.code or 500
        if code == 413:
            return problem_response(bodies.too_large())  # the gateway and every service: MAX_BODY_BYTES
        key = _HTTP_TO_PROBLEM.get(code, "bad-request" if code < 500 else "internal-error")
        fields = _webargs_fields(error) if code == 422 else None
        response = problem_response(Problem(key, fields=fields, status=code if key == "bad-request" else None))
        if code == 405 and getattr(error, "valid_methods", None):
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        logger.exception("unhandled error (request %s)", g.get("request_id"))
        return problem_response(Problem("internal-error"))


def _webargs_fields(error: HTTPException) -> dict[str, list[str]]:
    messages = (getattr(error, "data", None) or {}).get("messages", {})
    # webargs nests by location: {"json": {...}} / {"query": {...}}
    merged = {}
    for location_errors in messages.values():
        if isinstance(location_errors, dict):
            merged.update(location_errors)
    return flatten_errors(merged)


def _install_error_handlers(app: Flask) -> None:
    install_error_handlers(app)

    @app.errorhandler(OperationalError)
    @app.errorhandler(DBAPIError)
    def _database_down(error: Exception):
        log.error("database unavailable: %s", type(error).__name__)
        return problem_response(Problem("service-unavailable"))


def _install_health(app: Flask, runtime, readiness: list[Callable[[], None]]) -> None:
    @app.get("/healthz")
    def healthz():
        """Alive: the process answers."""
        return jsonify(status="ok")

    @app.get("/readyz")
    def readyz():
        """Ready: the database answers (and any extra checks the service adds). The broker is
        reported, not required: a web writes its events to the outbox, and the relay waits (§8)."""
        checks = {}
        try:
            with runtime.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            checks["database"] = "ok"
        except Exception as error:  # noqa: BLE001 - readiness reports, never raises
            checks["database"] = type(error).__name__
        for check in readiness:
            try:
                check()
                checks[check.__name__] = "ok"
            except Exception as error:  # noqa: BLE001
                checks[check.__name__] = type(error).__name__
        ready = all(v == "ok" for v in checks.values())
        broker = bus_probe(runtime).broker_status()
        return jsonify(status="ok" if ready else "unavailable", checks=checks, broker=broker), 200 if ready else 503


def _install_metrics(app: Flask, name: str, runtime) -> None:
    registry = CollectorRegistry()
    latency = Histogram("http_request_seconds", "Request latency", ["method", "endpoint", "status"],
                        registry=registry, namespace="mypage", subsystem=name)
    errors = Counter("http_problems_total", "problem+json responses", ["status"],
                     registry=registry, namespace="mypage", subsystem=name)
    app.extensions["metrics_registry"] = registry
    scraped = scrape_registry(registry)  # in gunicorn's multiprocess mode, every worker's counts
    scraped.register(BusCollector(bus_probe(runtime), role="embedded" if runtime.settings.embedded else "web"))

    @app.after_request
    def _observe(response: Response) -> Response:
        started = g.get("started")
        if started is not None:
            latency.labels(request.method, request.url_rule.rule if request.url_rule else "unmatched",
                           str(response.status_code)).observe(time.perf_counter() - started)
        if response.mimetype == PROBLEM_JSON:
            errors.labels(str(response.status_code)).inc()
        return response

    @app.get("/metrics")
    def metrics():
        return Response(generate_latest(scraped), mimetype=CONTENT_TYPE_LATEST)
