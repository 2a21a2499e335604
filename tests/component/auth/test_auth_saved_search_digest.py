"""J3 alerts, auth's part: jobs' `jobs.saved_search.digest.v1` becomes a mail to the seeker's login email,
through the mail outbox (S3) — the count, up to 5 postings with their links, the search's link and a
one-click stop link whose token (minted when the mail is sent, never stored) verifies for the stop
audience only; no mail to a seeker without an open My Page."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from contracts import validate_event
from kit.events import Event
from kit.tokens import ALERT_STOP_AUDIENCE, InvalidToken, KeySet, TokenVerifier
from services.auth.handlers import SUBSCRIPTIONS
from services.auth.models import Mail

DIGEST = "jobs.saved_search.digest.v1"
STOP_LINK = re.compile(r"http://127\.0\.0\.1:8080/#/alert-stop\?token=(\S+)")


def _digest(seeker_id: str, count: int = 7, postings: int = 5) -> Event:
    data = {"seeker_id": seeker_id, "saved_search_id": "0f3c2a9e4b7d4c1e8a6b5d4c3b2a1f0e", "search_name": "越谷の介護",
            "count": count, "postings": [{"job_number": f"11040-0000000{n}", "title": f"介護職員{n}"}
                                         for n in range(postings)],
            "since": "2026-11-25T22:00:00+00:00", "until": "2026-11-26T22:00:00+00:00"}
    event = Event(type=DIGEST, data=data, source="/mypage/jobs", subject=seeker_id)
    validate_event(event)
    return event


def _deliver(world, event: Event) -> None:
    with world.runtime.uow() as uow:
        SUBSCRIPTIONS[DIGEST](event, uow)
        uow.commit()


def test_j3_a_digest_is_mailed_to_the_login_email_with_its_links(world, clock):
    seeker = world.open_mypage()
    _deliver(world, _digest(seeker["seeker_id"]))
    assert world.deliver_mail() == 1
    mail = world.mailbox.last(seeker["email"])
    assert mail.subject == "【ハローワーク】保存した検索条件「越谷の介護」の新着求人のお知らせ"
    assert "保存した検索条件「越谷の介護」に合う新着求人が7件あります。" in mail.body
    assert "2026年11月26日 7時00分から2026年11月27日 7時00分まで（日本時間）" in mail.body
    assert "・11040-00000000 介護職員0\n  http://127.0.0.1:8080/#/jobs/11040-00000000" in mail.body
    assert "ほか2件" in mail.body
    assert "検索結果を見る：http://127.0.0.1:8080/#/saved/0f3c2a9e4b7d4c1e8a6b5d4c3b2a1f0e" in mail.body
    verifier = TokenVerifier(KeySet(world.ctx.secrets.public_jwks), clock=clock)
    token = STOP_LINK.search(mail.body).group(1)
    claims = verifier.claims(token, audience=ALERT_STOP_AUDIENCE)
    assert (claims["sub"], claims["search"]) == (seeker["seeker_id"], "0f3c2a9e4b7d4c1e8a6b5d4c3b2a1f0e")
    assert claims["exp"] - claims["iat"] == 30 * 24 * 3600
    with pytest.raises(InvalidToken):
        verifier.verify(token)  # never an access token
    assert mail.headers == {  # RFC 8058: the mail program's own one-click button
        "List-Unsubscribe": f"<http://127.0.0.1:8080/api/v1/saved-search-alerts/one-click?token={token}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    with world.runtime.engine.connect() as connection:
        assert connection.scalar(select(Mail.params).where(Mail.template == "saved_search_digest")) is None


def test_j3_five_postings_are_named_without_a_remainder(world):
    seeker = world.open_mypage()
    _deliver(world, _digest(seeker["seeker_id"], count=5))
    world.deliver_mail()
    body = world.mailbox.last(seeker["email"]).body
    assert body.count("・11040-") == 5 and "ほか" not in body


def test_j3_no_mail_without_an_open_my_page(world):
    registered = world.register()  # never opened
    _deliver(world, _digest(registered["seeker_id"]))
    _deliver(world, _digest("an-unknown-seeker"))
    assert world.deliver_mail() == 0
    assert world.mailbox.sent == []
