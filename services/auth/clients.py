"""Employer clients (C1, C2): staff register each employer-side integration with the establishments
(事業所番号) it acts for; its tokens carry them (the `establishments` claim, which jobs and messaging
enforce).

The secret is 256 bits from `secrets`, shown once in the answer to registration or rotation and
stored only as an HMAC keyed by the server secret (domain.digest, as keys and tokens are). Each
client has a `credential_id`, the `sid` of every token issued to it: rotating the secret, changing
the establishments or revoking the client replaces it and publishes `auth.client_tokens.revoked.v1`
with the old one, so the gateway refuses the tokens issued before within the time the event takes
(as for ended sessions, S5) — a changed list of establishments takes effect at once, not after 5
minutes. A revoked client gets no new token.
"""

from __future__ import annotations

import logging
import re
import secrets as random
import uuid
from datetime import datetime
from typing import Any

from kit.problem import Problem
from kit.tokens import EMPLOYER
from kit.uow import UnitOfWork
from services.auth import commands, sessions
from services.auth.config import REGISTERED_CLIENT_PREFIX as CLIENT_ID_PREFIX
from services.auth.domain import digest, new_token, same_digest
from services.auth.events import CLIENT_TOKENS_REVOKED, EMPLOYER_CLIENT_CHANGED
from services.auth.models import EmployerClient

log = logging.getLogger("mypage.auth.clients")

CLIENT_SECRET = "client-secret"  # the HMAC purpose of client secrets
MAX_ESTABLISHMENTS = 100  # C1: per client (they all travel in every token)
NAME_MAX = 100
ESTABLISHMENT_NUMBER = re.compile(r"^[0-9]{4}-[0-9]{6}-[0-9]$")  # 事業所番号 NNNN-NNNNNN-N
_NO_SECRET = digest(random.token_bytes(32), CLIENT_SECRET, "no client")  # compared for an unknown id


def _not_found() -> Problem:
    return Problem("not-found", detail_ja="この事業所クライアントは登録されていません。",
                   detail_en="No employer client has this id.")


def _view(client: EmployerClient, secret: str | None = None) -> dict[str, Any]:
    view = {"client_id": client.client_id, "name": client.name, "establishments": list(client.establishments),
            "created_at": client.created_at, "updated_at": client.updated_at, "revoked_at": client.revoked_at}
    if secret is not None:
        view["client_secret"] = secret
    return view


def _new_secret(ctx: commands.AuthContext, client: EmployerClient) -> str:
    secret = new_token()
    client.secret_digest = digest(ctx.secrets.hmac_key, CLIENT_SECRET, secret)
    return secret


def _live(uow: UnitOfWork, client_id: str) -> EmployerClient:
    """The client, locked for this change; unknown: 404; revoked: 409 (nothing to change any more)."""
    client = uow.session.get(EmployerClient, client_id, with_for_update=True)
    if client is None:
        raise _not_found()
    if client.revoked_at is not None:
        raise Problem("conflict", detail_ja="この事業所クライアントは失効しています。新しく登録してください。",
                      detail_en="This employer client has been revoked; register a new one.",
                      extra={"reason": "revoked"})
    return client


def _refuse_issued_tokens(uow: UnitOfWork, client: EmployerClient, reason: str, now: datetime) -> None:
    """C1: the tokens issued so far name the old credential id; the gateway refuses them from now on."""
    old, client.credential_id, client.updated_at = client.credential_id, uuid.uuid4().hex, now
    uow.publish(CLIENT_TOKENS_REVOKED, {"client_id": client.client_id, "session_ids": [old], "reason": reason},
                subject=client.client_id)


def _announce(uow: UnitOfWork, client: EmployerClient) -> None:
    """C2: jobs learns which establishments the client acts for (its postings by events are checked)."""
    revoked = client.revoked_at is not None
    uow.publish(EMPLOYER_CLIENT_CHANGED, {"client_id": client.client_id, "revoked": revoked,
                                          "establishments": [] if revoked else list(client.establishments)},
                subject=client.client_id)


