"""Settings from the environment (prefix MYPAGE_), with the embedded defaults.

Every process reads the same variables; a service reads its own database URL from
MYPAGE_<SERVICE>_DATABASE_URL. Production refuses the development defaults.

C4: production is the default answer. Only the values in DEVELOPMENT_ENVS (exactly as written)
make a development or test environment; any other MYPAGE_ENV — `production`, `Production`,
`prod`, `staging`, a typo — is production, and production refuses at start the in-memory bus,
SQLite and the passwords this repository and the brokers' images ship with.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from itertools import pairwise
from pathlib import Path
from urllib.parse import urlsplit

SERVICES = ("auth", "jobs", "profile", "messaging", "retention")
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_VAR_DIR = ROOT / "var"
EMBEDDED_AMQP_URL = "memory://"
DEFAULT_EXCHANGE = "mypage.events"
DEFAULT_RETRY_DELAYS = (1.0, 10.0, 60.0, 600.0)  # S11: seconds before a failed message's 2nd…5th delivery
MAX_RETRIES = 4  # S11: a poison message is parked after at most 5 deliveries
DEFAULT_MAIL_FROM = "system@mail.hellowork.mhlw.go.jp"
DEVELOPMENT_ENVS = frozenset({"dev", "development", "test"})  # C4: an allow-list; anything else is production
# C4: compose's former default, RabbitMQ's and the postgres image's own, the examples' placeholder —
# never a production password (compared case-insensitively).
DEFAULT_PASSWORDS = frozenset({"mypage", "guest", "postgres", "password", "changeme", "change-me"})


class ConfigurationError(RuntimeError):
    """A setting is missing or not allowed in this environment."""


@dataclass(frozen=True)
class Settings:
    """What one service process needs to know. Build with `Settings.from_env(service)`."""

    service: str
    env: str = "dev"
    database_url: str = ""
    amqp_url: str = EMBEDDED_AMQP_URL
    exchange: str = DEFAULT_EXCHANGE
    smtp_url: str = ""
    mail_from: str = DEFAULT_MAIL_FROM
    port: int = 8080
    var_dir: Path = DEFAULT_VAR_DIR
    jwks_url: str = ""
    secrets: Mapping[str, str] = field(default_factory=dict)
    outbox_keep_days: int = 7  # MYPAGE_OUTBOX_KEEP_DAYS: sent outbox rows are deleted after (kit.housekeeping)
    inbox_keep_days: int = 30  # MYPAGE_INBOX_KEEP_DAYS: inbox rows are deleted after
    parking_ttl_days: int = 14  # MYPAGE_PARKING_TTL_DAYS: a parked message is dropped after (kit.topology)
    retry_delays: tuple[float, ...] = DEFAULT_RETRY_DELAYS  # MYPAGE_RETRY_DELAYS: seconds, e.g. "1,10,60,600"
    # MYPAGE_<SERVICE>_<NAME> besides the database URL and secrets, as {"<name>": value} (e.g. rate limits)
    options: Mapping[str, str] = field(default_factory=dict)
    amqp_setting: str = "MYPAGE_AMQP_URL"  # the variable amqp_url came from (C4's messages name it)

    @property
    def production(self) -> bool:
        """C4: every MYPAGE_ENV but an explicit development/test value is production."""
        return self.env not in DEVELOPMENT_ENVS

    @property
    def embedded(self) -> bool:
        return self.amqp_url.startswith("memory://")

    def with_(self, **changes) -> Settings:
        return replace(self, **changes)

    @classmethod
    def from_env(cls, service: str, environ: Mapping[str, str] | None = None, **overrides) -> Settings:
        """Read MYPAGE_* for `service`; keyword overrides win over the environment."""
        if service not in SERVICES and service != "gateway":
            raise ConfigurationError(f"unknown service {service!r}")
        env = os.environ if environ is None else environ
        var_dir = Path(env.get("MYPAGE_VAR_DIR", DEFAULT_VAR_DIR))
        default_db = f"sqlite:///{var_dir / (service + '.db')}"
        prefix = f"MYPAGE_{service.upper()}_"
        values = dict(
            service=service,
            env=env.get("MYPAGE_ENV", "dev"),
            database_url=env.get(prefix + "DATABASE_URL", default_db),
            # §8: each service (and the gateway) connects as its own broker user (kit/broker_users.py) when
            # MYPAGE_<SERVICE>_AMQP_URL is set; MYPAGE_AMQP_URL is the one URL of every process otherwise.
            amqp_url=env.get(prefix + "AMQP_URL") or env.get("MYPAGE_AMQP_URL", EMBEDDED_AMQP_URL),
            amqp_setting=prefix + "AMQP_URL" if env.get(prefix + "AMQP_URL") else "MYPAGE_AMQP_URL",
            exchange=env.get("MYPAGE_EXCHANGE", DEFAULT_EXCHANGE),
            smtp_url=env.get("MYPAGE_SMTP_URL", ""),
            mail_from=env.get("MYPAGE_MAIL_FROM", DEFAULT_MAIL_FROM),
            port=int(env.get("MYPAGE_PORT", "8080")),
            var_dir=var_dir,
            outbox_keep_days=_days(env, "MYPAGE_OUTBOX_KEEP_DAYS", 7),
            inbox_keep_days=_days(env, "MYPAGE_INBOX_KEEP_DAYS", 30),
            parking_ttl_days=_days(env, "MYPAGE_PARKING_TTL_DAYS", 14),
            retry_delays=_retry_delays(env.get("MYPAGE_RETRY_DELAYS")),
            jwks_url=env.get("MYPAGE_JWKS_URL", f"file://{var_dir / 'jwks.json'}"),
            secrets={k[len(prefix):].lower(): v for k, v in env.items() if k.startswith(prefix + "SECRET_")},
            options={k[len(prefix):].lower(): v for k, v in env.items()
                     if k.startswith(prefix) and not k.startswith(prefix + "SECRET_")
                     and k not in (prefix + "DATABASE_URL", prefix + "AMQP_URL")},
        )
        values.update(overrides)
        settings = cls(**values)
        settings.check()
        return settings

    def check(self) -> None:
        """C4: refuse the embedded/dev defaults in production, saying why this environment is production."""
        if not self.production:
            return
        database = f"MYPAGE_{self.service.upper()}_DATABASE_URL"
        if self.embedded:
            raise self.refusal(f"{self.amqp_setting} must name a RabbitMQ broker, not the in-memory bus")
        if self.service != "gateway" and self.database_url.startswith("sqlite"):  # the gateway has no database
            raise self.refusal(f"{database} must be PostgreSQL, not SQLite")
        for name, url in ((self.amqp_setting, self.amqp_url), (database, self.database_url),
                          ("MYPAGE_SMTP_URL", self.smtp_url)):
            if (_password(url) or "").lower() in DEFAULT_PASSWORDS:
                raise self.refusal(f"{name} uses a default password; set a random one")
        if self.jwks_url in ("", f"file://{self.var_dir / 'jwks.json'}"):  # written only by the embedded auth
            raise self.refusal("MYPAGE_JWKS_URL must name auth's public keys, e.g. "
                               "http://auth-web/api/v1/auth/jwks (the development default is a file no process "
                               "writes in production, so every token would be refused)")

    def refusal(self, reason: str) -> ConfigurationError:
        """C4: the start-up error for a development default found in production."""
        allowed = ", ".join(sorted(DEVELOPMENT_ENVS))
        return ConfigurationError(f"MYPAGE_ENV={self.env!r} is production (development is only {allowed}): {reason}")


def _password(url: str) -> str | None:
    try:
        return urlsplit(url).password
    except ValueError:  # an unparsable URL fails later, where it is used, with its own message
        return None


def _days(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None:
        return default
    if not raw.strip().isdigit() or int(raw) < 1:
        raise ConfigurationError(f"{name} must be a whole number of days, at least 1")
    return int(raw)


def _retry_delays(raw: str | None) -> tuple[float, ...]:
    """S11: MYPAGE_RETRY_DELAYS — 1 to 4 growing delays in seconds (0.01 to 86400), comma-separated."""
    if raw is None:
        return DEFAULT_RETRY_DELAYS
    problem = ConfigurationError(
        f"MYPAGE_RETRY_DELAYS must be 1 to {MAX_RETRIES} comma-separated seconds, each from 0.01 to 86400 and "
        f"none shorter than the one before (e.g. 1,10,60,600); got {raw!r}")
    try:
        delays = tuple(float(part) for part in raw.split(","))
    except ValueError:
        raise problem from None
    if not 1 <= len(delays) <= MAX_RETRIES or any(not 0.01 <= delay <= 86400 for delay in delays):
        raise problem
    if any(later < earlier for earlier, later in pairwise(delays)):
        raise problem
    return delays
