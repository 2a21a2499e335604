"""A2–A6, S1, S3: terms, the key mail through the outbox, the key's life, and opening the My Page."""

from __future__ import annotations

import statistics
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from kit.mail import MailError
from services.auth import terms
from services.auth.models import Account, AuthKey, Mail
from tests.component.auth.conftest import KEY_LINE, PASSWORD

VOLATILE_HEADERS = {"X-Request-ID"}


def _comparable(response) -> tuple:
    headers = sorted((k, v) for k, v in response.headers.items() if k not in VOLATILE_HEADERS)
    return response.status_code, response.get_data(), headers


# -- terms (A2) -----------------------------------------------------------------------------------

def test_a2_terms_are_the_current_japanese_documents_with_versions(world):
    response = world.client.get("/api/v1/terms")
    assert response.status_code == 200
    body = response.json
    current = terms.current()
    assert body["terms_version"] == current.terms.version
    assert body["privacy_version"] == current.privacy_policy.version
    assert "利用規約" in body["terms"] and len(body["terms"]) > 1500
    assert "プライバシーポリシー" in body["privacy_policy"] and len(body["privacy_policy"]) > 1000


def test_a2_an_outdated_terms_version_is_refused_with_a_clear_problem(world):
    seeker = world.register()
    response = world.client.post("/api/v1/auth/opening", json={
        "email": seeker["email"], "birth_date": seeker["birth_date"], "terms_version": "2020-01",
        "privacy_version": terms.current().privacy_policy.version})
    assert response.status_code == 409
    assert response.json["type"].endswith("/terms-outdated")
    assert [e["field"] for e in response.json["errors"]] == ["terms_version"]
    assert "利用規約が改定されています" in response.json["errors"][0]["messages"][0]
    assert response.json["terms_version"] == terms.current().terms.version
    world.deliver_mail()
    assert world.mailbox.sent == []


def test_a2_consent_versions_and_time_are_recorded_on_opening(world):
    seeker = world.register()
    world.request_opening(seeker["email"])
    asked_at = world.clock.now()
    world.advance(minutes=3)
    world.deliver_mail()
    world.complete_opening(seeker["email"], world.mailbox.last_key(seeker["email"]))
    with world.runtime.session_factory() as session:
        account = session.get(Account, seeker["seeker_id"])
    assert (account.terms_version, account.privacy_version) == ("2023-08", "2023-08")
    assert account.consented_at == asked_at


# -- S3: no enumeration ------------------------------------------------------------------------------

def test_s3_opening_answers_identically_for_unknown_email_wrong_birth_date_and_the_right_pair(world):
    seeker = world.register()
    unknown = world.request_opening("nobody@example.jp")
    wrong_birth_date = world.request_opening(seeker["email"], "1991-04-01")
    right = world.request_opening(seeker["email"])
    assert right.status_code == 202
    assert _comparable(unknown) == _comparable(wrong_birth_date) == _comparable(right)
    world.deliver_mail()
    assert [mail.to for mail in world.mailbox.sent] == [seeker["email"]]


def test_s3_opening_for_an_already_open_account_answers_the_same_and_sends_nothing(world):
    seeker = world.open_mypage()
    sent = len(world.mailbox.sent)
    assert _comparable(world.request_opening(seeker["email"])) == _comparable(world.request_opening("x@example.jp"))
    world.deliver_mail()
    assert len(world.mailbox.sent) == sent


@pytest.mark.timing
def test_s3_opening_timing_is_indistinguishable_within_a_generous_bound(world):
    """Medians over 25 requests each; the bound (25 ms) is far above the work a match adds (two inserts)."""
    seeker = world.register()

    def median(email, birth_date):
        samples = []
        for _ in range(25):
            started = time.perf_counter()
            world.request_opening(email, birth_date)
            samples.append(time.perf_counter() - started)
        return statistics.median(samples)

    unknown = median("nobody@example.jp", seeker["birth_date"])
    right = median(seeker["email"], seeker["birth_date"])  # the 6th+ are refused by S1 but still do the lookup
    assert abs(right - unknown) < 0.025, (unknown, right)


