"""Settings of the jobs service (MYPAGE_* environment, embedded defaults)."""

from __future__ import annotations

import os
from collections.abc import Mapping

from kit.settings import ConfigurationError, Settings
from services.jobs.search_engine import SearchEngine

SERVICE = "jobs"


def load_settings(environ=None, **overrides) -> Settings:
    return Settings.from_env(SERVICE, environ, **overrides)


def search_url(environ: Mapping[str, str] | None = None) -> str:
    """MYPAGE_SEARCH_URL: this process's search node (a Groonga server, e.g. http://127.0.0.1:10041)."""
    return (os.environ if environ is None else environ).get("MYPAGE_SEARCH_URL", "").strip()


def search_engine_of(settings: Settings, environ: Mapping[str, str] | None = None) -> SearchEngine | None:
    """DESIGN §9: the search node, or None — the embedded mode scans its few thousand postings. Production
    needs one: the national volume is never scanned in PostgreSQL."""
    url = search_url(environ)
    if not url:
        if settings.production:
            raise ConfigurationError("MYPAGE_SEARCH_URL must name the search node (Groonga) in production")
        return None
    return SearchEngine(url)
