"""Sending mail over real SMTP (SPEC: "Mails are real SMTP, UTF-8, from system@mail.hellowork.mhlw.go.jp").

A service never sends inside a request: its mail outbox worker calls `send_mail` (S3).

    send_mail("smtp://127.0.0.1:1025", settings.mail_from, "taro@example.jp",
              "パスワード登録申込受付通知", "認証キー：...")

URLs: `smtp://host[:port]` (plain, port 25), `smtp://host:587?starttls=true` (STARTTLS),
`smtps://host[:port]` (implicit TLS, port 465); `user:password@` logs in.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import formatdate, make_msgid
from urllib.parse import parse_qs, unquote, urlsplit

DEFAULT_TIMEOUT = 10.0


class MailError(RuntimeError):
    """The mail could not be handed to the SMTP server (the outbox worker retries it)."""


@dataclass(frozen=True)
class SmtpTarget:
    """Where to send: parsed from an smtp:// or smtps:// URL."""

    host: str
    port: int
    tls: bool = False
    starttls: bool = False
    username: str | None = None
    password: str | None = None

    @classmethod
    def from_url(cls, url: str) -> SmtpTarget:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise MailError(f"not an smtp:// or smtps:// URL: {parts.scheme}://{parts.hostname or ''}")
        tls = parts.scheme == "smtps"
        options = parse_qs(parts.query)
        starttls = options.get("starttls", ["false"])[-1].lower() in ("1", "true", "yes")
        return cls(
            host=parts.hostname,
            port=parts.port or (465 if tls else 25),
            tls=tls,
            starttls=starttls and not tls,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
        )


def build_message(mail_from: str, to: str | Sequence[str], subject: str, body: str, *,
                  headers: Mapping[str, str] | None = None) -> EmailMessage:
    """A UTF-8 text mail: the Japanese subject as RFC 2047 encoded words, the body base64; `headers` adds
    ASCII headers (e.g. List-Unsubscribe)."""
    message = EmailMessage(policy=SMTP_POLICY)
    message["From"] = mail_from
    message["To"] = to if isinstance(to, str) else ", ".join(to)
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(domain=mail_from.rpartition("@")[2] or None)
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body, charset="utf-8", cte="base64")
    return message


def send_mail(smtp_url: str, mail_from: str, to: str | Sequence[str], subject: str, body: str, *,
              headers: Mapping[str, str] | None = None, timeout: float = DEFAULT_TIMEOUT,
              ssl_context: ssl.SSLContext | None = None) -> str:
    """A3, A7, A8: send one UTF-8 text mail (key, OTP, notices) over SMTP and return its Message-ID.

    Raises MailError when the server cannot be reached or refuses the mail, so the caller's
    outbox keeps the mail and tries again.
    """
    if not smtp_url:
        raise MailError("no SMTP server configured (MYPAGE_SMTP_URL)")
    target = SmtpTarget.from_url(smtp_url)
    message = build_message(mail_from, to, subject, body, headers=headers)
    recipients = [to] if isinstance(to, str) else list(to)
    context = ssl_context or ssl.create_default_context()
    try:
        if target.tls:
            client = smtplib.SMTP_SSL(target.host, target.port, timeout=timeout, context=context)
        else:
            client = smtplib.SMTP(target.host, target.port, timeout=timeout)
        with client:
            if target.starttls:
                client.starttls(context=context)
            if target.username:
                client.login(target.username, target.password or "")
            client.send_message(message, from_addr=mail_from, to_addrs=recipients)
    except (OSError, smtplib.SMTPException) as error:
        raise MailError(f"SMTP {target.host}:{target.port}: {type(error).__name__}: {error}") from error
    return message["Message-ID"]
