"""create_gateway(backends, settings): the only door into the services (DESIGN §1).

It routes `/api/v1/...` to the service that owns the path (gateway.routes), forwarding method,
path, query, body and headers and passing the answer back unchanged; it answers itself for
unknown paths (404 problem), unreachable services (503 problem), /healthz, /readyz, /metrics,
/api/docs, /dev/mail (development only) and the web client's static files.

At the door (issue 10): only canonical paths (gateway.paths), bodies within kit.bodies' size
and JSON depth limits, `Cache-Control: no-store` on every answer that may carry personal data,
a Content-Security-Policy on every page it serves, HSTS in production, and /metrics and /readyz
only for operators holding MYPAGE_GATEWAY_SECRET_OPERATIONS_TOKEN (required in production).
"""

from __future__ import annotations

import hmac
import json
import logging
import re
import time
import uuid
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import quote

from flask import Flask, Response, current_app, g, jsonify, request, send_from_directory
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest

from gateway.audit import is_staff_write, record_staff_write
from gateway.backends import Backend, BackendUnavailable, UpstreamResponse
from gateway.dev_events import EventTap, create_dev_events_blueprint
from gateway.docs import create_docs_blueprint
from gateway.home import compose_home, is_home
from gateway.mailbox import create_mailbox_blueprint
from gateway.paths import non_canonical_path, request_flaw
from gateway.ratelimit import RateLimiter
from gateway.routes import API_PREFIX, Access, Route, match
from gateway.security import Authenticator, verify_request
from kit.bodies import MAX_BODY_BYTES, MAX_JSON_DEPTH, json_depth, looks_like_json, too_deep
from kit.logs import log_access
from kit.metrics import scrape_registry
from kit.problem import Problem
from kit.settings import ROOT, Settings
from kit.tokens import bearer_token
from kit.uow import correlation_id
from kit.web import (
    CORRELATION_HEADER,
    PROBLEM_JSON,
    REQUEST_ID_HEADER,
    end_correlation,
    install_error_handlers,
    problem_response,
)

log = logging.getLogger("mypage.gateway")

WEB_DIR = ROOT / "web"
READINESS_TIMEOUT = 2.0
OPERATIONS_TOKEN_MIN_LENGTH = 32
SAFE_METHODS = frozenset({"GET", "HEAD"})
# The web client's pages, the mailbox and the event list: nothing but this origin, no inline code.
PAGE_CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'")
# Swagger UI (4.x, checked in Chromium) needs its icons as data: URIs and fetches the document.
DOCS_CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; object-src 'none'")
HSTS = "max-age=31536000; includeSubDomains"
FORWARDED_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

# A client's X-Request-ID is kept only when it is a plain token (it ends up in every log line).
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:@-]{1,128}$")
# RFC 9110 §7.6.1: connection-specific headers are not forwarded; Host and Content-Length are
# set again for the next hop.
_HOP_BY_HOP = frozenset({"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
                         "trailer", "trailers", "transfer-encoding", "upgrade", "host", "content-length"})
_SET_BY_GATEWAY = frozenset({"x-request-id", "x-correlation-id", "x-forwarded-for", "x-forwarded-host",
                             "x-forwarded-proto"})


def create_gateway(backends: Mapping[str, Backend], settings: Settings, *,
                   authenticate: Authenticator = verify_request, web_dir: Path = WEB_DIR,
                   mail_dir: Path | None = None, event_tap: EventTap | None = None) -> Flask:
    """The gateway's Flask app.

    `backends` maps a service name to how to reach it (InProcessBackend in the embedded mode,
    HttpBackend in the distributed one). `authenticate` is the token check (gateway.security).
    `mail_dir` is the development mail sink's folder shown at /dev/mail (default var/mail).
    `event_tap` (embedded mode) shows the recent events at /dev/events.
    """
    app = Flask("gateway", root_path=str(Path(__file__).parent))
    app.config.update(MAX_CONTENT_LENGTH=MAX_BODY_BYTES, JSON_AS_ASCII=False)
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    app.extensions["settings"] = settings
    app.extensions["backends"] = dict(backends)
    app.extensions["operations_token"] = operations_token(settings)
    _install_request_ids(app)
    _install_door(app, settings)
    _install_error_handlers(app)
    _install_proxy(app, authenticate)
    _install_health(app)
    app.register_blueprint(create_docs_blueprint())
    if not settings.production:  # C4: in production the /dev pages do not exist at all
        app.register_blueprint(create_mailbox_blueprint(mail_dir or settings.var_dir / "mail"))
        app.register_blueprint(create_dev_events_blueprint(event_tap))
    _install_web(app, Path(web_dir))
    return app


def _install_request_ids(app: Flask) -> None:
    @app.before_request
    def _ids() -> None:
        supplied = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = supplied if _REQUEST_ID.match(supplied) else uuid.uuid4().hex
        supplied = request.headers.get(CORRELATION_HEADER, "")
        g.correlation_id = supplied if _REQUEST_ID.match(supplied) else g.request_id
        g.correlation_token = correlation_id.set(g.correlation_id)
        g.started = time.perf_counter()

    @app.after_request
    def _headers(response: Response) -> Response:
        started = g.get("started")
        log_access(request.method, request.path, request.args.keys(), response.status_code,
                   time.perf_counter() - started if started is not None else 0.0, g.get("request_id", ""))
        response.headers.setdefault(REQUEST_ID_HEADER, g.get("request_id", ""))
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        return response

    app.teardown_request(end_correlation)


