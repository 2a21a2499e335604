"""R1's rows, written directly so every time is exact, and the purge's scenarios that run the same on
SQLite (test_auth_purge.py) and on PostgreSQL (tests/integration/test_auth_postgres.py): `world` is an
AuthWorld (conftest.py) on either database."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import event, func, select

from services.auth.models import (
    AuthKey,
    Device,
    LoginChallenge,
    LoginThrottle,
    Mail,
    RetiredRefreshToken,
    Session,
    StaffAudit,
)
from services.auth.purge import purge_expired

T0 = datetime.fromisoformat("2026-11-26T09:00:00+00:00")
LEAP_DAY = datetime.fromisoformat("2028-02-29T10:00:00+00:00")
S = timedelta(seconds=1)


def add(world, row):
    """Insert an ORM row; return (model, primary key)."""
    with world.runtime.session_factory() as session:
        session.add(row)
        session.commit()
        return type(row), row.id if hasattr(row, "id") else row.email_digest


def present(world, model, key) -> bool:
    with world.runtime.session_factory() as session:
        return session.get(model, key) is not None


def count(world, model) -> int:
    with world.runtime.session_factory() as session:
        return session.scalar(select(func.count()).select_from(model))


def seeker(world) -> str:
    return world.register()["seeker_id"]


def key(world, *, created=T0, sent: timedelta | None = timedelta(0), used=None, voided=None, **extra):
    sent_at = created + sent if sent is not None else None
    return add(world, AuthKey(seeker_id=seeker(world), purpose="opening", digest=uuid.uuid4().hex,
                              created_at=created, sent_at=sent_at,
                              expires_at=sent_at + timedelta(minutes=50) if sent_at else None,
                              wrong_entries=0, used_at=used, voided_at=voided, **extra))


def challenge(world, *, created=T0, sent: timedelta | None = timedelta(0), used=None, voided=None):
    sent_at = created + sent if sent is not None else None
    return add(world, LoginChallenge(seeker_id=seeker(world), ticket_digest=uuid.uuid4().hex,
                                     otp_digest=uuid.uuid4().hex, created_at=created, sent_at=sent_at,
                                     expires_at=sent_at + timedelta(minutes=10) if sent_at else None,
                                     wrong_entries=0, used_at=used, voided_at=voided))


def session_row(world, *, created=T0, last_used=None, revoked=None):
    return add(world, Session(id=uuid.uuid4().hex, seeker_id=seeker(world), refresh_digest="x" * 64,
                              created_at=created, last_used_at=last_used or created, revoked_at=revoked,
                              revoke_reason="logout" if revoked else None))


def device(world, *, created=T0, revoked=None):
    return add(world, Device(seeker_id=seeker(world), digest=uuid.uuid4().hex, created_at=created,
                             expires_at=created + timedelta(days=30), revoked_at=revoked))


def throttle(world, *, failures: int, last_failed=T0, locked_until=None):
    return add(world, LoginThrottle(email_digest=uuid.uuid4().hex, failures=failures,
                                    last_failed_at=last_failed if failures else None, locked_until=locked_until))


def mail(world, *, created=T0, sent=None, key_id=None, challenge_id=None, params=None):
    return add(world, Mail(template="login_otp", recipient="taro@example.jp", params=params, created_at=created,
                           sent_at=sent, attempts=0, key_id=key_id, challenge_id=challenge_id))


def audit_entry(world, *, at=T0):
    return add(world, StaffAudit(at=at, client_id="counter", office="11040", service="profile",
                                 action="PATCH /api/v1/staff/seekers/*", request_id=uuid.uuid4().hex))


def table_present(world, table, key) -> bool:
    first = list(table.primary_key.columns)[0]
    with world.runtime.engine.connect() as connection:
        return connection.execute(select(first).where(first == key)).first() is not None


def exists(world, thing) -> bool:
    model, pk = thing
    if hasattr(model, "c"):  # a kit Table (outbox, inbox)
        return table_present(world, model, pk)
    return present(world, model, pk)


# -- each kind: kept at boundary − 1 s, deleted at the boundary -------------------------------------------

H, M, D = timedelta(hours=1), timedelta(minutes=1), timedelta(days=1)

# name → (make the row at T0, its boundary)
BOUNDARIES: dict[str, tuple[Callable, datetime]] = {
    # keys count toward S1's 5 per 24 h: kept until 24 h after they were asked for, even when used or expired
    "key used": (lambda w: key(w, used=T0 + 10 * M), T0 + 24 * H),
    "key expired unused": (lambda w: key(w), T0 + 24 * H),
    "key voided (replaced, 5 wrong entries, withdrawal…)": (lambda w: key(w, voided=T0 + 5 * M), T0 + 24 * H),
    # a key mailed late (SMTP down for hours) lives its 50 minutes from sending, past the 24 h
    "key sent late, unused": (lambda w: key(w, sent=23 * H + 30 * M), T0 + 24 * H + 20 * M),
    "challenge expired": (lambda w: challenge(w), T0 + 10 * M),
    "challenge used": (lambda w: challenge(w, used=T0 + 2 * M), T0 + 2 * M),
    "challenge voided (a newer login)": (lambda w: challenge(w, voided=T0 + 3 * M), T0 + 3 * M),
    "session idle": (lambda w: session_row(w), T0 + 30 * M),
    "session refreshed till the end (absolute 12 h + the last access token's 5 min)":
        (lambda w: session_row(w, last_used=T0 + 11 * H + 59 * M), T0 + 12 * H + 5 * M),
    "session revoked": (lambda w: session_row(w, revoked=T0 + 7 * M), T0 + 7 * M),
    "device expired": (lambda w: device(w), T0 + 30 * D),
    "device revoked": (lambda w: device(w, revoked=T0 + 2 * H), T0 + 2 * H),
    "throttle with failures, no lock": (lambda w: throttle(w, failures=4), T0 + 24 * H),
    "throttle whose lock ran out": (lambda w: throttle(w, failures=10, locked_until=T0 + 30 * M), T0 + 30 * M),
    "mail sent": (lambda w: mail(w, sent=T0 + 2 * M), T0 + 2 * M + H),
    # C3: a staff write's audit entry is kept five years to the second (2026-11-26 09:00 → 2031-11-26 09:00)
    "staff audit entry": (lambda w: audit_entry(w), T0.replace(year=2031)),
    # five years after 29 February have no 29 February: the entry goes when they have fully passed, 1 March
    "staff audit entry of 29 February": (lambda w: audit_entry(w, at=LEAP_DAY),
                                         datetime.fromisoformat("2033-03-01T00:00:00+00:00")),
}



# -- scenarios -------------------------------------------------------------------------------------------

def purged_session_takes_its_retired_refresh_tokens(world) -> None:
    """S2 keeps the HMACs of rotated-out refresh tokens while their session lives; they go with it."""
    account = world.open_mypage()
    tokens = world.login_fully(account["email"])
    for _ in range(2):
        tokens = world.client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}).json
    assert count(world, RetiredRefreshToken) == 2
    assert world.client.post("/api/v1/auth/logout", headers=world.bearer(tokens)).status_code == 204
    assert purge_expired(world.runtime)["sessions"] == 1
    assert count(world, RetiredRefreshToken) == 0  # on delete cascade


def login_whose_throttle_row_is_purged_under_it_still_answers(world) -> None:
    """The purge may delete a row with no failure between the login's insert-if-missing and its lock
    (PostgreSQL, read committed): the login creates it again instead of failing."""
    account = world.open_mypage()
    assert world.login(account["email"]).status_code == 200  # leaves a throttle row with no failure
    vanished = []

    def purge_in_between(connection, cursor, statement, parameters, context, executemany):
        if not vanished and statement.lstrip().upper().startswith("SELECT") and "FROM login_throttles" in statement:
            cursor.execute("DELETE FROM login_throttles")
            vanished.append(True)

    event.listen(world.runtime.engine, "before_cursor_execute", purge_in_between)
    try:
        assert world.login(account["email"]).status_code == 200
    finally:
        event.remove(world.runtime.engine, "before_cursor_execute", purge_in_between)
    assert vanished and count(world, LoginThrottle) == 1