def test_a3_malformed_input_is_a_422_naming_the_fields(world):
    response = world.client.post("/api/v1/auth/opening", json={"email": "not-an-email", "birth_date": "1990/04/01",
                                                                "terms_version": "2023-08"})
    assert response.status_code == 422
    assert {e["field"] for e in response.json["errors"]} == {"email", "birth_date", "privacy_version"}


@pytest.mark.parametrize("typed", ["1990－04－01", "１９９０ー０４ー０１", "1990‐04‐01", " 1990-04-01 "])
def test_a3_a_birth_date_typed_as_profile_reads_it_opens_and_resets_the_same_account(world, typed):
    """kit.fields.TypedDate at every door: profile's registration (P1) reads `１９９０－０４－０１` as
    1990-04-01, so opening (A3) and reset (A8) read it alike instead of answering 422."""
    seeker = world.register(birth_date="1990-04-01")
    assert world.request_opening(seeker["email"], typed).status_code == 202
    assert world.deliver_mail() == 1
    assert world.complete_opening(seeker["email"], world.mailbox.last_key(seeker["email"])).status_code == 201
    reset = world.client.post("/api/v1/auth/password-reset", json={"email": seeker["email"], "birth_date": typed})
    assert reset.status_code == 202
    assert world.deliver_mail() == 1 and "認証キー" in world.mailbox.last(seeker["email"]).body


def test_a3_a_birth_date_that_does_not_exist_is_a_bilingual_422(world):
    seeker = world.register()
    response = world.request_opening(seeker["email"], "1990－02－30", **{"Accept-Language": "en"})
    assert response.status_code == 422
    assert response.json["errors"] == [{"field": "birth_date", "messages": ["Enter a real date as YYYY-MM-DD."]}]


def test_a3_email_is_matched_normalised(world):
    world.register(email="Taro.Kyushoku@Example.JP")
    world.request_opening("  ｔａｒｏ.kyushoku@example.jp ")
    world.deliver_mail()
    assert world.mailbox.last("taro.kyushoku@example.jp")


# -- A3/S1: the key mail ---------------------------------------------------------------------------------

def test_a3_the_key_mail_is_queued_not_sent_in_the_request_then_sent_by_the_dispatcher(world):
    seeker = world.register()
    world.request_opening(seeker["email"])
    assert world.mailbox.sent == []
    assert world.deliver_mail() == 1
    mail = world.mailbox.last(seeker["email"])
    assert "パスワード登録申込受付通知" in mail.subject
    key = KEY_LINE.search(mail.body).group(1)
    assert len(key) == 10
    # sent at 09:00 UTC = 18:00 JST; valid for 50 minutes
    assert "有効期限：2026年11月26日 18時50分（日本時間）まで" in mail.body


def test_s1_the_key_is_stored_only_as_an_hmac_and_the_sent_mail_keeps_no_copy(world):
    seeker = world.register()
    world.request_opening(seeker["email"])
    world.deliver_mail()
    key = world.mailbox.last_key(seeker["email"])
    with world.runtime.engine.connect() as connection:
        dump = "\n".join(str(tuple(row)) for table in ("auth_keys", "mail_outbox")
                         for row in connection.exec_driver_sql(f"SELECT * FROM {table}"))
    assert key not in dump
    with world.runtime.session_factory() as session:
        assert session.scalar(select(Mail)).params is None


def test_s1_keys_are_random_with_at_least_40_bits(world):
    from services.auth.domain import KEY_ALPHABET, KEY_LENGTH, new_auth_key

    assert KEY_LENGTH * (len(KEY_ALPHABET).bit_length() - 1) >= 40
    assert len({new_auth_key() for _ in range(1000)}) == 1000


def test_s1_key_valid_at_49_59_after_sending(world):
    seeker = world.register()
    world.request_opening(seeker["email"])
    world.advance(minutes=7)  # the worker sends later: the 50 minutes run from sending
    world.deliver_mail()
    world.advance(minutes=49, seconds=59)
    response = world.complete_opening(seeker["email"], world.mailbox.last_key(seeker["email"]))
    assert response.status_code == 201


