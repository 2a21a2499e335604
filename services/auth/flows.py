"""The auth flows (A2–A10, S1–S5): opening, login with OTP, refresh, logout, reset, change,
withdrawal, 利用不可, system clients. Each is one transaction through the unit of work.

Views call these; they return plain values or raise kit.problem.Problem. Log lines name the
outcome and the opaque seeker id — never an email, birth date, password, key, OTP or token (S7).
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select, update

from kit.db import insert_ignore
from kit.problem import Problem, msg
from kit.runtime import Runtime
from kit.tokens import Principal
from kit.uow import UnitOfWork
from services.auth import domain, mail, sessions, terms
from services.auth.config import AuthSecrets, SystemClient
from services.auth.events import MYPAGE_OPENED, MYPAGE_USABILITY_CHANGED, MYPAGE_WITHDRAWN
from services.auth.models import Account, AuthKey, Device, LoginChallenge, LoginThrottle
from services.auth.passwords import Passwords

log = logging.getLogger("mypage.auth")

OPENING, RESET = "opening", "reset"
KEY, OTP, TICKET, EMAIL = "key", "otp", "ticket", "email"
_NO_CLIENT = SystemClient("", "", hashlib.sha256(secrets.token_bytes(32)).digest())


@dataclass
class AuthContext:
    """What the flows need, built once per process by the app (the composition root)."""

    runtime: Runtime
    secrets: AuthSecrets
    passwords: Passwords
    wake_mail: Any = None  # callable: the in-process mail dispatcher's wake-up, if it runs here

    def uow(self) -> UnitOfWork:
        return self.runtime.uow()

    def now(self) -> datetime:
        return self.runtime.clock.now()

    def digest(self, purpose: str, value: str) -> str:
        return domain.digest(self.secrets.hmac_key, purpose, value)

    def mail_queued(self) -> None:
        if self.wake_mail is not None:
            self.wake_mail()


# -- A2–A6: opening ------------------------------------------------------------------------------

def check_terms(terms_version: str, privacy_version: str) -> None:
    """A2: consent must be to the current 利用規約 and プライバシーポリシー."""
    current = terms.current()
    outdated = {}
    if terms_version != current.terms.version:
        outdated["terms_version"] = [msg("利用規約が改定されています。最新の利用規約を確認して同意してください。",
                                         "The terms of use were revised; read and accept the current version.")]
    if privacy_version != current.privacy_policy.version:
        outdated["privacy_version"] = [msg(
            "プライバシーポリシーが改定されています。最新のプライバシーポリシーを確認して同意してください。",
            "The privacy policy was revised; read and accept the current version.")]
    if outdated:
        raise Problem("terms-outdated",
                      detail_ja="最新の利用規約とプライバシーポリシーを確認し、改めて同意してください。",
                      detail_en="Read the current terms of use and privacy policy and accept them again.",
                      fields=outdated, extra={"terms_version": current.terms.version,
                                              "privacy_version": current.privacy_policy.version})


def request_opening(ctx: AuthContext, email: str, birth_date: date, terms_version: str,
                    privacy_version: str) -> None:
    """A2/A3/S1/S3: a pending account whose email and birth date match gets a key mail; anything
    else gets nothing — and the caller cannot tell which (the view answers the same 202)."""
    check_terms(terms_version, privacy_version)
    with ctx.uow() as uow:
        account = _account_by_email(uow, email, lock=True)  # S1: requests at once count their keys in turn
        eligible = (account is not None and account.birth_date == birth_date and account.opened_at is None
                    and account.withdrawn_at is None and account.usable)
        outcome = "no_match"
        if eligible:
            outcome = _issue_key(ctx, uow, account, OPENING, terms_version, privacy_version)
            uow.commit()
    if outcome == "key_queued":
        ctx.mail_queued()
    log.info("opening requested: %s", outcome, extra={"outcome": outcome, **_seeker(account if eligible else None)})


def request_reset(ctx: AuthContext, email: str, birth_date: date) -> None:
    """A8/S3: the same as opening, for an open account (works while login is locked, S2)."""
    with ctx.uow() as uow:
        account = _account_by_email(uow, email, lock=True)  # S1: requests at once count their keys in turn
        eligible = account is not None and account.birth_date == birth_date and account.is_open and account.usable
        outcome = "no_match"
        if eligible:
            outcome = _issue_key(ctx, uow, account, RESET)
            uow.commit()
    if outcome == "key_queued":
        ctx.mail_queued()
    log.info("password reset requested: %s", outcome,
             extra={"outcome": outcome, **_seeker(account if eligible else None)})


def _issue_key(ctx: AuthContext, uow: UnitOfWork, account: Account, purpose: str,
               terms_version: str | None = None, privacy_version: str | None = None) -> str:
    """S1/S2: a new key voids the older ones; none is issued once 5 keys were mailed within 24 hours.

    Only keys actually mailed count: a key replaced before its mail went out was never sent, so
    requests in quick succession do not use up the seeker's quota.
    """
    now = ctx.now()
    # A key whose mail is being sent right now is locked by the dispatcher until it counts as sent.
    uow.session.execute(select(AuthKey.id).where(AuthKey.seeker_id == account.seeker_id, AuthKey.used_at.is_(None),
                                                 AuthKey.voided_at.is_(None)).with_for_update())
    mailed = uow.session.scalar(select(func.count()).select_from(AuthKey).where(
        AuthKey.seeker_id == account.seeker_id, AuthKey.created_at > now - domain.KEY_WINDOW,
        AuthKey.sent_at.is_not(None)))
    if not domain.may_issue_key(mailed):
        return "key_limit_reached"
    _void_keys(uow, account.seeker_id, now)
    key = domain.new_auth_key()
    row = AuthKey(seeker_id=account.seeker_id, purpose=purpose, digest=ctx.digest(KEY, key), created_at=now,
                  wrong_entries=0, terms_version=terms_version, privacy_version=privacy_version)
    uow.session.add(row)
    template = mail.OPENING_KEY if purpose == OPENING else mail.RESET_KEY
    mail.queue_mail(uow.session, template, account.email, {"key": key}, now, key=row)
    return "key_queued"


def complete_opening(ctx: AuthContext, email: str, auth_key: str, password: str) -> datetime:
    """A5/A6/S1: the newest key (sent, under 50 minutes old, unused, < 5 wrong entries) plus a password
    that meets A5 opens the My Page and publishes auth.mypage.opened.v1."""
    check_password(password)
    with ctx.uow() as uow:
        account = _account_by_email(uow, email)
        pending = account is not None and account.opened_at is None and account.withdrawn_at is None and account.usable
        key = _use_key(ctx, uow, account if pending else None, OPENING, auth_key)
        now = ctx.now()
        account.password_hash = ctx.passwords.hash(password)
        account.opened_at, account.updated_at = now, now
        account.terms_version, account.privacy_version = key.terms_version, key.privacy_version
        account.consented_at = key.created_at
        uow.publish(MYPAGE_OPENED, {"seeker_id": account.seeker_id, "opened_at": now}, subject=account.seeker_id)
        uow.commit()
    log.info("my page opened", extra={"outcome": "opened", **_seeker(account)})
    return now


def complete_reset(ctx: AuthContext, email: str, auth_key: str, password: str) -> None:
    """A8/S5/S2: a reset key plus a new password sets it, ends every session and pending login, lifts the
    login and OTP locks, and mails the seeker a notice."""
    check_password(password)
    with ctx.uow() as uow:
        account = _account_by_email(uow, email, lock=True)
        eligible = account is not None and account.is_open and account.usable
        _use_key(ctx, uow, account if eligible else None, RESET, auth_key)
        now = ctx.now()
        account.password_hash, account.updated_at = ctx.passwords.hash(password), now
        sessions.revoke_sessions(uow, account.seeker_id, "password_reset", now, devices=True)
        _void_challenges(uow, account.seeker_id, now)  # a login begun with the old password cannot finish
        email_digest = ctx.digest(EMAIL, domain.normalise_email(email))
        uow.session.execute(update(LoginThrottle).where(LoginThrottle.email_digest == email_digest)
                            .values(failures=0, locked_until=None))
        account.otp_failures, account.otp_locked_until = 0, None
        _queue_password_notice(uow, account, now)
        uow.commit()
    ctx.mail_queued()
    log.info("password reset", extra={"outcome": "password_reset", **_seeker(account)})


def _use_key(ctx: AuthContext, uow: UnitOfWork, account: Account | None, purpose: str, entered: str) -> AuthKey:
    """S1: check the newest key of `purpose`; a wrong entry counts (the 5th voids the key) and is committed."""
    entered_digest = ctx.digest(KEY, domain.normalise_auth_key(entered))
    key = None
    if account is not None:
        key = uow.session.scalar(select(AuthKey).where(AuthKey.seeker_id == account.seeker_id)
                                 .order_by(AuthKey.created_at.desc(), AuthKey.id.desc()).limit(1).with_for_update())
    now = ctx.now()
    if key is None or key.purpose != purpose or not domain.code_usable(_state(key), now):
        raise _key_refused()
    if not domain.same_digest(key.digest, entered_digest):
        key.wrong_entries += 1
        if key.wrong_entries >= domain.MAX_WRONG_ENTRIES:
            key.voided_at = now
        uow.commit()
        log.info("wrong key entered (%d)", key.wrong_entries, extra={"outcome": "wrong_key", **_seeker(account)})
        raise _key_refused()
    key.used_at = now
    return key


def _key_refused() -> Problem:
    return Problem("code-invalid",
                   detail_ja="認証キーが正しくないか、有効期限（メール配信から50分）が切れています。"
                             "もう一度お申込みください。",
                   detail_en="The key is wrong or has expired (50 minutes from the mail); please apply again.")


def check_password(password: str, field: str = "password") -> None:
    """A5/S4: refuse a password with a message naming each failed part (Japanese, English on request)."""
    failures = domain.password_failures(password)
    if failures:
        raise Problem("validation-failed", fields={field: [msg(rule.ja, rule.en) for rule in failures]},
                      extra={"password_rules": [rule.code for rule in failures]})


def _void_keys(uow: UnitOfWork, seeker_id: str, now: datetime) -> None:
    uow.session.execute(update(AuthKey).where(AuthKey.seeker_id == seeker_id, AuthKey.used_at.is_(None),
                                              AuthKey.voided_at.is_(None)).values(voided_at=now))


def _void_challenges(uow: UnitOfWork, seeker_id: str, now: datetime) -> None:
    uow.session.execute(update(LoginChallenge).where(LoginChallenge.seeker_id == seeker_id,
                                                     LoginChallenge.used_at.is_(None),
                                                     LoginChallenge.voided_at.is_(None)).values(voided_at=now))


# -- A7/S2: login ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class LoginResult:
    """Either an OTP challenge (`login_ticket`) or, for a remembered device, the session's tokens."""

    login_ticket: str | None = None
    tokens: sessions.Tokens | None = None