def _install_door(app: Flask, settings: Settings) -> None:
    """§1, API conventions: canonical paths in; no-store on /dev, CSP and HSTS out (issue 10)."""

    @app.before_request
    def _canonical_path() -> Response | None:
        # The environ, not request.path: Werkzeug strips leading slashes from the latter.
        found = request_flaw(request.environ)
        if found is None:
            return None
        log.warning("non-canonical path refused (%s)", found, extra={"request_id": g.request_id,
                                                                     "outcome": "non-canonical-path"})
        return problem_response(non_canonical_path())

    @app.after_request
    def _security_headers(response: Response) -> Response:
        path = request.path
        if path.startswith("/dev/"):
            response.headers["Cache-Control"] = "no-store"  # the mails hold keys and one-time passwords
            response.headers["Content-Security-Policy"] = PAGE_CSP
        elif path == "/api/docs" or path.startswith("/api/docs/"):
            response.headers["Content-Security-Policy"] = DOCS_CSP
        if settings.production:
            response.headers["Strict-Transport-Security"] = HSTS
        return response


def _install_error_handlers(app: Flask) -> None:
    install_error_handlers(app, log)

    @app.errorhandler(BackendUnavailable)
    def _unavailable(error: BackendUnavailable):
        log.error("service %s unavailable (%s), request %s", error.service, error.reason, g.get("request_id"))
        response = problem_response(Problem("service-unavailable"))
        response.headers["Retry-After"] = "5"
        return response


def _install_proxy(app: Flask, authenticate: Authenticator) -> None:
    backends: dict[str, Backend] = app.extensions["backends"]
    limiter = RateLimiter.from_options(app.extensions["settings"].options)
    registry = CollectorRegistry()
    latency = Histogram("upstream_seconds", "Time the services took to answer", ["service", "status"],
                        registry=registry, namespace="mypage", subsystem="gateway")
    unavailable = Counter("upstream_unavailable_total", "Requests answered 503 because a service was down",
                          ["service"], registry=registry, namespace="mypage", subsystem="gateway")
    app.extensions["metrics_registry"] = registry
    scraped = scrape_registry(registry)  # under gunicorn (multiprocess mode), every worker's counts

    @app.route(API_PREFIX, defaults={"rest": ""}, methods=FORWARDED_METHODS, provide_automatic_options=False)
    @app.route(f"{API_PREFIX}/<path:rest>", methods=FORWARDED_METHODS, provide_automatic_options=False)
    def forward(rest: str) -> Response:
        """Limit, route, check the caller, forward, and pass the service's answer back unchanged."""
        address = limiter.client_address(request.remote_addr, request.headers.get("X-Forwarded-For"))
        wait = limiter.retry_after(request.method, request.path, address)
        if wait is not None:
            log.warning("rate limit: %s %s from %s refused for %d s", request.method, request.path, address, wait,
                        extra={"request_id": g.request_id, "outcome": "too-many-requests"})
            return problem_response(Problem("too-many-requests", headers={"Retry-After": str(wait)}))
        found = match(request.method, request.path)
        if found.route is None:
            if found.method_not_allowed:
                response = problem_response(Problem("method-not-allowed"))
                response.headers["Allow"] = ", ".join(sorted(found.allowed))
                return response
            raise Problem("not-found")
        refusal = authenticate(found.route, request)
        if refusal is not None:
            log.warning("refused %s %s: %s", request.method, request.path, refusal.key,
                        extra={"request_id": g.request_id, "outcome": refusal.key})
            return problem_response(refusal)
        backend = backends.get(found.route.service)
        if backend is None:
            raise BackendUnavailable(found.route.service, "not configured")
        body = request.get_data(cache=False)
        if looks_like_json(request.content_type, body) and json_depth(body) > MAX_JSON_DEPTH:
            return problem_response(too_deep())
        started = time.perf_counter()
        try:
            if is_staff_write(request.method, request.path):  # C3: recorded first, or not done at all
                record_staff_write(backends, request.method, request.path, found.route.service, forwarded_headers())
            if is_home(request.method, request.path):  # P5: one round trip, composed in parallel
                upstream = compose_home(backends, headers=forwarded_headers(), query=request.query_string)
            else:
                upstream = backend.send(request.method, quote(request.path, safe="/:@!$&'()*+,;=-._~"),
                                        query=request.query_string, headers=forwarded_headers(), body=body)
        except BackendUnavailable:
            unavailable.labels(found.route.service).inc()
            raise
        latency.labels(found.route.service, str(upstream.status)).observe(time.perf_counter() - started)
        response = relay(upstream, head=request.method == "HEAD")
        if may_be_personal(found.route):
            response.headers["Cache-Control"] = "no-store"
        return response

    @app.get("/metrics")
    def metrics() -> Response:
        """Prometheus metrics (operators only)."""
        _operators_only()
        return Response(generate_latest(scraped), mimetype=CONTENT_TYPE_LATEST)


