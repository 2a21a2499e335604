"""kit.settings: what a process connects with, and what production (C4) refuses at start."""

from __future__ import annotations

from kit.settings import Settings


def test_s8_a_service_connects_with_its_own_amqp_url_when_it_has_one():
    environ = {"MYPAGE_AMQP_URL": "amqp://shared:x@broker/%2F",
               "MYPAGE_PROFILE_AMQP_URL": "amqp://mypage-profile:y@broker/%2F"}
    profile = Settings.from_env("profile", environ)
    assert profile.amqp_url == "amqp://mypage-profile:y@broker/%2F"
    assert "amqp_url" not in profile.options  # a URL with a password is no option of the service
    assert Settings.from_env("jobs", environ).amqp_url == "amqp://shared:x@broker/%2F"
    assert Settings.from_env("gateway", {**environ, "MYPAGE_GATEWAY_AMQP_URL": "amqp://mypage-gateway:z@broker/"}) \
        .amqp_url == "amqp://mypage-gateway:z@broker/"
