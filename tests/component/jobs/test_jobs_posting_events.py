"""J1 by events (services/jobs/intake.py): the employer-side system's employer.posting.*.v1 events, applied
through the jobs handlers as the consumer runs them — checked exactly as POST /api/v1/employer/jobs checks
a body (the same problems, field by field), C2 against the client's establishments as auth announced them,
the newest event per posting winning whatever the order, every event answered through the outbox."""

from __future__ import annotations

import copy
from datetime import timedelta

import pytest

from contracts import validate_event
from kit.events import Event
from kit.tokens import EMPLOYER
from tests.component.jobs.conftest import LONG, POSTING, job_number

PUBLISHED, CHANGED, CLOSED = ("employer.posting.published.v1", "employer.posting.changed.v1",
                              "employer.posting.closed.v1")
CLIENT, OURS, OTHER = "ec-0f3c2a9e4b7d4c1e8a6b5d4c", "1104-123456-7", "1104-000001-1"
SOURCE = f"/employer-clients/{CLIENT}"


@pytest.fixture
def client_announced(feed, clock):
    """client_announced(establishments, revoked=False, at=None): auth's event about CLIENT."""

    def announce(establishments=(OURS,), revoked=False, at=None):
        feed("auth.employer_client.changed.v1", {"client_id": CLIENT, "establishments": list(establishments),
                                                 "revoked": revoked}, at=at)

    announce()
    return announce


@pytest.fixture
def deliver(feed, clock, client_announced):
    """deliver(type, data, minutes=0, source=SOURCE, check=True, ahead=None) -> the event, handled as the consumer
    does (conftest's feed). Its time is `minutes` past an hour ago (so never ahead of jobs' clock), or `ahead`
    of the clock's now."""
    start = clock.now() - timedelta(hours=1)

    def send(event_type: str, data, minutes: int = 0, source: str = SOURCE, check: bool = True,
             ahead: timedelta | None = None) -> Event:
        if check:  # what a well-behaved employer-side system sends is what the catalogue documents
            validate_event(Event(type=event_type, data=data, source=source, time=clock.now()))
        at = clock.now() + ahead if ahead is not None else start + timedelta(minutes=minutes)
        return feed(event_type, data, at=at, source=source,
                    subject=data.get("job_number") if isinstance(data, dict) else None)

    return send


@pytest.fixture
def answers(outbox):
    """answers() -> the accepted/rejected events so far, each checked against the catalogue."""

    def read() -> list[dict]:
        found = [e for e in outbox() if e["type"] in ("jobs.posting.accepted.v1", "jobs.posting.rejected.v1")]
        for envelope in found:
            validate_event(envelope)
        return found

    return read


def posting(**changes) -> dict:
    return copy.deepcopy(POSTING) | {"job_number": job_number()} | changes


@pytest.fixture
def stored(client, signer):
    """stored(number) -> the posting as the employer API shows it, or None."""
    headers = signer.headers("employer", roles=(EMPLOYER,), ttl=LONG, establishments="*")

    def read(number: str) -> dict | None:
        response = client.get(f"/api/v1/employer/jobs/{number}", headers=headers)
        return response.json if response.status_code == 200 else None

    return read


def test_j1_a_published_posting_is_found_and_accepted_once_then_the_same_again_changes_nothing(
        client, deliver, answers, outbox):
    body = posting()
    event = deliver(PUBLISHED, body)
    assert client.get(f"/api/v1/jobs/{body['job_number']}").status_code == 200
    (accepted,) = answers()
    assert accepted["type"] == "jobs.posting.accepted.v1" and accepted["subject"] == body["job_number"]
    assert accepted["data"] == {"job_number": body["job_number"], "establishment_number": OURS,
                                "in_reply_to": event.id, "request_type": PUBLISHED, "outcome": "published"}
    assert len(outbox("jobs.posting.published.v1")) == 1  # J6 matching and the search index follow it
    deliver(PUBLISHED, body, minutes=1)  # the same posting under a new event id (a re-send)
    assert answers()[-1]["data"]["outcome"] == "unchanged" and len(outbox("jobs.posting.published.v1")) == 1


def test_j1_a_newer_change_applies_and_an_older_one_is_ignored(deliver, answers, outbox, stored):
    body = posting()
    deliver(PUBLISHED, body)
    deliver(CHANGED, body | {"wage": {"type": "monthly", "min": 230000, "max": 280000}}, minutes=10)
    deliver(CHANGED, body | {"wage": {"type": "monthly", "min": 210000, "max": 270000}}, minutes=5)  # stale
    assert [a["data"]["outcome"] for a in answers()] == ["published", "changed", "stale"]
    assert stored(body["job_number"])["wage"] == {"type": "monthly", "min": 230000, "max": 280000}
    (changed,) = outbox("jobs.posting.changed.v1")
    assert changed["data"]["changed_fields"] == ["wage.max", "wage.min"]


def test_j1_a_change_ahead_of_its_publication_publishes_it_and_the_publication_is_then_stale(
        deliver, answers, stored):
    body = posting()
    deliver(CHANGED, body | {"title": "介護職員（夜勤あり）"}, minutes=2)
    deliver(PUBLISHED, body, minutes=1)
    assert [a["data"]["outcome"] for a in answers()] == ["published", "stale"]
    assert stored(body["job_number"])["title"] == "介護職員（夜勤あり）"


