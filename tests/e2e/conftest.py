"""Each e2e module runs its own embedded system (`make run` in-process) on a temporary var dir and
a free port, with its own exchange (memory:// is shared by the whole process)."""

from __future__ import annotations

import pytest

from gateway.embedded import EmbeddedSystem
from kit.testing import browser as web
from kit.testing import e2e
from kit.testing.embedded import isolated_environ


@pytest.fixture(scope="module")
def clock():
    """The clock every service and the gateway run on: the real one, unless a module gives a frozen one."""
    return None


@pytest.fixture(scope="module")
def demo_activity() -> bool:
    """Whether the demo seeker's My Page starts in use (referrals, messages …): no, unless a module says so."""
    return False


@pytest.fixture(scope="module")
def system(request, tmp_path_factory, clock, demo_activity):
    var_dir = tmp_path_factory.mktemp(request.module.__name__.rpartition(".")[2])
    environ = isolated_environ(var_dir, MYPAGE_DEMO_ACTIVITY="1" if demo_activity else "0")
    with EmbeddedSystem(environ, clock=clock) as running:
        yield running


@pytest.fixture(scope="module")
def call(system):
    """call(method, path, body=None, token=None, **headers) -> the gateway's answer (kit.testing.e2e)."""
    client = e2e.GatewayClient(system.url)
    yield client
    client.close()


@pytest.fixture(scope="module")
def staff_token(call) -> str:
    """The counter system's access token (client credentials, role staff)."""
    return e2e.staff_token(call)


@pytest.fixture(scope="module")
def browser():
    """The system Chromium under Playwright (kit.testing.browser: skipped without one, failed under CI)."""
    with web.launched() as launched:
        yield launched


@pytest.fixture
def page(browser, system):
    """A fresh phone-sized page (no session) whose uncaught script errors fail the test."""
    new, errors = web.new_page(browser, system.url, web.PHONE)
    yield new
    new.context.close()
    assert errors == [], errors


@pytest.fixture(scope="module")
def seeker(browser, system, call):
    """A phone-sized page logged in through the screens as 求職 太郎 (their My Page opened if it is not yet)."""
    if call("POST", "/api/v1/auth/login", {"email": web.EMAIL, "password": web.PASSWORD}).status != 200:
        e2e.open_mypage(call, system, web.EMAIL, web.BIRTH_DATE, web.PASSWORD)
    logged_in, errors = web.new_page(browser, system.url, web.PHONE)
    web.login_through_the_screens(logged_in, system, web.EMAIL, web.PASSWORD)
    yield logged_in
    logged_in.context.close()
    assert errors == [], errors
