"""The mails auth sends (A3, A7, A8, S2) and their outbox: queued in the request's transaction, sent by a
background task over real SMTP (kit.mail), never inside the request (S3). Besides the key and OTP
mails there are two notices: the OTP step was locked (S2), the password was changed or reset (A8).

A key or OTP is valid from the moment its mail is *sent* (A3: メール配信から50分以内有効), so the
dispatcher stamps `sent_at`/`expires_at` on the key or challenge as it sends, and writes the
expiry time (JST) into the body. Once sent, the row's `params` (which hold the key) are cleared.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session as DbSession

from kit.clock import JST
from kit.mail import MailError, send_mail
from kit.runtime import Runtime
from services.auth import digests
from services.auth.config import AuthSecrets, load_secrets
from services.auth.domain import KEY_LIFETIME, OTP_LIFETIME
from services.auth.models import AuthKey, LoginChallenge, Mail

log = logging.getLogger("mypage.auth.mail")

OPENING_KEY, RESET_KEY, LOGIN_OTP = "opening_key", "reset_key", "login_otp"
OTP_LOCKED, PASSWORD_CHANGED = "otp_locked", "password_changed"  # notices: no code, nothing expires
BATCH = 20
POLL_SECONDS = 0.5
MAX_RETRY_DELAY = timedelta(minutes=5)
SENDING_LEASE = timedelta(minutes=2)  # longer than an SMTP hand-off can take (kit.mail timeouts)

SUBJECTS = {
    OPENING_KEY: "【ハローワーク】パスワード登録申込受付通知",
    RESET_KEY: "【ハローワーク】パスワード再設定申込受付通知",
    LOGIN_OTP: "【ハローワーク】ワンタイムパスワードのお知らせ",
    OTP_LOCKED: "【ハローワーク】ログイン制限のお知らせ",
    PASSWORD_CHANGED: "【ハローワーク】パスワード変更のお知らせ",
}

_DISCARD = "\nこのメールにお心当たりのない場合は、破棄してください。"
_FOOTER = """
このメールは送信専用のアドレスから送信しています。返信はできません。
パスワードをメールでお知らせすることはありません。

ハローワークインターネットサービス 求職者マイページ
操作方法のお問い合わせ：専用ヘルプデスク 0570-077450（月～金曜日 9:30～18:00、年末年始・祝日除く）
"""


def jst(moment: datetime) -> str:
    """A time as the mails show it: 2026年11月26日 18時50分 (日本時間), rounded down to the minute."""
    local = moment.astimezone(JST)
    return f"{local.year}年{local.month}月{local.day}日 {local.hour}時{local.minute:02d}分"


def render(template: str, params: dict, expires_at: datetime) -> tuple[str, str]:
    """The subject and UTF-8 text body of one mail (`expires_at`: of the key or OTP it carries)."""
    if template in (OTP_LOCKED, PASSWORD_CHANGED):
        return SUBJECTS[template], _notice(template, params) + _FOOTER
    if template == digests.SAVED_SEARCH_DIGEST:
        subject, body = digests.render_digest(params, jst(datetime.fromisoformat(params["since"])),
                                              jst(datetime.fromisoformat(params["until"])))
        return subject, body + _FOOTER
    until = f"{jst(expires_at)}（日本時間）まで"
    if template == OPENING_KEY:
        body = (
            "求職者マイページのパスワード登録（マイページ開設）のお申込みを受け付けました。\n"
            "マイページ開設画面で、ご自身で決めたパスワードと次の認証キーを入力してください。\n\n"
            f"認証キー：{params['key']}\n"
            f"有効期限：{until}（メール配信から50分間有効です）\n\n"
            "有効期限を過ぎた場合は、もう一度お申込みください。\n")
    elif template == RESET_KEY:
        body = (
            "求職者マイページのパスワード再設定のお申込みを受け付けました。\n"
            "パスワード再設定画面で、新しいパスワードと次の認証キーを入力してください。\n\n"
            f"認証キー：{params['key']}\n"
            f"有効期限：{until}（メール配信から50分間有効です）\n")
    elif template == LOGIN_OTP:
        body = (
            "求職者マイページへのログインを受け付けました。\n"
            "ログイン画面で、次のワンタイムパスワードを入力してください。\n\n"
            f"ワンタイムパスワード：{params['otp']}\n"
            f"有効期限：{until}（10分間有効です）\n\n"
            "ログインした覚えがない場合は、パスワードを変更してください。\n")
    else:
        raise ValueError(f"unknown mail template {template!r}")
    return SUBJECTS[template], body + _DISCARD + _FOOTER


def _notice(template: str, params: dict) -> str:
    if template == OTP_LOCKED:
        until = jst(datetime.fromisoformat(params["locked_until"]))
        return (
            "求職者マイページへのログインで、ワンタイムパスワードの入力に続けて失敗しました。\n"
            f"安全のため、{until}（日本時間）まで、ワンタイムパスワードによるログインを停止しています。\n"
            "「この端末を記憶する」を選んだ端末からは、引き続きログインできます。\n\n"
            "ご自身の操作でない場合は、第三者があなたのパスワードを知っているおそれがあります。\n"
            "パスワード再設定の手続きで、すぐにパスワードを変更してください（再設定するとこの停止も解除されます）。\n")
    return (
        "求職者マイページのパスワードが変更されました。\n"
        f"変更日時：{jst(datetime.fromisoformat(params['changed_at']))}（日本時間）\n\n"
        "ご自身の操作でない場合は、パスワード再設定の手続きでパスワードを変更し、"
        "ご利用のハローワークにお問い合わせください。\n")


def queue_mail(session: DbSession, template: str, recipient: str, params: dict, now: datetime, *,
               key: AuthKey | None = None, challenge: LoginChallenge | None = None) -> Mail:
    """S3: add a mail to the outbox inside the caller's transaction (sent after commit by the worker)."""
    session.flush()  # the key's or challenge's id
    mail = Mail(template=template, recipient=recipient, params=params, created_at=now, attempts=0,
                key_id=key.id if key else None, challenge_id=challenge.id if challenge else None)
    session.add(mail)
    return mail