def login(ctx: AuthContext, email: str, password: str, device_token: str | None = None) -> LoginResult:
    """A7/S2/S3: password (argon2id, a dummy hash for unknown accounts), then an emailed OTP unless
    the device is remembered. Failures are throttled (a delay from the 5th, a lock at the 10th) per
    remembered device (its token, the OWASP device-cookie pattern) and, for every other device, per
    login email — so a stranger's failures lock the unknown devices, never the seeker's own."""
    email = domain.normalise_email(email)
    with ctx.uow() as uow:
        now = ctx.now()
        device = sessions.remembered_device(uow, ctx.secrets, email, device_token, now)
        throttle = device if device is not None else _lock_throttle(uow, ctx.digest(EMAIL, email))
        state = _throttle_state(throttle)
        wait = domain.login_wait(state, now)
        if wait.total_seconds() > 0:
            log.info("login refused: throttled", extra={"outcome": "throttled"})
            raise _throttled(wait, locked=_locked(state, now))
        account = _account_by_email(uow, email)
        stored = account.password_hash if account is not None and account.opened_at is not None else None
        if not ctx.passwords.verify(stored, password):
            _count_failure(throttle, now)
            uow.commit()
            log.info("login failed (%d consecutive)", throttle.failures, extra={"outcome": "login_failed"})
            raise Problem("login-failed", detail_ja="メールアドレスまたはパスワードが正しくありません。",
                          detail_en="The email address or password is incorrect.")
        throttle.failures, throttle.locked_until = 0, None
        if account.withdrawn_at is not None or not account.usable:
            uow.commit()
            log.info("login refused: my page unusable", extra={"outcome": "unusable", **_seeker(account)})
            raise _unusable()
        if ctx.passwords.needs_rehash(account.password_hash):
            account.password_hash = ctx.passwords.hash(password)  # S4: today's parameters
        if device is not None:
            tokens = sessions.open_session(uow, ctx.secrets, account.seeker_id, now)
            uow.commit()
            log.info("login succeeded (remembered device)", extra={"outcome": "logged_in", **_seeker(account)})
            return LoginResult(tokens=tokens)
        if _locked(_otp_state(account), now):  # S2: no new OTP mail while the OTP step is locked
            uow.commit()
            log.info("login refused: one-time passwords locked", extra={"outcome": "otp_locked", **_seeker(account)})
            raise _throttled(account.otp_locked_until - now, locked=True, otp=True)
        _void_challenges(uow, account.seeker_id, now)
        ticket, otp = domain.new_token(), domain.new_otp()
        challenge = LoginChallenge(seeker_id=account.seeker_id, ticket_digest=ctx.digest(TICKET, ticket),
                                   otp_digest=ctx.digest(OTP, otp), created_at=now, wrong_entries=0)
        uow.session.add(challenge)
        mail.queue_mail(uow.session, mail.LOGIN_OTP, account.email, {"otp": otp}, now, challenge=challenge)
        uow.commit()
    ctx.mail_queued()
    log.info("password accepted; one-time password mailed", extra={"outcome": "otp_sent", **_seeker(account)})
    return LoginResult(login_ticket=ticket)


