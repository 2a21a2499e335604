"""Settings of the jobs service (MYPAGE_* environment, embedded defaults)."""

from __future__ import annotations

import os
from collections.abc import Mapping

from kit.settings import ConfigurationError, Settings
from services.jobs.search_engine import SearchEngine

SERVICE = "jobs"
MAX_SEARCH_CACHE_SECONDS = 1.5


def load_settings(environ=None, **overrides) -> Settings:
    return Settings.from_env(SERVICE, environ, **overrides)


def search_url(environ: Mapping[str, str] | None = None) -> str:
    """MYPAGE_SEARCH_URL: this process's search node (a Groonga server, e.g. http://127.0.0.1:10041)."""
    return (os.environ if environ is None else environ).get("MYPAGE_SEARCH_URL", "").strip()


def search_cache_seconds(environ: Mapping[str, str] | None = None) -> float:
    """MYPAGE_SEARCH_CACHE_SECONDS (default 1, 0 turns it off): how long a web process answers the same search
    from memory. At most MAX_SEARCH_CACHE_SECONDS, so that a change is found within J2's 2 s with the
    indexer's own delay (p99 about 0.1 s, bench/README.md) to spare."""
    raw = (os.environ if environ is None else environ).get("MYPAGE_SEARCH_CACHE_SECONDS", "").strip() or "1"
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= MAX_SEARCH_CACHE_SECONDS:
        raise ConfigurationError(f"MYPAGE_SEARCH_CACHE_SECONDS must be a number of seconds from 0 to "
                                 f"{MAX_SEARCH_CACHE_SECONDS:g}, not {raw!r}")
    return seconds


def search_engine_of(settings: Settings, environ: Mapping[str, str] | None = None) -> SearchEngine | None:
    """DESIGN §9: the search node, or None — the embedded mode scans its few thousand postings. Production
    needs one: the national volume is never scanned in PostgreSQL."""
    url = search_url(environ)
    if not url:
        if settings.production:
            raise ConfigurationError("MYPAGE_SEARCH_URL must name the search node (Groonga) in production")
        return None
    return SearchEngine(url, cache_seconds=search_cache_seconds(environ))
