"""Issue 13 item 3 in the browser: the seeker writes a 自己PR on 求職情報の確認・変更 (P2), and the 応募 screen
lists it among the 求職情報 that go with an application, with 住所・電話番号・生年月日 unticked.

Playwright drives the system Chromium (kit.testing.browser) against this module's embedded system; the
`seeker` page (conftest.py) is 求職 太郎, logged in through the screens. (The ticks and what is sent are
proven in test_web_client.py's application test.)"""

from __future__ import annotations

from kit.testing.browser import EMAIL, PASSWORD, goto
from kit.testing.e2e import login

SELF_PR = "利用者さんの話をよく聴くことを大切にしてきました。\n夜勤にも対応できます。"


def test_a_self_pr_written_on_the_profile_goes_with_an_application(seeker, call, system):
    goto(seeker, "/profile")
    seeker.get_by_label("自己PR", exact=True).fill(SELF_PR)
    seeker.get_by_role("button", name="変更を保存する").click()
    seeker.get_by_text("求職情報を保存しました。").wait_for()
    token = login(call, system, EMAIL, PASSWORD, client="mobile")["access_token"]
    assert call("GET", "/api/v1/me/profile", token=token).json()["self_pr"] == SELF_PR

    items = call("GET", "/api/v1/jobs?per_page=50").json()["items"]
    job = next(j for j in items if j["online_application"] and j["status"] == "open")
    goto(seeker, f"/apply/{job['job_number']}")
    sent = seeker.get_by_role("group", name="応募と一緒に事業所へ送る求職情報")
    assert "自己PR：あり" in sent.inner_text() and "資格・免許：介護福祉士" in sent.inner_text()
    assert sent.get_by_role("checkbox").count() == 3 and not sent.get_by_role("checkbox", checked=True).count()
