"""A7, S2, S3: password then an emailed OTP, remembered devices, throttling and lock, 利用不可/withdrawn."""

from __future__ import annotations

import statistics
import time

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from kit.tokens import KeySet, TokenVerifier
from services.auth.models import Account
from tests.component.auth.conftest import OTP_LINE, PASSWORD, wrong_otp

VOLATILE_HEADERS = {"X-Request-ID"}


def _comparable(response) -> tuple:
    headers = sorted((k, v) for k, v in response.headers.items() if k not in VOLATILE_HEADERS)
    return response.status_code, response.get_data(), headers


def test_a7_password_then_otp_mail_then_tokens(world):
    seeker = world.open_mypage()
    answer = world.login(seeker["email"])
    assert answer.status_code == 200
    assert answer.json["otp_required"] is True and len(answer.json["login_ticket"]) >= 40
    world.deliver_mail()
    mail = world.mailbox.last(seeker["email"])
    assert "ワンタイムパスワード" in mail.subject
    otp = OTP_LINE.search(mail.body).group(1)
    response = world.client.post("/api/v1/auth/login/otp", json={"login_ticket": answer.json["login_ticket"],
                                                                  "otp": otp, "remember_device": False})
    assert response.status_code == 200
    body = response.json
    assert body["token_type"] == "Bearer" and body["expires_in"] == 300
    assert "device_token" not in body
    principal = TokenVerifier(KeySet(world.ctx.secrets.public_jwks), clock=world.clock).verify(body["access_token"])
    assert principal.subject == seeker["seeker_id"] and principal.roles == {"seeker"} and principal.session_id


def test_s3_unknown_email_and_wrong_password_answer_identically(world):
    seeker = world.open_mypage()
    unknown = world.login("nobody@example.jp", "Wrong@1234")
    wrong = world.login(seeker["email"], "Wrong@1234")
    assert unknown.status_code == 401 and unknown.json["type"].endswith("/login-failed")
    assert _comparable(unknown) == _comparable(wrong)


def test_s3_a_pending_account_logs_in_like_an_unknown_one(world):
    seeker = world.register()
    assert _comparable(world.login(seeker["email"])) == _comparable(world.login("nobody@example.jp"))


def test_a7_otp_valid_at_9_59_after_sending(world):
    seeker = world.open_mypage()
    ticket = world.login(seeker["email"]).json["login_ticket"]
    world.advance(minutes=2)
    world.deliver_mail()
    world.advance(minutes=9, seconds=59)
    response = world.client.post("/api/v1/auth/login/otp", json={"login_ticket": ticket,
                                                                  "otp": world.mailbox.last_otp(seeker["email"])})
    assert response.status_code == 200


def test_a7_otp_refused_at_10_00_after_sending(world):
    seeker = world.open_mypage()
    ticket = world.login(seeker["email"]).json["login_ticket"]
    world.deliver_mail()
    world.advance(minutes=10)
    response = world.client.post("/api/v1/auth/login/otp", json={"login_ticket": ticket,
                                                                  "otp": world.mailbox.last_otp(seeker["email"])})
    assert response.status_code == 401 and response.json["type"].endswith("/otp-invalid")


def test_a7_five_wrong_otps_void_the_challenge(world):
    seeker = world.open_mypage()
    ticket, otp = world.otp_challenge(seeker["email"])
    wrong = wrong_otp(otp)
    for _ in range(5):
        assert world.client.post("/api/v1/auth/login/otp", json={"login_ticket": ticket, "otp": wrong}
                                 ).status_code == 401
    response = world.client.post("/api/v1/auth/login/otp", json={"login_ticket": ticket, "otp": otp})
    assert response.status_code == 401


def test_a7_four_wrong_otps_then_the_right_one(world):
    seeker = world.open_mypage()
    ticket, otp = world.otp_challenge(seeker["email"])
    for _ in range(4):
        world.client.post("/api/v1/auth/login/otp", json={"login_ticket": ticket, "otp": wrong_otp(otp)})
    assert world.client.post("/api/v1/auth/login/otp", json={"login_ticket": ticket, "otp": otp}).status_code == 200


