"""S7: log lines are JSON with UTC time and correlation id, and never carry secrets."""

import json
import logging

from kit.logs import JsonFormatter, redact
from kit.uow import correlation_id


def _format(message, *args, **extra):
    record = logging.LogRecord("mypage.test", logging.INFO, __file__, 1, message, args, None)
    for key, value in extra.items():
        setattr(record, key, value)
    return json.loads(JsonFormatter().format(record))


def test_json_line_with_utc_time_and_correlation():
    token = correlation_id.set("corr-1")
    try:
        entry = _format("login %s", "succeeded", request_id="req-1", outcome="ok")
    finally:
        correlation_id.reset(token)
    assert entry["message"] == "login succeeded"
    assert entry["time"].endswith("Z")
    assert entry["correlation_id"] == "corr-1"
    assert entry["request_id"] == "req-1"
    assert entry["outcome"] == "ok"


def test_secrets_in_free_text_are_redacted():
    text = 'payload {"password": "@abcd1234", "auth_key": "K3Y", "birth_date": "1990-04-01"} otp=123456'
    cleaned = redact(text)
    for secret in ("@abcd1234", "K3Y", "1990-04-01", "123456"):
        assert secret not in cleaned
    assert cleaned.count("[REDACTED]") == 4
