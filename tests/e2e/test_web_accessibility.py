"""The web client as the demo seeker of `make run` sees it (issue 12): 求職 太郎's My Page in use
(MYPAGE_DEMO_ACTIVITY: referrals with a letter, an application, messages, notices, recommendations,
matching postings, favourites, a saved search, the disclosure and a direct request) shows something
on every screen; and JIS X 8341-3:2016
AA / WCAG 2.1 AA: axe-core (vendored, tests/e2e/vendor/axe-core) finds no violation of the wcag2a,
wcag2aa, wcag21a or wcag21aa rules on any screen or state at 390 and 1280 px; the keyboard alone
opens, logs in, searches and applies."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from kit.testing.browser import DESKTOP, EMAIL, PASSWORD, PHONE, goto, settle
from kit.testing.e2e import KEY_LINE, KEY_MAIL, OTP_LINE, OTP_MAIL, mail_ids, new_mail
from kit.testing.plugin import eventually

EMBEDDED_ONLY = ("it needs the demo seeker's My Page in use (demo_activity); the shared make up stack starts without "
                 "it, as the other modules need")


@pytest.fixture(scope="module")
def demo_activity() -> bool:
    return True


EMPTY = {"/favourites": "お気に入りはまだありません", "/saved": "保存した検索条件はありません",
         "/referrals": "紹介を受けた求人はありません", "/recommendations": "おすすめ求人はまだありません",
         "/matching": "希望条件に合う新着求人はまだありません", "/applications": "応募した求人はありません",
         "/messages": "メッセージはありません", "/notices": "お知らせはありません",
         "/direct-requests": "直接リクエストはまだありません"}


def test_the_demo_seeker_sees_something_on_every_screen(seeker):
    goto(seeker, "/home")
    counts = {key: seeker.locator(f'[data-count="{key}"] .count-value').inner_text()
              for key in ("favourites", "saved_searches", "referrals", "recommendations")}
    assert counts == {"favourites": "2件", "saved_searches": "1件", "referrals": "1件", "recommendations": "1件"}
    assert seeker.locator('[data-badge="messages"]').is_visible()  # the establishment's reply, unread
    assert seeker.locator('[data-badge="notices"]').is_visible()
    for route, empty in EMPTY.items():
        goto(seeker, route)
        main = seeker.locator("main").inner_text()
        assert empty not in main, route
        assert seeker.locator("main a[href^='#/']").count() > 0, route
    goto(seeker, "/referrals")
    seeker.locator("main a[href^='#/referrals/']").first.click()
    seeker.locator("article.letter").wait_for()
    assert "越谷公共職業安定所" in seeker.locator("article.letter").inner_text()
    goto(seeker, "/messages")
    seeker.locator("main .card.unread h2 a").click()
    seeker.get_by_text("このたびはご応募いただき、誠にありがとうございます。", exact=False).wait_for()
    goto(seeker, "/notices")
    assert seeker.get_by_role("link", name="職業相談のご予約について").is_visible()


# -- JIS X 8341-3:2016 AA / WCAG 2.1 AA: axe-core on every screen --------------------------------

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
AXE_VERSION = "4.14.1"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RUN_AXE = """(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"""


def axe_violations(page) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations on the page as shown, one line each (rule, impact, where).
    The script goes in through the DevTools protocol, which the page's CSP does not govern."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    assert page.evaluate("() => axe.version") == AXE_VERSION
    found = page.evaluate(RUN_AXE, WCAG_21_AA)["violations"]
    return [f"{v['id']} ({v['impact']}): {v['help']} — "
            + " | ".join(" ".join(node["target"]) for node in v["nodes"][:4]) for v in found]


ANONYMOUS = ["/", "/open", "/login", "/reset", "/search", "/search?q=%E4%BB%8B%E8%AD%B7", "/nowhere"]
SEEKER = ["/home", "/search?q=%E4%BB%8B%E8%AD%B7&per_page=10", "/saved", "/favourites", "/referrals",
          "/recommendations", "/matching", "/direct-requests", "/applications", "/messages", "/notices", "/profile",
          "/registration", "/password", "/withdraw"]


def _detail_routes(page) -> list[str]:
    """One of each detail screen the demo data gives (a saved search, a letter, a thread, a notice,
    a posting, the 応募 form of a posting not applied to)."""
    routes = []
    for route, prefix in (("/saved", "#/saved/"), ("/referrals", "#/referrals/"), ("/messages", "#/messages/"),
                          ("/notices", "#/notices/"), ("/recommendations", "#/jobs/")):
        goto(page, route)
        routes.append(page.locator(f"main a[href^='{prefix}']").first.get_attribute("href")[1:])
    goto(page, "/recommendations")
    routes.append(page.locator("main a[href^='#/apply/']").first.get_attribute("href")[1:])
    return routes


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_axe_finds_no_wcag_21_aa_violation_on_any_screen(seeker, page, viewport):
    problems = {}
    for shown, routes in ((page, ANONYMOUS), (seeker, SEEKER + _detail_routes(seeker))):
        shown.set_viewport_size(viewport)
        for route in routes:
            goto(shown, route)
            found = axe_violations(shown)
            if found:
                problems[route] = found
    seeker.set_viewport_size(PHONE)
    assert problems == {}, "\n".join(f"{route}: {line}" for route, lines in problems.items() for line in lines)


def _states(seeker, page, system):
    """The states a route alone does not show: open menus, drawers and panels, errors beside fields,
    the OTP step, the confirm steps, the offline page; yields (name, page) with the state shown."""
    goto(seeker, "/home")
    if seeker.locator(".nav-more summary").is_visible():
        seeker.locator(".nav-more summary").click()
        yield "the menu open", seeker
        seeker.locator(".nav-more summary").click()
    goto(seeker, "/search?q=%E4%BB%8B%E8%AD%B7")
    seeker.get_by_role("button", name="詳しい条件").click()
    seeker.get_by_role("dialog").wait_for()
    yield "the search drawer", seeker
    seeker.get_by_role("dialog").get_by_role("button", name="閉じる").last.click()
    for summary in (".refine summary", ".save-panel summary"):
        if not seeker.locator(summary).evaluate("(el) => el.parentElement.open"):
            seeker.locator(summary).click()
    yield "search with every panel open", seeker
    seeker.get_by_role("button", name="この条件を保存する").click()  # no name: the error beside the field
    seeker.locator('[data-error-for="name"]').wait_for(state="visible")
    yield "a saved search without a name", seeker

    goto(seeker, "/applications")
    seeker.locator(".sent-content summary").first.click()
    seeker.locator(".sent-content .motivation").first.wait_for()
    yield "an application's sent content", seeker
    goto(seeker, "/recommendations")
    goto(seeker, seeker.locator("main a[href^='#/apply/']").first.get_attribute("href")[1:])
    seeker.get_by_role("button", name="応募内容を確認する").click()
    seeker.locator('[data-error-for="motivation"]').wait_for(state="visible")
    yield "an application without a 志望動機", seeker
    seeker.get_by_label("志望動機", exact=True).fill("ご経験を活かして働きたく、応募いたします。")
    seeker.get_by_role("button", name="応募内容を確認する").click()
    seeker.get_by_role("region", name="応募内容の確認").wait_for()
    yield "応募内容の確認", seeker
    goto(seeker, "/profile")
    seeker.get_by_role("region", name="事業所に表示される内容").wait_for()  # the demo seeker is disclosed
    yield "the disclosure's preview", seeker
    seeker.get_by_role("button", name="公開を停止する…", exact=True).click()
    seeker.get_by_role("group", name="公開停止の確認").wait_for()
    yield "the disclosure's confirm step", seeker
    goto(seeker, "/password")
    seeker.locator("main form button[type=submit]").click()
    seeker.locator("main [aria-invalid=true]").first.wait_for()
    yield "the password form with errors", seeker

    goto(page, "/open")
    page.get_by_role("region", name="利用規約の本文").wait_for()
    yield "the opening's terms", page
    goto(page, "/login")
    page.get_by_role("button", name="ログイン").click()
    page.locator("main [aria-invalid=true]").first.wait_for()
    yield "the login form with errors", page
    page.get_by_label("メールアドレス", exact=True).fill(EMAIL)
    page.get_by_label("パスワード", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.get_by_label("ワンタイムパスワード", exact=True).wait_for()
    yield "the OTP step", page
    page.goto("/offline.html")
    yield "the offline page", page
    goto(page, "/search?q=%E4%BB%8B%E8%AD%B7")
    goto(page, page.locator("main .job-card h3 a").first.get_attribute("href")[1:])
    yield "a posting, logged out", page


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_axe_finds_no_wcag_21_aa_violation_in_any_state(seeker, page, system, viewport):
    seeker.set_viewport_size(viewport)
    page.set_viewport_size(viewport)
    problems = {}
    try:
        for name, shown in _states(seeker, page, system):
            found = axe_violations(shown)
            if found:
                problems[name] = found
    finally:
        seeker.set_viewport_size(PHONE)
    assert problems == {}, "\n".join(f"{name}: {line}" for name, lines in problems.items() for line in lines)


def test_the_axe_check_finds_what_it_should(page):
    """The harness itself: on a screen spoiled on purpose (an input without a label, light grey text
    on white) axe reports both."""
    goto(page, "/login")
    assert axe_violations(page) == []
    page.evaluate("""() => {
      const main = document.querySelector('main');
      const input = document.createElement('input');
      const faint = document.createElement('p');
      faint.textContent = '読みにくい文字';
      faint.style.color = '#bbbbbb';
      main.append(input, faint);
    }""")
    found = {line.split(" ")[0] for line in axe_violations(page)}
    assert {"label", "color-contrast"} <= found, found


# -- the keyboard alone: skip link, every control in order with a visible focus ------------------

# Marks the controls of main a keyboard should reach, in document order (one radio per group, none
# inside a closed <details> or <dialog>), and returns how many.
MARK_CONTROLS = """() => {
  const shown = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length)
    && getComputedStyle(el).visibility !== 'hidden';
  const selector = 'a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), '
    + 'select:not([disabled]), textarea:not([disabled]), summary, [tabindex]';
  const groups = new Set();
  let n = 0;
  for (const el of document.querySelectorAll('[data-kbd]')) delete el.dataset.kbd;
  for (const el of document.querySelector('main').querySelectorAll(selector)) {
    if (el.tabIndex < 0 || !shown(el) || el.closest('dialog:not([open])')) continue;
    const shut = el.closest('details:not([open])');
    if (shut && !(el.tagName === 'SUMMARY' && el.parentElement === shut)) continue;
    if (el.type === 'radio') {
      if (groups.has(el.name)) continue;
      groups.add(el.name);
    }
    el.dataset.kbd = String(n++);
  }
  return n;
}"""
FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
  return {kbd: el.dataset.kbd ?? null, inMain: !!el.closest('main'), tag: el.tagName,
          name: (el.getAttribute('aria-label') || el.textContent || el.name || '').trim().slice(0, 40),
          visibleFocus: outline || style.boxShadow !== 'none',
          onScreen: box.bottom > 0 && box.top < innerHeight && box.right > 0 && box.left < innerWidth};
}"""


