"""How the gateway reaches a service: in the same process (embedded mode) or over HTTP (distributed).

Both answer `send(method, path, ...)` with an `UpstreamResponse`, and raise `BackendUnavailable`
when the service cannot be reached — the gateway turns that into a 503 problem, never a trace.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

import urllib3
from urllib3.util import Retry, Timeout
from werkzeug.datastructures import Headers
from werkzeug.test import EnvironBuilder, run_wsgi_app

from kit.settings import SERVICES, ConfigurationError

log = logging.getLogger("mypage.gateway")

# RFC 9110 §9.2.2: repeating these has the same effect as sending them once.
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})
CONNECT_TIMEOUT = 2.0
READ_TIMEOUT = 30.0


class BackendUnavailable(Exception):
    """The service did not answer (refused, timed out, broke the connection, or crashed)."""

    def __init__(self, service: str, reason: str) -> None:
        super().__init__(f"{service}: {reason}")
        self.service = service
        self.reason = reason


@dataclass
class UpstreamResponse:
    """A service's answer, passed to the client unchanged (status, headers, body)."""

    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""

    def header(self, name: str, default: str | None = None) -> str | None:
        lowered = name.lower()
        return next((v for k, v in self.headers if k.lower() == lowered), default)


class Backend(Protocol):
    """One service as the gateway sees it."""

    name: str

    def send(self, method: str, path: str, *, query: bytes | str = b"",
             headers: Iterable[tuple[str, str]] = (), body: bytes = b"",
             timeout: float | None = None) -> UpstreamResponse:
        """Send one request; raise BackendUnavailable when the service cannot answer."""


class InProcessBackend:
    """A service's Flask app in this process, called through WSGI directly (no socket)."""

    def __init__(self, name: str, app) -> None:
        self.name = name
        self.app = app

    def send(self, method: str, path: str, *, query: bytes | str = b"",
             headers: Iterable[tuple[str, str]] = (), body: bytes = b"",
             timeout: float | None = None) -> UpstreamResponse:
        if isinstance(query, bytes):
            query = query.decode("latin-1")
        builder = EnvironBuilder(path=path, method=method, query_string=query,
                                 headers=Headers(list(headers)), data=body or None)
        try:
            environ = builder.get_environ()
        finally:
            builder.close()
        try:
            app_iter, status, response_headers = run_wsgi_app(self.app, environ, buffered=True)
            try:
                payload = b"".join(app_iter)
            finally:
                close = getattr(app_iter, "close", None)
                if close is not None:
                    close()
        except Exception as error:  # a crash inside the service is its outage, not the gateway's
            log.exception("%s crashed while answering %s %s", self.name, method, path)
            raise BackendUnavailable(self.name, type(error).__name__) from error
        return UpstreamResponse(int(status.split(" ", 1)[0]), list(response_headers.items()), payload)


class HttpBackend:
    """A service reached over HTTP through a pooled urllib3 PoolManager.

    The path goes out exactly as the gateway checked it: the request is sent through the host's
    connection pool with the path as the request target, so urllib3 never removes dot segments
    (its URL parser does; gateway.paths refuses them before, this keeps it so on its own).

    Retries: idempotent methods are retried on connection and read errors; POST and PATCH
    only when the connection could not be made at all (the request provably never left),
    so a retry can never apply a write twice. Upstream statuses are never retried: a
    service's own 503 problem passes through unchanged.
    """

    def __init__(self, name: str, base_url: str, *, pool: urllib3.PoolManager | None = None,
                 connect_timeout: float = CONNECT_TIMEOUT, read_timeout: float = READ_TIMEOUT,
                 retries: int = 2, backoff: float = 0.05) -> None:
        self.name = name
        self.base_url = base_url.rstrip("/")
        self._prefix = (urllib3.util.parse_url(self.base_url).path or "").rstrip("/")
        self.pool = pool or make_pool()
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self._idempotent_retry = Retry(total=retries, connect=retries, read=retries, status=0, other=0,
                                       redirect=False, raise_on_status=False, backoff_factor=backoff,
                                       allowed_methods=IDEMPOTENT_METHODS)
        self._write_retry = Retry(total=retries, connect=retries, read=0, status=0, other=0,
                                  redirect=False, raise_on_status=False, backoff_factor=backoff,
                                  allowed_methods=IDEMPOTENT_METHODS)

    def send(self, method: str, path: str, *, query: bytes | str = b"",
             headers: Iterable[tuple[str, str]] = (), body: bytes = b"",
             timeout: float | None = None) -> UpstreamResponse:
        if isinstance(query, bytes):
            query = query.decode("latin-1")
        target = self._prefix + path + (f"?{query}" if query else "")
        request_headers = urllib3.HTTPHeaderDict()
        for key, value in headers:
            request_headers.add(key, value)
        method = method.upper()
        try:
            response = self.pool.connection_from_url(self.base_url).urlopen(
                method, target, body=body or None, headers=request_headers,
                retries=self._idempotent_retry if method in IDEMPOTENT_METHODS else self._write_retry,
                timeout=Timeout(connect=min(timeout or self.connect_timeout, self.connect_timeout),
                                read=timeout or self.read_timeout),
                redirect=False, preload_content=True, decode_content=False,
            )
        except urllib3.exceptions.HTTPError as error:
            reason = error.reason if isinstance(error, urllib3.exceptions.MaxRetryError) else error
            log.warning("%s unavailable for %s %s: %s", self.name, method, path, type(reason).__name__)
            raise BackendUnavailable(self.name, type(reason).__name__) from error
        return UpstreamResponse(response.status, list(response.headers.items()), response.data)


def make_pool(maxsize: int = 16) -> urllib3.PoolManager:
    """One connection pool per service host, `maxsize` kept-alive connections each."""
    return urllib3.PoolManager(num_pools=len(SERVICES) * 2, maxsize=maxsize, block=False)


def http_backends_from_env(environ: Mapping[str, str], *, required: Iterable[str] = (),
                           pool: urllib3.PoolManager | None = None) -> dict[str, HttpBackend]:
    """HTTP backends from MYPAGE_<SERVICE>_URL (e.g. MYPAGE_AUTH_URL=http://auth:8000)."""
    pool = pool or make_pool()
    backends = {}
    for service in SERVICES:
        url = environ.get(f"MYPAGE_{service.upper()}_URL")
        if url:
            backends[service] = HttpBackend(service, url, pool=pool)
    missing = [s for s in required if s not in backends]
    if missing:
        names = ", ".join(f"MYPAGE_{s.upper()}_URL" for s in missing)
        raise ConfigurationError(f"the gateway needs {names}")
    return backends