def test_a7_an_otp_is_single_use(world):
    seeker = world.open_mypage()
    ticket = world.login(seeker["email"]).json["login_ticket"]
    world.deliver_mail()
    otp = world.mailbox.last_otp(seeker["email"])
    assert world.client.post("/api/v1/auth/login/otp", json={"login_ticket": ticket, "otp": otp}).status_code == 200
    assert world.client.post("/api/v1/auth/login/otp", json={"login_ticket": ticket, "otp": otp}).status_code == 401


def test_a7_a_remembered_device_skips_the_otp_for_30_days_and_can_be_revoked(world):
    seeker = world.open_mypage()
    tokens = world.login_fully(seeker["email"], remember_device=True)
    device = tokens["device_token"]
    mails = len(world.mailbox.sent)
    skipped = world.login(seeker["email"], device_token=device, client="mobile")
    assert skipped.status_code == 200
    assert skipped.json["otp_required"] is False and skipped.json["access_token"] and skipped.json["refresh_token"]
    world.deliver_mail()
    assert len(world.mailbox.sent) == mails
    # another seeker's device token does not skip anything
    other = world.open_mypage()
    assert world.login(other["email"], device_token=device).json["otp_required"] is True
    # revocable
    assert world.client.delete("/api/v1/auth/devices", headers=world.bearer(skipped.json)).status_code == 204
    assert world.login(seeker["email"], device_token=device).json["otp_required"] is True


def test_a7_a_web_client_remembers_the_device_in_an_httponly_cookie_that_outlives_logout(world):
    """Issue 12 (9): the device token survives the tab and a restart, never readable by scripts: an
    HttpOnly cookie sent only to the login (path /api/v1/auth/login), 30 days; logout keeps it."""
    seeker = world.open_mypage()
    tokens = world.login_fully(seeker["email"], client="web", remember_device=True)
    assert "device_token" not in tokens
    cookie = world.client.get_cookie("mypage_device", path="/api/v1/auth/login")
    assert cookie is not None and cookie.http_only and cookie.secure and cookie.same_site == "Strict"
    assert cookie.max_age == 30 * 24 * 3600
    assert world.client.post("/api/v1/auth/logout", headers=world.bearer(tokens)).status_code == 204
    assert world.client.get_cookie("mypage_device", path="/api/v1/auth/login") is not None
    mails = len(world.mailbox.sent)
    skipped = world.login(seeker["email"])  # no token in the body: the cookie alone
    assert skipped.status_code == 200 and skipped.json["otp_required"] is False, skipped.json
    assert "device_token" not in skipped.json and "refresh_token" not in skipped.json
    world.deliver_mail()
    assert len(world.mailbox.sent) == mails
    assert world.client.delete("/api/v1/auth/devices", headers=world.bearer(skipped.json)).status_code == 204
    assert world.login(seeker["email"]).json["otp_required"] is True


def test_a7_a_mobile_client_gets_the_device_token_in_the_body_and_no_cookie(world):
    seeker = world.open_mypage()
    tokens = world.login_fully(seeker["email"], client="mobile", remember_device=True)
    assert tokens["device_token"] and world.client.get_cookie("mypage_device", path="/api/v1/auth/login") is None


def test_a7_a_remembered_device_expires_after_30_days(world):
    seeker = world.open_mypage()
    device = world.login_fully(seeker["email"], remember_device=True)["device_token"]
    world.advance(days=29, hours=23)
    assert world.login(seeker["email"], device_token=device).json["otp_required"] is False
    world.advance(hours=1)
    assert world.login(seeker["email"], device_token=device).json["otp_required"] is True


