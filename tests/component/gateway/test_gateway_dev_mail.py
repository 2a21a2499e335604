"""kit.mail sends real SMTP; kit.devmail keeps it; /dev/mail shows it (dev only); / is the web client."""

from __future__ import annotations

import smtplib

import pytest

from gateway.app import create_gateway
from kit.devmail import MailSink, read_mailbox
from kit.mail import MailError, SmtpTarget, build_message, send_mail
from kit.settings import Settings

MAIL_FROM = "system@mail.hellowork.mhlw.go.jp"
SUBJECT = "【ハローワーク】パスワード登録申込受付通知"
BODY = "求職 太郎様\n\n認証キー：K7Q2M9XA\n有効期限：2026年11月26日 18:50\n"


@pytest.fixture
def sink(tmp_path):
    with MailSink(tmp_path / "mail") as running:
        yield running


def test_a_mail_is_utf8_with_an_encoded_japanese_subject():
    message = build_message(MAIL_FROM, "taro@example.jp", SUBJECT, BODY)
    raw = message.as_bytes()
    assert raw.isascii()  # subject as RFC 2047 words, body base64: any SMTP server takes it
    assert b"=?utf-8?" in raw
    assert message["Content-Type"] == 'text/plain; charset="utf-8"'
    assert message["Message-ID"].endswith("@mail.hellowork.mhlw.go.jp>")


def test_a_mail_sent_over_smtp_arrives_in_the_sink_decoded(sink):
    message_id = send_mail(sink.url, MAIL_FROM, "taro@example.jp", SUBJECT, BODY)
    assert sink.wait_for(1, timeout=10)
    [mail] = read_mailbox(sink.directory)
    assert mail.subject == SUBJECT
    assert mail.to == "taro@example.jp"
    assert mail.mail_from == MAIL_FROM
    assert "認証キー：K7Q2M9XA" in mail.text.splitlines()
    assert message_id


def test_the_mailbox_lists_newest_first(sink):
    for n in range(3):
        send_mail(sink.url, MAIL_FROM, [f"user{n}@example.jp"], f"件名{n}", f"本文{n}")
    assert sink.wait_for(3, timeout=10)
    assert [mail.subject for mail in read_mailbox(sink.directory)] == ["件名2", "件名1", "件名0"]


def test_an_unreachable_smtp_server_is_a_mail_error(closed_port):
    with pytest.raises(MailError):
        send_mail(f"smtp://127.0.0.1:{closed_port()}", MAIL_FROM, "taro@example.jp", SUBJECT, BODY, timeout=2)


def test_smtp_urls():
    assert SmtpTarget.from_url("smtp://127.0.0.1:1025") == SmtpTarget("127.0.0.1", 1025)
    assert SmtpTarget.from_url("smtps://mail.example.jp") == SmtpTarget("mail.example.jp", 465, tls=True)
    starttls = SmtpTarget.from_url("smtp://user%40x:p%40ss@mail.example.jp:587?starttls=true")
    assert (starttls.port, starttls.starttls) == (587, True)
    assert (starttls.username, starttls.password) == ("user@x", "p@ss")
    with pytest.raises(MailError):
        SmtpTarget.from_url("http://mail.example.jp")


def test_the_sink_accepts_plain_smtplib_too(sink):
    with smtplib.SMTP("127.0.0.1", sink.port, timeout=5) as client:
        client.sendmail("a@example.jp", ["b@example.jp"], b"Subject: plain\r\n\r\nhello\r\n")
    assert sink.wait_for(1, timeout=10)
    assert read_mailbox(sink.directory)[0].text.strip() == "hello"


def test_dev_mail_page_lists_the_mails_in_japanese(sink, tmp_path):
    send_mail(sink.url, MAIL_FROM, "taro@example.jp", SUBJECT, BODY + "<script>alert(1)</script>")
    assert sink.wait_for(1, timeout=10)
    settings = Settings.from_env("gateway", {"MYPAGE_VAR_DIR": str(tmp_path)})
    client = create_gateway({}, settings, mail_dir=sink.directory).test_client()
    page = client.get("/dev/mail")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<html lang="ja">' in html and 'name="viewport"' in html
    assert "開発用メールボックス" in html
    assert SUBJECT in html and "taro@example.jp" in html and "認証キー：K7Q2M9XA" in html
    assert "<script>alert(1)</script>" not in html  # the body is escaped
    listing = client.get("/dev/mail.json").json
    assert listing["total"] == 1
    assert listing["items"][0]["subject"] == SUBJECT
    raw = client.get(f"/dev/mail/{listing['items'][0]['id']}.eml")
    assert raw.status_code == 200 and raw.mimetype == "message/rfc822"
    raw.close()
    assert client.get("/dev/mail/..%2Fsecret.eml").status_code == 400  # gateway.paths: no dot segments
    assert client.get("/dev/mail/%2E%2Esecret.eml").status_code == 404


def test_dev_mail_is_a_404_problem_in_production(tmp_path):
    settings = Settings(service="gateway", env="production", var_dir=tmp_path,
                        secrets={"secret_operations_token": "o" * 32})
    client = create_gateway({}, settings).test_client()
    for path in ("/dev/mail", "/dev/mail.json"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.mimetype == "application/problem+json"


def test_the_web_client_landing_page_is_served_at_the_root(settings):
    client = create_gateway({}, settings).test_client()
    page = client.get("/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<title>求職者マイページ</title>" in html
    assert 'href="/api/docs"' in html and 'href="/dev/mail"' in html
    assert "https://" not in html  # no CDN
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    page.close()
    for asset in ("/css/style.css", "/js/landing.js"):
        response = client.get(asset)
        assert response.status_code == 200, asset
        response.close()
    missing = client.get("/no-such-file.html")
    assert missing.status_code == 404 and missing.mimetype == "application/problem+json"
