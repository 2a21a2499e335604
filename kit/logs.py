"""JSON logs (one object per line) with UTC time, request id and correlation id (DESIGN §8, S7).

Log records never carry secrets: callers log identifiers, not passwords, keys, OTPs,
tokens or birth dates. `redact()` is a second line of defence for free text.

Access logs (`log_access`, logger `mypage.access`): one line per request from every web and the
gateway — method, the path with its identifiers as `*` (a 求職番号 is personal), the names of the
query parameters without their values, status, duration and request id. Gunicorn's own access log is
off and its error log goes through the same JSON handler (`GunicornLogger`).

The AMQP clients' own logging is quieted (`QUIET_LOGGERS`): pika writes ~7 ERROR lines for every
failed connection attempt and kombu a traceback per lost connection, while the relay and the
consumer already say once per outage that the broker is unreachable and when it is back.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterable
from datetime import UTC, datetime

from gunicorn.glogging import Logger as _GunicornBaseLogger

from kit.uow import correlation_id

QUIET_LOGGERS = {"pika": logging.CRITICAL, "kombu.mixins": logging.ERROR}
ACCESS = logging.getLogger("mypage.access")
PROBE_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})  # logged at DEBUG: probes and scrapes, every few s
_NAMED_SEGMENT = re.compile(r"^(v\d+|[a-z]+([-_.][a-z]+)*)$")  # a resource's name, never an identifier
_ACCESS_FIELDS = ("method", "path", "query", "status", "duration_ms")

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
        for key in ("request_id", "event_id", "event_type", "seeker", "outcome", *_ACCESS_FIELDS):
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
    for name, quiet in QUIET_LOGGERS.items():
        logging.getLogger(name).setLevel(quiet)


def path_shape(path: str) -> str:
    """`/api/v1/staff/seekers/12345-67890123/profile` → `/api/v1/staff/seekers/*/profile`."""
    return "/".join(segment if not segment or _NAMED_SEGMENT.match(segment) else "*" for segment in path.split("/"))


def log_access(method: str, path: str, query_names: Iterable[str], status: int, seconds: float,
               request_id: str) -> None:
    """One access line: no identifier of the path and no query value (either may be personal data)."""
    shape = path_shape(path)
    level = logging.DEBUG if path in PROBE_PATHS else logging.INFO
    ACCESS.log(level, "%s %s %d", method, shape, status, extra={
        "method": method, "path": shape, "query": sorted(set(query_names)), "status": status,
        "duration_ms": round(seconds * 1000, 1), "request_id": request_id})


class GunicornLogger(_GunicornBaseLogger):
    """Gunicorn's error log as JSON lines through the root handler (configure_logging); no access log."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        for logger in (self.error_log, self.access_log):
            logger.handlers[:] = []
            logger.propagate = True