def test_a7_a_wrong_password_with_a_remembered_device_still_fails(world):
    seeker = world.open_mypage()
    device = world.login_fully(seeker["email"], remember_device=True)["device_token"]
    assert world.login(seeker["email"], "Wrong@1234", device_token=device).status_code == 401


# -- S2: throttling and lock ------------------------------------------------------------------------

def _fail(world, email, times):
    for _ in range(times):
        response = world.login(email, "Wrong@1234")
        assert response.status_code == 401, response.json


def test_s2_four_failures_leave_no_delay(world):
    seeker = world.open_mypage()
    _fail(world, seeker["email"], 4)
    assert world.login(seeker["email"]).status_code == 200


def test_s2_a_growing_delay_from_the_5th_consecutive_failure(world):
    seeker = world.open_mypage()
    _fail(world, seeker["email"], 5)
    refused = world.login(seeker["email"])
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "2" and refused.json["retry_after"] == 2
    world.advance(seconds=2)
    _fail(world, seeker["email"], 1)  # the 6th: now 4 seconds
    world.advance(seconds=3)
    assert world.login(seeker["email"]).status_code == 429
    world.advance(seconds=1)
    assert world.login(seeker["email"]).status_code == 200  # and a success resets the count
    _fail(world, seeker["email"], 1)
    assert world.login(seeker["email"]).status_code == 200


def _fail_until_locked(world, email):
    for failures in range(10):
        if failures >= 5:
            world.advance(seconds=2 ** (failures - 4))
        assert world.login(email, "Wrong@1234").status_code == 401


def test_s2_the_10th_failure_locks_for_30_minutes(world):
    seeker = world.open_mypage()
    _fail_until_locked(world, seeker["email"])
    locked = world.login(seeker["email"])  # even the right password
    assert locked.status_code == 429 and "30分間" in locked.json["detail"]
    assert locked.headers["Retry-After"] == "1800"
    world.advance(minutes=29, seconds=59)
    assert world.login(seeker["email"]).status_code == 429
    world.advance(seconds=1)
    assert world.login(seeker["email"]).status_code == 200


def test_s2_other_accounts_are_unaffected_by_a_lock(world):
    locked, other = world.open_mypage(), world.open_mypage()
    _fail_until_locked(world, locked["email"])
    assert world.login(other["email"]).status_code == 200


def test_s2_an_unknown_email_is_throttled_exactly_like_a_known_one(world):
    seeker = world.open_mypage()
    for failures in range(10):
        if failures >= 5:
            world.advance(seconds=2 ** (failures - 4))
        assert _comparable(world.login(seeker["email"], "Wrong@1234")) == _comparable(
            world.login("nobody@example.jp", "Wrong@1234"))
    assert _comparable(world.login(seeker["email"])) == _comparable(world.login("nobody@example.jp"))


def test_s2_the_key_flow_works_while_locked_and_lifts_the_lock(world):
    seeker = world.open_mypage()
    _fail_until_locked(world, seeker["email"])
    assert world.client.post("/api/v1/auth/password-reset", json={
        "email": seeker["email"], "birth_date": seeker["birth_date"]}).status_code == 202
    world.deliver_mail()
    mail = world.mailbox.last(seeker["email"])
    assert "パスワード再設定申込受付通知" in mail.subject
    response = world.client.post("/api/v1/auth/password-reset/complete", json={
        "email": seeker["email"], "auth_key": world.mailbox.last_key(seeker["email"]), "password": "New@pass2026"})
    assert response.status_code == 204
    assert world.login(seeker["email"], "New@pass2026").status_code == 200
    assert world.login(seeker["email"], PASSWORD).status_code == 401


# -- S2 as amended: per device, OTPs per account --------------------------------------------------------

def _fail_until_locked_on(world, email, device_token):
    for failures in range(10):
        if failures >= 5:
            world.advance(seconds=2 ** (failures - 4))
        assert world.login(email, "Wrong@1234", device_token=device_token).status_code == 401


