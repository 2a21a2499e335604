"""Opening and login end to end over real HTTP (the embedded system and `make up`), mail read from the
system's real SMTP sink.

The counter registers a seeker at profile; auth learns of it from profile.seeker.registered.v1 over
the bus. Logout reaches the gateway as auth.session.revoked.v1 (outbox → relay → bus), after which
the access token is refused.
Nothing sleeps: every wait is a condition with a deadline.
"""

from __future__ import annotations

import contextlib

import pytest

from kit.devmail import read_mailbox
from kit.testing.e2e import KEY_LINE, KEY_MAIL, login, mail_ids, opening_request, register_seeker
from kit.testing.plugin import eventually

BIRTH_DATE = "1990-04-01"
KEY_MAIL_WAIT = 3.0  # seconds for a key mail after each request, before asking again
PASSWORD = "Koshigaya@2026"


@pytest.fixture(scope="module")
def email(call, staff_token) -> str:
    """P1: a seeker the counter registered (求職 四郎); auth hears of them from profile's event."""
    return register_seeker(call, staff_token, "求職 四郎", "キュウショク シロウ", BIRTH_DATE)["email"]


def test_opening_and_login_through_the_gateway(system, call, email):
    opening = opening_request(call, email, BIRTH_DATE)

    # A2/A3: the key mail arrives once auth has learnt of the seeker from profile's event
    def key_mail():
        seen = mail_ids(system)
        assert call("POST", "/api/v1/auth/opening", opening).status == 202
        with contextlib.suppress(pytest.fail.Exception):  # none yet: auth may not know the seeker; ask again
            return eventually(lambda: next((m for m in read_mailbox(system.mail_dir)
                                            if m.id not in seen and m.to == email and KEY_MAIL in m.subject), None),
                              timeout=KEY_MAIL_WAIT, interval=0.05, message="a key mail")
        return None

    mail = eventually(key_mail, timeout=30, interval=0.2, message="the key mail")
    assert mail.to == email and mail.mail_from == "system@mail.hellowork.mhlw.go.jp"
    assert "有効期限：" in mail.text and "（日本時間）まで" in mail.text
    key = KEY_LINE.search(mail.text).group(1)

    # A5: a password breaking the rule is refused with the failed parts named, in English on request
    refused = call("POST", "/api/v1/auth/opening/complete", {"email": email, "auth_key": key, "password": "abcd!1234"},
                   **{"Accept-Language": "en"})
    assert refused.status == 422 and refused.headers["Content-Type"] == "application/problem+json"
    assert refused.json()["password_rules"] == ["characters", "symbol"]

    opened = call("POST", "/api/v1/auth/opening/complete", {"email": email, "auth_key": key, "password": PASSWORD})
    assert opened.status == 201, opened.data

    # A7: password, then the OTP mailed to the login email (each step asserted by login())
    tokens = login(call, system, email, PASSWORD, client="mobile")
    access = tokens["access_token"]

    # the gateway verifies the token on a route that needs one (auth's JWKS written in the embedded mode)
    assert call("PUT", "/api/v1/me/password", {"current_password": "Wrong@0000", "new_password": "Other@2026"},
                token=access).status == 422
    assert call("PUT", "/api/v1/me/password", {}, token="forged").status == 401
    refreshed = call("POST", "/api/v1/auth/refresh", {"refresh_token": tokens["refresh_token"]})
    assert refreshed.status == 200

    # S5: after logout the gateway refuses the still-unexpired access token (learnt from the event)
    assert call("POST", "/api/v1/auth/logout", token=access).status == 204
    eventually(lambda: call("PUT", "/api/v1/me/password", {}, token=access).status == 401, timeout=20,
               message="the gateway to refuse the revoked session")
    again = call("POST", "/api/v1/auth/refresh", {"refresh_token": refreshed.json()["refresh_token"]})
    assert again.status == 401


def test_s3_opening_through_the_gateway_answers_identically(system, call, email):
    terms = call("GET", "/api/v1/terms").json()
    versions = {"terms_version": terms["terms_version"], "privacy_version": terms["privacy_version"]}
    answers = [call("POST", "/api/v1/auth/opening", {"email": email, "birth_date": birth, **versions})
               for email, birth in [("nobody@example.jp", BIRTH_DATE), (email, "1991-04-01"), (email, BIRTH_DATE)]]
    volatile = {"X-Request-ID", "Date"}
    shapes = {(a.status, a.data, tuple(sorted((k, v) for k, v in a.headers.items() if k not in volatile)))
              for a in answers}
    assert len(shapes) == 1 and answers[0].status == 202
