"""J3 alerts end to end in the embedded system (`make run`), through the gateway, the bus and real SMTP: a
seeker saves a search with 「新着求人をメールで受け取る」; the employer-side system publishes two postings it
finds and one it does not; at 7:00 in Japan the next day jobs' daily pass (the worker task's body, run as the
frozen clock reaches it) writes the digest event, auth mails it to the login email — the development SMTP
sink receives it — and the mail program's one-click unsubscribe (RFC 8058: a form POST to the mail's
List-Unsubscribe address) stops the alert without a login; the next day's new posting brings no mail."""

from __future__ import annotations

import re
import uuid
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest

from kit.clock import FrozenClock
from kit.devmail import MAIL_SUFFIX, read_mailbox
from kit.testing import e2e
from kit.testing.plugin import eventually
from services.jobs.commands.alerts import send_digests
from tests.e2e.postings import POSTING as SPEC_POSTING
from tests.e2e.postings import employer_token

EMBEDDED_ONLY = ("its system runs on a FrozenClock injected into every service, and it runs jobs' digest "
                 "(send_digests) on the service's runtime in this process")

START = "2026-11-26T01:00:00+00:00"  # 2026-11-26 10:00 in Japan
PASSWORD = "Koshigaya@2026"
EVENT_DEADLINE = 20.0  # seconds for the digest to cross the bus and reach the SMTP sink
SUBJECT = "新着求人のお知らせ"
STOP_LINK = re.compile(r"/#/alert-stop\?token=(\S+)")
POSTING = SPEC_POSTING | {"received_on": "2026-11-26", "deadline": "2027-01-31"}


@pytest.fixture(scope="module")
def clock() -> FrozenClock:
    return FrozenClock(START)


def _publish(call, **changes) -> str:
    number = f"11040-7{uuid.uuid4().int % 10**7:07d}"
    answer = call("POST", "/api/v1/employer/jobs", POSTING | {"job_number": number} | changes,
                  token=employer_token(call))
    assert answer.status == 201, answer.data
    return number


def _headers(system, mail_id: str) -> dict[str, str]:
    """The headers of a mail the sink stored, as received."""
    stored = (Path(system.mail_dir) / f"{mail_id}{MAIL_SUFFIX}").read_bytes()
    return dict(BytesParser(policy=policy.default).parsebytes(stored).items())


def _digests(system, email: str) -> list:
    return [mail for mail in read_mailbox(system.mail_dir) if mail.to == email and SUBJECT in mail.subject]


def test_j3_a_saved_searchs_new_postings_are_mailed_daily_and_the_link_stops_them(call, system, clock):
    number = f"11040-{uuid.uuid4().int % 10**8:08d}"
    email = f"{number}@example.jp"
    body = {"seeker_number": number, "name": "検索 花子", "name_kana": "ケンサク ハナコ", "birth_date": "1993-03-03",
            "email": email, "kind": "registered", "office": {"code": "11040", "name": "越谷公共職業安定所"},
            "address": {"postal_code": "343-0023", "prefecture": "埼玉県", "municipality": "越谷市"},
            "phone": "048-000-0000"}
    assert call("POST", "/api/v1/staff/seekers", body, token=e2e.staff_token(call)).status == 201
    e2e.open_mypage(call, system, email, "1993-03-03", PASSWORD)
    token = e2e.login(call, system, email, PASSWORD)["access_token"]
    criteria = {"name": "越谷の介護", "criteria": {"municipality": ["越谷市"], "occupation": ["361"]},
                "email_alert": True}
    eventually(lambda: call("GET", "/api/v1/me/saved-searches", token=token).status == 200,
               timeout=EVENT_DEADLINE, message="jobs to hear of the new registration")
    saved = call("POST", "/api/v1/me/saved-searches", criteria, token=token)
    assert saved.status == 201 and saved.json()["email_alert"] is True, saved.data
    search_id = saved.json()["id"]
    runtime = system.services["jobs"].runtime

    clock.advance(minutes=1)
    first, second = _publish(call), _publish(call)
    _publish(call, location={"prefecture": "埼玉県", "municipality": "川口市", "station": "川口駅"})
    clock.set("2026-11-27T07:00:00+09:00")
    assert send_digests(runtime) == 1
    [mail] = eventually(lambda: _digests(system, email), timeout=EVENT_DEADLINE, message="the digest mail")
    assert mail.subject == "【ハローワーク】保存した検索条件「越谷の介護」の新着求人のお知らせ"
    assert "に合う新着求人が2件あります。" in mail.text
    assert f"・{first} 介護職員" in mail.text and f"・{second} 介護職員" in mail.text
    assert f"/#/saved/{search_id}" in mail.text and "川口" not in mail.text

    clock.set("2026-11-28T07:00:00+09:00")
    assert send_digests(runtime) == 0  # nothing new: no mail

    # the mail program's own unsubscribe button (RFC 8058): a form POST to the List-Unsubscribe address
    headers = _headers(system, mail.id)
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    one_click = re.fullmatch(r"<http://127\.0\.0\.1:8080(/api/v1/saved-search-alerts/one-click\?token=\S+)>",
                             headers["List-Unsubscribe"])
    assert one_click and STOP_LINK.search(mail.text).group(1) in one_click.group(1)
    stopped = call.pool.request("POST", call.url + one_click.group(1), body="List-Unsubscribe=One-Click",
                                headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert stopped.status == 204, stopped.data
    _publish(call)
    clock.set("2026-11-29T07:00:00+09:00")
    assert send_digests(runtime) == 0  # stopped from the mail
    token = e2e.login(call, system, email, PASSWORD)["access_token"]
    [item] = call("GET", "/api/v1/me/saved-searches", token=token).json()["items"]
    assert item["email_alert"] is False
    assert len(_digests(system, email)) == 1
