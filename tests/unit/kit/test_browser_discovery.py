"""The browser tests find the system Chromium, and never skip under CI=true (kit.testing.browser)."""

from __future__ import annotations

import pytest

from kit.testing import browser


@pytest.fixture
def no_chromium(monkeypatch):
    monkeypatch.setattr(browser.shutil, "which", lambda _name: None)
    monkeypatch.setattr(browser.Path, "exists", lambda _self: False)


def test_a_missing_chromium_fails_under_ci(no_chromium, monkeypatch):
    """CI=true: no Chromium is a failure that says how to install it, never a skip."""
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=r"CI=true and no system Chromium \(apt-get install -y chromium\)"):
        browser.chromium_path()


def test_a_missing_chromium_skips_outside_ci(no_chromium, monkeypatch):
    """Outside CI (a developer's machine without Chromium) the browser tests skip saying why."""
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install -y chromium"):
        browser.chromium_path()


def test_the_system_chromium_is_found_at_usr_bin(monkeypatch):
    """Debian's package puts it at /usr/bin/chromium, which comes first."""
    monkeypatch.setattr(browser.Path, "exists", lambda self: str(self) == "/usr/bin/chromium")
    assert browser.chromium_path() == "/usr/bin/chromium"
