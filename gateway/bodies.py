"""Request body limits at the gateway (issue 10: a 200,000-deep JSON body was a 500 in a service).

- Size: MAX_BODY_BYTES. The largest request any API takes is an online self-application (J8) with
  3 PDFs of at most 2 MB each, base64 in JSON (4/3 of 6 MB = 8 MB) plus the 志望動機; a larger
  body is a 413 problem before anything is read into memory (Flask's MAX_CONTENT_LENGTH).
- Depth: MAX_JSON_DEPTH nested arrays/objects. No API takes more than a few levels; a JSON body
  nested deeper is a 400 problem, so no service's parser ever recurses through it.
The depth is measured without parsing: strings are skipped, then brackets counted.
"""

from __future__ import annotations

import re

from kit.problem import Problem

MAX_BODY_BYTES = 10 * 1024 * 1024
MAX_JSON_DEPTH = 32

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
