"""The routing table: which service answers which public path (SPEC "The public API contract").

Longest-prefix match on path segments; `*` stands for one segment (a seeker number, a job
number, an id). A route may be limited to some methods, and may be `exact` (the path itself,
not the paths under it). The gateway forwards the path unchanged: every service serves the
same full `/api/v1/...` paths it owns.

Each route also says whether it needs a bearer token (`access`): the gateway's token check
(gateway/security.py) reads it, and the merged OpenAPI document marks the operations with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

API_PREFIX = "/api/v1"


class Access(Enum):
    """Who may call a route: anyone, anyone (a token adds something), or a token holder."""

    PUBLIC = "public"
    OPTIONAL = "optional"
    TOKEN = "token"


@dataclass(frozen=True)
class Route:
    """`/api/v1/<pattern>` is answered by `service` (for `methods`, or every method when None)."""

    pattern: str
    service: str
    methods: frozenset[str] | None = None
    exact: bool = False
    access: Access = Access.TOKEN

    @property
    def segments(self) -> tuple[str, ...]:
        return tuple(s for s in self.pattern.split("/") if s)

    @property
    def specificity(self) -> tuple[int, int]:
        """Longer patterns first; between equally long ones, literal segments beat `*`."""
        segments = self.segments
        return len(segments), sum(s != "*" for s in segments)

    def matches_path(self, segments: tuple[str, ...]) -> bool:
        own = self.segments
        if len(segments) < len(own) or (self.exact and len(segments) != len(own)):
            return False
        return all(p == "*" or p == s for p, s in zip(own, segments, strict=False))

    def allows(self, method: str) -> bool:
        if self.methods is None:
            return True
        return method in self.methods or (method == "HEAD" and "GET" in self.methods)


def _route(pattern: str, service: str, *methods: str, exact: bool = False,
           access: Access = Access.TOKEN) -> Route:
    return Route(f"{API_PREFIX}/{pattern}", service, frozenset(methods) if methods else None, exact, access)


ROUTES: tuple[Route, ...] = (
    # auth: terms, opening, login, tokens; password change; withdrawal (A9); 利用不可 (A10)
    _route("terms", "auth", access=Access.PUBLIC),
    _route("auth", "auth", access=Access.PUBLIC),
    _route("auth/logout", "auth"),
    _route("auth/devices", "auth"),  # a logged-in seeker forgets their remembered devices (A7)
    _route("me/password", "auth"),
    _route("me", "auth", "DELETE", exact=True),
    _route("staff/seekers/*/mypage-status", "auth"),
    _route("staff/employer-clients", "auth"),  # C1: employer clients and their establishments
    _route("staff/audit", "auth", "GET"),  # C3: the audit trail of staff writes
    # profile: home summary (P5), profile (P2), registration status (P3), 求職登録 by staff (P1)
    _route("me", "profile", "GET", exact=True),
    _route("me/profile", "profile"),
    _route("me/registration", "profile"),
    _route("me/disclosure", "profile"),  # 求職情報公開 (J8a)
    _route("me/application-profile", "profile"),  # what an application sends of the 求職情報 (J8)
    _route("employer/applications/*/profile", "profile", "GET"),  # the applicant's frozen 求職情報 (J8, C2)
    _route("employer/seekers", "profile"),  # employers look for disclosed seekers (J8a)
    _route("staff/seekers", "profile"),
    # jobs: search (J2), saved searches (J3), favourites (J4), referrals (J5), recommendations (J7),
    # applications (J8), restrictions (J9), postings from employers (J1)
    _route("jobs", "jobs", access=Access.OPTIONAL),
    _route("me/saved-searches", "jobs"),
    # J3 alerts: the one-click stop link of a digest mail, without a login (its token is in the body)
    _route("saved-search-alerts/stop", "jobs", "POST", exact=True, access=Access.PUBLIC),
    _route("saved-search-alerts/one-click", "jobs", "POST", exact=True, access=Access.PUBLIC),  # RFC 8058
    _route("me/favourites", "jobs"),
    _route("me/referrals", "jobs"),
    _route("me/recommendations", "jobs"),
    _route("me/matching-jobs", "jobs"),  # J6
    _route("me/applications", "jobs"),
    _route("me/direct-requests", "jobs"),  # J8a
    _route("employer/direct-requests", "jobs"),  # J8a
    _route("staff/seekers/*/restriction", "jobs"),
    _route("staff/referrals", "jobs"),
    _route("staff/recommendations", "jobs"),
    _route("employer/jobs", "jobs"),
    _route("employer/applications", "jobs"),
    # messaging: messages (M1), notices (M2)
    _route("me/messages", "messaging"),
    _route("me/notices", "messaging"),
    _route("staff/notices", "messaging"),
    _route("employer/messages", "messaging"),
    # retention: where an erasure stands, for staff and operators (R3)
    _route("staff/erasures", "retention", "GET"),
)


@dataclass(frozen=True)
class Match:
    """The outcome of routing one request: a route, or why there is none."""

    route: Route | None
    allowed: frozenset[str] = frozenset()

    @property
    def service(self) -> str | None:
        return self.route.service if self.route else None

    @property
    def method_not_allowed(self) -> bool:
        return self.route is None and bool(self.allowed)


def match(method: str, path: str, routes: tuple[Route, ...] = ROUTES) -> Match:
    """The route for `method path`: the most specific pattern whose methods allow `method`.

    No pattern covers the path → `Match(None)` (404); patterns cover it but none for this
    method → `Match(None, allowed=...)` (405 with an Allow header).
    """
    segments = tuple(s for s in path.split("/") if s)
    candidates = sorted((r for r in routes if r.matches_path(segments)),
                        key=lambda r: r.specificity, reverse=True)
    allowed: set[str] = set()
    for route in candidates:
        if route.allows(method.upper()):
            return Match(route)
        allowed |= route.methods or set()
    return Match(None, frozenset(allowed))


def services() -> tuple[str, ...]:
    """Every service the table routes to, in table order."""
    return tuple(dict.fromkeys(r.service for r in ROUTES))
