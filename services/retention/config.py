"""Settings of the retention service (MYPAGE_* environment, embedded defaults).

Besides the common settings (kit.settings), retention reads:
- `MYPAGE_RETENTION_ERASURE_RETRY_SECONDS` (default 1800): an erasure request not confirmed by
  every service after this long is sent again to those missing (R3);
- `MYPAGE_RETENTION_SWEEP_SECONDS` (default 3600): how often the worker runs the five-year
  sweep (R2) besides the daily `python -m services.retention sweep`;
- `MYPAGE_RETENTION_ERASURE_FINAL_ROUND_SECONDS` (default 3600): how long after every service
  confirmed round 1 the final round 2 asks them all again (0: at the next retry pass).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from kit.settings import ConfigurationError, Settings
from services.retention.domain import DEFAULT_FINAL_ROUND_DELAY, DEFAULT_RETRY_INTERVAL

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
    final_round_delay: timedelta = DEFAULT_FINAL_ROUND_DELAY


def load_options(options: Mapping[str, str] | None = None) -> RetentionOptions:
    """RetentionOptions from MYPAGE_RETENTION_* (Settings.options; see the module); a value that is not a
    positive number (zero or more for the final round's delay) is refused."""
    options = {} if options is None else options

    def seconds(name: str, default: timedelta, *, zero: bool = False) -> timedelta:
        raw = options.get(name)
        if raw is None:
            return default
        try:
            value = float(raw)
        except ValueError:
            value = -1.0
        if value < 0 or (value == 0 and not zero):
            raise ConfigurationError(f"MYPAGE_RETENTION_{name.upper()} must be a {'' if zero else 'positive '}"
                                     "number of seconds")
        return timedelta(seconds=value)

    retry = seconds("erasure_retry_seconds", DEFAULT_RETRY_INTERVAL)
    return RetentionOptions(retry_interval=retry, sweep_every=seconds("sweep_seconds", DEFAULT_SWEEP_EVERY),
                            retry_check_every=min(RETRY_CHECK_EVERY, retry),
                            final_round_delay=seconds("erasure_final_round_seconds", DEFAULT_FINAL_ROUND_DELAY,
                                                      zero=True))
