"""JSON logs (one object per line) with UTC time, request id and correlation id (DESIGN §8, S7).

Log records never carry secrets: callers log identifiers, not passwords, keys, OTPs,
tokens or birth dates. `redact()` is a second line of defence for free text.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime

from kit.uow import correlation_id

_SECRET_PATTERNS = [
    re.compile(r'("?(?:password|passwd|auth_key|otp|token|secret|birth_date)"?\s*[:=]\s*)("[^"]*"|\S+)', re.I),
]


def redact(text: str) -> str:
    for pattern in _SECRET_PATTERNS:
        text = pattern.sub(r"\1[REDACTED]", text)
    return text


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat().replace("+00:00", "Z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        cid = correlation_id.get()
        if cid:
            entry["correlation_id"] = cid
        for key in ("request_id", "event_id", "event_type", "seeker", "outcome"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(level: int = logging.INFO) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
