"""Environments for running the embedded system inside a test process."""

from __future__ import annotations

import os
import uuid
from pathlib import Path


def isolated_environ(var_dir: Path | str, **extra: str) -> dict[str, str]:
    """MYPAGE_* for one embedded system in a test: its own var dir, a free port, and its own exchange.

    kombu's memory:// bus is shared by everything in the process, and queue names derive from
    the exchange name; a unique exchange keeps one test's events away from another's consumers.
    """
    environ = {k: v for k, v in os.environ.items() if not k.startswith("MYPAGE_")}
    # One test client makes more calls a minute than any real address (Schemathesis: thousands); the
    # gateway's per-address limits are tested on their own (tests/component/gateway/test_gateway_rate_limit.py).
    # The demo seeker's My Page starts unused (MYPAGE_DEMO_ACTIVITY=0): tests count what they add.
    environ.update(MYPAGE_VAR_DIR=str(var_dir), MYPAGE_PORT="0", MYPAGE_ENV="dev", MYPAGE_DEMO_ACTIVITY="0",
                   MYPAGE_EXCHANGE=f"e2e{uuid.uuid4().hex[:12]}.events",
                   MYPAGE_GATEWAY_RATE_LIMIT="1000000/minute", MYPAGE_GATEWAY_RATE_LIMIT_AUTH="1000000/minute")
    environ.update(extra)
    return environ
