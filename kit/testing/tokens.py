"""Test-only token signer: mints EdDSA access tokens the kit's TokenVerifier accepts."""

from __future__ import annotations

import uuid
from datetime import timedelta

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kit.clock import Clock, SystemClock
from kit.tokens import ALGORITHM, AUDIENCE, ISSUER, SEEKER, KeySet, TokenVerifier


class TestSigner:
    """An Ed25519 key pair with a JWKS, for tests of services that verify tokens."""

    __test__ = False  # not a test class

    def __init__(self, clock: Clock | None = None, kid: str = "test-key") -> None:
        self.clock = clock or SystemClock()
        self.kid = kid
        self._private = Ed25519PrivateKey.generate()

    def jwks(self) -> dict:
        jwk = jwt.algorithms.OKPAlgorithm.to_jwk(self._private.public_key(), as_dict=True)
        return {"keys": [{**jwk, "kid": self.kid, "alg": ALGORITHM, "use": "sig"}]}

    def verifier(self) -> TokenVerifier:
        return TokenVerifier(KeySet(self.jwks), clock=self.clock)

    def issue(self, subject: str, roles=(SEEKER,), *, session_id: str | None = None,
              ttl: timedelta = timedelta(minutes=5), establishments: str | list[str] | None = None,
              office: str | None = None) -> str:
        """A token for `subject`; `establishments` (C2: a list of 事業所番号, or "*" for every one) is
        the employer claim, `office` (C3) the staff one, each left out when None."""
        now = self.clock.now()
        claims = {"sub": subject, "roles": list(roles), "sid": session_id or uuid.uuid4().hex,
                  "iss": ISSUER, "aud": AUDIENCE, "iat": int(now.timestamp()),
                  "exp": int((now + ttl).timestamp()), "jti": uuid.uuid4().hex}
        if establishments is not None:
            claims["establishments"] = establishments
        if office is not None:
            claims["office"] = office
        return jwt.encode(claims, self._private, algorithm=ALGORITHM, headers={"kid": self.kid})

    def sign(self, claims: dict) -> str:
        """Any claims, signed as auth signs (e.g. a saved-search alert's stop link, kit.tokens.ALERT_STOP_AUDIENCE)."""
        return jwt.encode(claims, self._private, algorithm=ALGORITHM, headers={"kid": self.kid})

    def headers(self, subject: str, roles=(SEEKER,), **kwargs) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.issue(subject, roles, **kwargs)}"}
