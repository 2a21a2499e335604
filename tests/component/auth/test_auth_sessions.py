"""DESIGN §5, S5, A8–A10: refresh rotation, idle/absolute limits, cookie vs body, and every revoking action."""

from __future__ import annotations

import logging
import secrets
import statistics
import time

import pytest

from kit.settings import ConfigurationError, Settings
from kit.tokens import KeySet, TokenVerifier
from services.auth.config import load_secrets
from tests.component.auth.conftest import PASSWORD


def refresh(world, tokens: dict):
    return world.client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})


def test_refresh_rotates_the_token_and_a_reused_one_ends_the_session(world):
    seeker = world.open_mypage()
    first = world.login_fully(seeker["email"])
    second = refresh(world, first)
    assert second.status_code == 200 and second.json["refresh_token"] != first["refresh_token"]
    third = refresh(world, second.json)
    assert third.status_code == 200
    reused = refresh(world, first)  # a stolen, already rotated token
    assert reused.status_code == 401
    assert refresh(world, third.json).status_code == 401  # the whole session is over
    [event] = world.published("auth.session.revoked.v1")
    assert event.data["reason"] == "token_reused"


def _session_id(tokens: dict) -> str:
    return tokens["refresh_token"].partition(".")[0]


@pytest.mark.parametrize("guess", [
    lambda sid: f"{sid}.{secrets.token_urlsafe(32)}",  # the session id (it is the JWT's sid) and a guessed secret
    lambda sid: f"{sid}.",
    lambda sid: f"{sid}.{sid}.{sid}",
    lambda sid: sid,
], ids=["guessed-secret", "empty-secret", "malformed", "session-id-only"])
def test_s2_a_guessed_refresh_token_is_refused_and_does_not_end_the_session(world, guess, caplog):
    """S2: only a token the session really issued (and rotated out) counts as reuse; S7: the refusal is logged."""
    seeker = world.open_mypage()
    tokens = world.login_fully(seeker["email"])
    with caplog.at_level(logging.INFO, logger="mypage.auth"):
        refused = world.client.post("/api/v1/auth/refresh", json={"refresh_token": guess(_session_id(tokens))})
    assert refused.status_code == 401 and refused.json["type"].endswith("/unauthorized")
    assert [r.getMessage() for r in caplog.records if getattr(r, "outcome", None) == "refresh_refused"] == [
        "refresh refused: unknown token"]
    assert world.published("auth.session.revoked.v1") == []
    assert refresh(world, tokens).status_code == 200  # the victim's session lives on


def test_s2_a_rotated_out_token_of_another_session_is_not_reuse_of_this_one(world):
    seeker = world.open_mypage()
    mine, other = world.login_fully(seeker["email"]), world.login_fully(seeker["email"])
    assert refresh(world, other).status_code == 200  # other's first token is now retired
    other_secret = other["refresh_token"].partition(".")[2]
    mixed = world.client.post("/api/v1/auth/refresh", json={"refresh_token": f"{_session_id(mine)}.{other_secret}"})
    assert mixed.status_code == 401
    assert world.published("auth.session.revoked.v1") == []
    assert refresh(world, mine).status_code == 200


def test_the_refresh_token_has_at_least_128_bits_and_is_stored_hashed(world):
    seeker = world.open_mypage()
    tokens = world.login_fully(seeker["email"])
    assert len(tokens["refresh_token"]) >= 43  # 256 bits, base64url
    with world.runtime.engine.connect() as connection:
        dump = "\n".join(str(tuple(r)) for r in connection.exec_driver_sql("SELECT * FROM sessions"))
    assert tokens["refresh_token"] not in dump


def test_web_gets_the_refresh_token_in_an_httponly_secure_samesite_cookie(world):
    seeker = world.open_mypage()
    tokens = world.login_fully(seeker["email"], client="web")
    assert "refresh_token" not in tokens
    cookie = world.client.get_cookie("mypage_refresh", path="/api/v1/auth")
    assert cookie is not None and cookie.http_only and cookie.secure and cookie.same_site == "Strict"
    refreshed = world.client.post("/api/v1/auth/refresh", json={})
    assert refreshed.status_code == 200 and "refresh_token" not in refreshed.json
    assert world.client.get_cookie("mypage_refresh", path="/api/v1/auth").value != cookie.value
    assert refreshed.headers["Cache-Control"] == "no-store"


