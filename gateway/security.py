"""Where the gateway checks the caller before forwarding (DESIGN §5, S5).

`verify_request(route, request)` runs for every routed /api/v1 request. A bearer token, when
present, must be a valid EdDSA JWT signed by auth (its JWKS, read from MYPAGE_JWKS_URL) and
must not name a revoked session; routes with `Access.TOKEN` need one. Anything else is
refused here with a 401 problem, before a service sees the request. Services verify the JWT
again themselves (kit.tokens); revocation is the gateway's part.

Revocations: auth publishes `auth.session.revoked.v1` with the ids of the sessions that
ended (logout, password change or reset, withdrawal, 利用不可), and `auth.client_tokens.revoked.v1`
with the `sid` of an employer client's tokens when staff rotate its secret, change its
establishments or revoke it (C1). `RevokedSessions.listen()` consumes both from a queue of this
gateway process's own (exclusive, auto-delete, bound to those routing keys) — in the embedded
mode on the in-process `memory://` bus, in the distributed mode on RabbitMQ, where every gateway
replica gets its own queue and so every revocation.
A session id is remembered for as long as an access token naming it can live (5 minutes,
plus leeway); after that the token is expired anyway and refresh is refused by auth.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from flask import Request, current_app

from gateway.routes import Access, Route
from kit import topology
from kit.clock import Clock, SystemClock
from kit.events import Event, InvalidEvent
from kit.problem import Problem
from kit.settings import Settings
from kit.tokens import InvalidToken, KeySet, TokenVerifier, bearer_token

log = logging.getLogger("mypage.gateway.security")

# (route, request) -> None to forward, or the Problem to answer instead
Authenticator = Callable[[Route, Request], Problem | None]

REVOKED_EVENT = "auth.session.revoked.v1"
CLIENT_TOKENS_REVOKED = "auth.client_tokens.revoked.v1"  # C1: an employer client's tokens, by their `sid`
REMEMBER_SECONDS = 5 * 60 + 30  # an access token's lifetime plus the verifiers' leeway


class RevokedSessions:
    """S5: session ids whose access tokens are refused, each kept while such a token can still be valid."""

    def __init__(self, remember_seconds: float = REMEMBER_SECONDS, *, clock: Clock | None = None) -> None:
        self._remember = timedelta(seconds=remember_seconds)
        self._clock = clock or SystemClock()  # the injected clock: tests move it, nothing sleeps
        self._until: dict[str, datetime] = {}
        self._lock = threading.Lock()
        self.ready = threading.Event()  # set once the listener's queue is bound

    def revoke(self, session_ids) -> None:
        forget_at = self._clock.now() + self._remember
        with self._lock:
            for session_id in session_ids:
                self._until[session_id] = forget_at
            self._forget_expired()

    def __contains__(self, session_id: str) -> bool:
        with self._lock:
            until = self._until.get(session_id)
            return until is not None and until > self._clock.now()

    def __len__(self) -> int:
        with self._lock:
            self._forget_expired()
            return len(self._until)

    def _forget_expired(self) -> None:
        now = self._clock.now()
        for session_id in [sid for sid, until in self._until.items() if until <= now]:
            del self._until[session_id]

    def handle(self, event: Event) -> None:
        """Apply one auth.session.revoked.v1 or auth.client_tokens.revoked.v1 event (idempotent: no inbox
        needed)."""
        if event.type in (REVOKED_EVENT, CLIENT_TOKENS_REVOKED):
            self.revoke(str(sid) for sid in event.data.get("session_ids", []))
            log.info("sessions revoked (%s)", event.data.get("reason"), extra={"event_id": event.id})

    def listen(self, amqp_url: str, exchange: str, stop: threading.Event) -> None:
        """Consume revocations until `stop` is set, reconnecting after a broker outage."""
        from kombu import Consumer, Queue, binding

        name = f"{topology.queue_prefix(exchange)}.gateway.revocations.{uuid.uuid4().hex[:8]}"
        failures = 0  # §8: one WARNING per broker outage, then DEBUG until it is back
        while not stop.is_set():
            try:
                with topology.connection(amqp_url) as conn:
                    exchange_ = topology.events_exchange(exchange)
                    queue = Queue(name, bindings=[binding(exchange_, routing_key=key)
                                                  for key in (REVOKED_EVENT, CLIENT_TOKENS_REVOKED)],
                                  durable=False, auto_delete=True, exclusive=topology.is_amqp(amqp_url))
                    with Consumer(conn, queues=[queue], on_message=self._receive):
                        self.ready.set()
                        if failures:
                            log.info("revocation listener: broker reachable again after %d failed attempts", failures)
                            failures = 0
                        while not stop.is_set():
                            with contextlib.suppress(socket.timeout, TimeoutError):
                                conn.drain_events(timeout=0.5)
                            with contextlib.suppress(NotImplementedError, AttributeError):
                                conn.heartbeat_check()
            except Exception as error:  # noqa: BLE001 — keep listening after a broker outage
                failures += 1
                log.log(logging.WARNING if failures == 1 else logging.DEBUG,
                        "revocation listener: %s; reconnecting every second (attempt %d)", error, failures)
                stop.wait(1.0)
        with contextlib.suppress(Exception), topology.connection(amqp_url) as conn:
            conn.default_channel.queue_delete(name)

    def _receive(self, message) -> None:
        try:
            self.handle(Event.from_json(message.body))
        except InvalidEvent as error:
            log.warning("revocation listener: unreadable event (%s)", error)
        message.ack()

    def start(self, settings: Settings, stop: threading.Event) -> threading.Thread:
        """Run `listen` on a daemon thread (embedded mode and every distributed gateway process)."""
        thread = threading.Thread(target=self.listen, args=(settings.amqp_url, settings.exchange, stop),
                                  name="gateway-revocations", daemon=True)
        thread.start()
        return thread


class SessionGuard:
    """The gateway's token check: verify the JWT, refuse revoked sessions, require a token where needed."""

    def __init__(self, verifier: TokenVerifier, revoked: RevokedSessions | None = None) -> None:
        self.verifier = verifier
        self.revoked = revoked if revoked is not None else RevokedSessions()

    @classmethod
    def from_settings(cls, settings: Settings, *, clock: Clock | None = None,
                      revoked: RevokedSessions | None = None) -> SessionGuard:
        revoked = revoked if revoked is not None else RevokedSessions(clock=clock)
        return cls(TokenVerifier(KeySet(settings.jwks_url), clock=clock), revoked)

    def __call__(self, route: Route, request: Request) -> Problem | None:
        token = bearer_token(request.headers.get("Authorization"))
        if token is None:
            if route.access is Access.TOKEN:
                return Problem("unauthorized", detail_ja="ログインしてください。", detail_en="Please log in.")
            return None
        try:
            principal = self.verifier.verify(token)
        except InvalidToken as error:
            log.info("token refused: %s", error, extra={"outcome": "invalid_token"})
            return _expired()
        if principal.session_id is not None and principal.session_id in self.revoked:
            log.info("token of a revoked session refused", extra={"outcome": "revoked_session"})
            return _expired()
        return None


def _expired() -> Problem:
    return Problem("unauthorized", detail_ja="ログインの有効期限が切れました。もう一度ログインしてください。",
                   detail_en="Your session has expired; please log in again.")


def verify_request(route: Route, request: Request) -> Problem | None:
    """DESIGN §5: the default check — a SessionGuard built from the gateway's settings (once per app)."""
    guard = current_app.extensions.get("session_guard")
    if guard is None:
        guard = current_app.extensions["session_guard"] = SessionGuard.from_settings(
            current_app.extensions["settings"])
    return guard(route, request)
