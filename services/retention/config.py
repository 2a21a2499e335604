"""Settings of the retention service (MYPAGE_* environment, embedded defaults).

Besides the common settings (kit.settings), retention reads:
- `MYPAGE_RETENTION_ERASURE_RETRY_SECONDS` (default 1800): an erasure request not confirmed by
  every service after this long is sent again to those missing (R3);
- `MYPAGE_RETENTION_SWEEP_SECONDS` (default 3600): how often the worker runs the five-year
  sweep (R2) besides the daily `python -m services.retention sweep`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from kit.settings import ConfigurationError, Settings
from services.retention.domain import DEFAULT_RETRY_INTERVAL

SERVICE = "retention"
DEFAULT_SWEEP_EVERY = timedelta(hours=1)
RETRY_CHECK_EVERY = timedelta(minutes=1)  # how often the retry task looks (the interval is the rule)


def load_settings(environ=None, **overrides) -> Settings:
    return Settings.from_env(SERVICE, environ, **overrides)


@dataclass(frozen=True)
class RetentionOptions:
    """R2/R3 timings of the worker's tasks."""

    retry_interval: timedelta = DEFAULT_RETRY_INTERVAL
    sweep_every: timedelta = DEFAULT_SWEEP_EVERY
    retry_check_every: timedelta = RETRY_CHECK_EVERY


def load_options(environ: Mapping[str, str] | None = None) -> RetentionOptions:
    """RetentionOptions from MYPAGE_RETENTION_* (see the module); a value that is not a positive number is refused."""
    env = os.environ if environ is None else environ

    def seconds(name: str, default: timedelta) -> timedelta:
        raw = env.get(f"MYPAGE_RETENTION_{name}")
        if raw is None:
            return default
        try:
            value = float(raw)
        except ValueError:
            value = 0.0
        if value <= 0:
            raise ConfigurationError(f"MYPAGE_RETENTION_{name} must be a positive number of seconds")
        return timedelta(seconds=value)

    retry = seconds("ERASURE_RETRY_SECONDS", DEFAULT_RETRY_INTERVAL)
    return RetentionOptions(retry_interval=retry, sweep_every=seconds("SWEEP_SECONDS", DEFAULT_SWEEP_EVERY),
                            retry_check_every=min(RETRY_CHECK_EVERY, retry))