def test_a_session_idles_out_after_30_minutes(world):
    seeker = world.open_mypage()
    tokens = world.login_fully(seeker["email"])
    world.advance(minutes=29, seconds=59)
    tokens = refresh(world, tokens).json
    world.advance(minutes=30)
    assert refresh(world, tokens).status_code == 401


def test_a_session_ends_12_hours_after_login_however_active(world):
    seeker = world.open_mypage()
    tokens = world.login_fully(seeker["email"])
    for _ in range(35):  # 35 × 20 min = 11 h 40 min
        world.advance(minutes=20)
        tokens = refresh(world, tokens).json
    world.advance(minutes=19, seconds=59)
    tokens = refresh(world, tokens).json
    world.advance(seconds=1)
    assert refresh(world, tokens).status_code == 401


def test_access_tokens_last_5_minutes_and_carry_the_session(world):
    seeker = world.open_mypage()
    tokens = world.login_fully(seeker["email"])
    verifier = TokenVerifier(KeySet(world.ctx.secrets.public_jwks), clock=world.clock, leeway_seconds=0)
    assert verifier.verify(tokens["access_token"]).subject == seeker["seeker_id"]
    world.advance(minutes=5, seconds=1)
    with pytest.raises(Exception, match="Expired"):
        verifier.verify(tokens["access_token"])


def test_jwks_is_served_and_written_for_the_embedded_mode(world, tmp_path):
    document = world.client.get("/api/v1/auth/jwks").json
    assert document == world.ctx.secrets.public_jwks()
    [key] = document["keys"]
    assert (key["kty"], key["crv"], key["alg"]) == ("OKP", "Ed25519", "EdDSA") and "d" not in key
    assert (tmp_path / "jwks.json").read_text().count(key["kid"]) == 1


# -- S5: every revoking action ---------------------------------------------------------------------

def _revoked_ids(world, reason):
    return [sid for e in world.published("auth.session.revoked.v1") if e.data["reason"] == reason
            for sid in e.data["session_ids"]]


def test_s5_logout_ends_this_session(world):
    seeker = world.open_mypage()
    tokens, other = world.login_fully(seeker["email"]), world.login_fully(seeker["email"])
    assert world.client.post("/api/v1/auth/logout", headers=world.bearer(tokens)).status_code == 204
    assert refresh(world, tokens).status_code == 401
    assert refresh(world, other).status_code == 200  # logging out here is not logging out everywhere
    assert len(_revoked_ids(world, "logout")) == 1


def test_s5_logout_needs_a_token(world):
    assert world.client.post("/api/v1/auth/logout").status_code == 401


def test_s5_password_change_ends_every_session_and_needs_the_current_password(world):
    seeker = world.open_mypage()
    one, two = world.login_fully(seeker["email"]), world.login_fully(seeker["email"], remember_device=True)
    wrong = world.client.put("/api/v1/me/password", json={"current_password": "Wrong@1234",
                                                          "new_password": "New@pass2026"}, headers=world.bearer(one))
    assert wrong.status_code == 422 and wrong.json["errors"][0]["field"] == "current_password"
    weak = world.client.put("/api/v1/me/password", json={"current_password": PASSWORD, "new_password": "short"},
                            headers=world.bearer(one))
    assert weak.status_code == 422 and weak.json["errors"][0]["field"] == "new_password"
    changed = world.client.put("/api/v1/me/password", json={"current_password": PASSWORD,
                                                            "new_password": "New@pass2026"}, headers=world.bearer(one))
    assert changed.status_code == 204
    assert refresh(world, one).status_code == 401 and refresh(world, two).status_code == 401
    assert len(_revoked_ids(world, "password_changed")) == 2
    assert world.login(seeker["email"], "New@pass2026", device_token=two["device_token"]).json["otp_required"]


