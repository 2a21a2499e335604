"""Steps browser tests take: Playwright driving the system Chromium (Debian's `chromium`, which
`.ci/run` installs when missing) against a running embedded system.

    with launched() as browser:
        page, errors = new_page(browser, system.url, PHONE)
        goto(page, "/search")                     # a hash route, rendered (app.js marks main)
        login_through_the_screens(page, system, EMAIL, PASSWORD)

Without Playwright or a Chromium the test is skipped saying why — a failure under CI=true.
Nothing sleeps: every wait is a condition with a deadline (Playwright's own waits, `eventually`).
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from pathlib import Path

from kit.testing.e2e import OTP_LINE, OTP_MAIL, mail_ids, new_mail
from kit.testing.plugin import eventually, unavailable

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
WAIT_MS = 20_000
# No GPU, no sandbox (root in CI), and nothing that phones home while a test runs.
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync"]
# The demo seeker of `make run` (services/profile's demo data) and the password the tests give them.
EMAIL, BIRTH_DATE, SEEKER_NUMBER, PASSWORD = "taro@example.jp", "1990-04-01", "11040-12345678", "Koshigaya@2026"
OTP_REMEMBER = "この端末を記憶する（30日間、ワンタイムパスワードの入力を省略します）"

# The axe-like checks that need no download: every form control has a label, images have alt,
# the page is Japanese and has one h1, every button says what it does.
A11Y_PROBLEMS = """() => {
  const problems = [];
  const visible = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  for (const el of document.querySelectorAll('input, select, textarea')) {
    if (el.type === 'hidden') continue;
    const byFor = el.id && document.querySelector(`label[for="${CSS.escape(el.id)}"]`);
    const named = (byFor && byFor.textContent.trim()) || el.closest('label') || el.getAttribute('aria-label')
      || el.getAttribute('aria-labelledby');
    if (!named) problems.push(`no label: ${el.outerHTML.slice(0, 120)}`);
  }
  for (const img of document.querySelectorAll('img')) {
    if (!img.hasAttribute('alt')) problems.push(`no alt: ${img.outerHTML.slice(0, 120)}`);
  }
  for (const b of document.querySelectorAll('button')) {
    if (visible(b) && !(b.textContent.trim() || b.getAttribute('aria-label'))) problems.push('a button without text');
  }
  if (document.documentElement.lang !== 'ja') problems.push('html lang is not ja');
  const h1 = document.querySelectorAll('main h1').length;
  if (h1 !== 1) problems.push(`${h1} h1 in main`);
  return problems;
}"""


def chromium_path() -> str:
    """The system Chromium (/usr/bin/chromium first)."""
    for path in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if path and Path(path).exists():
            return path
    unavailable("no system Chromium (apt-get install -y chromium)")


@contextlib.contextmanager
def launched() -> Iterator:
    """A headless system Chromium under Playwright, closed afterwards."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright is not installed (pip install -e '.[test]')")
    executable = chromium_path()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=LAUNCH_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def new_page(browser, base_url: str, viewport: dict | None = None):
    """A page in a fresh context (no session); returns it with the list its uncaught script errors go to."""
    context = browser.new_context(viewport=viewport or PHONE, locale="ja-JP", base_url=base_url)
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page, errors


def settle(page) -> None:
    """Wait until the screen of the current hash is rendered (app.js marks main with its route)."""
    page.wait_for_function("() => { const main = document.querySelector('main');"
                           " return main.getAttribute('aria-busy') === 'false'"
                           " && ('#' + main.dataset.route) === (location.hash || '#/'); }")


def goto(page, hash_route: str) -> None:
    """Show a screen by its hash route (the same route again: reload the page)."""
    if page.url.endswith(f"#{hash_route}"):
        page.reload()
    else:
        page.goto(f"/#{hash_route}")
    settle(page)


def login_through_the_screens(page, system, email: str, password: str, *, remember: bool = True) -> None:
    """A7: email + password, then the OTP from the mail (entered again while the mail is only just
    sent: such an OTP is refused without using up a try, see kit.testing.e2e.login)."""
    goto(page, "/login")
    page.get_by_label("メールアドレス", exact=True).fill(email)
    page.get_by_label("パスワード", exact=True).fill(password)
    seen = mail_ids(system)
    page.get_by_role("button", name="ログイン").click()
    page.get_by_label("ワンタイムパスワード", exact=True).wait_for()
    mail = eventually(lambda: new_mail(system, email, OTP_MAIL, seen), timeout=20, message="the OTP mail")
    page.get_by_label("ワンタイムパスワード", exact=True).fill(OTP_LINE.search(mail.text).group(1))
    if remember:
        page.get_by_label(OTP_REMEMBER, exact=True).check()

    def accepted() -> bool:
        page.get_by_role("button", name="認証する").click()
        page.wait_for_function("() => location.hash.startsWith('#/home') || "
                               "!!document.querySelector('form .message:not([hidden])')")
        return page.url.endswith("#/home")

    eventually(accepted, timeout=10, interval=0.2, message="the OTP to be accepted")
    settle(page)
