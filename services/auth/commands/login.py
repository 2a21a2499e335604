"""A7/S2–S4 login: the password, then an emailed OTP unless the device is remembered, the throttles
(a delay from the 5th failure, a lock at the 10th); DESIGN §5 refresh, logout and remembered devices."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from kit.problem import Problem
from kit.tokens import Principal
from kit.uow import UnitOfWork
from services.auth import domain, mail, sessions
from services.auth.commands.common import (
    EMAIL,
    OTP,
    TICKET,
    AuthContext,
    _account_by_email,
    _lock_throttle,
    _locked_account,
    _seeker,
    _seeker_id,
)
from services.auth.commands.keys import (
    _void_challenges,
)
from services.auth.models import Account, Device, LoginChallenge, LoginThrottle

log = logging.getLogger("mypage.auth")


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
        if account is None or challenge is None or not domain.code_usable(challenge.state(), now):
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
    challenge.count_wrong_entry(now)
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