def register(ctx: commands.AuthContext, staff_client: str, name: str, establishments: list[str]) -> dict[str, Any]:
    """C1: staff register an employer client for `establishments` → its id and secret (shown only now)."""
    now = ctx.now()
    client = EmployerClient(client_id=CLIENT_ID_PREFIX + random.token_hex(12), name=name,
                            establishments=establishments, credential_id=uuid.uuid4().hex, created_by=staff_client,
                            created_at=now, updated_at=now, revoked_at=None)
    secret = _new_secret(ctx, client)
    with ctx.uow() as uow:
        uow.session.add(client)
        _announce(uow, client)
        uow.commit()
        log.info("employer client %s registered by %s", client.client_id, staff_client,
                 extra={"outcome": "client_registered"})
        return _view(client, secret)


def read(ctx: commands.AuthContext, client_id: str) -> dict[str, Any]:
    """C1: an employer client as staff see it (never its secret); a revoked one shows `revoked_at`."""
    with ctx.uow() as uow:
        client = uow.session.get(EmployerClient, client_id)
        if client is None:
            raise _not_found()
        return _view(client)


def set_establishments(ctx: commands.AuthContext, client_id: str, establishments: list[str]) -> dict[str, Any]:
    """C1/C2: the client acts for `establishments` from now on; tokens naming the old list are refused
    (the same list again changes nothing)."""
    with ctx.uow() as uow:
        client = _live(uow, client_id)
        if sorted(client.establishments) != sorted(establishments):
            client.establishments = establishments
            _refuse_issued_tokens(uow, client, "establishments_changed", ctx.now())
            _announce(uow, client)
            uow.commit()
            log.info("employer client %s: establishments changed", client_id, extra={"outcome": "client_changed"})
        return _view(client)


def rotate_secret(ctx: commands.AuthContext, client_id: str) -> dict[str, Any]:
    """C1: a new secret (shown only now); the old one is refused, and so are tokens issued with it."""
    with ctx.uow() as uow:
        client = _live(uow, client_id)
        secret = _new_secret(ctx, client)
        _refuse_issued_tokens(uow, client, "secret_rotated", ctx.now())
        uow.commit()
        log.info("employer client %s: secret rotated", client_id, extra={"outcome": "client_rotated"})
        return _view(client, secret)


def revoke(ctx: commands.AuthContext, client_id: str) -> None:
    """C1: no new tokens, and its live tokens refused within seconds; revoking again changes nothing."""
    with ctx.uow() as uow:
        client = uow.session.get(EmployerClient, client_id, with_for_update=True)
        if client is None:
            raise _not_found()
        if client.revoked_at is None:
            now = ctx.now()
            client.revoked_at = now
            _refuse_issued_tokens(uow, client, "revoked", now)
            _announce(uow, client)
            uow.commit()
            log.info("employer client %s revoked", client_id, extra={"outcome": "client_revoked"})


def client_token(ctx: commands.AuthContext, client_id: str, client_secret: str) -> str:
    """DESIGN §5, C2: client credentials → a 5-minute token; a registered employer client's names its
    establishments and its current credential id (`sid`); the configured clients are commands.client_token's."""
    if not client_id.startswith(CLIENT_ID_PREFIX):
        return commands.client_token(ctx, client_id, client_secret)
    with ctx.uow() as uow:
        client = uow.session.get(EmployerClient, client_id)
        stored = client.secret_digest if client is not None else _NO_SECRET  # the same work either way
        accepted = same_digest(stored, digest(ctx.secrets.hmac_key, CLIENT_SECRET, client_secret))
        if not accepted or client is None or client.revoked_at is not None:
            log.warning("client credentials refused", extra={"outcome": "client_refused"})
            raise commands.client_refused()
        log.info("client token issued to %s", client_id, extra={"outcome": "client_token"})
        return sessions.access_token(ctx.secrets, ctx.now(), client_id, [EMPLOYER], client.credential_id,
                                     establishments=list(client.establishments))