def test_s2_a_stranger_cannot_lock_the_seeker_out_of_a_remembered_device(world):
    seeker = world.open_mypage()
    device = world.login_fully(seeker["email"], remember_device=True)["device_token"]
    _fail_until_locked(world, seeker["email"])  # a stranger who knows the email, from a device of their own
    assert world.login(seeker["email"]).status_code == 429  # every unknown device, even with the right password
    remembered = world.login(seeker["email"], device_token=device, client="mobile")
    assert remembered.status_code == 200 and remembered.json["otp_required"] is False
    assert remembered.json["access_token"] and remembered.json["refresh_token"]
    # the device's success does not reset the stranger's count: unknown devices stay locked, and again
    assert world.login(seeker["email"]).status_code == 429
    world.advance(minutes=30)
    _fail_until_locked(world, seeker["email"])
    assert world.login(seeker["email"], device_token=device).json["otp_required"] is False


def test_s2_a_remembered_device_counts_its_own_failures_and_its_lock_is_its_own(world):
    seeker = world.open_mypage()
    device = world.login_fully(seeker["email"], remember_device=True)["device_token"]
    _fail(world, seeker["email"], 4)  # unknown devices: 4 failures
    _fail_until_locked_on(world, seeker["email"], device)
    locked = world.login(seeker["email"], device_token=device)
    assert locked.status_code == 429 and locked.headers["Retry-After"] == "1800"
    # the email's count was not touched: an unknown device's 5th failure is the one that starts the delay
    _fail(world, seeker["email"], 1)
    assert world.login(seeker["email"]).json["retry_after"] == 2
    world.advance(seconds=2)
    assert world.login(seeker["email"]).json["otp_required"] is True
    world.advance(minutes=30)
    assert world.login(seeker["email"], device_token=device).json["otp_required"] is False


def test_s2_a_remembered_device_gets_the_growing_delay_from_its_5th_failure(world):
    seeker = world.open_mypage()
    device = world.login_fully(seeker["email"], remember_device=True)["device_token"]
    for _ in range(5):
        assert world.login(seeker["email"], "Wrong@1234", device_token=device).status_code == 401
    refused = world.login(seeker["email"], device_token=device)
    assert refused.status_code == 429 and refused.json["retry_after"] == 2
    world.advance(seconds=2)
    assert world.login(seeker["email"], device_token=device).json["otp_required"] is False


def test_s2_a_device_token_of_another_seeker_or_a_forgotten_one_is_an_unknown_device(world):
    seeker, other = world.open_mypage(), world.open_mypage()
    others_device = world.login_fully(other["email"], remember_device=True)["device_token"]
    tokens = world.login_fully(seeker["email"], remember_device=True)
    assert world.client.delete("/api/v1/auth/devices", headers=world.bearer(tokens)).status_code == 204
    _fail_until_locked(world, seeker["email"])
    for token in (others_device, tokens["device_token"], "forged-device-token"):
        assert world.login(seeker["email"], device_token=token).status_code == 429
    # and the other seeker's own device was not touched by any of it
    assert world.login(other["email"], device_token=others_device).json["otp_required"] is False


def _enter(world, ticket: str, otp: str):
    return world.client.post("/api/v1/auth/login/otp", json={"login_ticket": ticket, "otp": otp, "client": "mobile"})


def _fail_otps_until_locked(world, email: str) -> None:
    """10 wrong OTPs over two challenges (5 void a challenge), waiting out the delays from the 5th."""
    for failures in range(10):
        if failures >= 5:
            world.advance(seconds=2 ** (failures - 4))
        if failures % 5 == 0:
            ticket, otp = world.otp_challenge(email)
        assert _enter(world, ticket, wrong_otp(otp)).status_code == 401