def test_s1_key_refused_at_50_00_after_sending(world):
    seeker = world.register()
    world.request_opening(seeker["email"])
    world.deliver_mail()
    world.advance(minutes=50)
    response = world.complete_opening(seeker["email"], world.mailbox.last_key(seeker["email"]))
    assert response.status_code == 400
    assert response.json["type"].endswith("/code-invalid")


def test_s1_a_key_not_yet_sent_is_not_usable(world):
    seeker = world.register()
    world.request_opening(seeker["email"])
    with world.runtime.session_factory() as session:
        assert session.scalar(select(AuthKey)).expires_at is None


def test_s1_five_wrong_entries_void_the_key(world):
    seeker = world.register()
    world.request_opening(seeker["email"])
    world.deliver_mail()
    key = world.mailbox.last_key(seeker["email"])
    for _ in range(5):
        assert world.complete_opening(seeker["email"], "WRONGKEY22").status_code == 400
    assert world.complete_opening(seeker["email"], key).status_code == 400


def test_s1_four_wrong_entries_leave_the_key_usable(world):
    seeker = world.register()
    world.request_opening(seeker["email"])
    world.deliver_mail()
    for _ in range(4):
        world.complete_opening(seeker["email"], "WRONGKEY22")
    assert world.complete_opening(seeker["email"], world.mailbox.last_key(seeker["email"])).status_code == 201


def test_s1_a_password_breaking_the_rule_is_not_a_wrong_entry(world):
    seeker = world.register()
    world.request_opening(seeker["email"])
    world.deliver_mail()
    for _ in range(6):
        response = world.complete_opening(seeker["email"], "WRONGKEY22", password="short")
        assert response.status_code == 422
    assert world.complete_opening(seeker["email"], world.mailbox.last_key(seeker["email"])).status_code == 201


def test_s1_the_sixth_key_request_in_24_hours_sends_nothing(world):
    seeker = world.register()
    for _ in range(6):
        assert world.request_opening(seeker["email"]).status_code == 202
        world.deliver_mail()
        world.advance(minutes=10)
    assert len(world.mailbox.to(seeker["email"])) == 5
    world.advance(hours=24)
    world.request_opening(seeker["email"])
    world.deliver_mail()
    assert len(world.mailbox.to(seeker["email"])) == 6


def test_s2_five_key_requests_with_two_keys_mailed_leave_three_keys_to_mail(world):
    """S2: the quota counts keys actually mailed; keys replaced before their mail went out do not count."""
    seeker = world.register()
    for batch in (2, 3):  # two requests, then three, before the dispatcher runs: one mail each time
        for _ in range(batch):
            assert world.request_opening(seeker["email"]).status_code == 202
        assert world.deliver_mail() == 1
    assert len(world.mailbox.to(seeker["email"])) == 2
    for _ in range(4):
        world.request_opening(seeker["email"])
        world.deliver_mail()
    assert len(world.mailbox.to(seeker["email"])) == 5  # three more, then the 5-a-day limit
    world.advance(hours=24)
    world.request_opening(seeker["email"])
    assert world.deliver_mail() == 1


def test_s2_a_key_whose_mail_failed_does_not_count_until_it_is_sent(world):
    seeker = world.register()
    world.dispatcher._send = _refusing_smtp
    for _ in range(6):
        world.request_opening(seeker["email"])
        world.deliver_mail()
        world.advance(minutes=1)
    world.dispatcher._send = world.mailbox.send
    world.advance(minutes=10)  # past every retry delay
    assert world.deliver_mail() == 1  # the newest key; the five it replaced were never mailed
    for _ in range(5):
        world.request_opening(seeker["email"])
        world.deliver_mail()
    assert len(world.mailbox.to(seeker["email"])) == 5
    assert world.complete_opening(seeker["email"], world.mailbox.last_key(seeker["email"])).status_code == 201


def _refusing_smtp(*_):
    raise MailError("connection refused")