def test_a8_password_change_refuses_the_current_password_as_the_new_one(world):
    seeker = world.open_mypage()
    tokens = world.login_fully(seeker["email"])
    same = world.client.put("/api/v1/me/password", json={"current_password": PASSWORD, "new_password": PASSWORD},
                            headers=world.bearer(tokens))
    assert same.status_code == 422 and same.headers["Content-Type"] == "application/problem+json"
    assert same.json["errors"] == [{"field": "new_password",
                                    "messages": ["現在のパスワードと同じパスワードには変更できません。"]}]
    english = world.client.put("/api/v1/me/password", json={"current_password": PASSWORD, "new_password": PASSWORD},
                               headers={**world.bearer(tokens), "Accept-Language": "en"})
    assert english.json["errors"][0]["messages"] == ["The new password must differ from the current one."]
    assert refresh(world, tokens).status_code == 200  # nothing changed, nothing ended
    assert world.published("auth.session.revoked.v1") == []


def _password_notices(world, email: str) -> list:
    world.deliver_mail()
    return [mail for mail in world.mailbox.to(email) if "パスワード変更のお知らせ" in mail.subject]


def test_a8_password_change_mails_the_seeker_a_notice(world):
    seeker = world.open_mypage()
    tokens = world.login_fully(seeker["email"])
    assert _password_notices(world, seeker["email"]) == []
    world.advance(minutes=4)
    assert world.client.put("/api/v1/me/password", json={"current_password": PASSWORD, "new_password": "New@pass2026"},
                            headers=world.bearer(tokens)).status_code == 204
    [notice] = _password_notices(world, seeker["email"])
    assert "変更日時：2026年11月26日 18時04分（日本時間）" in notice.body  # 09:04 UTC
    assert "New@pass2026" not in notice.body and PASSWORD not in notice.body  # A11: never a password


def test_a8_a_password_reset_mails_the_seeker_a_notice_too(world):
    seeker = world.open_mypage()
    assert world.reset_password(seeker, "New@pass2026").status_code == 204
    [notice] = _password_notices(world, seeker["email"])
    assert "パスワードが変更されました" in notice.body and "New@pass2026" not in notice.body


def test_s5_password_reset_ends_every_session(world):
    seeker = world.open_mypage()
    tokens = world.login_fully(seeker["email"])
    world.client.post("/api/v1/auth/password-reset", json={"email": seeker["email"],
                                                           "birth_date": seeker["birth_date"]})
    world.deliver_mail()
    world.client.post("/api/v1/auth/password-reset/complete", json={
        "email": seeker["email"], "auth_key": world.mailbox.last_key(seeker["email"]), "password": "New@pass2026"})
    assert refresh(world, tokens).status_code == 401
    assert _revoked_ids(world, "password_reset")


def test_s3_password_reset_answers_identically_and_sends_only_for_an_open_account(world):
    opened, pending = world.open_mypage(), world.register()
    sent = len(world.mailbox.sent)
    answers = [world.client.post("/api/v1/auth/password-reset", json={"email": email, "birth_date": birth})
               for email, birth in [("nobody@example.jp", "1990-04-01"), (opened["email"], "1991-01-01"),
                                    (pending["email"], pending["birth_date"]), (opened["email"], opened["birth_date"])]]
    shapes = {(a.status_code, a.get_data(), tuple(sorted((k, v) for k, v in a.headers.items() if k != "X-Request-ID")))
              for a in answers}
    assert len(shapes) == 1 and answers[0].status_code == 202  # status, body and headers
    world.deliver_mail()
    assert [m.to for m in world.mailbox.sent[sent:]] == [opened["email"]]


def test_s5_a9_withdrawal_closes_the_account_at_once(world):
    seeker = world.open_mypage()
    tokens = world.login_fully(seeker["email"])
    wrong = world.client.delete("/api/v1/me", json={"password": "Wrong@1234"}, headers=world.bearer(tokens))
    assert wrong.status_code == 422
    assert world.client.delete("/api/v1/me", json={"password": PASSWORD}, headers=world.bearer(tokens)
                               ).status_code == 204
    assert refresh(world, tokens).status_code == 401
    [withdrawn] = world.published("auth.mypage.withdrawn.v1")
    assert withdrawn.data == {"seeker_id": seeker["seeker_id"], "withdrawn_at": withdrawn.data["withdrawn_at"]}
    assert _revoked_ids(world, "withdrawn")
    again = world.client.delete("/api/v1/me", json={"password": PASSWORD}, headers=world.bearer(tokens))
    assert again.status_code == 401