def test_s2_otp_guesses_are_counted_per_account_across_challenges_and_lock_the_otp_step(world):
    seeker, other = world.open_mypage(), world.open_mypage()
    _fail_otps_until_locked(world, seeker["email"])
    locked = world.login(seeker["email"])  # the right password: no new OTP while the OTP step is locked
    assert locked.status_code == 429 and locked.headers["Retry-After"] == "1800"
    assert "ワンタイムパスワードの入力に続けて失敗したため" in locked.json["detail"]
    assert world.login(seeker["email"], "Wrong@1234").status_code == 401  # nothing told without the password
    assert world.login_fully(other["email"])["access_token"]  # other accounts unaffected
    world.advance(minutes=29, seconds=59)
    assert world.login(seeker["email"]).status_code == 429
    world.advance(seconds=1)
    ticket, otp = world.otp_challenge(seeker["email"])
    assert _enter(world, ticket, otp).status_code == 200


def test_s2_the_otp_lock_mails_the_seeker_a_notice_once(world):
    seeker = world.open_mypage()
    _fail_otps_until_locked(world, seeker["email"])
    world.deliver_mail()
    notices = [mail for mail in world.mailbox.to(seeker["email"]) if "ログイン制限のお知らせ" in mail.subject]
    assert len(notices) == 1
    assert "2026年11月26日 18時31分（日本時間）まで" in notices[0].body  # 09:01:02 UTC (the delays) + 30 min, JST
    assert "パスワード再設定" in notices[0].body and "ワンタイムパスワード：" not in notices[0].body


def test_s2_a_new_login_does_not_reset_the_otp_count_but_a_right_otp_does(world):
    seeker = world.open_mypage()
    ticket, otp = world.otp_challenge(seeker["email"])
    for _ in range(4):
        assert _enter(world, ticket, wrong_otp(otp)).status_code == 401
    ticket, otp = world.otp_challenge(seeker["email"])  # a new challenge, the same count: the 5th starts the delay
    assert _enter(world, ticket, wrong_otp(otp)).status_code == 401
    refused = _enter(world, ticket, otp)
    assert refused.status_code == 429 and refused.json["retry_after"] == 2
    world.advance(seconds=2)
    assert _enter(world, ticket, otp).status_code == 200  # and the count starts again
    ticket, otp = world.otp_challenge(seeker["email"])
    for _ in range(4):
        assert _enter(world, ticket, wrong_otp(otp)).status_code == 401
    assert _enter(world, ticket, otp).status_code == 200


def test_s2_a_remembered_device_logs_in_while_the_otp_step_is_locked(world):
    seeker = world.open_mypage()
    device = world.login_fully(seeker["email"], remember_device=True)["device_token"]
    _fail_otps_until_locked(world, seeker["email"])
    assert world.login(seeker["email"]).status_code == 429
    assert world.login(seeker["email"], device_token=device).json["otp_required"] is False


def test_s2_a_password_reset_lifts_the_otp_lock(world):
    seeker = world.open_mypage()
    _fail_otps_until_locked(world, seeker["email"])
    assert world.reset_password(seeker, "New@pass2026").status_code == 204
    ticket, otp = world.otp_challenge(seeker["email"], "New@pass2026")
    assert _enter(world, ticket, otp).status_code == 200


# -- A10/A9: unusable and withdrawn -----------------------------------------------------------------------

def test_a10_an_unusable_my_page_cannot_log_in_and_is_told_to_contact_hello_work(world):
    seeker = world.open_mypage()
    staff = world.staff_headers()
    world.client.put(f"/api/v1/staff/seekers/{seeker['seeker_number']}/mypage-status", json={"usable": False},
                     headers=staff)
    refused = world.login(seeker["email"])
    assert refused.status_code == 403 and refused.json["type"].endswith("/mypage-unavailable")
    assert "ハローワークにお問い合わせください" in refused.json["detail"]
    assert world.login(seeker["email"], "Wrong@1234").status_code == 401  # no hint without the password
    world.client.put(f"/api/v1/staff/seekers/{seeker['seeker_number']}/mypage-status", json={"usable": True},
                     headers=staff)
    assert world.login(seeker["email"]).status_code == 200


