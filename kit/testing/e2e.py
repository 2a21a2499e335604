"""Steps end-to-end tests take against a running embedded system, over real HTTP through the gateway.

`system` is a running gateway.embedded.EmbeddedSystem (kit does not import it): its `url`, and
the `mail_dir` its SMTP sink stores mail in — what /dev/mail shows.

    call = GatewayClient(system.url)
    open_mypage(call, system, EMAIL, BIRTH_DATE, PASSWORD)           # A2–A6, with the mailed key
    token = login(call, system, EMAIL, PASSWORD)["access_token"]      # A7, with the mailed OTP
    call("GET", "/api/v1/me", token=token)

Nothing sleeps: every wait is a condition with a deadline.
"""

from __future__ import annotations

import contextlib
import http.client
import re
import time
import uuid
from urllib.parse import urlsplit

import pytest
import urllib3

from kit.devmail import StoredMail, read_mailbox
from kit.testing.plugin import eventually

KEY_LINE = re.compile(r"認証キー：(\S+)")  # in the key mail (A2)
OTP_LINE = re.compile(r"ワンタイムパスワード：(\d{6})")  # in the OTP mail (A7)
KEY_MAIL = "パスワード登録申込受付通知"  # subjects
OTP_MAIL = "ワンタイムパスワード"
KEY_MAIL_PATIENCE = 5.0  # seconds before asking for another key mail
OTP_SENT_PATIENCE = 5.0  # seconds for a mailed OTP to count as sent (see login)


class GatewayClient:
    """`call(method, path, body=None, token=None, **headers)`: one request to the gateway (a JSON
    body, a bearer token), answered with the urllib3 response. No retries, no redirects."""

    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")
        self.pool = urllib3.PoolManager(timeout=urllib3.Timeout(connect=5, read=30), retries=False)

    def __call__(self, method: str, path: str, body: dict | None = None, token: str | None = None,
                 **headers: str) -> urllib3.BaseHTTPResponse:
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return self.pool.request(method, self.url + path, json=body, headers=headers)

    def close(self) -> None:
        self.pool.clear()


def raw_request(base_url: str, method: str, target: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """One request with `target` sent byte for byte (http.client: no client-side normalisation, which
    urllib3 would do to dot segments): its status, headers (lower-cased names) and body."""
    address = urlsplit(base_url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    try:
        connection.request(method, target, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def mail_ids(system) -> set[str]:
    """The ids of the mails in the sink now, to tell them from the ones still to come."""
    return {mail.id for mail in read_mailbox(system.mail_dir)}


def new_mail(system, to: str, subject_part: str, seen: set[str]) -> StoredMail | None:
    """The newest mail to `to` with `subject_part` in its subject that is not in `seen`, or None."""
    return next((mail for mail in read_mailbox(system.mail_dir)
                 if mail.id not in seen and mail.to == to and subject_part in mail.subject), None)


def opening_request(call: GatewayClient, email: str, birth_date: str) -> dict:
    """The body of POST /api/v1/auth/opening (A2), agreeing to the current terms and privacy policy."""
    terms = call("GET", "/api/v1/terms").json()
    return {"email": email, "birth_date": birth_date, "terms_version": terms["terms_version"],
            "privacy_version": terms["privacy_version"]}


def open_mypage(call: GatewayClient, system, email: str, birth_date: str, password: str,
                timeout: float = 60) -> None:
    """A2–A6: a seeker registered by profile opens their My Page with the key mailed to them.

    Auth learns of the seeker from profile's event, so the first requests may mail nothing: ask
    again after KEY_MAIL_PATIENCE without a mail. A newer key voids the older ones (A3), so a late
    mail may carry a void key (400): every new key mail is tried, newest first.
    """
    opening = opening_request(call, email, birth_date)
    tried = mail_ids(system)
    asked_at = float("-inf")

    def opened() -> bool:
        nonlocal asked_at
        fresh = [mail for mail in read_mailbox(system.mail_dir)
                 if mail.id not in tried and mail.to == email and KEY_MAIL in mail.subject]
        for mail in fresh:
            tried.add(mail.id)
            key = KEY_LINE.search(mail.text).group(1)
            answer = call("POST", "/api/v1/auth/opening/complete",
                          {"email": email, "auth_key": key, "password": password})
            assert answer.status in (201, 400), answer.data
            if answer.status == 201:
                return True
        if not fresh and time.monotonic() - asked_at > KEY_MAIL_PATIENCE:
            assert call("POST", "/api/v1/auth/opening", opening).status == 202
            asked_at = time.monotonic()
        return False

    eventually(opened, timeout=timeout, interval=0.1, message="the My Page to open with a mailed key")


def login(call: GatewayClient, system, email: str, password: str, *, client: str = "web",
          remember_device: bool = False) -> dict:
    """A7: the password, then the one-time password mailed to `email`; the token response (the
    access token; for client "mobile" also the refresh token, which "web" gets as a cookie; with
    `remember_device` the device token)."""
    seen = mail_ids(system)
    answer = call("POST", "/api/v1/auth/login", {"email": email, "password": password})
    assert answer.status == 200 and answer.json()["otp_required"] is True, answer.data
    mail = eventually(lambda: new_mail(system, email, OTP_MAIL, seen), timeout=20, message="the OTP mail")
    entered = {"login_ticket": answer.json()["login_ticket"], "otp": OTP_LINE.search(mail.text).group(1),
               "client": client, "remember_device": remember_device}
    # auth's mail dispatcher commits "sent at" (the OTP is valid from then, A7) just after the SMTP sink
    # took the mail, so the mail can be here a moment before its OTP counts as sent; such an OTP is
    # refused (401) without using up a try. Enter it again until that moment has passed.
    tokens = [None]

    def accepted() -> bool:
        tokens[0] = call("POST", "/api/v1/auth/login/otp", entered)
        return tokens[0].status != 401

    with contextlib.suppress(pytest.fail.Exception):
        eventually(accepted, timeout=OTP_SENT_PATIENCE, interval=0.05, message="the mailed OTP to count as sent")
    assert tokens[0].status == 200, tokens[0].data
    return tokens[0].json()


def staff_token(call: GatewayClient) -> str:
    """An access token of the counter system (client credentials, role staff; the development client)."""
    answer = call("POST", "/api/v1/auth/token", {"grant_type": "client_credentials", "client_id": "counter",
                                                 "client_secret": "counter-dev-secret"})
    assert answer.status == 200, answer.data
    return answer.json()["access_token"]


def register_seeker(call: GatewayClient, staff: str, name: str, name_kana: str, birth_date: str, **extra) -> dict:
    """P1: the counter (`staff`: its token) registers a seeker of its office with a fresh 求職番号 and email —
    on a system other tests share too (one `make up` stack) nobody else has them; the body it sent."""
    number = f"11040-{uuid.uuid4().int % 10**8:08d}"
    body = {"seeker_number": number, "name": name, "name_kana": name_kana, "birth_date": birth_date,
            "email": f"{number}@example.jp", "office": {"code": "11040", "name": "越谷公共職業安定所"},
            "address": {"postal_code": "343-0023", "prefecture": "埼玉県", "municipality": "越谷市"}, **extra}
    answer = call("POST", "/api/v1/staff/seekers", body, token=staff)
    assert answer.status == 201, answer.data
    return body
