"""Issue 11 item 6, §8: the gateway's access log (kit.logs.log_access), one JSON line per request."""

from __future__ import annotations

import logging

from tests.component.kit.conftest import access_lines


def test_s8_the_gateway_logs_one_json_access_line_per_request_with_its_request_id(gateway, caplog):
    with caplog.at_level(logging.INFO, logger="mypage.access"):
        response = gateway.get("/api/v1/jobs?q=%E4%BB%8B%E8%AD%B7&prefecture=13")
    [line] = access_lines(caplog)
    assert line["request_id"] == response.headers["X-Request-ID"] and len(line["request_id"]) == 32
    assert (line["method"], line["path"], line["query"], line["status"]) == (
        "GET", "/api/v1/jobs", ["prefecture", "q"], response.status_code)