def tab_through_main(page) -> list[dict]:
    """From the screen's heading, Tab until focus leaves main; asserts every control of main was
    reached once, in document order, scrolled into view and with a visible focus ring."""
    total = page.evaluate(MARK_CONTROLS)
    assert total > 0
    page.locator("main h1").focus()
    seen = []
    for _ in range(3 * total + 5):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if not focused["inMain"]:
            break
        if not (seen and seen[-1]["kbd"] == focused["kbd"]):  # a date or time input: one stop per part
            seen.append(focused)
    assert [f["kbd"] for f in seen] == [str(i) for i in range(total)], [(f["tag"], f["name"]) for f in seen]
    assert [f["name"] for f in seen if not (f["visibleFocus"] and f["onScreen"])] == []
    return seen


def skip_link_leads_to_main(page) -> None:
    """The skip link is the page's first control, shows when focused and moves focus to the screen."""
    assert page.evaluate("() => document.querySelector('a[href], button, input, select, textarea').id") == \
        "skip-link"
    page.locator("main h1").focus()
    for _ in range(40):  # back through the menu and the header
        page.keyboard.press("Shift+Tab")
        if page.evaluate("() => document.activeElement.id") == "skip-link":
            break
    focused = page.evaluate(FOCUSED)
    assert focused["name"] == "本文へ移動" and focused["onScreen"] and focused["visibleFocus"]
    page.keyboard.press("Enter")
    assert page.evaluate("() => !!document.activeElement.closest('main')")


