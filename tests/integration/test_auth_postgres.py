"""Auth on PostgreSQL (production's database): migrations, the opening and login flows, and the limits
that must hold when requests for the same seeker arrive at the same moment (rows locked, S1, S2, A7).

Each test gets a fresh database (`database_url`), the injected FrozenClock and the recording mailbox
of the component tests; parallel calls are released together by a barrier (`in_parallel`), each on its
own test client (its own connection and transaction). Nothing sleeps.
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from contracts import validate_event
from kit.clock import FrozenClock
from kit.testing.services import in_parallel, outbox_envelopes
from kit.tokens import KeySet, TokenVerifier
from services.auth.domain import MAX_KEYS_PER_DAY
from services.auth.models import Account, AuthKey, Device, LoginChallenge, LoginThrottle
from services.auth.purge import KINDS, purge_expired
from tests.component.auth import purge_rows
from tests.component.auth.conftest import PASSWORD, AuthWorld, wrong_otp
from tests.component.auth.purge_rows import BOUNDARIES

WRONG_KEY = "WRONGKEY22"


@pytest.fixture
def world(database_url, tmp_path):
    world = AuthWorld(tmp_path, FrozenClock("2026-11-26T09:00:00+00:00"), database_url=database_url)
    assert world.runtime.engine.dialect.name == "postgresql"
    world.runtime.migrate()  # idempotent
    yield world
    world.runtime.dispose()


def _post(world, path: str, body: dict):
    """A call on a test client of its own (safe to make from several threads at once)."""
    def call():
        response = world.app.test_client().post(path, json=body)
        return response.status_code, response.json
    return call


def _key_row(world, seeker_id: str) -> AuthKey:
    with world.runtime.session_factory() as session:
        return session.scalar(select(AuthKey).where(AuthKey.seeker_id == seeker_id)
                              .order_by(AuthKey.id.desc()).limit(1))


def _keyed_seeker(world) -> tuple[dict, str]:
    seeker = world.register()
    assert world.request_opening(seeker["email"], seeker["birth_date"]).status_code == 202
    assert world.deliver_mail() == 1
    return seeker, world.mailbox.last_key(seeker["email"])


def _completion(world, email: str, key: str, password: str = PASSWORD):
    return _post(world, "/api/v1/auth/opening/complete", {"email": email, "auth_key": key, "password": password})


def test_opening_and_login_on_postgresql(world):
    # A1: the account comes from profile's event
    seeker = world.register(email="Taro@Example.JP")
    with world.runtime.session_factory() as session:
        assert session.get(Account, seeker["seeker_id"]).email == "taro@example.jp"
    email = "taro@example.jp"

    # A2/A3/S3: the same 202 for every well-formed request; only the right pair gets a mail, sent by the worker
    answers = [world.request_opening("nobody@example.jp"), world.request_opening(email, "1991-04-01"),
               world.request_opening(email)]
    assert {(a.status_code, a.get_data()) for a in answers} == {(202, answers[0].get_data())}
    assert world.mailbox.sent == []
    world.advance(minutes=3)
    assert world.deliver_mail() == 1
    assert "パスワード登録申込受付通知" in world.mailbox.last(email).subject
    key = world.mailbox.last_key(email)

    # A5/S1: a password breaking the rule is no wrong entry; the key is valid until 49:59 after sending
    refused = world.complete_opening(email, key, password="abcd!1234")
    assert refused.status_code == 422 and refused.json["password_rules"] == ["characters", "symbol"]
    world.advance(minutes=49, seconds=59)
    opened = world.complete_opening(email, key)
    assert opened.status_code == 201, opened.json
    [event] = outbox_envelopes(world.runtime, "auth.mypage.opened.v1")
    validate_event(event)
    assert event["data"]["seeker_id"] == seeker["seeker_id"]
    with world.runtime.session_factory() as session:
        account = session.get(Account, seeker["seeker_id"])
        assert account.password_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
        assert (account.terms_version, account.privacy_version) == ("2023-08", "2023-08")

    # A7: password, then the mailed OTP, remembering the device; the access token verifies with the JWKS
    tokens = world.login_fully(email, remember_device=True)
    verifier = TokenVerifier(KeySet(world.ctx.secrets.public_jwks), clock=world.clock)
    assert verifier.verify(tokens["access_token"]).subject == seeker["seeker_id"]
    remembered = world.login(email, device_token=tokens["device_token"], client="mobile")
    assert remembered.status_code == 200 and remembered.json["otp_required"] is False

    # DESIGN §5, S5: refresh rotates; logout ends the session and announces it
    refreshed = world.client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert refreshed.status_code == 200
    assert world.client.post("/api/v1/auth/logout", headers=world.bearer(refreshed.json)).status_code == 204
    assert world.client.post("/api/v1/auth/refresh", json={"refresh_token": refreshed.json["refresh_token"]}
                             ).status_code == 401
    [revoked] = outbox_envelopes(world.runtime, "auth.session.revoked.v1")
    validate_event(revoked)
    assert revoked["data"]["reason"] == "logout" and len(revoked["data"]["session_ids"]) == 1


# -- S1: wrong keys, in parallel -----------------------------------------------------------------------

def test_s1_two_parallel_wrong_keys_count_as_two_wrong_entries(world):
    seeker, _ = _keyed_seeker(world)
    results = in_parallel([_completion(world, seeker["email"], WRONG_KEY)] * 2)
    assert [status for status, _ in results] == [400, 400]
    assert _key_row(world, seeker["seeker_id"]).wrong_entries == 2


def test_s1_five_parallel_wrong_keys_void_the_key(world):
    seeker, key = _keyed_seeker(world)
    results = in_parallel([_completion(world, seeker["email"], WRONG_KEY)] * 5)
    assert [status for status, _ in results] == [400] * 5
    row = _key_row(world, seeker["seeker_id"])
    assert row.wrong_entries == 5 and row.voided_at is not None
    assert world.complete_opening(seeker["email"], key).status_code == 400


def test_s1_a_key_used_twice_at_once_opens_the_my_page_once(world):
    seeker, key = _keyed_seeker(world)
    results = in_parallel([_completion(world, seeker["email"], key, password) for password in
                           ("First@pass2026", "Second@pass2026", "Third@pass2026")])
    assert sorted(status for status, _ in results) == [201, 400, 400]
    assert len(outbox_envelopes(world.runtime, "auth.mypage.opened.v1")) == 1


def test_s1_parallel_key_requests_and_sending_never_mail_more_than_five_keys_in_24_hours(world):
    """S1/S2 (amended: the quota counts keys actually mailed): each round, 8 requests and a dispatcher
    pass run at once; a key being mailed counts before the next request decides, so 5 are mailed, never 6."""
    seeker = world.register()
    call = _post(world, "/api/v1/auth/opening", {
        "email": seeker["email"], "birth_date": seeker["birth_date"],
        "terms_version": "2023-08", "privacy_version": "2023-08"})
    for _ in range(MAX_KEYS_PER_DAY + 2):
        results = in_parallel([call] * 8 + [world.deliver_mail])
        assert [status for status, _ in results[:-1]] == [202] * 8
        world.deliver_mail()
        world.advance(minutes=1)
    with world.runtime.session_factory() as session:
        mailed = session.scalar(select(func.count()).select_from(AuthKey).where(
            AuthKey.seeker_id == seeker["seeker_id"], AuthKey.sent_at.is_not(None)))
    assert mailed == MAX_KEYS_PER_DAY
    assert len(world.mailbox.to(seeker["email"])) == MAX_KEYS_PER_DAY


# -- A7, S2: OTP tries and login failures, in parallel -------------------------------------------------------

def test_a7_five_parallel_wrong_otps_void_the_challenge(world):
    seeker = world.open_mypage()
    ticket, otp = world.otp_challenge(seeker["email"])
    wrong = wrong_otp(otp)
    call = _post(world, "/api/v1/auth/login/otp", {"login_ticket": ticket, "otp": wrong})
    assert [status for status, _ in in_parallel([call] * 5)] == [401] * 5
    with world.runtime.session_factory() as session:
        challenge = session.scalar(select(LoginChallenge).where(LoginChallenge.seeker_id == seeker["seeker_id"]))
        assert challenge.wrong_entries == 5 and challenge.voided_at is not None
        assert session.get(Account, seeker["seeker_id"]).otp_failures == 5  # S2: each counts on the account too
    right = world.client.post("/api/v1/auth/login/otp", json={"login_ticket": ticket, "otp": otp})
    assert right.status_code == 401


def test_s2_parallel_failed_logins_on_a_remembered_device_each_count_on_the_device_only(world):
    seeker = world.open_mypage()
    device = world.login_fully(seeker["email"], remember_device=True)["device_token"]
    call = _post(world, "/api/v1/auth/login", {"email": seeker["email"], "password": "Wrong@1234",
                                               "device_token": device})
    assert [status for status, _ in in_parallel([call] * 4)] == [401] * 4
    with world.runtime.session_factory() as session:
        assert session.scalar(select(Device.failures).where(Device.seeker_id == seeker["seeker_id"])) == 4
        assert session.scalar(select(func.count()).select_from(LoginThrottle)
                              .where(LoginThrottle.failures > 0)) == 0
    call()  # the 5th: the device's delay starts, the email's count is still 0
    assert call()[0] == 429
    assert world.login(seeker["email"]).json["otp_required"] is True


def test_s2_remembered_device_logins_beside_a_password_change_never_err(world):
    """A device login locks its device row and then inserts a session (a key-share lock on the account);
    a password change locks the account and then forgets the devices: neither may deadlock the other."""
    seeker = world.open_mypage()
    devices = [world.login_fully(seeker["email"], remember_device=True) for _ in range(3)]
    logins = [_post(world, "/api/v1/auth/login", {"email": seeker["email"], "password": PASSWORD,
                                                  "device_token": tokens["device_token"], "client": "mobile"})
              for tokens in devices for _ in range(2)]

    def change():
        response = world.app.test_client().put("/api/v1/me/password", headers=world.bearer(devices[0]), json={
            "current_password": PASSWORD, "new_password": "Other@pass2026"})
        return response.status_code, response.get_json(silent=True)

    results = in_parallel(logins + [change])
    assert results[-1][0] == 204, results[-1]
    assert {status for status, _ in results[:-1]} <= {200}, results


@pytest.mark.parametrize("known", [True, False], ids=["known-email", "unknown-email"])
def test_s2_parallel_failed_logins_each_count_and_none_errs(world, known):
    """The first failures of an email arrive together: each is a plain 401 and each is counted."""
    email = world.open_mypage()["email"] if known else "nobody@example.jp"
    call = _post(world, "/api/v1/auth/login", {"email": email, "password": "Wrong@1234"})
    results = in_parallel([call] * 4)
    assert [status for status, _ in results] == [401] * 4, results
    with world.runtime.session_factory() as session:
        assert session.scalar(select(LoginThrottle.failures)) == 4
    _, body = call()
    assert body["type"].endswith("/login-failed")  # the 5th failure: the delay starts now
    status, body = call()
    assert status == 429 and body["retry_after"] == 2


# -- R1: the purge, on PostgreSQL and beside live logins ------------------------------------------------------

def test_r1_the_purge_deletes_every_kind_and_keeps_unsent_mail_on_postgresql(world):
    for make, _ in BOUNDARIES.values():
        make(world)
    unsent_key = purge_rows.key(world, sent=None, voided=world.clock.now())  # replaced before its mail went out
    unsent_mail = purge_rows.mail(world, key_id=unsent_key[1], params={"key": "ABCDEFGH23"})
    world.clock.set(max(boundary for _, boundary in BOUNDARIES.values()))  # C3's audit entries: 5 years
    counts = purge_expired(world.runtime, batch=2)
    assert sum(counts.values()) == len(BOUNDARIES), counts
    assert purge_expired(world.runtime) == dict.fromkeys(KINDS, 0)  # again: harmless
    assert purge_rows.exists(world, unsent_key) and purge_rows.exists(world, unsent_mail)


def test_r1_a_login_whose_throttle_row_is_purged_under_it_still_answers_on_postgresql(world):
    purge_rows.login_whose_throttle_row_is_purged_under_it_still_answers(world)


def test_r1_a_purged_session_takes_its_retired_refresh_tokens_on_postgresql(world):
    purge_rows.purged_session_takes_its_retired_refresh_tokens(world)


def test_r1_the_purge_runs_while_logins_happen(world):
    """Logins, OTPs, refreshes and logouts on several connections while a purge loops beside them: no error.

    The rows a successful login leaves (a throttle row with no failure, a used challenge, a revoked
    session) are purgeable at once, so the purge keeps deleting rows the logins are locking or re-creating.
    """
    regulars = [world.open_mypage() for _ in range(2)]
    full = world.open_mypage()
    done, passes, errors = threading.Event(), [], []

    def purging():
        while not done.is_set():
            try:
                passes.append(purge_expired(world.runtime, batch=5))
            except Exception as error:  # noqa: BLE001 — reported by the assertion below
                errors.append(error)

    def logins(email: str, password: str, times: int = 8):
        def run():
            client = world.app.test_client()
            return [client.post("/api/v1/auth/login", json={"email": email, "password": password}).status_code
                    for _ in range(times)]
        return run

    def sessions(times: int = 4):
        def run():
            client, statuses = world.app.test_client(), []
            for _ in range(times):
                mailed = len(world.mailbox.to(full["email"]))
                ticket = client.post("/api/v1/auth/login", json={"email": full["email"], "password": PASSWORD})
                while len(world.mailbox.to(full["email"])) == mailed:  # others' OTP mails may be ahead in line
                    world.deliver_mail()
                answer = client.post("/api/v1/auth/login/otp", json={
                    "login_ticket": ticket.json["login_ticket"], "otp": world.mailbox.last_otp(full["email"]),
                    "client": "mobile"})
                refreshed = client.post("/api/v1/auth/refresh", json={"refresh_token": answer.json["refresh_token"]})
                out = client.post("/api/v1/auth/logout", headers=world.bearer(refreshed.json))
                statuses += [ticket.status_code, answer.status_code, refreshed.status_code, out.status_code]
            return statuses
        return run

    purger = threading.Thread(target=purging)
    purger.start()
    try:
        results = in_parallel([logins(seeker["email"], PASSWORD) for seeker in regulars for _ in range(3)]
                              + [logins("nobody@example.jp", "Wrong@1234", 4), sessions()])
    finally:
        done.set()
        purger.join(60)
    assert errors == []
    *right, wrong, flow = results
    assert all(status == 200 for statuses in right for status in statuses), right
    assert wrong == [401] * 4
    assert flow == [200, 200, 200, 204] * 4
    assert passes and sum(count["throttles"] for count in passes) > 0
    assert sum(count["sessions"] for count in passes) + sum(count["challenges"] for count in passes) > 0
    with world.runtime.session_factory() as session:  # the unknown email's 4 failures are remembered
        assert session.scalar(select(func.count()).select_from(LoginThrottle)
                              .where(LoginThrottle.failures == 4)) == 1
