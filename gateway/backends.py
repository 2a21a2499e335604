"""How the gateway reaches a service: in the same process (embedded mode) or over HTTP (distributed).

Both answer `send(method, path, ...)` with an `UpstreamResponse`, and raise `BackendUnavailable`
when the service cannot be reached — the gateway turns that into a 503 problem, never a trace.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
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
EJECT_SECONDS = 5.0  # §8: how long a replica that refused a connection is left out


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
    """A service reached over HTTP at one or more addresses (replicas), through a pooled urllib3 PoolManager.

    The path goes out exactly as the gateway checked it: the request is sent through the host's
    connection pool with the path as the request target, so urllib3 never removes dot segments
    (its URL parser does; gateway.paths refuses them before, this keeps it so on its own).

    §8 replicas: requests take the addresses in turn (round robin). An address that refuses the
    connection (or cannot be reached within the connect timeout) is left out for `eject_seconds`
    and the request goes on at once to the next address — the request never left, so even a
    write may; after the pause the address is tried again. When every address is out, they are
    all tried anyway: an outage ends the moment a replica is back.

    Retries: idempotent methods are retried on connection and read errors; POST and PATCH
    only when the connection could not be made at all (the request provably never left),
    so a retry can never apply a write twice. Upstream statuses are never retried: a
    service's own 503 problem passes through unchanged.
    """

    def __init__(self, name: str, base_url: str | Sequence[str], *, pool: urllib3.PoolManager | None = None,
                 connect_timeout: float = CONNECT_TIMEOUT, read_timeout: float = READ_TIMEOUT,
                 retries: int = 2, backoff: float = 0.05, eject_seconds: float = EJECT_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.name = name
        urls = split_urls(base_url) if isinstance(base_url, str) else [u.rstrip("/") for u in base_url]
        if not urls:
            raise ConfigurationError(f"{name}: no address given")
        self.addresses = [_Address(url) for url in urls]
        self.pool = pool or make_pool(hosts=len(urls))
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.eject_seconds = eject_seconds
        self._clock = clock
        self._turn = itertools.count()
        self._lock = threading.Lock()
        self._retries = {
            (idempotent, connect): Retry(total=retries, connect=connect, read=retries if idempotent else 0,
                                         status=0, other=0, redirect=False, raise_on_status=False,
                                         backoff_factor=backoff, allowed_methods=IDEMPOTENT_METHODS)
            for idempotent in (True, False) for connect in (0, retries)
        }
        self._full_connect_retries = retries

    @property
    def base_url(self) -> str:
        """The first address (what a single-address backend was built with)."""
        return self.addresses[0].url

    def send(self, method: str, path: str, *, query: bytes | str = b"",
             headers: Iterable[tuple[str, str]] = (), body: bytes = b"",
             timeout: float | None = None) -> UpstreamResponse:
        if isinstance(query, bytes):
            query = query.decode("latin-1")
        request_headers = urllib3.HTTPHeaderDict()
        for key, value in headers:
            request_headers.add(key, value)
        method = method.upper()
        candidates = self._candidates()
        for position, address in enumerate(candidates):
            last = position == len(candidates) - 1
            # Only the last address left is retried on a refused connection: the others give way at once.
            retry = self._retries[(method in IDEMPOTENT_METHODS, self._full_connect_retries if last else 0)]
            try:
                response = self.pool.connection_from_url(address.url).urlopen(
                    method, address.prefix + path + (f"?{query}" if query else ""), body=body or None,
                    headers=request_headers, retries=retry,
                    timeout=Timeout(connect=min(timeout or self.connect_timeout, self.connect_timeout),
                                    read=timeout or self.read_timeout),
                    redirect=False, preload_content=True, decode_content=False,
                )
            except urllib3.exceptions.HTTPError as error:
                reason = error.reason if isinstance(error, urllib3.exceptions.MaxRetryError) else error
                never_sent = isinstance(reason, urllib3.exceptions.ConnectTimeoutError)
                if never_sent:
                    self._eject(address, reason)
                if never_sent and not last:
                    continue
                log.warning("%s unavailable for %s %s: %s", self.name, method, path, type(reason).__name__)
                raise BackendUnavailable(self.name, type(reason).__name__) from error
            address.ejected_until = 0.0
            return UpstreamResponse(response.status, list(response.headers.items()), response.data)
        raise AssertionError("unreachable: the last candidate returns or raises")

    def _candidates(self) -> list[_Address]:
        """Every address, starting with the next one in turn; those left out for a pause go last."""
        with self._lock:
            turn = next(self._turn) % len(self.addresses)
        rotated = self.addresses[turn:] + self.addresses[:turn]
        now = self._clock()
        return ([a for a in rotated if a.ejected_until <= now]
                + sorted((a for a in rotated if a.ejected_until > now), key=lambda a: a.ejected_until))

    def _eject(self, address: _Address, reason: Exception) -> None:
        if len(self.addresses) > 1:
            log.warning("%s at %s refused the connection (%s): left out for %.0f s", self.name, address.url,
                        type(reason).__name__, self.eject_seconds)
        address.ejected_until = self._clock() + self.eject_seconds


@dataclass
class _Address:
    """One replica's base URL; `ejected_until` is the clock reading before which it is left out."""

    url: str
    ejected_until: float = 0.0

    def __post_init__(self) -> None:
        self.url = self.url.rstrip("/")
        self.prefix = (urllib3.util.parse_url(self.url).path or "").rstrip("/")


def split_urls(value: str) -> list[str]:
    """§8: a MYPAGE_<SERVICE>_URL value as its addresses: `http://a:8103,http://b:8103` (spaces allowed)."""
    return [part.strip().rstrip("/") for part in value.split(",") if part.strip()]


def make_pool(maxsize: int = 16, hosts: int = 0) -> urllib3.PoolManager:
    """One connection pool per service address (`hosts` of them, at least two per service), `maxsize`
    kept-alive connections each."""
    return urllib3.PoolManager(num_pools=max(len(SERVICES) * 2, hosts), maxsize=maxsize, block=False)


def http_backends_from_env(environ: Mapping[str, str], *, required: Iterable[str] = (),
                           pool: urllib3.PoolManager | None = None) -> dict[str, HttpBackend]:
    """HTTP backends from MYPAGE_<SERVICE>_URL (e.g. MYPAGE_AUTH_URL=http://auth:8000); §8: a comma list
    names a service's replicas (MYPAGE_JOBS_URL=http://127.0.0.1:8103,http://127.0.0.1:8113)."""
    addresses = {service: split_urls(environ.get(f"MYPAGE_{service.upper()}_URL", "")) for service in SERVICES}
    pool = pool or make_pool(hosts=sum(len(urls) for urls in addresses.values()))
    backends = {service: HttpBackend(service, urls, pool=pool) for service, urls in addresses.items() if urls}
    missing = [s for s in required if s not in backends]
    if missing:
        names = ", ".join(f"MYPAGE_{s.upper()}_URL" for s in missing)
        raise ConfigurationError(f"the gateway needs {names}")
    return backends
