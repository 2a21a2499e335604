"""Per-client-address rate limits at the gateway (DESIGN §6, OWASP ASVS: anti-automation).

Two limits, each a `limits` rate string (several separated by `;`), counted in a moving window
per client address:
- `MYPAGE_GATEWAY_RATE_LIMIT_AUTH` — the anonymous credential and mail-sending calls (every POST
  under /api/v1/auth/: opening, key entry, login, OTP, reset, refresh, client tokens); default
  120/minute;2000/hour. Per-account throttling (auth: S1, S2) is the main defence; this one stops
  one address from walking through many accounts or sending mail to many of them.
- `MYPAGE_GATEWAY_RATE_LIMIT` — every /api/v1 call; default 3000/minute.
Both are generous on purpose: mobile carriers put many phones behind one address (CGNAT).
`off` disables a limit. `MYPAGE_GATEWAY_RATE_LIMIT_STORAGE` (default `memory://`, one gateway
process) names shared storage for several replicas, e.g. `redis://127.0.0.1:6379`.
`MYPAGE_GATEWAY_TRUSTED_PROXIES` (default 0): how many proxies in front of the gateway append to
X-Forwarded-For; the client address is the one they saw, never a value the client wrote itself.

Flask-Limiter (DESIGN §7) decorates views; the gateway has one catch-all view that limits by path,
so it uses Flask-Limiter's own engine, `limits`, directly.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping

from limits import RateLimitItem, parse_many
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from kit.settings import ConfigurationError

DEFAULT_AUTH = "120/minute;2000/hour"
DEFAULT_GENERAL = "3000/minute"
AUTH_PREFIX = "/api/v1/auth/"


def _items(option: str, value: str) -> tuple[RateLimitItem, ...]:
    if value.strip().lower() == "off":
        return ()
    try:
        return tuple(parse_many(value))
    except ValueError as error:
        raise ConfigurationError(f"MYPAGE_GATEWAY_{option.upper()}: not a rate limit ({value!r}), "
                                 "e.g. 120/minute;2000/hour or off") from error


class RateLimiter:
    """Counts requests per client address and says how long to wait when one is over a limit."""

    def __init__(self, *, auth: str = DEFAULT_AUTH, general: str = DEFAULT_GENERAL, storage: str = "memory://",
                 trusted_proxies: int = 0) -> None:
        self._auth = _items("rate_limit_auth", auth)
        self._general = _items("rate_limit", general)
        self._limiter = MovingWindowRateLimiter(storage_from_string(storage))
        self.trusted_proxies = trusted_proxies

    @classmethod
    def from_options(cls, options: Mapping[str, str]) -> RateLimiter:
        proxies = options.get("trusted_proxies", "0")
        if not proxies.isdigit():
            raise ConfigurationError("MYPAGE_GATEWAY_TRUSTED_PROXIES must be a whole number (0 without a proxy)")
        return cls(auth=options.get("rate_limit_auth", DEFAULT_AUTH),
                   general=options.get("rate_limit", DEFAULT_GENERAL),
                   storage=options.get("rate_limit_storage", "memory://"), trusted_proxies=int(proxies))

    def client_address(self, remote_addr: str | None, forwarded_for: str | None) -> str:
        """The address the outermost trusted proxy saw (or the peer's, without proxies)."""
        chain = [part.strip() for part in (forwarded_for or "").split(",") if part.strip()]
        if self.trusted_proxies and len(chain) >= self.trusted_proxies:
            return chain[-self.trusted_proxies]
        return remote_addr or "unknown"

    def retry_after(self, method: str, path: str, address: str) -> int | None:
        """Count this request; None when it may pass, else the seconds until the window lets it."""
        limits = self._general + (self._auth if method == "POST" and path.startswith(AUTH_PREFIX) else ())
        for item in limits:
            if not self._limiter.hit(item, "gateway", address):
                reset_at = self._limiter.get_window_stats(item, "gateway", address).reset_time
                return max(1, math.ceil(reset_at - time.time()))
        return None
