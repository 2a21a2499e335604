"""A1, E3, S7: accounts from profile's events keep only what verifying needs; no secret or birth date in logs."""

from __future__ import annotations

import json
import logging

from sqlalchemy import inspect, select

from kit.logs import JsonFormatter
from services.auth.models import Account
from tests.component.auth.conftest import PASSWORD


def _account(world, seeker_id) -> Account:
    with world.runtime.session_factory() as session:
        return session.get(Account, seeker_id)


def test_a1_a_registration_makes_a_pending_account_with_only_what_verifying_needs(world):
    seeker = world.register(email="Taro@Example.JP")
    account = _account(world, seeker["seeker_id"])
    assert account.email == "taro@example.jp" and str(account.birth_date) == seeker["birth_date"]
    assert account.opened_at is None and account.password_hash is None and account.usable
    columns = {c["name"] for c in inspect(world.runtime.engine).get_columns("accounts")}
    assert not columns & {"name", "name_kana", "address", "phone", "office_code"}


def test_a1_a_changed_email_is_followed_and_voids_keys_sent_to_the_old_one(world):
    seeker = world.register()
    world.request_opening(seeker["email"])
    world.deliver_mail()
    old_key = world.mailbox.last_key(seeker["email"])
    world.deliver("profile.seeker.changed.v1", {**seeker, "email": "new@example.jp"})
    assert _account(world, seeker["seeker_id"]).email == "new@example.jp"
    assert world.complete_opening("new@example.jp", old_key).status_code == 400
    world.request_opening("new@example.jp", seeker["birth_date"])
    world.deliver_mail()
    assert world.complete_opening("new@example.jp", world.mailbox.last_key("new@example.jp")).status_code == 201


def test_a1_the_same_event_twice_changes_nothing_more(world):
    seeker = world.register()
    world.register(**{k: seeker[k] for k in ("email", "birth_date", "seeker_id", "seeker_number")})
    with world.runtime.session_factory() as session:
        assert len(session.scalars(select(Account)).all()) == 1


def test_a1_an_email_registered_for_another_seeker_moves_to_the_latest_registration(world):
    first = world.register(email="shared@example.jp")
    second = world.register(email="shared@example.jp")
    assert _account(world, first["seeker_id"]).email is None
    assert _account(world, second["seeker_id"]).email == "shared@example.jp"


def test_a1_registering_again_after_withdrawal_allows_a_new_my_page(world):
    seeker = world.open_mypage()
    tokens = world.login_fully(seeker["email"])
    world.client.delete("/api/v1/me", json={"password": PASSWORD}, headers=world.bearer(tokens))
    world.register(**{k: seeker[k] for k in ("email", "birth_date", "seeker_id", "seeker_number")})
    account = _account(world, seeker["seeker_id"])
    assert account.withdrawn_at is None and account.opened_at is None and account.password_hash is None
    world.request_opening(seeker["email"])
    world.deliver_mail()
    assert world.complete_opening(seeker["email"], world.mailbox.last_key(seeker["email"])).status_code == 201


def test_e3_auth_events_carry_no_email_birth_date_or_secret(world):
    seeker = world.open_mypage()
    tokens = world.login_fully(seeker["email"])
    world.client.post("/api/v1/auth/logout", headers=world.bearer(tokens))
    world.client.put(f"/api/v1/staff/seekers/{seeker['seeker_number']}/mypage-status", json={"usable": False},
                     headers=world.staff_headers())
    text = json.dumps([e.to_dict() for e in world.published()], ensure_ascii=False)
    for forbidden in (seeker["email"], seeker["birth_date"], PASSWORD, tokens["access_token"],
                      tokens["refresh_token"].split(".")[1]):
        assert forbidden not in text


def test_s7_no_secret_and_no_birth_date_in_any_log_line(world, caplog):
    """Every flow, with logs captured at DEBUG from every logger, formatted as the JSON logs are."""
    caplog.set_level(logging.DEBUG)
    secrets: list[str] = []
    seeker = world.register(birth_date="1985-12-24")
    world.request_opening(seeker["email"], seeker["birth_date"])
    world.request_opening(seeker["email"], "1985-12-25")
    world.deliver_mail()
    key = world.mailbox.last_key(seeker["email"])
    secrets.append(key)
    world.complete_opening(seeker["email"], "WRONGKEY22")
    world.complete_opening(seeker["email"], key, password="bad pass")
    world.complete_opening(seeker["email"], key)
    world.login(seeker["email"], "Wrong@pass1")
    world.login("nobody@example.jp", "Other@pass1")
    tokens = world.login_fully(seeker["email"], remember_device=True)
    secrets += [world.mailbox.last_otp(seeker["email"]), tokens["access_token"], tokens["refresh_token"],
                tokens["device_token"]]
    refreshed = world.client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}).json
    secrets.append(refreshed["refresh_token"])
    world.client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})  # reuse
    fresh = world.login_fully(seeker["email"])
    world.client.put("/api/v1/me/password", json={"current_password": PASSWORD, "new_password": "Next@pass2027"},
                     headers=world.bearer(fresh))
    world.client.post("/api/v1/auth/password-reset", json={"email": seeker["email"],
                                                           "birth_date": seeker["birth_date"]})
    world.deliver_mail()
    reset_key = world.mailbox.last_key(seeker["email"])
    secrets.append(reset_key)
    world.client.post("/api/v1/auth/password-reset/complete", json={
        "email": seeker["email"], "auth_key": reset_key, "password": "Third@pass2028"})
    last = world.login_fully(seeker["email"], "Third@pass2028")
    world.client.post("/api/v1/auth/token", json={"grant_type": "client_credentials", "client_id": "counter",
                                                  "client_secret": "wrong-secret"})
    world.client.put(f"/api/v1/staff/seekers/{seeker['seeker_number']}/mypage-status", json={"usable": False},
                     headers=world.staff_headers())
    world.client.delete("/api/v1/me", json={"password": "Third@pass2028"}, headers=world.bearer(last))
    secrets += [PASSWORD, "Next@pass2027", "Third@pass2028", "Wrong@pass1", "Other@pass1", "bad pass",
                "counter-dev-secret", "wrong-secret", last["access_token"]]
    birth_dates = ["1985-12-24", "1985-12-25", "19851224", "1985/12/24"]
    formatter = JsonFormatter()
    lines = [formatter.format(record) for record in caplog.records]
    assert any("opened" in line for line in lines) and any("login_failed" in line for line in lines)
    for line in lines:
        for value in secrets + birth_dates:
            assert value not in line, line
    assert all(token.split(".")[-1] not in line for line in lines
               for token in (tokens["refresh_token"], refreshed["refresh_token"]))


def test_s7_login_results_are_logged_with_the_outcome(world, caplog):
    caplog.set_level(logging.INFO, logger="mypage.auth")
    seeker = world.open_mypage()
    world.login(seeker["email"], "Wrong@pass1")
    world.login_fully(seeker["email"])
    outcomes = [getattr(r, "outcome", None) for r in caplog.records]
    assert {"login_failed", "otp_sent", "logged_in"} <= set(outcomes)