def verify_otp(ctx: AuthContext, login_ticket: str, otp: str, remember_device: bool) -> sessions.Tokens:
    """A7/S2: the ワンタイムパスワード (10 minutes, 5 tries) completes the login; optionally remember the device.

    Wrong OTPs also count per account across challenges (a new login does not reset them): a delay
    from the 5th, and the 10th locks the OTP step for 30 minutes and mails the seeker a notice.
    """
    ticket_digest = ctx.digest(TICKET, login_ticket)
    with ctx.uow() as uow:
        seeker_id = uow.session.scalar(select(LoginChallenge.seeker_id).where(
            LoginChallenge.ticket_digest == ticket_digest))
        # the account first, then the challenge: the order every flow takes its rows in
        account = _locked_account(uow, seeker_id) if seeker_id is not None else None
        challenge = uow.session.scalar(select(LoginChallenge).where(
            LoginChallenge.ticket_digest == ticket_digest).with_for_update())
        now = ctx.now()
        if account is None or challenge is None or not domain.code_usable(_state(challenge), now):
            raise _otp_refused()
        wait = domain.login_wait(_otp_state(account), now)
        if wait.total_seconds() > 0:
            log.info("one-time password refused: throttled", extra={"outcome": "otp_throttled", **_seeker(account)})
            raise _throttled(wait, locked=_locked(_otp_state(account), now), otp=True)
        if not domain.same_digest(challenge.otp_digest, ctx.digest(OTP, domain.normalise_auth_key(otp))):
            _wrong_otp(uow, account, challenge, now)
            uow.commit()
            ctx.mail_queued()
            raise _otp_refused()
        challenge.used_at = now
        account.otp_failures, account.otp_locked_until = 0, None
        if not account.is_open or not account.usable:
            uow.commit()
            raise _unusable()
        tokens = sessions.open_session(uow, ctx.secrets, account.seeker_id, now)
        if remember_device:
            device = sessions.remember_device(uow, ctx.secrets, account.seeker_id, now)
            tokens = sessions.Tokens(tokens.access_token, tokens.refresh_token, tokens.session_id,
                                     device_token=device)
        uow.commit()
    log.info("login succeeded", extra={"outcome": "logged_in", **_seeker(account)})
    return tokens