def _enter_otp(page, system, seen) -> None:
    """The mailed OTP, typed; 「この端末を記憶する」 left unticked; 認証する by Enter (an OTP entered
    while its mail is only just sent is refused without using a try: then again)."""
    mail = eventually(lambda: new_mail(system, EMAIL, OTP_MAIL, seen), timeout=20, message="the OTP mail")
    otp = OTP_LINE.search(mail.text).group(1)

    def accepted() -> bool:
        assert page.evaluate("() => document.activeElement.name") == "otp"
        page.keyboard.press("Control+A")
        page.keyboard.type(otp)
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.name") == "remember_device"
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.textContent") == "認証する"
        page.keyboard.press("Enter")
        page.wait_for_function("() => location.hash.startsWith('#/home') || "
                               "document.activeElement.name === 'otp'")
        return page.url.endswith("#/home")

    eventually(accepted, timeout=10, interval=0.2, message="the OTP to be accepted")


def via_menu(page, name: str, *, in_the_menu: bool = False) -> None:
    """Shift+Tab from the screen back into the menu to the link `name`, then Enter. On a phone the
    links under メニュー are shut in its disclosure: Enter opens it, Tab goes on into it."""
    page.locator("main h1").focus()
    text = ""
    for _ in range(60):
        page.keyboard.press("Shift+Tab")
        text = page.evaluate("() => document.activeElement.textContent.trim()")
        if text.startswith(name):
            break
        if text == "メニュー" and in_the_menu:
            page.keyboard.press("Enter")
            for _ in range(30):
                page.keyboard.press("Tab")
                text = page.evaluate("() => document.activeElement.textContent.trim()")
                if text.startswith(name):
                    break
            break
    assert text.startswith(name), text
    page.keyboard.press("Enter")
    settle(page)


