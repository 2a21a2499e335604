"""The web client as the demo seeker of `make run` sees it (issue 12): 求職 太郎's My Page in use
(MYPAGE_DEMO_ACTIVITY: referrals with a letter, an application, messages, notices, recommendations,
matching postings, favourites, a saved search) shows something on every screen."""

from __future__ import annotations

import pytest

from kit.testing.browser import goto


@pytest.fixture(scope="module")
def demo_activity() -> bool:
    return True


EMPTY = {"/favourites": "お気に入りはまだありません", "/saved": "保存した検索条件はありません",
         "/referrals": "紹介を受けた求人はありません", "/recommendations": "おすすめ求人はまだありません",
         "/matching": "希望条件に合う新着求人はまだありません", "/applications": "応募した求人はありません",
         "/messages": "メッセージはありません", "/notices": "お知らせはありません"}


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
