"""kit.settings: what a process connects with, and what production (C4) refuses at start."""

from __future__ import annotations

import pytest

from kit.settings import ConfigurationError, Settings


def test_s8_a_service_connects_with_its_own_amqp_url_when_it_has_one():
    environ = {"MYPAGE_AMQP_URL": "amqp://shared:x@broker/%2F",
               "MYPAGE_PROFILE_AMQP_URL": "amqp://mypage-profile:y@broker/%2F"}
    profile = Settings.from_env("profile", environ)
    assert profile.amqp_url == "amqp://mypage-profile:y@broker/%2F"
    assert "amqp_url" not in profile.options  # a URL with a password is no option of the service
    assert Settings.from_env("jobs", environ).amqp_url == "amqp://shared:x@broker/%2F"
    assert Settings.from_env("gateway", {**environ, "MYPAGE_GATEWAY_AMQP_URL": "amqp://mypage-gateway:z@broker/"}) \
        .amqp_url == "amqp://mypage-gateway:z@broker/"


PRODUCTION = {"MYPAGE_ENV": "production", "MYPAGE_AMQP_URL": "amqp://mypage-auth:Rk2-random@rabbit:5672/%2F",
              "MYPAGE_AUTH_DATABASE_URL": "postgresql://mypage_auth:Vt3-random@db:5432/mypage_auth"}


@pytest.mark.parametrize("service", ["auth", "gateway"])
def test_issue10_production_refuses_to_start_without_mypage_jwks_url(service, tmp_path):
    """Every web and the gateway verify tokens with auth's public keys; the development default is a file in the
    var dir that only the embedded auth writes, so in production every token would be refused."""
    environ = {**PRODUCTION, "MYPAGE_VAR_DIR": str(tmp_path)}
    with pytest.raises(ConfigurationError, match="MYPAGE_JWKS_URL must name auth's public keys"):
        Settings.from_env(service, environ)
    with pytest.raises(ConfigurationError, match="MYPAGE_JWKS_URL"):  # the default's value, spelt out, too
        Settings.from_env(service, {**environ, "MYPAGE_JWKS_URL": f"file://{tmp_path / 'jwks.json'}"})
    settings = Settings.from_env(service, {**environ, "MYPAGE_JWKS_URL": "http://mypage-auth-web/api/v1/auth/jwks"})
    assert settings.jwks_url == "http://mypage-auth-web/api/v1/auth/jwks"


def test_issue10_development_keeps_the_jwks_file_default(tmp_path):
    assert Settings.from_env("auth", {"MYPAGE_VAR_DIR": str(tmp_path)}).jwks_url == f"file://{tmp_path}/jwks.json"


def test_c4_a_default_password_in_a_services_own_broker_url_is_refused_naming_that_variable(tmp_path):
    environ = {**PRODUCTION, "MYPAGE_VAR_DIR": str(tmp_path), "MYPAGE_JWKS_URL": "http://auth/api/v1/auth/jwks",
               "MYPAGE_AUTH_AMQP_URL": "amqp://mypage-auth:guest@rabbit:5672/%2F"}
    with pytest.raises(ConfigurationError, match="MYPAGE_AUTH_AMQP_URL uses a default password"):
        Settings.from_env("auth", environ)
    environ["MYPAGE_AUTH_AMQP_URL"] = "memory://"
    with pytest.raises(ConfigurationError, match="MYPAGE_AUTH_AMQP_URL must name a RabbitMQ broker"):
        Settings.from_env("auth", environ)