def login_with_the_keyboard(page, system) -> None:
    page.locator("main h1").focus()
    page.keyboard.press("Tab")
    page.keyboard.type(EMAIL)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    seen = mail_ids(system)
    page.keyboard.press("Enter")
    page.get_by_label("ワンタイムパスワード", exact=True).wait_for()
    _enter_otp(page, system, seen)
    settle(page)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_login_and_search_with_the_keyboard_alone(seeker, page, system, viewport):
    """Issue 12: the skip link; login (email, password, OTP) and a search without a mouse; on the
    opening, reset, login and search screens every control is reached by Tab in document order, in
    view and with a visible focus ring."""
    page.set_viewport_size(viewport)
    goto(page, "/open")
    page.get_by_role("region", name="利用規約の本文").wait_for()
    opening = tab_through_main(page)
    assert [f["tag"] for f in opening][-1] == "BUTTON" and len(opening) >= 6  # the terms, consents, fields
    goto(page, "/reset")
    tab_through_main(page)
    goto(page, "/login")
    skip_link_leads_to_main(page)
    reached = tab_through_main(page)
    assert [f["tag"] for f in reached] == ["INPUT", "INPUT", "BUTTON", "A", "A"]
    assert [f["name"] for f in reached][2:] == ["ログイン", "パスワードを忘れた方", "マイページを開設する"]
    login_with_the_keyboard(page, system)

    via_menu(page, "求人検索")
    assert page.url.endswith("#/search")
    tab_through_main(page)
    page.locator("main h1").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.name") == "q"
    page.keyboard.type("介護")
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.hash.includes('q=')")
    settle(page)
    names = [f["name"] for f in tab_through_main(page)]
    assert any(name.startswith("検索する") for name in names)
    skip_link_leads_to_main(page)


