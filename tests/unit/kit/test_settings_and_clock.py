"""Settings from MYPAGE_*; the injected clock."""

from datetime import UTC, date, datetime, timedelta

import pytest

from kit.clock import JST, FrozenClock, SystemClock, today_in_japan
from kit.settings import ConfigurationError, Settings


def test_embedded_defaults():
    settings = Settings.from_env("jobs", {"MYPAGE_VAR_DIR": "/tmp/v"})
    assert settings.embedded
    assert settings.database_url == "sqlite:////tmp/v/jobs.db"
    assert settings.exchange == "mypage.events"
    assert settings.port == 8080
    assert settings.mail_from == "system@mail.hellowork.mhlw.go.jp"


def test_each_service_reads_its_own_database_url():
    environ = {"MYPAGE_AUTH_DATABASE_URL": "postgresql://db/auth", "MYPAGE_JOBS_DATABASE_URL": "postgresql://db/jobs"}
    assert Settings.from_env("auth", environ).database_url == "postgresql://db/auth"
    assert Settings.from_env("jobs", environ).database_url == "postgresql://db/jobs"


def test_production_refuses_embedded_defaults():
    with pytest.raises(ConfigurationError, match="MYPAGE_AMQP_URL"):
        Settings.from_env("auth", {"MYPAGE_ENV": "production"})
    with pytest.raises(ConfigurationError, match="PostgreSQL"):
        Settings.from_env("auth", {"MYPAGE_ENV": "production", "MYPAGE_AMQP_URL": "amqp://rabbit/"})
    settings = Settings.from_env("auth", {
        "MYPAGE_ENV": "production", "MYPAGE_AMQP_URL": "amqp://rabbit/",
        "MYPAGE_AUTH_DATABASE_URL": "postgresql://db/auth", "MYPAGE_JWKS_URL": "http://auth/api/v1/auth/jwks",
    })
    assert settings.production and not settings.embedded


def test_unknown_service_is_refused():
    with pytest.raises(ConfigurationError):
        Settings.from_env("payroll", {})


def test_frozen_clock_moves_only_when_told():
    clock = FrozenClock("2026-11-30T23:59:59+09:00")
    assert clock.now().isoformat() == "2026-11-30T14:59:59+00:00"
    assert clock.now() == clock.now()
    assert clock.advance(minutes=50) - timedelta(minutes=50) == FrozenClock("2026-11-30T14:59:59+00:00").now()
    with pytest.raises(ValueError):
        FrozenClock("2026-11-30T00:00:00")


def test_system_clock_is_aware():
    assert SystemClock().now().tzinfo is not None


def test_days_are_counted_in_japan_from_00_00_jst():
    assert today_in_japan(datetime(2026, 11, 30, 15, 0, tzinfo=UTC)) == date(2026, 12, 1)
    assert today_in_japan(datetime(2026, 11, 30, 14, 59, 59, tzinfo=UTC)) == date(2026, 11, 30)
    assert today_in_japan(datetime(2026, 12, 1, 0, 0, tzinfo=JST)) == date(2026, 12, 1)
    assert JST.utcoffset(None) == timedelta(hours=9)


def test_s11_retry_delays_default_to_1s_10s_1min_10min_and_read_growing_seconds():
    assert Settings.from_env("jobs", {}).retry_delays == (1.0, 10.0, 60.0, 600.0)
    assert Settings.from_env("jobs", {"MYPAGE_RETRY_DELAYS": "0.2,0.5,1"}).retry_delays == (0.2, 0.5, 1.0)
    edges = {"0.01": (0.01,), "86400": (86400.0,), "5,5,5,5": (5.0, 5.0, 5.0, 5.0)}
    for raw, delays in edges.items():
        assert Settings.from_env("jobs", {"MYPAGE_RETRY_DELAYS": raw}).retry_delays == delays


@pytest.mark.parametrize("raw", ["", "0", "0.009", "86401", "1,2,3,4,5", "10,1", "1,,2", "a", "nan", "inf", "-1"])
def test_s11_retry_delays_outside_1_to_4_growing_seconds_are_refused(raw):
    with pytest.raises(ConfigurationError, match="MYPAGE_RETRY_DELAYS must be 1 to 4"):
        Settings.from_env("jobs", {"MYPAGE_RETRY_DELAYS": raw})
