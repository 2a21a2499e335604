"""Opening and login end to end: the embedded system over real HTTP, mail read from its real SMTP sink.

The demo seeker (求職 太郎, taro@example.jp, 1990-04-01) is registered by profile; auth learns of
it from profile.seeker.registered.v1 over the in-process bus. Logout reaches the gateway as
auth.session.revoked.v1 (outbox → relay → bus), after which the access token is refused.
Nothing sleeps: every wait is a condition with a deadline.
"""

from __future__ import annotations

import re

import pytest
import urllib3

from gateway.embedded import EmbeddedSystem
from kit.devmail import read_mailbox
from kit.testing.embedded import isolated_environ
from kit.testing.plugin import eventually

EMAIL, BIRTH_DATE = "taro@example.jp", "1990-04-01"
PASSWORD = "Koshigaya@2026"
KEY_LINE = re.compile(r"認証キー：(\S+)")
OTP_LINE = re.compile(r"ワンタイムパスワード：(\d{6})")


@pytest.fixture(scope="module")
def system(tmp_path_factory):
    environ = isolated_environ(tmp_path_factory.mktemp("auth-e2e"))
    with EmbeddedSystem(environ) as running:
        yield running


@pytest.fixture(scope="module")
def http():
    pool = urllib3.PoolManager(timeout=urllib3.Timeout(connect=5, read=30), retries=False)
    yield pool
    pool.clear()


def _call(http, system, method, path, body=None, headers=None):
    return http.request(method, system.url.rstrip("/") + path, json=body, headers=headers or {})


def _mail_to(system, subject_part: str, after: set[str]):
    def arrived():
        return next((m for m in read_mailbox(system.mail_dir) if m.to == EMAIL and subject_part in m.subject
                     and m.id not in after), None)
    return eventually(arrived, timeout=20, message=f"a mail «{subject_part}» in the sink")


def _seen(system) -> set[str]:
    return {m.id for m in read_mailbox(system.mail_dir)}


def test_opening_and_login_through_the_gateway(system, http):
    terms = _call(http, system, "GET", "/api/v1/terms").json()
    opening = {"email": EMAIL, "birth_date": BIRTH_DATE, "terms_version": terms["terms_version"],
               "privacy_version": terms["privacy_version"]}

    # A2/A3: the key mail arrives once auth has learnt of the seeker from profile's event
    def key_mail():
        seen = _seen(system)
        assert _call(http, system, "POST", "/api/v1/auth/opening", opening).status == 202
        system.sink.wait_for(system.sink.received + 1, timeout=3)
        return next((m for m in read_mailbox(system.mail_dir)
                     if m.id not in seen and "パスワード登録申込受付通知" in m.subject), None)

    mail = eventually(key_mail, timeout=30, interval=0.2, message="the key mail")
    assert mail.to == EMAIL and mail.mail_from == "system@mail.hellowork.mhlw.go.jp"
    assert "有効期限：" in mail.text and "（日本時間）まで" in mail.text
    key = KEY_LINE.search(mail.text).group(1)

    # A5: a password breaking the rule is refused with the failed parts named, in English on request
    refused = _call(http, system, "POST", "/api/v1/auth/opening/complete",
                    {"email": EMAIL, "auth_key": key, "password": "abcd!1234"}, {"Accept-Language": "en"})
    assert refused.status == 422 and refused.headers["Content-Type"] == "application/problem+json"
    assert refused.json()["password_rules"] == ["characters", "symbol"]

    opened = _call(http, system, "POST", "/api/v1/auth/opening/complete",
                   {"email": EMAIL, "auth_key": key, "password": PASSWORD})
    assert opened.status == 201, opened.data

    # A7: password, then the OTP mailed to the login email
    seen = _seen(system)
    login = _call(http, system, "POST", "/api/v1/auth/login", {"email": EMAIL, "password": PASSWORD})
    assert login.status == 200 and login.json()["otp_required"] is True
    otp_mail = _mail_to(system, "ワンタイムパスワード", seen)
    otp = OTP_LINE.search(otp_mail.text).group(1)
    tokens = _call(http, system, "POST", "/api/v1/auth/login/otp",
                   {"login_ticket": login.json()["login_ticket"], "otp": otp, "client": "mobile"})
    assert tokens.status == 200, tokens.data
    bearer = {"Authorization": f"Bearer {tokens.json()['access_token']}"}

    # the gateway verifies the token on a route that needs one (auth's JWKS written in the embedded mode)
    assert _call(http, system, "PUT", "/api/v1/me/password", {"current_password": "Wrong@0000",
                                                               "new_password": "Other@2026"}, bearer).status == 422
    assert _call(http, system, "PUT", "/api/v1/me/password", {}, {"Authorization": "Bearer forged"}).status == 401
    refreshed = _call(http, system, "POST", "/api/v1/auth/refresh",
                      {"refresh_token": tokens.json()["refresh_token"]})
    assert refreshed.status == 200

    # S5: after logout the gateway refuses the still-unexpired access token (learnt from the event)
    assert _call(http, system, "POST", "/api/v1/auth/logout", headers=bearer).status == 204
    eventually(lambda: _call(http, system, "PUT", "/api/v1/me/password", {}, bearer).status == 401, timeout=20,
               message="the gateway to refuse the revoked session")
    again = _call(http, system, "POST", "/api/v1/auth/refresh", {"refresh_token": refreshed.json()["refresh_token"]})
    assert again.status == 401


def test_s3_opening_through_the_gateway_answers_identically(system, http):
    terms = _call(http, system, "GET", "/api/v1/terms").json()
    versions = {"terms_version": terms["terms_version"], "privacy_version": terms["privacy_version"]}
    answers = [_call(http, system, "POST", "/api/v1/auth/opening", {"email": email, "birth_date": birth, **versions})
               for email, birth in [("nobody@example.jp", BIRTH_DATE), (EMAIL, "1991-04-01"), (EMAIL, BIRTH_DATE)]]
    volatile = {"X-Request-ID", "Date"}
    shapes = {(a.status, a.data, tuple(sorted((k, v) for k, v in a.headers.items() if k not in volatile)))
              for a in answers}
    assert len(shapes) == 1 and answers[0].status == 202