def _wrong_otp(uow: UnitOfWork, account: Account, challenge: LoginChallenge, now: datetime) -> None:
    """A7/S2: a wrong OTP counts on its challenge (the 5th voids it) and on the account (the 10th
    locks the OTP step and mails the seeker)."""
    challenge.wrong_entries += 1
    if challenge.wrong_entries >= domain.MAX_WRONG_ENTRIES:
        challenge.voided_at = now
    state = domain.after_failure(_otp_state(account), now)
    account.otp_failures, account.otp_last_failed_at, account.otp_locked_until = (
        state.failures, state.last_failed_at, state.locked_until)
    if state.locked_until is not None:
        _void_challenges(uow, account.seeker_id, now)
        mail.queue_mail(uow.session, mail.OTP_LOCKED, account.email,
                        {"locked_until": state.locked_until.isoformat()}, now)
    log.info("wrong one-time password (%d on the challenge, %d in a row)", challenge.wrong_entries,
             state.failures, extra={"outcome": "otp_locked" if state.locked_until else "wrong_otp",
                                    **_seeker(account)})


def _otp_refused() -> Problem:
    return Problem("otp-invalid", detail_ja="ワンタイムパスワードが正しくないか、有効期限（10分）が切れています。"
                                            "もう一度ログインしてください。",
                   detail_en="The one-time password is wrong or has expired (10 minutes); please log in again.")


