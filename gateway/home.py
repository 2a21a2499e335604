"""P5: the home screen (`GET /api/v1/me`) in one round trip, composed by the gateway.

Design (see services/profile/README.md): **gateway composition in parallel**, not a projection.
The gateway asks profile for its part (name 「求職 太郎様」, office, registration status, the
restrictions profile knows) and, at the same time, every contributing service for a small
fragment at `GET /internal/v1/home` with the same bearer token (each service checks it and
answers for the token's own seeker only). The fragments fill in the `counts` and
`restriction` keys profile's answer leaves null. A contributor that does not answer within
FRAGMENT_TIMEOUT or answers an error leaves its keys null:
unknown, never invented. `/internal/...` is not under /api/v1, so clients cannot call it.

A fragment is JSON: `{"counts": {"favourites": 3, ...}, "restriction": {"no_show": false}}`;
only keys profile's answer declares are taken, and only integers / booleans.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from gateway.backends import Backend, BackendUnavailable, UpstreamResponse

log = logging.getLogger("mypage.gateway")

HOME_PATH = "/api/v1/me"
FRAGMENT_PATH = "/internal/v1/home"
FRAGMENT_TIMEOUT = 1.5  # seconds the home screen waits for a count before showing it as unknown
# Who keeps which part of the home screen (SPEC P5, J3–J5, J7, J9, M2).
CONTRIBUTORS: dict[str, tuple[str, ...]] = {
    "jobs": ("favourites", "saved_searches", "referrals", "recommendations", "no_show"),
    "messaging": ("unread_messages",),
}
PARTIAL_HEADER = "X-MyPage-Partial"  # the contributors whose part is unknown in this answer

_pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="gateway-home")


def is_home(method: str, path: str) -> bool:
    return method in ("GET", "HEAD") and path.rstrip("/") == HOME_PATH


def compose_home(backends: Mapping[str, Backend], *, headers: Iterable[tuple[str, str]],
                 query: bytes | str = b"", timeout: float | None = None) -> UpstreamResponse:
    """P5: profile's home answer with the contributors' counts filled in, all asked in parallel.

    Raises BackendUnavailable when profile itself cannot answer (the gateway's 503).
    """
    timeout = FRAGMENT_TIMEOUT if timeout is None else timeout
    headers = list(headers)
    profile = backends.get("profile")
    if profile is None:
        raise BackendUnavailable("profile", "not configured")
    fragments: dict[str, Future] = {
        name: _pool.submit(backends[name].send, "GET", FRAGMENT_PATH, headers=headers, timeout=timeout)
        for name in CONTRIBUTORS if name in backends
    }
    started = time.monotonic()
    answer = profile.send("GET", HOME_PATH, query=query, headers=headers)
    home = _json_object(answer) if answer.status == 200 else None
    if home is None:
        for future in fragments.values():
            future.cancel()
        return answer
    unknown = [name for name in CONTRIBUTORS if name not in fragments]
    for name, future in fragments.items():
        fragment = _fragment(name, future, max(0.0, timeout - (time.monotonic() - started)))
        if fragment is None:
            unknown.append(name)
            continue
        _merge(home, fragment, CONTRIBUTORS[name])
    body = json.dumps(home, ensure_ascii=False).encode()
    response_headers = [(k, v) for k, v in answer.headers if k.lower() != "content-length"]
    if unknown:
        response_headers.append((PARTIAL_HEADER, ",".join(sorted(unknown))))
    return UpstreamResponse(answer.status, response_headers, body)


def _fragment(name: str, future: Future, timeout: float) -> dict | None:
    try:
        answer = future.result(timeout=timeout)
    except FutureTimeout:
        future.cancel()
        log.warning("home: %s did not answer within the time; its counts are unknown", name)
        return None
    except BackendUnavailable as error:
        log.warning("home: %s unavailable (%s); its counts are unknown", name, error.reason)
        return None
    if answer.status != 200:
        return None  # an error answer: its counts are unknown
    return _json_object(answer)


def _merge(home: dict, fragment: dict, keys: tuple[str, ...]) -> None:
    for section, kinds in (("counts", int), ("restriction", bool)):
        target, given = home.get(section), fragment.get(section)
        if not isinstance(target, dict) or not isinstance(given, dict):
            continue
        for key in keys:
            value = given.get(key)
            if key in target and isinstance(value, kinds) and (kinds is bool or not isinstance(value, bool)):
                target[key] = value


def _json_object(answer: UpstreamResponse) -> dict | None:
    if not (answer.header("Content-Type") or "").startswith("application/json"):
        return None
    try:
        body = json.loads(answer.body)
    except ValueError:
        return None
    return body if isinstance(body, dict) else None
