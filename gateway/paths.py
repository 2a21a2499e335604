"""Canonical request paths only (DESIGN §1: the gateway is the only door; issue 10, path confusion).

The gateway routes, rate-limits and checks the caller on the path it sees; a path that a later hop
could read differently must never pass. So a path is refused (400 problem) — never normalised and
forwarded — when, as the WSGI server decoded it (`PATH_INFO`, so `%2e`/`%2E`/`%2f`/`%5c` are already
plain characters), it has
- a `.` or `..` segment (urllib3 and many servers remove them: `/api/v1/terms/../auth/login` would
  be limited as `terms` and answered as `login`),
- an empty segment (`//`) — a trailing `/` aside, which a service answers with a 404 of its own,
- a backslash (some servers read it as `/`), or a control character,
- or any of these after one more percent-decoding (`%252e%252e`), for a hop that decodes twice.
The raw request target (RAW_URI/REQUEST_URI) is checked too: Werkzeug's server turns `//api/...`
into the PATH_INFO `/api/...`. A canonical path is forwarded exactly as checked (gateway.backends
never normalises it either).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import unquote, urlsplit

from kit.problem import Problem

_DOT_SEGMENTS = frozenset({".", ".."})
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def flaw(path: str) -> str | None:
    """§1 (the only door): what makes `path` (a decoded PATH_INFO) non-canonical, or None when it is canonical."""
    if not path.startswith("/"):
        return "relative path"
    segments = path[1:].split("/")
    for position, segment in enumerate(segments):
        for reading in (segment, unquote(segment)):
            if reading in _DOT_SEGMENTS:
                return "dot segment"
            if "\\" in reading:
                return "backslash"
            if _CONTROL.search(reading):
                return "control character"
            if reading is not segment and "/" in reading:
                return "encoded slash"
        if not segment and position != len(segments) - 1:
            return "empty segment"
    return None


def request_flaw(environ: Mapping) -> str | None:
    """§1: what makes this WSGI request's path non-canonical (its PATH_INFO or raw target), or None."""
    found = flaw(environ.get("PATH_INFO", ""))
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if found is None and raw:
        raw_path = raw.partition("?")[0]
        if not raw_path.startswith("/"):  # absolute-form, as sent to a proxy
            raw_path = urlsplit(raw_path).path or "/"
        # WSGI strings are bytes as latin-1 (PEP 3333); only ASCII matters here.
        found = flaw(unquote(raw_path, encoding="latin-1"))
    return found


def non_canonical_path() -> Problem:
    """API conventions: the 400 problem for a path `flaw` refused."""
    return Problem("bad-request",
                   detail_ja="URL のパスが正しくありません。「.」「..」「//」「\\」を含まない形で指定してください。",
                   detail_en="The URL path is not canonical: send it without '.', '..', '//' or '\\' segments.")