def test_s1_a_newer_key_voids_the_older_one(world):
    seeker = world.register()
    world.request_opening(seeker["email"])
    world.deliver_mail()
    older = world.mailbox.last_key(seeker["email"])
    world.request_opening(seeker["email"])
    world.deliver_mail()
    newer = world.mailbox.last_key(seeker["email"])
    assert world.complete_opening(seeker["email"], older).status_code == 400
    assert world.complete_opening(seeker["email"], newer).status_code == 201


def test_s1_a_key_is_single_use(world):
    seeker = world.register()
    world.request_opening(seeker["email"])
    world.deliver_mail()
    key = world.mailbox.last_key(seeker["email"])
    assert world.complete_opening(seeker["email"], key).status_code == 201
    assert world.complete_opening(seeker["email"], key, password="Other@2026x").status_code == 400


def test_s1_the_key_may_be_typed_in_lower_case_or_full_width(world):
    seeker = world.register()
    world.request_opening(seeker["email"])
    world.deliver_mail()
    key = world.mailbox.last_key(seeker["email"])
    typed = " " + "".join(chr(ord(c) + 0xFEE0) for c in key.lower()) + " "
    assert world.complete_opening(seeker["email"], typed).status_code == 201


def test_s3_complete_answers_the_same_for_an_unknown_email_and_a_wrong_key(world):
    seeker = world.register()
    world.request_opening(seeker["email"])
    world.deliver_mail()
    unknown = world.complete_opening("nobody@example.jp", "ABCDEFGHJK")
    wrong = world.complete_opening(seeker["email"], "ABCDEFGHJK")
    assert _comparable(unknown) == _comparable(wrong)


def test_a6_opening_publishes_the_opened_event_with_the_seeker_id_only(world):
    seeker = world.open_mypage()
    [event] = world.published("auth.mypage.opened.v1")
    assert event.subject == seeker["seeker_id"]
    assert set(event.data) == {"seeker_id", "opened_at"}
    assert event.data["seeker_id"] == seeker["seeker_id"]


def test_a3_mail_that_cannot_be_sent_is_retried_later_never_dropped(world):
    seeker = world.register()
    world.request_opening(seeker["email"])
    calls = []

    def failing(*args):
        calls.append(args)
        raise MailError("SMTP 127.0.0.1:1: ConnectionRefusedError")

    world.dispatcher._send = failing
    assert world.deliver_mail() == 0
    assert world.deliver_mail() == 0  # not due yet: no second attempt at once
    assert len(calls) == 1
    with world.runtime.session_factory() as session:
        mail = session.scalar(select(Mail))
        assert (mail.attempts, mail.sent_at) == (1, None) and "ConnectionRefused" in mail.last_error
        assert session.scalar(select(AuthKey)).expires_at is None  # the 50 minutes have not started
    world.dispatcher._send = world.mailbox.send
    world.advance(seconds=2)
    assert world.deliver_mail() == 1
    assert world.complete_opening(seeker["email"], world.mailbox.last_key(seeker["email"])).status_code == 201


def test_a3_a_key_replaced_before_its_mail_went_out_is_not_sent(world):
    seeker = world.register()
    world.request_opening(seeker["email"])
    world.request_opening(seeker["email"])
    assert world.deliver_mail() == 1
    assert len(world.mailbox.to(seeker["email"])) == 1


@pytest.mark.parametrize("state", ["withdrawn", "unusable"])
def test_a3_no_key_for_a_withdrawn_or_unusable_registration(world, state):
    seeker = world.register()
    with world.runtime.session_factory() as session:
        account = session.get(Account, seeker["seeker_id"])
        if state == "withdrawn":
            account.withdrawn_at = world.clock.now() - timedelta(days=1)
        else:
            account.usable = False
        session.commit()
    assert world.request_opening(seeker["email"]).status_code == 202
    world.deliver_mail()
    assert world.mailbox.sent == []


def test_a5_opening_with_a_valid_password_stores_an_argon2id_hash(world):
    seeker = world.open_mypage()
    with world.runtime.session_factory() as session:
        stored = session.get(Account, seeker["seeker_id"]).password_hash
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert PASSWORD not in stored