def test_s5_a10_unusable_ends_every_session_and_lifting_allows_login_again(world):
    seeker = world.open_mypage()
    tokens = world.login_fully(seeker["email"])
    staff = world.staff_headers()
    path = f"/api/v1/staff/seekers/{seeker['seeker_number']}/mypage-status"
    response = world.client.put(path, json={"usable": False}, headers=staff)
    assert response.status_code == 200 and response.json == {"seeker_number": seeker["seeker_number"],
                                                             "usable": False}
    assert refresh(world, tokens).status_code == 401
    assert _revoked_ids(world, "unusable")
    assert world.client.put(path, json={"usable": False}, headers=staff).status_code == 200  # idempotent
    assert [e.data["usable"] for e in world.published("auth.mypage.usability_changed.v1")] == [False]
    world.client.put(path, json={"usable": True}, headers=staff)
    assert [e.data["usable"] for e in world.published("auth.mypage.usability_changed.v1")] == [False, True]
    world.login_fully(seeker["email"])


def test_a10_only_staff_may_change_usability(world):
    seeker = world.open_mypage()
    path = f"/api/v1/staff/seekers/{seeker['seeker_number']}/mypage-status"
    assert world.client.put(path, json={"usable": False}).status_code == 401
    assert world.client.put(path, json={"usable": False}, headers=world.bearer(world.login_fully(seeker["email"]))
                            ).status_code == 403
    employer = world.client.post("/api/v1/auth/token", json={"grant_type": "client_credentials",
                                                             "client_id": "employer",
                                                             "client_secret": "employer-dev-secret"}).json
    assert world.client.put(path, json={"usable": False}, headers=world.bearer(employer)).status_code == 403
    assert world.client.put("/api/v1/staff/seekers/11040-99999999/mypage-status", json={"usable": False},
                            headers=world.staff_headers()).status_code == 404


# -- system clients ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("client_id", "secret", "role"), [("counter", "counter-dev-secret", "staff"),
                                                           ("employer", "employer-dev-secret", "employer")])
def test_client_credentials_give_a_token_with_the_clients_role(world, client_id, secret, role):
    response = world.client.post("/api/v1/auth/token", json={"grant_type": "client_credentials",
                                                             "client_id": client_id, "client_secret": secret})
    assert response.status_code == 200 and response.json["token_type"] == "Bearer"
    principal = TokenVerifier(KeySet(world.ctx.secrets.public_jwks), clock=world.clock).verify(
        response.json["access_token"])
    assert principal.subject == client_id and principal.roles == {role}


@pytest.mark.parametrize("body", [
    {"grant_type": "client_credentials", "client_id": "counter", "client_secret": "wrong"},
    {"grant_type": "client_credentials", "client_id": "nobody", "client_secret": "counter-dev-secret"},
])
def test_wrong_client_credentials_are_refused(world, body):
    response = world.client.post("/api/v1/auth/token", json=body)
    assert response.status_code == 401


def test_only_the_client_credentials_grant_exists(world):
    response = world.client.post("/api/v1/auth/token", json={"grant_type": "password", "client_id": "counter",
                                                             "client_secret": "counter-dev-secret"})
    assert response.status_code == 422


# -- production refuses development defaults -----------------------------------------------------------------

def _production(tmp_path, **secrets) -> Settings:
    environ = {"MYPAGE_ENV": "production", "MYPAGE_AMQP_URL": "amqp://x/", "MYPAGE_VAR_DIR": str(tmp_path),
               "MYPAGE_AUTH_DATABASE_URL": "postgresql://x/auth", "MYPAGE_JWKS_URL": "http://x/api/v1/auth/jwks"}
    environ.update({f"MYPAGE_AUTH_SECRET_{k.upper()}": v for k, v in secrets.items()})
    return Settings.from_env("auth", environ)


def _pem() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return Ed25519PrivateKey.generate().private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                      serialization.NoEncryption()).decode()


def test_production_refuses_the_dev_hmac_key_and_a_missing_signing_key(tmp_path):
    with pytest.raises(ConfigurationError, match="HMAC_KEY"):
        load_secrets(_production(tmp_path, signing_key=_pem()))
    with pytest.raises(ConfigurationError, match="HMAC_KEY"):
        load_secrets(_production(tmp_path, hmac_key="mypage-dev-only-hmac-key-never-in-production",
                                 signing_key=_pem()))
    with pytest.raises(ConfigurationError, match="SIGNING_KEY"):
        load_secrets(_production(tmp_path, hmac_key="x" * 40))
    assert not (tmp_path / "auth-dev-signing-key.pem").exists()