def test_apply_with_the_keyboard_alone(seeker, page, system):
    """Issue 12: from the menu to おすすめ求人, 応募する, the 志望動機, 応募内容の確認 and この内容で応募する,
    by Tab and Enter only; every control of the 応募 screen in order with a visible focus ring."""
    goto(page, "/login")
    login_with_the_keyboard(page, system)
    via_menu(page, "おすすめ求人", in_the_menu=True)
    page.locator("main h1").focus()
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.textContent") == "応募する":
            break
    page.keyboard.press("Enter")
    settle(page)
    assert "#/apply/" in page.url
    job_number = page.url.split("#/apply/")[1]
    tab_through_main(page)
    page.locator("main h1").focus()
    page.keyboard.press("Tab")
    while page.evaluate("() => document.activeElement.name") != "motivation":
        page.keyboard.press("Tab")
    page.keyboard.type("介護福祉士として利用者様に寄り添いたく、応募いたします。")
    while page.evaluate("() => document.activeElement.textContent") != "応募内容を確認する":
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    review = page.get_by_role("region", name="応募内容の確認")
    review.wait_for()
    while page.evaluate("() => document.activeElement.textContent") != "この内容で応募する":
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.hash === '#/applications?applied=1'")
    settle(page)
    assert page.locator(".card").filter(has_text=job_number).locator(".status").inner_text() == "応募中"


def test_open_a_mypage_with_the_keyboard_alone(page, system, call, staff_token):
    """Issue 12: A2–A6 by Tab, Space, typing and Enter — the terms (each a focusable region),
    both consents, email and birth date (the date input filled where focus is), then the mailed key and
    a password — for a seeker staff registered at the counter just now."""
    number = f"11040-{uuid.uuid4().int % 10**8:08d}"
    email = f"{number}@example.jp"
    registered = call("POST", "/api/v1/staff/seekers", {
        "seeker_number": number, "name": "鍵盤 花子", "name_kana": "ケンバン ハナコ", "birth_date": "1988-02-29",
        "email": email, "kind": "registered", "office": {"code": "11040", "name": "越谷公共職業安定所"},
        "address": {"postal_code": "343-0023", "prefecture": "埼玉県", "municipality": "越谷市"},
        "phone": "048-000-0000"}, token=staff_token)
    assert registered.status == 201, registered.data
    key = None
    for _ in range(60):  # auth learns of the seeker from profile's event: until a key mail comes
        goto(page, "/open")
        page.get_by_role("region", name="利用規約の本文").wait_for()
        page.locator("main h1").focus()
        for expected in ("利用規約の本文", "プライバシーポリシーの本文"):
            page.keyboard.press("Tab")
            assert page.evaluate("() => document.activeElement.getAttribute('aria-label')") == expected
        for consent in ("agree_terms", "agree_privacy"):
            page.keyboard.press("Tab")
            assert page.evaluate("() => document.activeElement.name") == consent
            page.keyboard.press("Space")
        page.keyboard.press("Tab")
        page.keyboard.type(email)
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.name") == "birth_date"
        # the focused date input, as its parts are typed (their order follows the browser's own language)
        page.locator(":focus").fill("1988-02-29")
        assert page.get_by_label("生年月日（西暦）", exact=True).input_value() == "1988-02-29"
        seen = mail_ids(system)
        page.keyboard.press("Enter")
        page.get_by_role("heading", name="メールを送信しました").wait_for()
        try:
            mail = eventually(lambda seen=seen: new_mail(system, email, KEY_MAIL, seen), timeout=3, interval=0.1,
                              message="the key mail")
        except pytest.fail.Exception:
            continue
        key = KEY_LINE.search(mail.text).group(1)
        break
    assert key is not None, "no key mail"
    assert page.evaluate("() => document.activeElement.name") == "auth_key"  # focus moved to the next step
    page.keyboard.type(key)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="マイページの開設が完了しました").wait_for()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "ログインへ"
    page.keyboard.press("Enter")
    settle(page)
    assert page.url.endswith("#/login")
