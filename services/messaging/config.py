"""Settings of the messaging service (MYPAGE_* environment, embedded defaults)."""

from kit.settings import Settings

SERVICE = "messaging"


def load_settings(environ=None, **overrides) -> Settings:
    return Settings.from_env(SERVICE, environ, **overrides)
