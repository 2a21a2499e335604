"""Sessions and tokens (DESIGN §5, S5).

A session is an opaque refresh token (256 bits, stored as an HMAC, rotated on every use; idle
30 minutes, absolute 12 hours) plus short-lived EdDSA access JWTs (5 minutes) naming it in
`sid`. Ending sessions publishes `auth.session.revoked.v1` with their ids, so the gateway
refuses their access tokens at once. Rotated-out refresh secrets are remembered (as HMACs) until
the session goes, so only a token that was really issued counts as reused (S2).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import jwt
from sqlalchemy import select, update

from kit.tokens import ALGORITHM, AUDIENCE, ISSUER, SEEKER
from kit.uow import UnitOfWork
from services.auth.config import AuthSecrets
from services.auth.domain import (
    ACCESS_TOKEN_LIFETIME,
    DEVICE_LIFETIME,
    SESSION_ABSOLUTE,
    digest,
    new_token,
    same_digest,
)
from services.auth.events import SESSION_REVOKED
from services.auth.models import Account, Device, RetiredRefreshToken, Session

REFRESH, DEVICE = "refresh", "device"


@dataclass(frozen=True)
class Tokens:
    """What a successful login or refresh hands back."""

    access_token: str
    refresh_token: str
    session_id: str
    expires_in: int = int(ACCESS_TOKEN_LIFETIME.total_seconds())
    device_token: str | None = None


def access_token(secrets: AuthSecrets, now: datetime, subject: str, roles: Iterable[str],
                 session_id: str | None = None, establishments: str | list[str] | None = None,
                 office: str | None = None) -> str:
    """DESIGN §5: a 5-minute EdDSA JWT (iss mypage-auth, aud mypage, kid header) for `subject`; an
    employer client's names its establishments (C2), a staff client's its office (C3)."""
    issued = int(now.timestamp())
    claims = {"sub": subject, "roles": list(roles), "iss": ISSUER, "aud": AUDIENCE, "iat": issued,
              "exp": issued + int(ACCESS_TOKEN_LIFETIME.total_seconds()), "jti": uuid.uuid4().hex}
    if session_id is not None:
        claims["sid"] = session_id
    if establishments is not None:
        claims["establishments"] = establishments
    if office is not None:
        claims["office"] = office
    return jwt.encode(claims, secrets.signing_key, algorithm=ALGORITHM, headers={"kid": secrets.kid})


def open_session(uow: UnitOfWork, secrets: AuthSecrets, seeker_id: str, now: datetime) -> Tokens:
    """Start a session for a seeker who passed password (and OTP or a remembered device)."""
    session = Session(id=uuid.uuid4().hex, seeker_id=seeker_id, created_at=now, last_used_at=now, refresh_digest="")
    uow.session.add(session)
    return Tokens(access_token(secrets, now, seeker_id, [SEEKER], session.id), _new_refresh(secrets, session),
                  session.id)


def rotate(uow: UnitOfWork, secrets: AuthSecrets, session: Session, now: datetime) -> Tokens:
    """DESIGN §5/S2: a new refresh token replaces the one just used, which is remembered as retired."""
    session.last_used_at = now
    uow.session.add(RetiredRefreshToken(digest=session.refresh_digest, session_id=session.id, retired_at=now))
    return Tokens(access_token(secrets, now, session.seeker_id, [SEEKER], session.id), _new_refresh(secrets, session),
                  session.id)


def _new_refresh(secrets: AuthSecrets, session: Session) -> str:
    secret = new_token()
    session.refresh_digest = digest(secrets.hmac_key, REFRESH, secret)
    return f"{session.id}.{secret}"


def find_session(uow: UnitOfWork, secrets: AuthSecrets, refresh_token: str) -> tuple[Session | None, bool]:
    """S2: the session a refresh token names and whether the token is one it issued and rotated out
    (reuse). A malformed token, or a secret the session never issued (a guess), names no session."""
    session_id, _, secret = refresh_token.partition(".")
    if not session_id or not secret or len(session_id) > 32:
        return None, False
    session = uow.session.get(Session, session_id, with_for_update=True)
    if session is None:
        return None, False
    presented = digest(secrets.hmac_key, REFRESH, secret)
    if same_digest(session.refresh_digest, presented):
        return session, False
    retired = uow.session.get(RetiredRefreshToken, presented)
    if retired is not None and retired.session_id == session.id:
        return session, True
    return None, False


def revoke_sessions(uow: UnitOfWork, seeker_id: str, reason: str, now: datetime, *,
                    only: Iterable[str] | None = None, devices: bool = False) -> list[str]:
    """S5: end the seeker's live sessions (or just `only`) and publish their ids; optionally forget devices."""
    query = select(Session).where(Session.seeker_id == seeker_id, Session.revoked_at.is_(None),
                                  Session.created_at > now - SESSION_ABSOLUTE - ACCESS_TOKEN_LIFETIME)
    if only is not None:
        query = query.where(Session.id.in_(list(only)))
    ended = uow.session.scalars(query.with_for_update()).all()
    for session in ended:
        session.revoked_at, session.revoke_reason = now, reason
    if devices:
        uow.session.execute(update(Device).where(Device.seeker_id == seeker_id, Device.revoked_at.is_(None))
                            .values(revoked_at=now))
    ids = sorted(session.id for session in ended)
    if ids:
        uow.publish(SESSION_REVOKED, {"seeker_id": seeker_id, "session_ids": ids, "reason": reason},
                    subject=seeker_id)
    return ids


def remember_device(uow: UnitOfWork, secrets: AuthSecrets, seeker_id: str, now: datetime) -> str:
    """A7: a device token that skips the OTP on this device for 30 days."""
    token = new_token()
    uow.session.add(Device(seeker_id=seeker_id, digest=digest(secrets.hmac_key, DEVICE, token), created_at=now,
                           expires_at=now + DEVICE_LIFETIME))
    return token


def remembered_device(uow: UnitOfWork, secrets: AuthSecrets, email: str, device_token: str | None,
                      now: datetime) -> Device | None:
    """A7/S2: the live remembered device `device_token` names, if it belongs to the account of the
    (normalised) login `email` — locked for this transaction, since its login failures count on it."""
    if not device_token:
        return None
    device = uow.session.scalar(
        select(Device).join(Account, Account.seeker_id == Device.seeker_id)
        .where(Device.digest == digest(secrets.hmac_key, DEVICE, device_token), Account.email == email)
        .with_for_update(of=Device))
    if device is None or device.revoked_at is not None or now >= device.expires_at:
        return None
    return device
