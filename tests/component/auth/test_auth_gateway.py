"""DESIGN §5, S5: the gateway verifies tokens where routes need them and refuses revoked sessions,
which it learns from auth.session.revoked.v1 on the bus."""

from __future__ import annotations

from datetime import timedelta

import pytest

from gateway.app import create_gateway
from gateway.backends import InProcessBackend
from gateway.security import REMEMBER_SECONDS, RevokedSessions, SessionGuard
from kit.clock import FrozenClock
from kit.events import Event
from kit.settings import Settings
from kit.testing.tokens import TestSigner
from tests.component.auth.conftest import echo_backend, through_the_listener


@pytest.fixture
def signer(frozen_clock):
    return TestSigner(clock=frozen_clock)


@pytest.fixture
def guard(signer):
    return SessionGuard(signer.verifier(), RevokedSessions())


@pytest.fixture
def gateway(guard, tmp_path):
    backends = {name: InProcessBackend(name, echo_backend()) for name in ("auth", "jobs", "profile", "messaging")}
    return create_gateway(backends, Settings.from_env("gateway", {"MYPAGE_VAR_DIR": str(tmp_path)}),
                          authenticate=guard).test_client()


def test_a_route_that_needs_a_token_is_refused_without_one(gateway):
    response = gateway.get("/api/v1/me/favourites")
    assert response.status_code == 401 and response.json["title"] == "ログインが必要です"


def test_public_routes_need_no_token(gateway):
    assert gateway.post("/api/v1/auth/login").status_code == 200
    assert gateway.get("/api/v1/terms").status_code == 200
    assert gateway.get("/api/v1/jobs").status_code == 200


def test_a_valid_token_is_forwarded(gateway, signer):
    assert gateway.get("/api/v1/me/favourites", headers=signer.headers("seeker-1")).status_code == 200


@pytest.mark.parametrize("token", ["garbage", "a.b.c"])
def test_a_present_but_invalid_token_is_refused_even_on_public_routes(gateway, token):
    assert gateway.get("/api/v1/jobs", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_a_token_from_another_key_is_refused(gateway, frozen_clock):
    forger = TestSigner(clock=frozen_clock, kid="test-key")
    assert gateway.get("/api/v1/me/favourites", headers=forger.headers("seeker-1")).status_code == 401


def test_an_expired_token_is_refused(gateway, signer, frozen_clock):
    headers = signer.headers("seeker-1")
    frozen_clock.advance(timedelta(minutes=5, seconds=6))
    assert gateway.get("/api/v1/me/favourites", headers=headers).status_code == 401


def test_s5_a_revoked_session_is_refused_and_others_are_not(gateway, guard, signer):
    revoked = signer.headers("seeker-1", session_id="s-revoked")
    other = signer.headers("seeker-1", session_id="s-other")
    guard.revoked.handle(Event(type="auth.session.revoked.v1", source="/mypage/auth",
                               data={"seeker_id": "seeker-1", "session_ids": ["s-revoked"], "reason": "logout"}))
    response = gateway.get("/api/v1/me/favourites", headers=revoked)
    assert response.status_code == 401 and "もう一度ログイン" in response.json["detail"]
    assert gateway.get("/api/v1/jobs", headers=revoked).status_code == 401
    assert gateway.get("/api/v1/me/favourites", headers=other).status_code == 200


def test_s5_a_revocation_is_kept_while_a_token_can_name_it_then_forgotten_by_the_injected_clock():
    clock = FrozenClock()
    revoked = RevokedSessions(clock=clock)  # REMEMBER_SECONDS: an access token's 5 minutes plus the leeway
    revoked.revoke(["s1"])
    clock.advance(seconds=REMEMBER_SECONDS - 1)
    revoked.revoke(["s2"])
    assert "s1" in revoked and len(revoked) == 2
    clock.advance(seconds=1)  # the edge: exactly REMEMBER_SECONDS after the revocation
    assert "s1" not in revoked and "s2" in revoked and len(revoked) == 1
    clock.advance(seconds=REMEMBER_SECONDS)
    assert "s2" not in revoked and len(revoked) == 0


def test_s5_the_listener_learns_revocations_from_the_bus(memory_bus):
    event = Event(type="auth.session.revoked.v1", source="/mypage/auth",
                  data={"seeker_id": "seeker-1", "session_ids": ["s-1", "s-2"], "reason": "withdrawn"})
    through_the_listener(memory_bus, event, ["s-1", "s-2"])


def test_c1_an_employer_clients_revoked_tokens_are_refused_and_the_listener_learns_them(memory_bus, gateway, guard,
                                                                                        signer):
    """C1: auth.client_tokens.revoked.v1 names the `sid` of a client's tokens; the gateway refuses them."""
    event = Event(type="auth.client_tokens.revoked.v1", source="/mypage/auth",
                  data={"client_id": "ec-1", "session_ids": ["c-old"], "reason": "revoked"})
    through_the_listener(memory_bus, event, ["c-old"])
    guard.revoked.handle(event)
    old = signer.headers("ec-1", roles=("employer",), session_id="c-old", establishments=["1104-123456-7"])
    new = signer.headers("ec-1", roles=("employer",), session_id="c-new", establishments=["1104-123456-7"])
    assert gateway.get("/api/v1/employer/applications", headers=old).status_code == 401
    assert gateway.get("/api/v1/employer/applications", headers=new).status_code == 200
