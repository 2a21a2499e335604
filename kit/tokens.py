"""Access tokens (DESIGN §5): EdDSA JWTs issued by auth, verified by the gateway and by every service.

Auth signs; everybody else only verifies, with the public keys auth publishes as a JWKS.
Where the JWKS comes from is a setting (`MYPAGE_JWKS_URL`): `file:///…/jwks.json` (the
embedded mode: auth writes it at start), or `http(s)://…/api/v1/auth/jwks` (distributed).

A view asks for the caller with `current_principal()` / `current_seeker_id()`; a token is
required for that, and roles are checked with `require_role("staff")` / `require_seeker`.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from pathlib import Path

import jwt
from flask import g, request

from kit.problem import Problem

ALGORITHM = "EdDSA"
ISSUER = "mypage-auth"
AUDIENCE = "mypage"
# A saved-search digest's one-click stop link (J3 alerts): a JWT of auth's for this audience only, so it is never
# an access token; `sub` the seeker, `search` the saved search (services/auth/mail.py, services/jobs/alerts_api.py)
ALERT_STOP_AUDIENCE = "mypage-alert-stop"
SEEKER, STAFF, EMPLOYER = "seeker", "staff", "employer"
# C2: the `establishments` claim of an employer token is a list of 事業所番号, or this — every
# establishment — which only the development `employer` client is given (auth refuses it in production).
EVERY_ESTABLISHMENT = "*"


@dataclass(frozen=True)
class Principal:
    """Who is calling: a seeker (subject = opaque seeker id) or a staff/employer system (subject = client id)."""

    subject: str
    roles: frozenset[str]
    session_id: str | None = None
    token_id: str | None = None
    establishments: frozenset[str] = frozenset()  # C2: the employer's 事業所番号 (EVERY_ESTABLISHMENT: all)
    office: str | None = None  # C3: the office (安定所) a staff client acts for

    def has(self, role: str) -> bool:
        return role in self.roles

    def establishment_scope(self) -> frozenset[str] | None:
        """C2: the establishments an employer token acts for; None for every one (the dev client).
        A token without the claim acts for none."""
        return None if EVERY_ESTABLISHMENT in self.establishments else self.establishments


class InvalidToken(Exception):
    """The token is missing, malformed, expired, or not signed by a key we trust."""


class KeySet:
    """The verifying keys, loaded from a JWKS source and refreshed when an unknown key id appears.

    `source` is a URL (file://, http://, https://) or a callable returning the JWKS dict.
    Refreshes are rate-limited so a flood of forged key ids cannot hammer the source.
    """

    def __init__(self, source: str | Callable[[], dict], *, min_refresh_seconds: float = 10.0) -> None:
        self._source = source
        self._min_refresh = min_refresh_seconds
        self._lock = threading.Lock()
        self._keys: dict[str, jwt.PyJWK] = {}
        self._loaded_at = float("-inf")

    def key(self, kid: str | None) -> jwt.PyJWK:
        with self._lock:
            if kid not in self._keys and time.monotonic() - self._loaded_at >= self._min_refresh:
                self._load()
            if kid not in self._keys:
                raise InvalidToken("unknown signing key")
            return self._keys[kid]

    def _load(self) -> None:
        self._loaded_at = time.monotonic()
        try:
            document = self._source() if callable(self._source) else _fetch(self._source)
            self._keys = {k.key_id: k for k in jwt.PyJWKSet.from_dict(document).keys}
        except (OSError, ValueError, jwt.PyJWTError) as error:
            raise InvalidToken(f"signing keys unavailable: {type(error).__name__}") from error


def _fetch(url: str) -> dict:
    if url.startswith("file://"):
        return json.loads(Path(url[len("file://"):]).read_text())
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - scheme checked by caller config
        return json.loads(response.read())


class TokenVerifier:
    """Verify an access token: signature (EdDSA only), expiry, issuer, audience → Principal."""

    def __init__(self, keys: KeySet, *, clock=None, leeway_seconds: int = 5) -> None:
        self._keys = keys
        self._clock = clock
        self._leeway = leeway_seconds

    def verify(self, token: str) -> Principal:
        claims = self.claims(token)
        roles = claims.get("roles") or []
        if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
            raise InvalidToken("bad roles claim")
        return Principal(subject=str(claims["sub"]), roles=frozenset(roles), session_id=claims.get("sid"),
                         token_id=claims.get("jti"), establishments=_establishments(claims), office=_office(claims))

    def claims(self, token: str, *, audience: str = AUDIENCE) -> dict:
        """The verified claims of a token of auth's for `audience` (access tokens: AUDIENCE)."""
        try:
            header = jwt.get_unverified_header(token)
            if header.get("alg") != ALGORITHM:
                raise InvalidToken("unexpected algorithm")
            key = self._keys.key(header.get("kid"))
            options = {"require": ["exp", "iat", "sub", "iss", "aud"]}
            if self._clock is not None:
                # Verify expiry and "not issued in the future" against the injected clock, not the wall clock.
                options["verify_exp"] = False
                options["verify_iat"] = False
            claims = jwt.decode(token, key=key, algorithms=[ALGORITHM], audience=audience, issuer=ISSUER,
                                leeway=self._leeway, options=options)
        except jwt.PyJWTError as error:
            raise InvalidToken(type(error).__name__) from error
        if self._clock is not None:
            now = self._clock.now().timestamp()
            if now > claims["exp"] + self._leeway:
                raise InvalidToken("ExpiredSignatureError")
            if not isinstance(claims["iat"], int | float) or claims["iat"] > now + self._leeway:
                raise InvalidToken("ImmatureSignatureError")
        return claims


def _establishments(claims: dict) -> frozenset[str]:
    value = claims.get("establishments", [])
    if value == EVERY_ESTABLISHMENT:
        return frozenset({EVERY_ESTABLISHMENT})
    if not isinstance(value, list) or not all(isinstance(n, str) and n != EVERY_ESTABLISHMENT for n in value):
        raise InvalidToken("bad establishments claim")
    return frozenset(value)


def _office(claims: dict) -> str | None:
    office = claims.get("office")
    if office is not None and not isinstance(office, str):
        raise InvalidToken("bad office claim")
    return office


def bearer_token(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def install(app, verifier: TokenVerifier | None) -> None:
    """Make every request of `app` carry its verified principal (or none) in flask.g.

    A present but invalid token is refused at once (401), even on public routes.
    """
    app.extensions["token_verifier"] = verifier

    @app.before_request
    def _authenticate() -> None:
        g.principal = None
        token = bearer_token(request.headers.get("Authorization"))
        if token is None:
            return
        if verifier is None:
            raise Problem("unauthorized", detail_ja="トークンを検証できません。",
                          detail_en="Tokens cannot be verified here.")
        try:
            g.principal = verifier.verify(token)
        except InvalidToken as error:
            raise Problem("unauthorized", detail_ja="ログインの有効期限が切れました。もう一度ログインしてください。",
                          detail_en="Your session has expired; please log in again.") from error


def current_principal() -> Principal:
    """The verified caller of this request; 401 problem when there is none."""
    principal = g.get("principal")
    if principal is None:
        raise Problem("unauthorized")
    return principal


def current_seeker_id() -> str:
    """The opaque seeker id of the calling job seeker (every /me resource is theirs alone)."""
    principal = current_principal()
    if not principal.has(SEEKER):
        raise Problem("forbidden", detail_ja="求職者としてログインしてください。", detail_en="Log in as a job seeker.")
    return principal.subject


def require_role(*roles: str) -> Callable:
    """Decorator for a view: the caller must hold one of `roles` (e.g. "staff")."""
    wanted = frozenset(roles)

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            principal = current_principal()
            if not principal.roles & wanted:
                raise Problem("forbidden")
            return view(*args, **kwargs)

        return wrapper

    return decorate


def current_establishments() -> frozenset[str] | None:
    """C2: the establishments the calling employer system acts for (None: every one, the dev client)."""
    principal = current_principal()
    if not principal.has(EMPLOYER):
        raise Problem("forbidden")
    return principal.establishment_scope()


def require_seeker(view: Callable) -> Callable:
    """Decorator for a view: the caller must be a logged-in job seeker — checked before the body or
    query is read, so a staff token gets 403 rather than a validation error."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        current_seeker_id()
        return view(*args, **kwargs)

    return wrapper
