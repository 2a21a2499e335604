"""The installable app shell (issue 12) in the system Chromium: the page links a valid manifest, the
service worker registers and takes the page, caches only the client's own static files (never an
API answer, which may hold personal data), and a page opened offline is the polite offline page."""

from __future__ import annotations

import struct

from kit.testing.browser import goto, settle

CACHED_URLS = """async () => {
  const urls = [];
  for (const name of await caches.keys()) {
    for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
  }
  return urls;
}"""


def _controlled(page) -> None:
    page.evaluate("navigator.serviceWorker.ready")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")


def test_the_manifest_is_linked_and_names_the_app_with_its_icons(page):
    goto(page, "/")
    href = page.locator('link[rel="manifest"]').get_attribute("href")
    answer = page.request.get(href)
    assert answer.ok and answer.headers["content-type"].startswith("application/manifest+json")
    manifest = answer.json()
    assert manifest["name"] == "ハローワーク 求職者マイページ" and manifest["display"] == "standalone"
    assert page.evaluate(f"new URL({manifest['start_url']!r}, location.href).origin") == page.evaluate(
        "location.origin")
    sizes = set()
    for icon in manifest["icons"]:
        data = page.request.get(icon["src"]).body()
        if icon["type"] == "image/png":
            assert icon["sizes"] == "{}x{}".format(*struct.unpack(">II", data[16:24]))
            sizes.add(icon["sizes"])
    assert {"192x192", "512x512"} <= sizes
    assert page.locator('meta[name="theme-color"]').get_attribute("content") == manifest["theme_color"]


def test_the_service_worker_keeps_the_shell_and_never_an_api_answer(seeker):
    """After the seeker's screens (each full of personal data from the API) the caches hold the
    client's static files only."""
    goto(seeker, "/home")
    assert seeker.evaluate("navigator.serviceWorker.ready.then((r) => new URL(r.active.scriptURL).pathname)") == \
        "/sw.js"
    _controlled(seeker)
    for route in ("/home", "/favourites", "/applications", "/profile", "/notices"):
        goto(seeker, route)
    cached = seeker.evaluate(CACHED_URLS)
    assert "/offline.html" in cached and "/css/app.css" in cached and "/js/app.js" in cached
    static = [url for url in cached if url.startswith(("/css/", "/js/", "/data/", "/icons/"))
              or url in ("/offline.html", "/manifest.webmanifest")]
    assert static == cached, sorted(set(cached) - set(static))


def test_a_page_opened_offline_shows_the_offline_page(page):
    goto(page, "/search")
    _controlled(page)
    page.context.set_offline(True)
    try:
        page.reload()
        heading = page.get_by_role("heading", level=1)
        heading.wait_for()
        assert heading.inner_text() == "インターネットに接続されていません"
        assert "もう一度お試しください" in page.locator("main").inner_text()
        assert page.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor") == \
            "rgb(11, 92, 173)"  # its stylesheet came from the cache
    finally:
        page.context.set_offline(False)
    page.get_by_role("link", name="もう一度読み込む").click()
    settle(page)
    assert page.locator("main h1").count() == 1
