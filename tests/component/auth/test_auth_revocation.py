"""S5, DESIGN §5: after each revoking action the sessions it ends are dead everywhere — their refresh
tokens are refused by auth, and their still-unexpired access tokens by a gateway that learnt of the
action only from the auth.session.revoked.v1 events auth wrote to its outbox. Actions that end every
session also forget remembered devices and void a login waiting for its OTP (it was started with
credentials that no longer hold)."""

from __future__ import annotations

import pytest

from gateway.app import create_gateway
from gateway.backends import InProcessBackend
from gateway.security import RevokedSessions, SessionGuard
from kit.settings import Settings
from kit.tokens import KeySet, TokenVerifier
from tests.component.auth.conftest import PASSWORD, echo_backend

NEW_PASSWORD = "New@pass2026"


@pytest.fixture
def gateway(world, tmp_path):
    """A gateway in front of an echo backend, verifying with auth's JWKS; it knows revocations only from events."""
    guard = SessionGuard(TokenVerifier(KeySet(world.ctx.secrets.public_jwks), clock=world.clock), RevokedSessions())
    backends = {name: InProcessBackend(name, echo_backend()) for name in ("auth", "jobs", "profile", "messaging")}
    client = create_gateway(backends, Settings.from_env("gateway", {"MYPAGE_VAR_DIR": str(tmp_path / "gw")}),
                            authenticate=guard).test_client()

    def deliver_revocations():
        for event in world.published("auth.session.revoked.v1"):
            guard.revoked.handle(event)

    client.deliver_revocations = deliver_revocations
    return client


def _logout(world, seeker, tokens):
    assert world.client.post("/api/v1/auth/logout", headers=world.bearer(tokens)).status_code == 204


def _change_password(world, seeker, tokens):
    response = world.client.put("/api/v1/me/password", headers=world.bearer(tokens),
                                json={"current_password": PASSWORD, "new_password": NEW_PASSWORD})
    assert response.status_code == 204


def _reset_password(world, seeker, tokens):
    assert world.client.post("/api/v1/auth/password-reset", json={
        "email": seeker["email"], "birth_date": seeker["birth_date"]}).status_code == 202
    world.deliver_mail()
    response = world.client.post("/api/v1/auth/password-reset/complete", json={
        "email": seeker["email"], "auth_key": world.mailbox.last_key(seeker["email"]), "password": NEW_PASSWORD})
    assert response.status_code == 204


def _withdraw(world, seeker, tokens):
    assert world.client.delete("/api/v1/me", json={"password": PASSWORD}, headers=world.bearer(tokens)
                               ).status_code == 204


def _make_unusable(world, seeker, tokens):
    response = world.client.put(f"/api/v1/staff/seekers/{seeker['seeker_number']}/mypage-status",
                                json={"usable": False}, headers=world.staff_headers())
    assert response.status_code == 200


def _reuse_refresh_token(world, seeker, tokens):
    assert _refresh(world, tokens).status_code == 200
    assert _refresh(world, tokens).status_code == 401  # the rotated-out token again: theft assumed


ACTIONS = {  # action -> (its revoke reason, ends every session of the seeker)
    _logout: ("logout", False),
    _change_password: ("password_changed", True),
    _reset_password: ("password_reset", True),
    _withdraw: ("withdrawn", True),
    _make_unusable: ("unusable", True),
    _reuse_refresh_token: ("token_reused", False),
}


def _refresh(world, tokens):
    return world.client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})


def _through_gateway(gateway, tokens) -> int:
    return gateway.get("/api/v1/me/favourites", headers={"Authorization": f"Bearer {tokens['access_token']}"}
                       ).status_code


@pytest.mark.parametrize("action", list(ACTIONS), ids=[reason for reason, _ in ACTIONS.values()])
def test_s5_sessions_are_dead_after_each_revoking_action(world, gateway, action):
    reason, everywhere = ACTIONS[action]
    seeker = world.open_mypage()
    acting = world.login_fully(seeker["email"], remember_device=True)
    other = world.login_fully(seeker["email"])
    pending = world.login(seeker["email"]).json["login_ticket"]  # a login waiting for its OTP
    world.deliver_mail()
    otp = world.mailbox.last_otp(seeker["email"])
    assert _through_gateway(gateway, acting) == _through_gateway(gateway, other) == 200

    action(world, seeker, acting)
    gateway.deliver_revocations()

    [event] = [e for e in world.published("auth.session.revoked.v1") if e.data["reason"] == reason]
    assert event.subject == seeker["seeker_id"]
    ended = {acting["access_token"]: acting, other["access_token"]: other} if everywhere else {"": acting}
    assert len(event.data["session_ids"]) == len(ended)
    for tokens in ended.values():
        assert _through_gateway(gateway, tokens) == 401  # the access token, though not yet expired
        assert _refresh(world, tokens).status_code == 401
    if not everywhere:  # ending one session is not ending them all
        assert _through_gateway(gateway, other) == 200 and _refresh(world, other).status_code == 200

    completed = world.client.post("/api/v1/auth/login/otp", json={"login_ticket": pending, "otp": otp})
    assert completed.status_code == (401 if everywhere else 200), completed.json
    if everywhere and action is not _withdraw and action is not _make_unusable:
        password = PASSWORD if action is _logout else NEW_PASSWORD
        again = world.login(seeker["email"], password, device_token=acting["device_token"])
        assert again.status_code == 200 and again.json["otp_required"] is True  # the device was forgotten
