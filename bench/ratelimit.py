"""Gateway rate-limit benchmark: what the per-address limits add to every /api/v1 request.

    .venv/bin/python bench/ratelimit.py --calls 20000 [--redis redis://127.0.0.1:6379]

Measured in one process, beside raw baselines in the same run:
- raw `limits`: MovingWindowRateLimiter.hit on one limit (the library alone), memory and Redis;
- ours: gateway.ratelimit.RateLimiter.retry_after for a GET (the general limit) and for a POST under
  /api/v1/auth/ (general + the two auth limits), memory and Redis;
- through the gateway (Flask test client, an in-process echo service): GET /api/v1/jobs with the
  limits on vs `off` — the whole request, so the limiter's share of a request shows.
Prints µs per call and writes bench/results/ratelimit-<date>.json. Not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask import Flask, jsonify  # noqa: E402
from limits import parse  # noqa: E402
from limits.storage import storage_from_string  # noqa: E402
from limits.strategies import MovingWindowRateLimiter  # noqa: E402

from gateway.app import create_gateway  # noqa: E402
from gateway.backends import InProcessBackend  # noqa: E402
from gateway.ratelimit import RateLimiter  # noqa: E402
from kit.settings import Settings  # noqa: E402

HIGH = "100000000/minute"  # never reached: every call does the full work of a passing request


def _per_call(call, calls: int) -> float:
    started = time.perf_counter()
    for index in range(calls):
        call(index)
    return (time.perf_counter() - started) / calls * 1e6  # µs


def _limits(storage: str, calls: int) -> dict[str, float]:
    raw = MovingWindowRateLimiter(storage_from_string(storage))
    item = parse(HIGH)
    ours = RateLimiter(auth=f"{HIGH};{HIGH}", general=HIGH, storage=storage)
    tag = uuid.uuid4().hex[:8]
    return {
        "raw_limits_hit_us": _per_call(lambda i: raw.hit(item, "bench", f"{tag}-{i % 500}"), calls),
        "ours_get_us": _per_call(lambda i: ours.retry_after("GET", "/api/v1/jobs", f"{tag}-{i % 500}"), calls),
        "ours_auth_post_us": _per_call(
            lambda i: ours.retry_after("POST", "/api/v1/auth/login", f"{tag}-{i % 500}"), calls),
    }


def _echo() -> Flask:
    app = Flask("echo")

    @app.get("/api/v1/<path:rest>")
    def echo(rest):
        return jsonify(path=rest)

    return app


def _through_gateway(tmp: Path, calls: int, *, limited: bool) -> float:
    value = HIGH if limited else "off"
    environ = {"MYPAGE_VAR_DIR": str(tmp), "MYPAGE_GATEWAY_RATE_LIMIT": value, "MYPAGE_GATEWAY_RATE_LIMIT_AUTH": value}
    client = create_gateway({"jobs": InProcessBackend("jobs", _echo())}, Settings.from_env("gateway", environ),
                            authenticate=lambda route, request: None).test_client()
    return _per_call(lambda i: client.get("/api/v1/jobs", environ_base={"REMOTE_ADDR": f"10.0.{i % 200}.1"}), calls)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=20000)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379")
    args = parser.parse_args()
    import tempfile

    results: dict = {"calls": args.calls, "memory": _limits("memory://", args.calls)}
    try:
        results["redis"] = _limits(args.redis, args.calls // 4)
    except Exception as error:  # noqa: BLE001 — a bench without Redis still reports the rest
        results["redis"] = {"error": repr(error)}
    with tempfile.TemporaryDirectory() as tmp:
        off = _through_gateway(Path(tmp), args.calls // 4, limited=False)
        on = _through_gateway(Path(tmp), args.calls // 4, limited=True)
    results["gateway_request_us"] = {"limits_off": off, "limits_on_memory": on, "added": on - off}
    print(json.dumps(results, indent=2))
    out = ROOT / "bench" / "results" / f"ratelimit-{datetime.now(UTC).date().isoformat()}.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"written to {out}")


if __name__ == "__main__":
    main()
