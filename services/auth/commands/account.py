"""A8 password change, A9 withdrawal, A10 利用不可 and the system clients' tokens."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select

from kit.problem import Problem, msg
from kit.uow import UnitOfWork
from services.auth import sessions
from services.auth.commands.common import (
    _NO_CLIENT,
    AuthContext,
    _locked_account,
    _queue_password_notice,
    _seeker,
    _seeker_id,
)
from services.auth.commands.keys import (
    _void_challenges,
    _void_keys,
    check_password,
)
from services.auth.commands.login import (
    _session_over,
)
from services.auth.events import MYPAGE_USABILITY_CHANGED, MYPAGE_WITHDRAWN
from services.auth.models import Account

log = logging.getLogger("mypage.auth")


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
        raise client_refused()
    log.info("client token issued to %s", client_id, extra={"outcome": "client_token"})
    return sessions.access_token(ctx.secrets, ctx.now(), client_id, [client.role],
                                 establishments=client.establishments, office=client.office)


def client_refused() -> Problem:
    """DESIGN §5: the one answer to client credentials refused, whatever the client and the reason."""
    return Problem("unauthorized", detail_ja="クライアントIDまたはシークレットが正しくありません。",
                   detail_en="The client id or secret is incorrect.")