def test_j1_a_close_ahead_of_its_publication_wins_and_a_closed_posting_is_not_changed(
        client, deliver, answers, stored):
    early, late = posting(), posting()
    deliver(CLOSED, {"job_number": early["job_number"], "establishment": {"number": OURS}}, minutes=3)
    deliver(PUBLISHED, early, minutes=1)
    deliver(CHANGED, early, minutes=2)
    assert [a["data"]["outcome"] for a in answers()] == ["closed", "stale", "stale"]
    assert stored(early["job_number"]) is None
    deliver(PUBLISHED, late)
    deliver(CLOSED, late, minutes=1)  # a close may carry the whole posting: only the number counts
    assert client.get(f"/api/v1/jobs/{late['job_number']}").status_code == 404  # no longer shown
    deliver(CHANGED, late | {"title": "再開"}, minutes=2)
    refused = answers()[-1]
    assert refused["type"] == "jobs.posting.rejected.v1" and refused["data"]["status"] == 409
    assert refused["data"]["reason"] == "closed"
    assert refused["data"]["detail"].endswith("募集終了のため変更できません。")
    assert stored(late["job_number"])["status"] == "closed" and stored(late["job_number"])["title"] \
        == "介護職員"


@pytest.mark.parametrize("broken", [
    {"title": ""},
    {"wage": {"type": "weekly", "min": -1}},
    {"deadline": "2026-10-01"},  # before received_on
    {"occupation_code": "361", "publication_scope": 5, "location": {"prefecture": "埼玉県", "municipality": "大阪市"}},
])
def test_j1_a_refused_payload_gets_the_apis_field_level_errors_and_changes_nothing(
        client, signer, deliver, answers, outbox, stored, broken):
    body = posting() | broken
    headers = signer.headers("employer", roles=(EMPLOYER,), ttl=LONG, establishments=[OURS])
    api = client.post("/api/v1/employer/jobs", json=body, headers=headers)
    api_en = client.post("/api/v1/employer/jobs", json=body, headers=headers | {"Accept-Language": "en"})
    assert api.status_code == 422
    event = deliver(PUBLISHED, body, check=False)
    (rejected,) = answers()
    data = rejected["data"]
    assert rejected["type"] == "jobs.posting.rejected.v1" and data["in_reply_to"] == event.id
    assert data["status"] == 422 and data["problem"] == "validation-failed"
    assert [{"field": e["field"], "messages": e["messages"]} for e in data["errors"]] == api.json["errors"]
    assert [{"field": e["field"], "messages": e["messages_en"]} for e in data["errors"]] == api_en.json["errors"]
    assert stored(body["job_number"]) is None and outbox("jobs.posting.published.v1") == []


def test_j1_other_content_under_a_published_number_is_refused_as_the_api_does(deliver, answers, stored):
    body = posting()
    deliver(PUBLISHED, body)
    deliver(PUBLISHED, body | {"title": "別の職種"}, minutes=1)
    refused = answers()[-1]["data"]
    assert refused["status"] == 409 and refused["reason"] == "already_posted"
    assert stored(body["job_number"])["title"] == "介護職員"


def test_c2_only_the_clients_establishments_and_only_a_live_client(deliver, answers, client_announced, clock,
                                                                   stored):
    theirs = posting(establishment={"number": OTHER, "name": "株式会社ほか"})
    deliver(PUBLISHED, theirs)
    assert answers()[-1]["data"]["status"] == 403 and answers()[-1]["data"]["reason"] == "other_establishment"
    deliver(PUBLISHED, posting(), source="/employer-clients/ec-unknown")
    assert answers()[-1]["data"]["reason"] == "unknown_client"
    deliver(PUBLISHED, posting(), source="/mypage/jobs", check=False)  # not a client at all
    assert answers()[-1]["data"]["reason"] == "unknown_client"
    # auth added the other establishment; an older announcement arriving late changes nothing
    client_announced((OURS, OTHER), at=clock.now() + timedelta(minutes=5))
    client_announced((OURS,), at=clock.now() + timedelta(minutes=1))
    deliver(PUBLISHED, theirs, minutes=6)
    assert answers()[-1]["data"]["outcome"] == "published"
    ours = posting()
    deliver(PUBLISHED, ours, minutes=7)
    deliver(CLOSED, {"job_number": ours["job_number"], "establishment": {"number": OTHER}}, minutes=8)
    assert answers()[-1]["data"]["errors"][0]["field"] == "establishment.number"  # not the posting's establishment
    client_announced((), revoked=True, at=clock.now() + timedelta(minutes=9))
    deliver(CLOSED, {"job_number": ours["job_number"], "establishment": {"number": OURS}}, minutes=10)
    assert answers()[-1]["data"]["reason"] == "unknown_client" and stored(ours["job_number"])["status"] \
        == "open"
    assert [a["type"] for a in answers()].count("jobs.posting.accepted.v1") == 2


def test_j1_a_payload_that_is_not_an_object_is_rejected_not_retried(deliver, answers):
    deliver(PUBLISHED, ["not", "a", "posting"], check=False)
    (rejected,) = answers()
    assert rejected["data"]["job_number"] is None and rejected["data"]["status"] == 422
    assert rejected["data"]["errors"][0]["messages"] == ["オブジェクトで入力してください。"]


def test_j1_an_event_at_most_5_minutes_ahead_of_jobs_clock_is_applied_one_later_is_refused(deliver, answers, stored):
    """Clock skew: an event dated far ahead would make every later event of its posting stale."""
    ahead, too_far = posting(), posting()
    deliver(PUBLISHED, ahead, ahead=timedelta(minutes=5))
    assert answers()[-1]["data"]["outcome"] == "published"
    deliver(PUBLISHED, too_far, ahead=timedelta(minutes=5, seconds=1))
    refused = answers()[-1]["data"]
    assert refused["status"] == 422 and refused["errors"] == [{
        "field": "time", "messages": ["time が現在より5分以上先です。送信側の時計を確認してください。"],
        "messages_en": ["time is more than 5 minutes ahead; check the sender's clock."]}]
    assert stored(too_far["job_number"]) is None
