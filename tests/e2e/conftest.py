"""The e2e suite runs against two targets (issue 11 item 7):

- `embedded`: each module its own embedded system (`make run` in-process, gateway.embedded) on a temporary
  var dir and a free port, with its own exchange (memory:// is shared by the whole process);
- `up`: one `make up` stack for the whole run (kit.testing.up: every service's gunicorn webs, workers and
  relays, the search node and the gateway under supervisor, on the machine's PostgreSQL and RabbitMQ with a
  broker user per service; jobs with two replicas), shared by every module in turn.

A module runs on both (its tests are parametrized `[embedded]` and `[up]`) unless it says why it cannot in
a module-level EMBEDDED_ONLY string — a frozen clock injected into the services, a service's internals read
in-process, or the demo seeker's My Page opened afresh (on the shared stack only one module could). On the
stack, state is shared: a module registers seekers and postings of its own (kit.testing.e2e.register_seeker)
rather than count from none on the demo seeker. A module whose system needs more settings names them in
`system_environ` (the stack starts with them: up_stack). The `[up]` tests run last in the session, so the
stack starts once, after every other test, and stops at the end.
MYPAGE_E2E_TARGETS (default "embedded,up") narrows the targets, e.g. MYPAGE_E2E_TARGETS=embedded for a quick
local run; `make test` (and so CI) runs both.
"""

from __future__ import annotations

import os

import pytest

from gateway.embedded import EmbeddedSystem
from kit.testing import browser as web
from kit.testing import e2e, up
from kit.testing.embedded import isolated_environ
from kit.testing.plugin import eventually
from tests.e2e.clients import SECRET_CLIENTS

TARGETS = ("embedded", "up")


def _targets() -> list[str]:
    chosen = [t.strip() for t in os.environ.get("MYPAGE_E2E_TARGETS", ",".join(TARGETS)).split(",") if t.strip()]
    unknown = set(chosen) - set(TARGETS)
    if unknown:
        raise pytest.UsageError(f"MYPAGE_E2E_TARGETS: unknown {sorted(unknown)}; choose from {TARGETS}")
    return chosen


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Every test whose `system` is the suite's runs on each target its module allows."""
    if "e2e_target" not in metafunc.fixturenames:
        return
    if getattr(metafunc.module, "EMBEDDED_ONLY", None):
        if "embedded" not in _targets():  # an empty parameter set: pytest reports the tests skipped
            metafunc.parametrize("e2e_target", [], indirect=True, scope="module")
        return
    metafunc.parametrize("e2e_target", _targets(), indirect=True, scope="module")


def _target(item: pytest.Item) -> str | None:
    callspec = getattr(item, "callspec", None)
    return callspec.params.get("e2e_target") if callspec else None


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The `[up]` tests after every other test of the session (their order kept): the stack starts once,
    late, and nothing else runs beside it."""
    items[:] = [i for i in items if _target(i) != "up"] + [i for i in items if _target(i) == "up"]


@pytest.fixture(scope="module")
def e2e_target(request) -> str:
    """Where this module's tests run: "embedded" or "up" (see the module's docstring)."""
    return getattr(request, "param", "embedded")


@pytest.fixture(scope="session")
def up_stack(tmp_path_factory, _postgres_server_url, _amqp_server_url):
    """One `make up` for the session: jobs with two replicas behind the gateway; the demo data without the
    demo seeker's activity (as the embedded modules start, MYPAGE_DEMO_ACTIVITY=0); SECRET_CLIENTS."""
    with up.stack(tmp_path_factory.mktemp("e2e-up"), _postgres_server_url, _amqp_server_url,
                  MYPAGE_JOBS_REPLICAS="2", MYPAGE_DEMO_ACTIVITY="0",
                  MYPAGE_AUTH_SECRET_CLIENTS=SECRET_CLIENTS) as running:
        yield running


@pytest.fixture(scope="module")
def clock():
    """The clock every service and the gateway run on: the real one, unless a module gives a frozen one."""
    return None


@pytest.fixture(scope="module")
def demo_activity() -> bool:
    """Whether the demo seeker's My Page starts in use (referrals, messages …): no, unless a module says so."""
    return False


@pytest.fixture(scope="module")
def system_environ() -> dict[str, str]:
    """MYPAGE_… settings the module's system needs beyond the defaults: none, unless a module says so; the
    make up stack must have been started with them (up_stack)."""
    return {}


@pytest.fixture(scope="module")
def system(request, e2e_target, tmp_path_factory, clock, demo_activity, system_environ):
    """The running system: the module's own embedded one, or the session's `make up` stack (both give `url`
    and `mail_dir`, what kit.testing.e2e's steps take)."""
    if e2e_target == "up":
        assert clock is None and not demo_activity, "a frozen clock or the demo activity is embedded-only"
        stack = request.getfixturevalue("up_stack")
        missing = {k: v for k, v in system_environ.items() if stack.environ.get(k) != v}
        assert not missing, f"the make up stack (up_stack) is not started with {missing}"
        yield stack
        return
    var_dir = tmp_path_factory.mktemp(request.module.__name__.rpartition(".")[2])
    environ = isolated_environ(var_dir, MYPAGE_DEMO_ACTIVITY="1" if demo_activity else "0", **system_environ)
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
    seen = e2e.mail_ids(system)
    if call("POST", "/api/v1/auth/login", {"email": web.EMAIL, "password": web.PASSWORD}).status == 200:
        # that login mailed an OTP (at once in the embedded mode, a moment later from make up's auth worker):
        # wait for it, so the screens' login below takes its own mail, not this one
        eventually(lambda: e2e.new_mail(system, web.EMAIL, e2e.OTP_MAIL, seen), timeout=20,
                   message="the OTP mail of the login that found the My Page open")
    else:
        e2e.open_mypage(call, system, web.EMAIL, web.BIRTH_DATE, web.PASSWORD)
    logged_in, errors = web.new_page(browser, system.url, web.PHONE)
    web.login_through_the_screens(logged_in, system, web.EMAIL, web.PASSWORD)
    yield logged_in
    logged_in.context.close()
    assert errors == [], errors
