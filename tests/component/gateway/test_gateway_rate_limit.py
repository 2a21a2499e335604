"""Per-client-address rate limits at the gateway (gateway/ratelimit.py): the anonymous auth calls
and every /api/v1 call, 429 problem+json with Retry-After, addresses counted apart, proxies trusted
only as configured, bad settings refused at start."""

from __future__ import annotations

import pytest

from gateway.app import create_gateway
from gateway.backends import InProcessBackend
from gateway.ratelimit import RateLimiter
from kit.settings import ConfigurationError, Settings


def _echo():
    from flask import Flask, jsonify

    app = Flask("echo")

    @app.route("/api/v1/<path:rest>", methods=["GET", "POST"])
    def echo(rest):
        return jsonify(path=rest)

    return app


def _gateway(tmp_path, **options):
    environ = {"MYPAGE_VAR_DIR": str(tmp_path)} | {f"MYPAGE_GATEWAY_{k.upper()}": v for k, v in options.items()}
    backends = {name: InProcessBackend(name, _echo()) for name in ("auth", "jobs", "profile", "messaging")}
    return create_gateway(backends, Settings.from_env("gateway", environ), authenticate=lambda route, request: None
                          ).test_client()


def _login(client, address="203.0.113.7", **headers):
    return client.post("/api/v1/auth/login", json={}, environ_base={"REMOTE_ADDR": address}, headers=headers)


def test_the_auth_calls_of_one_address_are_limited_with_a_clear_429(tmp_path):
    client = _gateway(tmp_path, rate_limit_auth="3/minute")
    assert [_login(client).status_code for _ in range(3)] == [200, 200, 200]
    refused = _login(client, **{"Accept-Language": "en"})
    assert refused.status_code == 429 and refused.mimetype == "application/problem+json"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert refused.json["title"] == "Too many requests; try again later"
    assert _login(client).json["title"] == "しばらく時間をおいてから再度お試しください"
    assert _login(client, address="198.51.100.9").status_code == 200  # another address is counted apart
    # other calls of the same address are not auth calls
    assert client.get("/api/v1/jobs", environ_base={"REMOTE_ADDR": "203.0.113.7"}).status_code == 200


def test_every_api_call_counts_toward_the_general_limit(tmp_path):
    client = _gateway(tmp_path, rate_limit="2/minute")
    calls = [client.get("/api/v1/jobs", environ_base={"REMOTE_ADDR": "203.0.113.8"}).status_code for _ in range(3)]
    assert calls == [200, 200, 429]
    assert client.get("/healthz", environ_base={"REMOTE_ADDR": "203.0.113.8"}).status_code == 200  # not /api/v1


def test_off_disables_a_limit(tmp_path):
    client = _gateway(tmp_path, rate_limit_auth="off", rate_limit="off")
    assert {_login(client).status_code for _ in range(200)} == {200}


def test_a_client_written_forwarded_for_is_ignored_without_trusted_proxies(tmp_path):
    client = _gateway(tmp_path, rate_limit_auth="1/minute")
    assert _login(client, **{"X-Forwarded-For": "192.0.2.1"}).status_code == 200
    assert _login(client, **{"X-Forwarded-For": "192.0.2.2"}).status_code == 429  # same peer: still counted


def test_behind_one_trusted_proxy_the_address_it_saw_is_counted():
    limiter = RateLimiter(trusted_proxies=1)
    assert limiter.client_address("10.0.0.5", "192.0.2.99, 203.0.113.7") == "203.0.113.7"  # the proxy's view
    assert limiter.client_address("10.0.0.5", None) == "10.0.0.5"
    assert RateLimiter(trusted_proxies=2).client_address("10.0.0.5", "192.0.2.99, 203.0.113.7") == "192.0.2.99"


@pytest.mark.parametrize("options", [{"rate_limit_auth": "often"}, {"rate_limit": "3 per fortnight"},
                                     {"trusted_proxies": "one"}])
def test_bad_settings_are_refused_at_start(tmp_path, options):
    with pytest.raises(ConfigurationError, match="MYPAGE_GATEWAY_"):
        _gateway(tmp_path, **options)
