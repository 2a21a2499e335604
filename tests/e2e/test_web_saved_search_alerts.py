"""J3 alerts in the browser: 保存した検索条件 shows 「新着求人をメールで受け取る」 per saved search, unticked by
default, and ticking or unticking it turns the daily mail on or off at once (as the API then says); the
mail's one-click link opens #/alert-stop?token=…, which stops the alert without a login and says so, and
says what to do when the link is not valid.

Playwright drives the system Chromium (kit.testing.browser) against this module's embedded system; the
`seeker` page (conftest.py) is 求職 太郎, logged in through the screens. The stop link's token is minted as
auth mints it for a digest mail (services/auth/digests.py), with the embedded auth's own signing key."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import quote

import jwt
import pytest

from kit.testing.browser import EMAIL, PASSWORD, goto
from kit.testing.e2e import login
from services.auth.digests import stop_token

EMBEDDED_ONLY = ("it reads auth's signing secrets from the service's app in this process (system.services) to make a "
                 "stop link")

SAVED = "/api/v1/me/saved-searches"
LABEL = "新着求人をメールで受け取る"


@pytest.fixture(scope="module")
def token(seeker, call, system) -> str:
    """求職 太郎's access token for setting things up through the API (another session than the page's)."""
    return login(call, system, EMAIL, PASSWORD, client="mobile")["access_token"]


@pytest.fixture(scope="module")
def search_id(call, token) -> str:
    body = {"name": "越谷の介護（メール）", "criteria": {"municipality": ["越谷市"], "occupation": ["361"]}}
    created = call("POST", SAVED, body, token=token)
    assert created.status == 201, created.data
    return created.json()["id"]


def _alert(call, token, search_id: str) -> bool:
    [item] = [i for i in call("GET", SAVED, token=token).json()["items"] if i["id"] == search_id]
    return item["email_alert"]


def test_the_saved_searches_screen_turns_the_mail_on_and_off(seeker, call, token, search_id):
    goto(seeker, "/saved")
    card = seeker.locator(".card").filter(has=seeker.get_by_role("heading", name="越谷の介護（メール）"))
    box = card.get_by_label(LABEL)
    assert not box.is_checked()
    box.check()
    seeker.get_by_role("status").filter(has_text="毎朝メールでお知らせします").wait_for()
    assert _alert(call, token, search_id) is True
    box.uncheck()
    seeker.get_by_role("status").filter(has_text="新着求人メールを停止しました").wait_for()
    assert _alert(call, token, search_id) is False


def test_the_mails_link_stops_the_mail_without_a_login(page, system, call, token, search_id):
    assert call("PUT", f"{SAVED}/{search_id}/alert", token=token).status == 204
    seeker_id = jwt.decode(token, options={"verify_signature": False})["sub"]
    secrets = system.services["auth"].app.extensions["auth"].secrets
    link = stop_token(secrets, datetime.now(UTC), seeker_id, search_id)
    goto(page, f"/alert-stop?token={quote(link)}")
    page.get_by_role("status").filter(has_text="新着求人メールを停止しました").wait_for()
    assert _alert(call, token, search_id) is False
    assert page.get_by_role("link", name="保存した検索条件").get_attribute("href") == "#/saved"


def test_a_link_that_is_not_valid_says_how_to_stop_instead(page):
    goto(page, "/alert-stop?token=not-a-token")
    page.get_by_role("alert").filter(has_text="マイページの「保存した検索条件」から停止してください").wait_for()