def test_a9_a_withdrawn_my_page_cannot_log_in(world):
    seeker = world.open_mypage()
    tokens = world.login_fully(seeker["email"])
    assert world.client.delete("/api/v1/me", json={"password": PASSWORD}, headers=world.bearer(tokens)
                               ).status_code == 204
    refused = world.login(seeker["email"])
    assert refused.status_code == 403 and "ハローワーク" in refused.json["detail"]


# -- S4: rehash ----------------------------------------------------------------------------------------------

def test_s4_a_hash_made_with_old_parameters_is_replaced_at_login(world):
    seeker = world.open_mypage()
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    with world.runtime.session_factory() as session:
        session.get(Account, seeker["seeker_id"]).password_hash = weak
        session.commit()
    assert world.login(seeker["email"]).status_code == 200
    with world.runtime.session_factory() as session:
        stored = session.scalar(select(Account.password_hash).where(Account.seeker_id == seeker["seeker_id"]))
    assert stored != weak and stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert world.login(seeker["email"]).status_code == 200


# -- S3: login timing ----------------------------------------------------------------------------------------

def test_s3_an_unknown_email_costs_one_argon2id_verification_like_a_known_one(world):
    """The dummy hash (made with today's parameters) is verified for an unknown or pending account."""
    seeker, pending = world.open_mypage(), world.register()
    passwords, hasher = world.ctx.passwords, world.ctx.passwords._hasher
    verified: list[str] = []

    class Spy:
        def __getattr__(self, name):
            return getattr(hasher, name)

        def verify(self, stored_hash, password):
            verified.append(stored_hash)
            return hasher.verify(stored_hash, password)

    passwords._hasher = Spy()
    try:
        for email in ("nobody@example.jp", pending["email"], seeker["email"]):
            assert world.login(email, "Wrong@1234").status_code == 401
    finally:
        passwords._hasher = hasher
    assert len(verified) == 3
    assert {stored.rsplit("$", 2)[0] for stored in verified} == {"$argon2id$v=19$m=19456,t=2,p=1"}


@pytest.mark.timing
def test_s3_login_timing_is_indistinguishable_within_a_generous_bound(world):
    """Medians of interleaved samples; a missing dummy hash would make the unknown email ~20× faster,
    the bound only asks that neither takes less than half the other's time."""
    seeker = world.open_mypage()
    unknown, known = [], []
    for _ in range(9):
        for email, samples in (("nobody@example.jp", unknown), (seeker["email"], known)):
            world.advance(hours=1)  # past any delay or lock (S2): every sample does the full work
            started = time.perf_counter()
            assert world.login(email, "Wrong@1234").status_code == 401
            samples.append(time.perf_counter() - started)
    unknown_median, known_median = statistics.median(unknown), statistics.median(known)
    assert unknown_median > known_median / 2 and known_median > unknown_median / 2, (unknown_median, known_median)


def test_a7_an_otp_entered_while_its_mail_is_still_being_handed_over_is_accepted(world):
    """The code counts from the moment it is handed to SMTP: a reader faster than the dispatcher's
    last commit is never refused (a real race the S8 fuzzing run surfaced)."""
    seeker = world.open_mypage()
    answer = world.login(seeker["email"])
    assert answer.status_code == 200
    results = []

    def send_and_enter_at_once(smtp_url, mail_from, to, subject, body):
        world.mailbox.send(smtp_url, mail_from, to, subject, body)
        results.append(world.client.post("/api/v1/auth/login/otp", json={
            "login_ticket": answer.json["login_ticket"], "otp": world.mailbox.last_otp(to),
            "remember_device": False, "client": "mobile"}))

    world.dispatcher._send = send_and_enter_at_once
    assert world.deliver_mail() == 1
    assert [r.status_code for r in results] == [200]
    assert results[0].json["access_token"]