def test_production_has_no_dev_clients_and_refuses_dev_secrets(tmp_path):
    secrets = load_secrets(_production(tmp_path, hmac_key="x" * 40, signing_key=_pem()))
    assert secrets.clients == {}
    with pytest.raises(ConfigurationError, match="counter"):
        load_secrets(_production(tmp_path, hmac_key="x" * 40, signing_key=_pem(),
                                 clients="counter:staff:counter-dev-secret"))
    configured = load_secrets(_production(tmp_path, hmac_key="x" * 40, signing_key=_pem(),
                                          clients="counter:staff@11040:" + "s" * 32))
    assert configured.clients["counter"].role == "staff" and configured.clients["counter"].accepts("s" * 32)


def test_production_refuses_the_generated_dev_signing_key_file(tmp_path):
    load_secrets(Settings.from_env("auth", {"MYPAGE_VAR_DIR": str(tmp_path)}))  # dev: generated into var/
    dev_key = tmp_path / "auth-dev-signing-key.pem"
    assert dev_key.exists() and oct(dev_key.stat().st_mode & 0o777) == "0o600"
    with pytest.raises(ConfigurationError, match="development signing key"):
        load_secrets(_production(tmp_path, hmac_key="x" * 40, signing_key_file=str(dev_key)))


@pytest.mark.timing
def test_s3_password_reset_timing_is_indistinguishable_within_a_generous_bound(world):
    """As for opening: medians over 25 requests each, 25 ms apart at most (a match adds two inserts)."""
    seeker = world.open_mypage()

    def median(email, birth_date):
        samples = []
        for _ in range(25):
            started = time.perf_counter()
            world.client.post("/api/v1/auth/password-reset", json={"email": email, "birth_date": birth_date})
            samples.append(time.perf_counter() - started)
        return statistics.median(samples)

    unknown = median("nobody@example.jp", seeker["birth_date"])
    right = median(seeker["email"], seeker["birth_date"])
    assert abs(right - unknown) < 0.025, (unknown, right)


# -- signing key rotation: the retired key stays in the JWKS until its tokens expire --------------------------

def _public_pem(private_pem: str) -> str:
    from cryptography.hazmat.primitives import serialization

    key = serialization.load_pem_private_key(private_pem.encode(), password=None)
    return key.public_key().public_bytes(serialization.Encoding.PEM,
                                         serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def test_a_rotated_out_key_still_verifies_its_tokens_while_listed_and_not_after(tmp_path):
    import jwt

    from kit.tokens import InvalidToken
    from services.auth.config import key_id

    old, new, third = _pem(), _pem(), _pem()
    before = load_secrets(_production(tmp_path, hmac_key="x" * 40, signing_key=old))
    token = jwt.encode({"sub": "s-1", "iss": "mypage-auth", "aud": "mypage", "iat": int(time.time()),
                        "exp": int(time.time()) + 300, "roles": ["seeker"]},
                       before.signing_key, algorithm="EdDSA", headers={"kid": before.kid})
    after = load_secrets(_production(tmp_path, hmac_key="x" * 40, signing_key=new,
                                     previous_public_keys=_public_pem(old) + _public_pem(third) + _public_pem(new)))
    kids = [key["kid"] for key in after.public_jwks()["keys"]]
    assert kids == [key_id(after.signing_key), before.kid, key_id(after.previous_public_keys[1])]  # new first, once
    assert TokenVerifier(KeySet(after.public_jwks)).verify(token).subject == "s-1"
    later = load_secrets(_production(tmp_path, hmac_key="x" * 40, signing_key=new))
    with pytest.raises(InvalidToken):
        TokenVerifier(KeySet(later.public_jwks)).verify(token)


@pytest.mark.parametrize(("value", "match"), [("not a pem", "no PEM public key"),
                                              ("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----",
                                               "not a PEM public key")])
def test_bad_previous_public_keys_are_refused_at_start(tmp_path, value, match):
    with pytest.raises(ConfigurationError, match=match):
        load_secrets(_production(tmp_path, hmac_key="x" * 40, signing_key=_pem(), previous_public_keys=value))
