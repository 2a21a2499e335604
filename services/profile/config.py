"""Settings of the profile service (MYPAGE_* environment, embedded defaults)."""

from kit.settings import Settings

SERVICE = "profile"


def load_settings(environ=None, **overrides) -> Settings:
    return Settings.from_env(SERVICE, environ, **overrides)
