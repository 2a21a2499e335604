"""Request body limits, the same at the gateway and in every service (issue 10: a 200,000-deep JSON
body was a 500 in a service, and a service called directly, not through the gateway, still was).

- Size: MAX_BODY_BYTES. The largest request any API takes is an online self-application (J8) with
  3 PDFs of at most 2 MB each, base64 in JSON (4/3 of 6 MB = 8 MB) plus the 志望動機; a larger
  body is a 413 problem before anything is read into memory (Flask's MAX_CONTENT_LENGTH).
- Depth: MAX_JSON_DEPTH nested arrays/objects. No API takes more than a few levels; a JSON body
  nested deeper is a 400 problem, so no service's parser ever recurses through it.
The depth is measured without parsing: strings are skipped, then brackets counted. The gateway
checks them at its door; `install(app)` (kit.web, every service) checks them again in each service,
so a service reached without the gateway answers the same 400 and 413 problems, never a 500.
"""

from __future__ import annotations

import re

from flask import Flask, request

from kit.problem import Problem

MAX_BODY_BYTES = 10 * 1024 * 1024
MAX_JSON_DEPTH = 32
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKET = re.compile(rb"[\[\]{}]")
_OPENING = frozenset(b"[{")


def looks_like_json(content_type: str | None, body: bytes) -> bool:
    """API conventions: a JSON media type, or a body that starts like a JSON document (a service may parse
    it anyway)."""
    mimetype = (content_type or "").split(";", 1)[0].strip().lower()
    if mimetype == "application/json" or mimetype.endswith("+json"):
        return True
    return body.lstrip()[:1] in (b"{", b"[")


def json_depth(body: bytes, stop_after: int = MAX_JSON_DEPTH) -> int:
    """API conventions: how deeply arrays/objects nest in `body` (0 for a scalar); counting stops past
    `stop_after`."""
    depth = deepest = 0
    for bracket in _BRACKET.finditer(_STRING.sub(b'""', body)):
        if bracket.group()[0] in _OPENING:
            depth += 1
            deepest = max(deepest, depth)
            if deepest > stop_after:
                break
        else:
            depth = max(0, depth - 1)
    return deepest


def too_deep(max_depth: int = MAX_JSON_DEPTH) -> Problem:
    """API conventions: the 400 problem for a JSON body nested deeper than `max_depth`."""
    return Problem("bad-request",
                   detail_ja=f"JSON の入れ子が深すぎます（{max_depth}段まで）。",
                   detail_en=f"The JSON body is nested too deeply (at most {max_depth} levels).")


def too_large(max_bytes: int = MAX_BODY_BYTES) -> Problem:
    """API conventions: the 413 problem for a body larger than `max_bytes`."""
    megabytes = max_bytes // (1024 * 1024)
    return Problem("payload-too-large", detail_ja=f"送信できるのは{megabytes}MBまでです。",
                   detail_en=f"A request body is at most {megabytes} MB.")


def install(app: Flask) -> None:
    """Both limits for a service's app: a larger body is a 413 before it is read (Flask's
    MAX_CONTENT_LENGTH; kit.web renders it with `too_large`), a JSON body nested deeper than
    MAX_JSON_DEPTH a 400 before any view parses it."""
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES

    @app.before_request
    def _json_depth() -> None:
        if request.method not in _BODY_METHODS:
            return
        body = request.get_data(cache=True)  # kept for the view; past MAX_CONTENT_LENGTH: 413
        if looks_like_json(request.content_type, body) and json_depth(body) > MAX_JSON_DEPTH:
            raise too_deep()