class MailDispatcher:
    """Sends due outbox mails in id order; a failed send is retried with a growing delay, never dropped."""

    def __init__(self, runtime: Runtime, *, send: Callable[..., str] = send_mail, batch: int = BATCH,
                 poll_seconds: float = POLL_SECONDS) -> None:
        self._runtime = runtime
        self._send = send
        self._batch = batch
        self._poll = poll_seconds
        self._woken = threading.Event()
        self._secrets: AuthSecrets | None = None  # loaded for the first digest (its stop link is signed)
        self.sent = 0

    def wake(self) -> None:
        """Called after a commit that queued mail (in-process), so it goes out without waiting for the poll."""
        self._woken.set()

    def run_forever(self, stop: threading.Event) -> None:
        """The background task (Runtime.add_task): send until `stop` is set."""
        while not stop.is_set():
            try:
                sent = self.run_once()
            except Exception:  # noqa: BLE001 — a database outage must not end the task
                log.exception("mail dispatcher pass failed")
                sent = 0
            if sent == 0:
                self._woken.wait(self._poll)
                self._woken.clear()

    def run_once(self) -> int:
        """Send one batch of due mails; return how many went out."""
        now = self._runtime.clock.now()
        with self._runtime.session_factory() as session:
            due = session.scalars(
                select(Mail.id).where(Mail.sent_at.is_(None),
                                      or_(Mail.next_attempt_at.is_(None), Mail.next_attempt_at <= now))
                .order_by(Mail.id).limit(self._batch)).all()
        return sum(self._send_one(mail_id) for mail_id in due)

    def _send_one(self, mail_id: int) -> bool:
        settings = self._runtime.settings
        with self._runtime.session_factory() as session:
            mail = session.scalar(select(Mail).where(Mail.id == mail_id, Mail.sent_at.is_(None))
                                  .with_for_update(skip_locked=True))
            if mail is None:
                return False  # another replica has it, or it went out meanwhile
            now = self._runtime.clock.now()
            # Locked: a key request counting the keys mailed (S1) waits until this one counts as sent.
            code = _code_of(session, mail, lock=True)
            if code is not None and (code.used_at is not None or code.voided_at is not None):
                mail.sent_at, mail.params, mail.last_error = now, None, "superseded before sending"
                session.commit()
                return False
            lifetime = OTP_LIFETIME if mail.template == LOGIN_OTP else KEY_LIFETIME
            expires_at = now + lifetime
            if code is not None:
                code.sent_at, code.expires_at = now, expires_at
            params = self._at_sending(mail, now)
            subject, body = render(mail.template, params, expires_at)
            extra = {"headers": digests.one_click_headers(params)} if "stop_token" in params else {}
            # Commit before the SMTP hand-off: the code counts from now, so a reader faster than
            # this commit is never refused; the lease keeps other replicas off this mail meanwhile.
            mail.next_attempt_at = now + SENDING_LEASE
            session.commit()
            try:
                self._send(settings.smtp_url, settings.mail_from, mail.recipient, subject, body, **extra)
            except MailError as error:
                self._failed(mail_id, error)
                return False
            mail.sent_at, mail.params = now, None
            session.commit()
        self.sent += 1
        log.info("mail %s sent (%s)", mail_id, mail.template)
        return True

    def _at_sending(self, mail: Mail, now: datetime) -> dict:
        """The template's params, with what is made only as the mail goes out: a digest's site address and
        one-click stop token (digests.py; never stored)."""
        params = dict(mail.params or {})
        if mail.template == digests.SAVED_SEARCH_DIGEST:
            if self._secrets is None:
                self._secrets = load_secrets(self._runtime.settings)
            params |= {"site": digests.public_url(self._runtime.settings), "stop_token": digests.stop_token(
                self._secrets, now, params["seeker_id"], params["saved_search_id"])}
        return params

    def _failed(self, mail_id: int, error: MailError) -> None:
        with self._runtime.session_factory() as session:
            mail = session.get(Mail, mail_id)
            code = _code_of(session, mail)
            if code is not None and code.used_at is None:
                code.sent_at, code.expires_at = None, None  # not sent after all: its time starts at the retry
            mail.attempts += 1
            delay = min(MAX_RETRY_DELAY, timedelta(seconds=2**mail.attempts))
            mail.next_attempt_at = self._runtime.clock.now() + delay
            mail.last_error = str(error)[:500]
            session.commit()
        log.warning("mail %s not sent (attempt %d): %s", mail_id, mail.attempts, error)


def _code_of(session: DbSession, mail: Mail, *, lock: bool = False) -> AuthKey | LoginChallenge | None:
    if mail.key_id is not None:
        return session.get(AuthKey, mail.key_id, with_for_update=lock)
    if mail.challenge_id is not None:
        return session.get(LoginChallenge, mail.challenge_id, with_for_update=lock)
    return None
