"""J3 alerts (「新着求人をメールで受け取る」): opt-in per saved search, a daily digest event at 7:00 in Japan with
the count and the newest 5 postings since the last digest — none when nothing is new — and the stop, from My
Page and by the mail's one-click link (a token of auth's for its own audience, no login). The clock is frozen
and moved to each edge; the pass is the worker's task body (commands/alerts.send_digests)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from contracts import validate_event
from kit.tokens import ALERT_STOP_AUDIENCE, AUDIENCE, ISSUER
from services.jobs.commands.alerts import send_digests
from tests.component.jobs.conftest import LONG, registration

SAVED = "/api/v1/me/saved-searches"
STOP = "/api/v1/saved-search-alerts/stop"
ONE_CLICK = "/api/v1/saved-search-alerts/one-click"
DIGEST = "jobs.saved_search.digest.v1"
CARE = {"name": "越谷の介護", "criteria": {"prefecture": ["埼玉県"], "employment_type": ["正社員"]}}


@pytest.fixture
def alerted(client, seeker):
    """alerted() -> (seeker id, headers, saved search id) of a search saved with the alert on (at the clock's now)."""

    def make(body: dict = CARE) -> tuple[str, dict, str]:
        seeker_id, headers = seeker()
        created = client.post(SAVED, json=body | {"email_alert": True}, headers=headers)
        assert created.status_code == 201, created.json
        assert created.json["email_alert"] is True
        return seeker_id, headers, created.json["id"]

    return make


@pytest.fixture
def digests(runtime, outbox):
    """digests() -> the digest events one daily pass wrote (the pass run now)."""

    def run() -> list[dict]:
        before = len(outbox(DIGEST))
        sent = send_digests(runtime)
        written = outbox(DIGEST)[before:]
        assert sent == len(written)
        return written

    return run


def _stop_token(signer, clock, seeker_id: str, search_id: str, *, audience: str = ALERT_STOP_AUDIENCE,
                ttl: timedelta = timedelta(days=30)) -> str:
    now = int(clock.now().timestamp())
    return signer.sign({"sub": seeker_id, "search": search_id, "iss": ISSUER, "aud": audience, "iat": now,
                        "exp": now + int(ttl.total_seconds()), "jti": uuid.uuid4().hex})


def _alert(client, headers, search_id: str) -> bool:
    [item] = [i for i in client.get(SAVED, headers=headers).json["items"] if i["id"] == search_id]
    return item["email_alert"]


def test_j3_the_alert_is_off_by_default_on_and_off_from_my_page_and_kept_by_an_edit(client, seeker):
    _, headers = seeker()
    created = client.post(SAVED, json=CARE, headers=headers)
    assert created.status_code == 201 and created.json["email_alert"] is False
    search_id = created.json["id"]
    assert client.put(f"{SAVED}/{search_id}/alert", headers=headers).status_code == 204
    assert _alert(client, headers, search_id) is True
    renamed = client.put(f"{SAVED}/{search_id}", json=CARE | {"name": "介護"}, headers=headers)  # no email_alert
    assert renamed.status_code == 200 and renamed.json["email_alert"] is True
    assert client.delete(f"{SAVED}/{search_id}/alert", headers=headers).status_code == 204
    assert client.delete(f"{SAVED}/{search_id}/alert", headers=headers).status_code == 204  # idempotent
    assert _alert(client, headers, search_id) is False
    assert client.put(f"{SAVED}/{search_id}", json=CARE | {"email_alert": True}, headers=headers).json["email_alert"]


def test_j3_the_alert_of_another_seekers_or_an_unknown_search_is_404_and_bad_input_422(client, seeker, alerted):
    _, _, theirs = alerted()
    _, mine = seeker()
    for method in (client.put, client.delete):
        answer = method(f"{SAVED}/{theirs}/alert", headers=mine)
        assert answer.status_code == 404 and answer.mimetype == "application/problem+json"
    refused = client.post(SAVED, json=CARE | {"email_alert": "yes"}, headers=mine)
    assert refused.status_code == 422 and refused.json["errors"][0]["field"] == "email_alert"
    assert client.put(f"{SAVED}/{theirs}/alert").status_code == 401


def test_j3_the_digest_at_7_in_japan_counts_the_new_postings_and_names_the_newest_5(alerted, post, digests, clock,
                                                                                   client, signer):
    seeker_id, _, search_id = alerted()  # 2026-11-26 10:00 in Japan
    clock.advance(hours=1)
    numbers = []
    for _ in range(7):
        numbers.append(post())
        clock.advance(minutes=1)
    post(employment_type="パート労働者", full_time=False)  # the search does not find it
    post(publication_scope=4)  # nor one not shown online
    clock.set("2026-11-27T06:59:59+09:00")
    assert digests() == []  # not 7:00 yet
    clock.set("2026-11-27T07:00:00+09:00")
    [digest] = digests()
    validate_event(digest)
    assert digest["subject"] == seeker_id
    data = digest["data"]
    assert (data["seeker_id"], data["saved_search_id"], data["search_name"], data["count"]) == (
        seeker_id, search_id, "越谷の介護", 7)
    assert [p["job_number"] for p in data["postings"]] == numbers[:-6:-1]  # the newest 5, newest first
    assert data["postings"][0]["title"] == "介護職員"
    assert (data["since"], data["until"]) == ("2026-11-26T01:00:00+00:00", "2026-11-26T22:00:00+00:00")
    assert digests() == []  # once a day


def test_j3_no_digest_when_nothing_is_new_and_a_posting_at_7_is_in_that_days(alerted, post, digests, clock):
    alerted()
    clock.set("2026-11-27T07:00:00+09:00")
    assert digests() == []  # nothing new: no event, no mail
    clock.set("2026-11-28T07:00:00+09:00")
    at_seven = post()  # received at the cutoff itself
    clock.set("2026-11-28T07:00:01+09:00")
    after = post()
    [digest] = digests()
    assert [p["job_number"] for p in digest["data"]["postings"]] == [at_seven]
    clock.set("2026-11-29T07:00:00+09:00")
    [digest] = digests()
    assert [p["job_number"] for p in digest["data"]["postings"]] == [after] and digest["data"]["count"] == 1


def test_j3_a_worker_down_for_days_sends_one_digest_of_everything_since(alerted, post, digests, clock):
    alerted()
    clock.set("2026-11-27T12:00:00+09:00")
    first = post()
    clock.set("2026-11-28T12:00:00+09:00")
    second = post()
    clock.set("2026-11-30T09:00:00+09:00")
    [digest] = digests()
    assert digest["data"]["count"] == 2 and {p["job_number"] for p in digest["data"]["postings"]} == {first, second}
    assert digest["data"]["until"] == "2026-11-29T22:00:00+00:00"  # 11-30 7:00 in Japan


def test_j3_alert_off_or_registration_invalid_no_digest(alerted, post, digests, clock, client, feed):
    _, headers, search_id = alerted()
    gated, _, _ = alerted()
    clock.advance(seconds=1)
    feed(*registration(gated, "invalid"))
    assert client.delete(f"{SAVED}/{search_id}/alert", headers=headers).status_code == 204
    clock.advance(hours=1)
    post()
    clock.set("2026-11-27T07:00:00+09:00")
    assert digests() == []


def test_j3_the_mails_one_click_link_stops_the_alert_without_a_login(client, alerted, signer, clock):
    seeker_id, headers, search_id = alerted()
    token = _stop_token(signer, clock, seeker_id, search_id)
    assert client.post(STOP, json={"token": token}).status_code == 204
    assert _alert(client, headers, search_id) is False
    assert client.post(STOP, json={"token": token}).status_code == 204  # again: already stopped


def test_j3_a_stop_link_names_only_its_own_search_and_expires_after_30_days(client, alerted, signer, clock):
    seeker_id, headers, search_id = alerted()
    other_id, _, _ = alerted()
    assert client.post(STOP, json={"token": _stop_token(signer, clock, other_id, search_id)}).status_code == 204
    assert _alert(client, headers, search_id) is True  # another seeker's link does not reach this search
    token = _stop_token(signer, clock, seeker_id, search_id)
    clock.advance(days=30, seconds=6)  # past its exp and the verifier's 5 s leeway
    expired = client.post(STOP, json={"token": token})
    assert expired.status_code == 422 and expired.mimetype == "application/problem+json"
    assert "有効期限" in expired.json["detail"]
    assert _alert(client, headers, search_id) is True


@pytest.mark.parametrize("body", [{}, {"token": ""}, {"token": "not-a-token"}, {"token": 5}])
def test_j3_a_malformed_stop_is_a_problem_never_a_500(client, body):
    answer = client.post(STOP, json=body)
    assert answer.status_code == 422 and answer.mimetype == "application/problem+json"


def test_j3_an_access_token_is_not_a_stop_link(client, alerted, signer, clock):
    seeker_id, headers, search_id = alerted()
    access = _stop_token(signer, clock, seeker_id, search_id, audience=AUDIENCE)
    assert client.post(STOP, json={"token": access}).status_code == 422
    assert client.post(STOP, json={"token": signer.issue(seeker_id, ttl=LONG)}).status_code == 422
    assert _alert(client, headers, search_id) is True


def test_j3_rfc_8058_one_click_the_mail_programs_form_post_stops_the_alert(client, alerted, signer, clock):
    seeker_id, headers, search_id = alerted()
    token = _stop_token(signer, clock, seeker_id, search_id)
    missing = client.post(ONE_CLICK, data="List-Unsubscribe=One-Click",
                          content_type="application/x-www-form-urlencoded")
    assert missing.status_code == 422 and missing.mimetype == "application/problem+json"
    stopped = client.post(ONE_CLICK, query_string={"token": token}, data="List-Unsubscribe=One-Click",
                          content_type="application/x-www-form-urlencoded")
    assert stopped.status_code == 204
    assert _alert(client, headers, search_id) is False
    forged = client.post(ONE_CLICK, query_string={"token": "forged"}, data="List-Unsubscribe=One-Click",
                         content_type="application/x-www-form-urlencoded")
    assert forged.status_code == 422
