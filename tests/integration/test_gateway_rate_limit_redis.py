"""Several gateway replicas share one count per client address through Redis
(MYPAGE_GATEWAY_RATE_LIMIT_STORAGE), so running more replicas does not multiply the limit."""

from __future__ import annotations

import uuid

from gateway.ratelimit import RateLimiter


def test_two_replicas_share_the_auth_limit_of_an_address(redis_url):
    first, second = (RateLimiter(auth="3/minute", general="off", storage=redis_url) for _ in range(2))
    address = f"203.0.113.{uuid.uuid4().int % 250}-{uuid.uuid4().hex[:8]}"  # this test's own counter
    answers = [replica.retry_after("POST", "/api/v1/auth/login", address) for replica in (first, second, first)]
    assert answers == [None, None, None]
    wait = second.retry_after("POST", "/api/v1/auth/login", address)
    assert wait is not None and 1 <= wait <= 60
    assert first.retry_after("POST", "/api/v1/auth/login", f"{address}-other") is None
