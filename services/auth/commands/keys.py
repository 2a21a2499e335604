"""A2–A6 opening and A8 reset: the terms agreed, an authentication key mailed (S1: at most 5 in 24 hours,
the same answer for any input, S3), and the key used with a password that keeps the A5 rule."""

from __future__ import annotations

import logging
from datetime import date, datetime

from sqlalchemy import func, select, update

from kit.problem import Problem, msg
from kit.uow import UnitOfWork
from services.auth import domain, mail, sessions, terms
from services.auth.commands.common import (
    EMAIL,
    KEY,
    OPENING,
    RESET,
    AuthContext,
    _account_by_email,
    _queue_password_notice,
    _seeker,
)
from services.auth.events import MYPAGE_OPENED
from services.auth.models import Account, AuthKey, LoginChallenge, LoginThrottle

log = logging.getLogger("mypage.auth")


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
    if key is None or key.purpose != purpose or not domain.code_usable(key.state(), now):
        raise _key_refused()
    if not domain.same_digest(key.digest, entered_digest):
        key.count_wrong_entry(now)
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
