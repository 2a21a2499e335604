"""Where the gateway checks the caller before forwarding (DESIGN §5).

`verify_request` is called for every routed /api/v1 request, before it is forwarded. Today
it lets everything through: the auth work replaces its body with the real check (EdDSA JWT
against auth's JWKS, revoked sessions from `auth.session.revoked` events) and returns a
Problem("unauthorized") / Problem("forbidden") to refuse. `route.access` says what the
route needs (routes.Access: PUBLIC, OPTIONAL, TOKEN).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Request

from gateway.routes import Route
from kit.problem import Problem

# (route, request) -> None to forward, or the Problem to answer instead
Authenticator = Callable[[Route, Request], Problem | None]


def verify_request(route: Route, request: Request) -> Problem | None:
    """DESIGN §5: verify the bearer token a route needs. Not implemented yet: forwards everything."""
    return None