def _unusable() -> Problem:
    return Problem("mypage-unavailable",
                   detail_ja="このマイページにはログインできません。ご利用のハローワークにお問い合わせください。",
                   detail_en="You cannot log in to this My Page. Please contact your Hello Work office.")


def _throttled(wait, *, locked: bool, otp: bool = False) -> Problem:
    seconds = max(1, int(-(-wait.total_seconds() // 1)))
    what_ja, what_en = ("ワンタイムパスワードの入力", "one-time password entries") if otp else ("ログイン", "logins")
    if locked:
        detail_ja = (f"{what_ja}に続けて失敗したため、30分間ログインできません。"
                     "「この端末を記憶する」を選んだ端末からはログインできます。"
                     "パスワードを忘れた場合は再設定してください。")
        detail_en = (f"Too many failed {what_en}: login is locked for 30 minutes except on a remembered device. "
                     "Reset your password if you forgot it.")
    else:
        detail_ja = f"{what_ja}に続けて失敗しています。{seconds}秒後に再度お試しください。"
        detail_en = f"Several failed {what_en} in a row; try again in {seconds} seconds."
    return Problem("too-many-requests", detail_ja=detail_ja, detail_en=detail_en,
                   headers={"Retry-After": str(seconds)}, extra={"retry_after": seconds})


def _throttle_state(throttle: Device | LoginThrottle) -> domain.Throttle:
    return domain.Throttle(throttle.failures, throttle.last_failed_at, throttle.locked_until)


def _locked(state: domain.Throttle, now: datetime) -> bool:
    return state.locked_until is not None and now < state.locked_until


def _otp_state(account: Account) -> domain.Throttle:
    return domain.Throttle(account.otp_failures, account.otp_last_failed_at, account.otp_locked_until)


def _count_failure(throttle: Device | LoginThrottle, now: datetime) -> None:
    """S2: one more consecutive failure on the email's or the remembered device's count."""
    state = domain.after_failure(_throttle_state(throttle), now)
    throttle.failures, throttle.last_failed_at, throttle.locked_until = (
        state.failures, state.last_failed_at, state.locked_until)


# -- DESIGN §5: refresh, logout, devices -------------------------------------------------------------

def refresh(ctx: AuthContext, refresh_token: str) -> sessions.Tokens:
    """DESIGN §5/S2: rotate the refresh token; a reused one (issued, then rotated out) ends the session,
    while a guessed or malformed one is just refused."""
    with ctx.uow() as uow:
        now = ctx.now()
        session, reused = sessions.find_session(uow, ctx.secrets, refresh_token)
        if reused:
            sessions.revoke_sessions(uow, session.seeker_id, "token_reused", now, only=[session.id])
            uow.commit()
            log.warning("refresh token reused; session ended", extra={"outcome": "token_reused",
                                                                      **_seeker_id(session.seeker_id)})
            raise _session_over()
        if session is None or not domain.session_alive(session.created_at, session.last_used_at,
                                                       session.revoked_at, now):
            log.info("refresh refused: %s", "unknown token" if session is None else "session over",
                     extra={"outcome": "refresh_refused"})  # S7: a guess is logged, and ends nothing (S2)
            raise _session_over()
        account = uow.session.get(Account, session.seeker_id)
        if account is None or not account.is_open or not account.usable:
            raise _session_over()
        tokens = sessions.rotate(uow, ctx.secrets, session, now)
        uow.commit()
    return tokens


def _session_over() -> Problem:
    return Problem("unauthorized", detail_ja="ログインの有効期限が切れました。もう一度ログインしてください。",
                   detail_en="Your session has ended; please log in again.")


def logout(ctx: AuthContext, principal: Principal) -> None:
    """S5: end this session; its access tokens are refused from now on (auth.session.revoked.v1)."""
    if principal.session_id is None:
        return
    with ctx.uow() as uow:
        sessions.revoke_sessions(uow, principal.subject, "logout", ctx.now(), only=[principal.session_id])
        uow.commit()
    log.info("logged out", extra={"outcome": "logged_out", **_seeker_id(principal.subject)})


def forget_devices(ctx: AuthContext, seeker_id: str) -> None:
    """A7: revoke every remembered device of the seeker (the OTP is asked again everywhere)."""
    with ctx.uow() as uow:
        now = ctx.now()
        uow.session.execute(update(Device).where(Device.seeker_id == seeker_id, Device.revoked_at.is_(None))
                            .values(revoked_at=now))
        uow.commit()


# -- A8, A9: change password, withdraw ------------------------------------------------------------------

def change_password(ctx: AuthContext, seeker_id: str, current_password: str, new_password: str) -> None:
    """A8/S5: the current password proves it is the seeker and cannot be the new one; every session and
    pending login ends (log in again) and the seeker is mailed a notice."""
    check_password(new_password, field="new_password")
    with ctx.uow() as uow:
        account = _open_account(uow, seeker_id)
        if not ctx.passwords.verify(account.password_hash, current_password):
            raise Problem("validation-failed", fields={"current_password": [
                msg("現在のパスワードが正しくありません。", "The current password is incorrect.")]})
        if new_password == current_password:
            raise Problem("validation-failed", fields={"new_password": [
                msg("現在のパスワードと同じパスワードには変更できません。",
                    "The new password must differ from the current one.")]})
        now = ctx.now()
        account.password_hash, account.updated_at = ctx.passwords.hash(new_password), now
        sessions.revoke_sessions(uow, seeker_id, "password_changed", now, devices=True)
        _void_challenges(uow, seeker_id, now)  # a login begun with the old password cannot finish
        _queue_password_notice(uow, account, now)
        uow.commit()
    ctx.mail_queued()
    log.info("password changed", extra={"outcome": "password_changed", **_seeker_id(seeker_id)})


def _queue_password_notice(uow: UnitOfWork, account: Account, now: datetime) -> None:
    """A8: the seeker learns by mail that their password was changed (or reset), in case it was not them."""
    mail.queue_mail(uow.session, mail.PASSWORD_CHANGED, account.email, {"changed_at": now.isoformat()}, now)


def withdraw(ctx: AuthContext, seeker_id: str, password: str) -> None:
    """A9/S5: closed at once — sessions, devices, keys and challenges end; auth.mypage.withdrawn.v1 starts erasure."""
    with ctx.uow() as uow:
        account = _open_account(uow, seeker_id)
        if not ctx.passwords.verify(account.password_hash, password):
            raise Problem("validation-failed", fields={"password": [
                msg("パスワードが正しくありません。", "The password is incorrect.")]})
        now = ctx.now()
        account.withdrawn_at, account.updated_at = now, now
        sessions.revoke_sessions(uow, seeker_id, "withdrawn", now, devices=True)
        _void_keys(uow, seeker_id, now)
        _void_challenges(uow, seeker_id, now)
        uow.publish(MYPAGE_WITHDRAWN, {"seeker_id": seeker_id, "withdrawn_at": now}, subject=seeker_id)
        uow.commit()
    log.info("withdrawn", extra={"outcome": "withdrawn", **_seeker_id(seeker_id)})


def _open_account(uow: UnitOfWork, seeker_id: str) -> Account:
    account = _locked_account(uow, seeker_id)
    if account is None or not account.is_open or not account.usable:
        raise _session_over()
    return account


# -- A10: 利用不可 -------------------------------------------------------------------------------------

def set_usability(ctx: AuthContext, seeker_number: str, usable: bool) -> dict[str, Any]:
    """A10/S5: 利用不可 ends every session and blocks login until staff lift it."""
    with ctx.uow() as uow:
        account = uow.session.scalar(select(Account).where(Account.seeker_number == seeker_number)
                                     .with_for_update(key_share=True))
        if account is None:
            raise Problem("not-found", detail_ja="この求職番号のマイページ登録はありません。",
                          detail_en="No My Page registration has this job-seeker number.")
        if account.usable != usable:
            now = ctx.now()
            account.usable, account.updated_at = usable, now
            if not usable:
                sessions.revoke_sessions(uow, account.seeker_id, "unusable", now, devices=True)
                _void_keys(uow, account.seeker_id, now)
                _void_challenges(uow, account.seeker_id, now)
            uow.publish(MYPAGE_USABILITY_CHANGED, {"seeker_id": account.seeker_id, "usable": usable},
                        subject=account.seeker_id)
            uow.commit()
            log.info("my page made %s", "usable" if usable else "unusable",
                     extra={"outcome": "usable" if usable else "unusable", **_seeker(account)})
        return {"seeker_number": seeker_number, "usable": usable}


# -- system clients --------------------------------------------------------------------------------------

def client_token(ctx: AuthContext, client_id: str, client_secret: str) -> str:
    """DESIGN §5: client credentials → a 5-minute access token with the client's role (staff/employer)."""
    client = ctx.secrets.clients.get(client_id)
    accepted = (client or _NO_CLIENT).accepts(client_secret) and client is not None  # same work either way
    if not accepted:
        log.warning("client credentials refused", extra={"outcome": "client_refused"})
        raise Problem("unauthorized", detail_ja="クライアントIDまたはシークレットが正しくありません。",
                      detail_en="The client id or secret is incorrect.")
    log.info("client token issued to %s", client_id, extra={"outcome": "client_token"})
    return sessions.access_token(ctx.secrets, ctx.now(), client_id, [client.role],
                                 establishments=client.establishments, office=client.office)


# -- helpers -----------------------------------------------------------------------------------------------

def _account_by_email(uow: UnitOfWork, email: str, *, lock: bool = False) -> Account | None:
    query = select(Account).where(Account.email == domain.normalise_email(email))
    return uow.session.scalar(query.with_for_update(key_share=True) if lock else query)


def _locked_account(uow: UnitOfWork, seeker_id: str) -> Account | None:
    """The account row locked for this transaction — FOR NO KEY UPDATE: its key never changes, and a
    stronger lock would block the key-share lock that inserting a session, challenge or key takes on
    it, so a login holding its device or challenge rows and a password change holding the account
    would wait for each other (a deadlock on PostgreSQL)."""
    return uow.session.get(Account, seeker_id, with_for_update={"key_share": True})


_THROTTLE_ATTEMPTS = 3


def _lock_throttle(uow: UnitOfWork, email_digest: str) -> LoginThrottle:
    """S2: the email's throttle row, created if new, locked for this transaction.

    Created first (insert … on conflict do nothing) so that the first failures of an email arriving
    at the same moment wait for each other and each counts, instead of racing to insert the row.
    The purge (R1) may delete the row (it had nothing left to remember) between the insert and the
    lock: then the lock finds nothing and the row is created again, as for a new email.
    """
    session = uow.session
    for _ in range(_THROTTLE_ATTEMPTS):
        session.execute(insert_ignore(session, LoginThrottle, on="email_digest")
                        .values(email_digest=email_digest, failures=0))
        throttle = session.scalar(select(LoginThrottle).where(LoginThrottle.email_digest == email_digest)
                                  .with_for_update().execution_options(populate_existing=True))
        if throttle is not None:
            return throttle
    raise RuntimeError("the login throttle row vanished repeatedly")


def _state(code: AuthKey | LoginChallenge) -> domain.CodeState:
    return domain.CodeState(code.sent_at, code.expires_at, code.wrong_entries, code.used_at, code.voided_at)


def _seeker(account: Account | None) -> dict[str, str]:
    return {"seeker": account.seeker_id} if account is not None else {}


def _seeker_id(seeker_id: str) -> dict[str, str]:
    return {"seeker": seeker_id}