def may_be_personal(route: Route) -> bool:
    """API conventions (no-store): whether the answer may carry personal data — everything but an
    anonymous read of a public route (terms, job search, the JWKS); token answers, /me, staff and
    employer views all may."""
    anonymous = "Authorization" not in request.headers and "Cookie" not in request.headers
    return not (anonymous and request.method in SAFE_METHODS and route.access is not Access.TOKEN)


def forwarded_headers() -> list[tuple[str, str]]:
    """The client's headers for the next hop: hop-by-hop ones dropped, request ids and X-Forwarded-* set."""
    named_by_connection = {t.strip().lower() for t in request.headers.get("Connection", "").split(",")}
    headers = [(key, value) for key, value in request.headers.items()
               if key.lower() not in _HOP_BY_HOP and key.lower() not in named_by_connection
               and key.lower() not in _SET_BY_GATEWAY]
    chain = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",") if part.strip()]
    if request.remote_addr:
        chain.append(request.remote_addr)
    headers += [(REQUEST_ID_HEADER, g.request_id), (CORRELATION_HEADER, g.correlation_id),
                ("X-Forwarded-Proto", request.scheme), ("X-Forwarded-Host", request.host)]
    if chain:
        headers.append(("X-Forwarded-For", ", ".join(chain)))
    return headers


def relay(upstream: UpstreamResponse, *, head: bool = False) -> Response:
    """The service's answer as the gateway's: same status, headers (minus hop-by-hop) and body.

    Content-Length is computed again from the body, except for HEAD, whose empty body stands
    for the length the service announced.
    """
    response = Response(upstream.body, status=upstream.status)
    response.headers.clear()
    for key, value in upstream.headers:
        if key.lower() not in _HOP_BY_HOP or (head and key.lower() == "content-length"):
            response.headers.add(key, value)
    return response


def operations_token(settings: Settings) -> str:
    """§8, C4: MYPAGE_GATEWAY_SECRET_OPERATIONS_TOKEN, the bearer token /metrics and /readyz ask for.
    Without it (development only) they are open; production refuses to start without one."""
    token = settings.secrets.get("secret_operations_token", "")
    if settings.production and len(token) < OPERATIONS_TOKEN_MIN_LENGTH:
        raise settings.refusal(f"MYPAGE_GATEWAY_SECRET_OPERATIONS_TOKEN ({OPERATIONS_TOKEN_MIN_LENGTH}+ random "
                               "characters) is required: /metrics and /readyz answer only to it")
    return token


def _operators_only() -> None:
    """§8: refuse a /metrics or /readyz call without the operations token (when one is set)."""
    token = current_app.extensions["operations_token"]
    if not token:
        return
    given = bearer_token(request.headers.get("Authorization")) or ""
    if not hmac.compare_digest(given.encode(), token.encode()):
        raise Problem("unauthorized", detail_ja="運用者用のトークンが必要です。",
                      detail_en="The operations token is required.")


def _install_health(app: Flask) -> None:
    backends: dict[str, Backend] = app.extensions["backends"]

    @app.get("/healthz")
    def healthz() -> Response:
        """Alive: the gateway process answers (public: it says nothing else)."""
        return jsonify(status="ok")

    @app.get("/readyz")
    def readyz():
        """Ready: every service's /readyz answers 200 (each one's own checks are shown; operators only)."""
        _operators_only()
        services = {}
        for name, backend in backends.items():
            try:
                answer = backend.send("GET", "/readyz", headers=[(REQUEST_ID_HEADER, g.request_id)],
                                      timeout=READINESS_TIMEOUT)
            except BackendUnavailable as error:
                services[name] = {"status": "unavailable", "reason": error.reason}
                continue
            services[name] = {"status": "ok" if answer.status == 200 else "unavailable",
                              **_checks(answer)}
        ready = bool(services) and all(s["status"] == "ok" for s in services.values())
        return jsonify(status="ok" if ready else "unavailable", services=services), 200 if ready else 503


def _checks(answer: UpstreamResponse) -> dict:
    """The `checks` a service's /readyz reported, if it answered JSON."""
    if not (answer.header("Content-Type") or "").startswith("application/json"):
        return {}
    try:
        body = json.loads(answer.body)
    except ValueError:
        return {}
    return {"checks": body["checks"]} if isinstance(body, dict) and "checks" in body else {}


def _install_web(app: Flask, web_dir: Path) -> None:
    """The web client (web/): static files, index.html at /; no build step."""

    @app.get("/")
    def index() -> Response:
        return _static(web_dir, "index.html")

    @app.get("/<path:filename>")
    def web_file(filename: str) -> Response:
        return _static(web_dir, filename)


def _static(web_dir: Path, filename: str) -> Response:
    response = send_from_directory(web_dir, filename, max_age=300)
    if response.mimetype == "text/html":
        response.headers["Content-Security-Policy"] = PAGE_CSP
    return response


__all__ = ["create_gateway", "forwarded_headers", "relay", "PROBLEM_JSON"]
