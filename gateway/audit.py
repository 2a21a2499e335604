"""C3: every staff write is recorded in auth's audit trail before the gateway forwards it.

A write (`POST`, `PUT`, `PATCH`, `DELETE`) under `/api/v1/staff/` is first sent to auth's
`POST /internal/v1/staff-audit` with the caller's own headers (its token: auth takes who and which
office from it; the request id) and the method, path and target service; auth keeps the path with
its identifiers replaced by `*`. When auth does not record it (down, or any answer but 201, or 204
for a caller that is not staff), the write is refused with a 503 and never reaches its service: a
staff write is recorded or it does not happen.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping

from gateway.backends import Backend, BackendUnavailable
from gateway.routes import API_PREFIX

log = logging.getLogger("mypage.gateway.audit")

RECORD_PATH = "/internal/v1/staff-audit"
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_STAFF = f"{API_PREFIX}/staff/"


def is_staff_write(method: str, path: str) -> bool:
    """C3: a write to a staff route (staff systems write nowhere else)."""
    return method in WRITES and path.startswith(_STAFF)


def record_staff_write(backends: Mapping[str, Backend], method: str, path: str, service: str,
                       headers: Iterable[tuple[str, str]], timeout: float = 5.0) -> None:
    """C3: have auth record this staff write; BackendUnavailable (→ 503) when it is not recorded."""
    auth = backends.get("auth")
    if auth is None:
        raise BackendUnavailable("auth", "the audit trail is not configured")
    sent = [(key, value) for key, value in headers if key.lower() not in ("content-type", "content-length")]
    answer = auth.send("POST", RECORD_PATH, headers=[*sent, ("Content-Type", "application/json")],
                       body=json.dumps({"method": method, "path": path, "service": service}).encode(),
                       timeout=timeout)
    if answer.status not in (201, 204):  # 204: not a staff token, nothing to record (its service refuses it)
        log.error("staff write not recorded (auth answered %d): refused", answer.status,
                  extra={"outcome": "audit_unavailable"})
        raise BackendUnavailable("auth", f"audit answered {answer.status}")
