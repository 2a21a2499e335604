"""J1 postings from the employer-side system: publish (`POST /api/v1/employer/jobs`), change (PATCH), close
(DELETE, 募集終了) and read (GET), with J2/J2a on the result and the events through the outbox. The jobs
service in-process (SQLite, frozen clock, tokens from a test signer)."""

from __future__ import annotations

import copy
import re

import pytest
from sqlalchemy import func, select

from contracts import validate_event
from kit.testing.services import in_parallel, migrated_runtime, outbox_envelopes
from kit.tokens import STAFF
from services.jobs import domain
from services.jobs.app import build_runtime, create_app
from services.jobs.models import postings
from tests.component.jobs.conftest import LONG, POSTING, job_number

JOBS = "/api/v1/employer/jobs"
EN = {"Accept-Language": "en"}
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
QUOTED = re.compile(r"'[^']*'")
EVENTS = ("jobs.posting.published.v1", "jobs.posting.changed.v1", "jobs.posting.closed.v1")


def payload(**changes) -> dict:
    """SPEC's payload (with the J1 extras of conftest) under a new job number, with `changes`."""
    return copy.deepcopy(POSTING) | {"job_number": job_number()} | changes


def with_value(body: dict, path: str, value) -> dict:
    """`body` with the field at dotted `path` set to `value` (the marker DROP removes it)."""
    body = copy.deepcopy(body)
    *parents, last = path.split(".")
    target = body
    for name in parents:
        target = target[name]
    if value is DROP:
        del target[last]
    else:
        target[last] = value
    return body


DROP = object()


def fields_of(response) -> list[str]:
    return [error["field"] for error in response.json["errors"]]


def messages_of(response) -> list[str]:
    return [message for error in response.json["errors"] for message in error["messages"]]


def in_english(messages: list[str]) -> bool:
    """Each message reads in English (a Japanese value it quotes, such as a 求人区分, aside)."""
    return bool(messages) and all(not JAPANESE.search(QUOTED.sub("", message.split(":")[0])) for message in messages)


def stored_postings(runtime) -> int:
    with runtime.engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(postings))


def posting_events(outbox) -> list[dict]:
    return [event for event in outbox() if event["type"] in EVENTS]


# -- publishing -------------------------------------------------------------------------------------


def test_j1_the_spec_payload_is_published_then_found_by_search_and_shown(client, employer, outbox):
    body = payload(description="特別養護老人ホームでの介護業務です。夜勤なし。")
    published = client.post(JOBS, json=body, headers=employer)
    assert published.status_code == 201, published.json
    posting = published.json
    assert posting["job_number"] == body["job_number"] and posting["status"] == "open"
    assert posting["establishment"] == {"number": "1104-123456-7", "name": "株式会社越谷ケア"}
    assert posting["location"] == {"prefecture": "埼玉県", "municipality": "越谷市", "station": "越谷駅",
                                   "prefecture_code": "11", "municipality_code": "11222"}
    assert posting["wage"] == {"type": "monthly", "min": 200000, "max": 260000}
    assert posting["holidays"] == {"two_days_weekly": "毎週", "annual_days": 120}
    assert (posting["received_on"], posting["deadline"]) == ("2026-11-02", "2027-01-31")
    assert posting["details"] == {"insurance": ["雇用", "労災"], "contact": {"person": "越谷 花子",
                                                                          "phone": "048-000-1111"}}
    assert posting["created_at"] == posting["updated_at"] == "2026-11-26T01:00:00+00:00"
    assert client.get(f"{JOBS}/{body['job_number']}", headers=employer).json == posting

    # J2: found by the free word (title or description) and the filters; J1: the 求人票 shows it all
    found = client.get("/api/v1/jobs", query_string={"q": "夜勤なし", "municipality": "越谷市",
                                                     "occupation": "361"}).json
    assert [item["job_number"] for item in found["items"]] == [body["job_number"]] and found["total"] == 1
    detail = client.get(f"/api/v1/jobs/{body['job_number']}")
    assert detail.status_code == 200
    assert detail.json["establishment"]["name"] == "株式会社越谷ケア"
    assert detail.json["details"]["insurance"] == ["雇用", "労災"] and detail.json["hours"] == "08:30-17:30"

    [event] = posting_events(outbox)
    validate_event(event)
    assert event["type"] == "jobs.posting.published.v1" and event["subject"] == body["job_number"]
    assert event["data"] == {"job_number": body["job_number"], "establishment_number": "1104-123456-7",
                             "occupation_code": "361-01", "prefecture_code": "11", "municipality_code": "11222",
                             "employment_type": "正社員", "online_application": True, "publication_scope": 1,
                             "received_on": "2026-11-02", "deadline": "2027-01-31"}


def test_j1_numbers_typed_in_full_width_are_folded_and_names_made_official(client, employer):
    body = payload(job_number="１１０４０－００００７７７７", occupation_code="36101",
                   establishment={"number": "１１０４－１２３４５６－７", "name": "株式会社越谷ケア"},
                   location={"prefecture": "11", "municipality": "11222"}, received_on="２０２６-１１-０２",
                   description=" 施設での介護業務です。\r\n夜勤があります。\t ")
    published = client.post(JOBS, json=body, headers=employer)
    assert published.status_code == 201, published.json
    assert published.json["job_number"] == "11040-00007777"
    assert published.json["description"] == "施設での介護業務です。\n夜勤があります。"
    assert published.json["establishment"]["number"] == "1104-123456-7"
    assert published.json["occupation_code"] == "361-01" and published.json["received_on"] == "2026-11-02"
    location = published.json["location"]
    assert (location["prefecture"], location["municipality"], location["station"]) == ("埼玉県", "越谷市", None)
    assert client.get(f"{JOBS}/11040-00007777", headers=employer).status_code == 200


def test_j1_extras_are_kept_as_sent_and_contact_follows_the_publication_scope(client, employer):
    body = payload(publication_scope=3, requirements={"experience": "不問", "licenses": ["介護福祉士"]},
                   benefits="車通勤可", establishment={"number": "1104-123456-7", "name": "株式会社越谷ケア",
                                                      "url": "https://example.jp/"})
    published = client.post(JOBS, json=body, headers=employer)
    assert published.status_code == 201, published.json
    assert published.json["details"] == {
        "insurance": ["雇用", "労災"], "contact": {"person": "越谷 花子", "phone": "048-000-1111"},
        "requirements": {"experience": "不問", "licenses": ["介護福祉士"]}, "benefits": "車通勤可",
        "establishment": {"url": "https://example.jp/"}}
    # J2a 公開範囲3: no establishment and no contact online, the rest of the posting is shown
    detail = client.get(f"/api/v1/jobs/{body['job_number']}").json
    assert detail["establishment"]["name"] is None
    assert set(detail["details"]) == {"insurance", "requirements", "benefits"}


def test_j1_a_posting_may_leave_out_what_is_optional(client, employer):
    body = payload(wage={"type": "hourly", "min": 1100, "max": None}, hours=None, holidays=None,
                   full_time=False, employment_type="パート労働者", category="障害のある方")
    for optional in ("insurance", "contact"):
        del body[optional]
    del body["location"]["station"]
    published = client.post(JOBS, json=body, headers=employer)
    assert published.status_code == 201, published.json
    assert published.json["wage"] == {"type": "hourly", "min": 1100, "max": None}
    assert published.json["holidays"] == {"two_days_weekly": None, "annual_days": None}
    assert published.json["hours"] is None and published.json["details"] == {}


# Each field's bad values: (field as sent, value, the field the problem names).
BAD_FIELDS = [
    ("job_number", "11040-0001234", "job_number"),
    ("job_number", "1104000012345", "job_number"),
    ("job_number", 1104000012345, "job_number"),
    ("job_number", DROP, "job_number"),
    ("establishment", DROP, "establishment"),
    ("establishment.number", "1104-12345-7", "establishment.number"),
    ("establishment.name", " ", "establishment.name"),
    ("establishment.name", "株" * 101, "establishment.name"),
    ("title", "", "title"),
    ("title", "介護\n職員", "title"),
    ("title", "介" * 101, "title"),
    ("occupation_code", "999-99", "occupation_code"),
    ("occupation_code", "361", "occupation_code"),
    ("description", DROP, "description"),
    ("description", "あ" * 3001, "description"),
    ("category", "パート", "category"),
    ("full_time", "true", "full_time"),
    ("full_time", 1, "full_time"),
    ("employment_type", "アルバイト", "employment_type"),
    ("location.prefecture", "江戸府", "location.prefecture"),
    ("location.municipality", "渋谷区", "location.municipality"),
    ("location.municipality", "13113", "location.municipality"),
    ("location.station", "駅" * 61, "location.station"),
    ("wage.type", "yearly", "wage.type"),
    ("wage.min", -1, "wage.min"),
    ("wage.min", "200000", "wage.min"),
    ("wage.min", 200000.5, "wage.min"),
    ("wage.min", True, "wage.min"),
    ("wage.max", 199999, "wage.max"),
    ("wage.max", 10_000_001, "wage.max"),
    ("hours", "時" * 101, "hours"),
    ("holidays.two_days_weekly", "隔週", "holidays.two_days_weekly"),
    ("holidays.annual_days", 367, "holidays.annual_days"),
    ("holidays.annual_days", -1, "holidays.annual_days"),
    ("publication_scope", 0, "publication_scope"),
    ("publication_scope", 5, "publication_scope"),
    ("publication_scope", "1", "publication_scope"),
    ("online_application", "yes", "online_application"),
    ("online_application", None, "online_application"),
    ("received_on", "2026-02-30", "received_on"),
    ("received_on", "2026/11/02", "received_on"),
    ("deadline", "2026-11-01", "deadline"),  # before 受付年月日 2026-11-02
    ("insurance", ["雇用"] * 11, "insurance"),
    ("contact.email", "not-an-email", "contact.email"),
    ("note", "メモ" * 1001, "note"),  # an extra: kept as sent, but not without bound
]


@pytest.mark.parametrize(("path", "value", "field"), BAD_FIELDS,
                         ids=[f"{path}={str(value)[:12]!s}" for path, value, _ in BAD_FIELDS])
def test_j1_a_bad_field_is_refused_by_name_in_japanese_and_english(client, runtime, employer, outbox, path, value,
                                                                   field):
    body = with_value(payload(), path, value)
    refused = client.post(JOBS, json=body, headers=employer)
    assert refused.status_code == 422, refused.json
    assert refused.headers["Content-Type"].startswith("application/problem+json")
    assert fields_of(refused) == [field]
    assert all(JAPANESE.search(message) for message in messages_of(refused)), refused.json
    english = client.post(JOBS, json=body, headers=employer | EN)
    assert english.status_code == 422 and fields_of(english) == [field]
    assert in_english(messages_of(english)) and messages_of(english) != messages_of(refused), english.json
    # nothing written, nothing announced
    assert stored_postings(runtime) == 0
    assert posting_events(outbox) == []


def test_j1_too_many_extras_are_refused(client, runtime, employer, outbox):
    body = payload() | {f"extra{index}": index for index in range(21)}
    refused = client.post(JOBS, json=body, headers=employer)
    assert refused.status_code == 422 and fields_of(refused) == ["_schema"]
    assert stored_postings(runtime) == 0 and posting_events(outbox) == []
    assert client.post(JOBS, json=payload() | {f"extra{i}": i for i in range(18)},
                       headers=employer).status_code == 201  # 18 + insurance + contact = 20


# -- a retry, a conflict ----------------------------------------------------------------------------


def test_j1_the_same_posting_again_is_a_harmless_retry_and_another_one_a_conflict(client, employer, clock, outbox):
    body = payload()
    first = client.post(JOBS, json=body, headers=employer)
    assert first.status_code == 201
    clock.advance(hours=1)
    again = client.post(JOBS, json=body, headers=employer)
    assert again.status_code == 200, again.json
    assert again.json == first.json  # updated_at too: nothing changed
    folded = body | {"job_number": body["job_number"].replace("-", "ー"), "occupation_code": "36101"}
    assert client.post(JOBS, json=folded, headers=employer).status_code == 200

    different = client.post(JOBS, json=body | {"title": "介護職員（日勤）"}, headers=employer)
    assert different.status_code == 409, different.json
    assert different.json["type"].endswith("/conflict") and different.json["reason"] == "already_posted"
    assert "PATCH" in different.json["detail"]
    extra_added = client.post(JOBS, json=body | {"benefits": "賞与あり"}, headers=employer)
    assert extra_added.status_code == 409
    assert client.get(f"{JOBS}/{body['job_number']}", headers=employer).json == first.json
    assert [event["type"] for event in posting_events(outbox)] == ["jobs.posting.published.v1"]


# -- changing ---------------------------------------------------------------------------------------


def test_j1_a_change_replaces_the_fields_given_and_keeps_search_consistent(client, employer, clock, outbox):
    body = payload()
    number = body["job_number"]
    assert client.post(JOBS, json=body, headers=employer).status_code == 201
    clock.advance(days=1)
    changed = client.patch(f"{JOBS}/{number}", headers=employer, json={
        "title": "介護職員（夜勤専従）", "wage": {"type": "monthly", "min": 230000},
        "location": {"prefecture": "東京都", "municipality": "八王子市"}, "insurance": None, "benefits": "寮あり"})
    assert changed.status_code == 200, changed.json
    posting = changed.json
    assert posting["title"] == "介護職員（夜勤専従）"
    assert posting["wage"] == {"type": "monthly", "min": 230000, "max": None}  # the object as a whole
    assert posting["location"] == {"prefecture": "東京都", "municipality": "八王子市", "station": None,
                                   "prefecture_code": "13", "municipality_code": "13201"}
    assert posting["details"] == {"contact": {"person": "越谷 花子", "phone": "048-000-1111"}, "benefits": "寮あり"}
    assert posting["description"] == body["description"] and posting["deadline"] == "2027-01-31"
    assert posting["created_at"] == "2026-11-26T01:00:00+00:00"
    assert posting["updated_at"] == "2026-11-27T01:00:00+00:00"
    assert client.get(f"{JOBS}/{number}", headers=employer).json == posting

    # search sees the change: the new title word and place, not the old place
    assert client.get("/api/v1/jobs", query_string={"q": "夜勤専従"}).json["total"] == 1
    assert client.get("/api/v1/jobs", query_string={"prefecture": "東京都"}).json["total"] == 1
    assert client.get("/api/v1/jobs", query_string={"municipality": "越谷市"}).json["total"] == 0

    [event] = [e for e in posting_events(outbox) if e["type"] == "jobs.posting.changed.v1"]
    validate_event(event)
    assert event["data"] == {"job_number": number, "establishment_number": "1104-123456-7", "changed_fields": [
        "benefits", "insurance", "location.municipality", "location.prefecture", "location.station", "title",
        "wage.max", "wage.min"]}


def test_j1_a_change_to_the_same_values_changes_nothing(client, employer, clock, outbox):
    body = payload()
    created = client.post(JOBS, json=body, headers=employer).json
    clock.advance(hours=2)
    same = client.patch(f"{JOBS}/{body['job_number']}", headers=employer,
                        json={"title": body["title"], "wage": body["wage"], "job_number": body["job_number"]})
    assert same.status_code == 200 and same.json == created
    assert [event["type"] for event in posting_events(outbox)] == ["jobs.posting.published.v1"]


@pytest.mark.parametrize(("change", "field"), [
    ({"deadline": "2026-11-01"}, "deadline"),  # before the stored 受付年月日 2026-11-02
    ({"received_on": "2027-02-01"}, "received_on"),  # after the stored 紹介期限日 2027-01-31
    ({"received_on": "2027-02-01", "deadline": "2027-01-31"}, "deadline"),
    ({"wage": {"type": "monthly", "min": 300000, "max": 200000}}, "wage.max"),
    ({"wage": {"min": 300000}}, "wage.type"),  # a nested object is given whole
    ({"location": {"prefecture": "東京都", "municipality": "越谷市"}}, "location.municipality"),
    ({"publication_scope": 7}, "publication_scope"),
    ({"title": None}, "title"),
    ({"job_number": "11040-99999999"}, "job_number"),
    ({"establishment": {"number": "1104-999999-1", "name": "別の事業所"}}, "establishment.number"),
    ({}, "_schema"),
])
def test_j1_a_change_is_checked_as_a_whole_posting(client, employer, outbox, change, field):
    body = payload()
    number = body["job_number"]
    created = client.post(JOBS, json=body, headers=employer).json
    refused = client.patch(f"{JOBS}/{number}", json=change, headers=employer)
    assert refused.status_code == 422, refused.json
    assert fields_of(refused) == [field]
    english = client.patch(f"{JOBS}/{number}", json=change, headers=employer | EN)
    assert in_english(messages_of(english)) and messages_of(english) != messages_of(refused), english.json
    assert client.get(f"{JOBS}/{number}", headers=employer).json == created
    assert [event["type"] for event in posting_events(outbox)] == ["jobs.posting.published.v1"]


def test_j1_an_unknown_posting_cannot_be_changed_read_or_closed(client, employer):
    unknown = f"{JOBS}/{job_number()}"
    assert client.patch(unknown, json={"title": "介護職員"}, headers=employer).status_code == 404
    assert client.get(unknown, headers=employer).status_code == 404
    assert client.delete(unknown, headers=employer).status_code == 404


# -- closing (募集終了) ----------------------------------------------------------------------------------


def test_j1_a_closed_posting_leaves_search_but_stays_with_who_kept_it(client, employer, signer, seeker, clock,
                                                                     outbox):
    seeker_id, headers = seeker()
    body = payload()
    number = body["job_number"]
    assert client.post(JOBS, json=body, headers=employer).status_code == 201
    assert client.put(f"/api/v1/me/favourites/{number}", headers=headers).status_code == 204
    staff = signer.headers("counter", roles=(STAFF,), ttl=LONG)
    assert client.post("/api/v1/staff/referrals", headers=staff, json={
        "seeker_id": seeker_id, "job_number": number, "letter": {"office": "ハローワーク越谷"}}).status_code == 201
    assert client.post("/api/v1/me/applications", headers=headers, json={
        "job_number": number, "motivation": "介護の経験を活かしたく応募します。"}).status_code == 201
    clock.advance(minutes=5)
    assert client.delete(f"{JOBS}/{number}", headers=employer).status_code == 204

    assert client.get("/api/v1/jobs", query_string={"municipality": "越谷市"}).json["total"] == 0
    assert client.get(f"/api/v1/jobs/{number}").status_code == 404
    kept = client.get("/api/v1/me/favourites", headers=headers).json["items"]
    assert [(item["job_number"], item["status"]) for item in kept] == [(number, "closed")]
    [referred] = client.get("/api/v1/me/referrals", headers=headers).json["items"]
    assert (referred["job"]["job_number"], referred["job"]["status"]) == (number, "closed")
    [applied] = client.get("/api/v1/me/applications", headers=headers).json["items"]
    assert (applied["job"]["job_number"], applied["job"]["status"]) == (number, "closed")
    assert client.get(f"/api/v1/jobs/{number}", headers=headers).json["status"] == "closed"
    employer_view = client.get(f"{JOBS}/{number}", headers=employer).json
    assert employer_view["status"] == "closed" and employer_view["updated_at"] == "2026-11-26T01:05:00+00:00"

    # again: nothing changes; a closed posting is not changed (409) nor published anew (a retry is harmless)
    clock.advance(minutes=5)
    assert client.delete(f"{JOBS}/{number}", headers=employer).status_code == 204
    assert client.get(f"{JOBS}/{number}", headers=employer).json == employer_view
    refused = client.patch(f"{JOBS}/{number}", json={"title": "介護職員（再募集）"}, headers=employer)
    assert refused.status_code == 409 and refused.json["reason"] == "closed"
    assert client.post(JOBS, json=body, headers=employer).status_code == 200
    assert client.get(f"{JOBS}/{number}", headers=employer).json["title"] == body["title"]

    closed = [e for e in posting_events(outbox) if e["type"] == "jobs.posting.closed.v1"]
    assert len(closed) == 1
    validate_event(closed[0])
    assert closed[0]["data"] == {"job_number": number, "establishment_number": "1104-123456-7"}


# -- who may --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "path", "body"), [
    ("post", JOBS, POSTING), ("get", f"{JOBS}/{POSTING['job_number']}", None),
    ("patch", f"{JOBS}/{POSTING['job_number']}", {"title": "介護職員"}),
    ("delete", f"{JOBS}/{POSTING['job_number']}", None),
])
def test_j1_only_the_employer_side_system_may_post(client, employer, signer, seeker, outbox, method, path, body):
    assert client.post(JOBS, json=POSTING, headers=employer).status_code == 201  # so GET/PATCH/DELETE would work
    _, seeker_headers = seeker()
    staff_headers = signer.headers("counter", roles=(STAFF,), ttl=LONG)
    for headers, status in ((seeker_headers, 403), (staff_headers, 403), ({}, 401)):
        answer = getattr(client, method)(path, json=body, headers=headers)
        assert answer.status_code == status, (headers, answer.json)
        assert answer.headers["Content-Type"].startswith("application/problem+json")
    assert client.get(f"{JOBS}/{POSTING['job_number']}", headers=employer).json["title"] == POSTING["title"]
    assert client.get(f"{JOBS}/{POSTING['job_number']}", headers=employer).json["status"] == "open"
    assert [event["type"] for event in posting_events(outbox)] == ["jobs.posting.published.v1"]


# -- the rule behind the changed event ---------------------------------------------------------------------


def test_j1_changed_fields_name_columns_and_extras_never_values():
    before = {"title": "介護職員", "wage_min": 200000,
              "document": {"insurance": ["雇用"], "establishment": {"url": "a"}}}
    after = {"title": "介護職員", "wage_min": 210000, "document": {"establishment": {"url": "b"}, "note": None}}
    assert domain.changed_posting_fields(before, after) == ["establishment.url", "insurance", "note", "wage.min"]
    assert domain.changed_posting_fields(before, copy.deepcopy(before)) == []


# -- in parallel (a SQLite file, threads of one process, as the embedded mode runs) ---------------------


@pytest.fixture
def file_app(clock, signer, tmp_path):
    with migrated_runtime(build_runtime, "jobs", clock, f"sqlite:///{tmp_path / 'jobs.db'}") as runtime:
        yield runtime, create_app(runtime=runtime, token_verifier=signer.verifier())


def test_j1_parallel_retries_publish_once_and_parallel_changes_are_all_kept(file_app, employer):
    runtime, app = file_app
    body = payload()
    statuses = in_parallel([lambda: app.test_client().post(JOBS, json=body, headers=employer).status_code] * 6)
    assert sorted(statuses) == [200] * 5 + [201]
    assert stored_postings(runtime) == 1

    # each change takes the posting's row first: none is lost to another made at the same time
    changes = [{"title": "介護職員（日勤）"}, {"hours": "09:00-18:00"}, {"benefits": "寮あり"},
               {"wage": {"type": "monthly", "min": 220000, "max": 280000}}]
    statuses = in_parallel([lambda change=change: app.test_client().patch(
        f"{JOBS}/{body['job_number']}", json=change, headers=employer).status_code for change in changes])
    assert statuses == [200] * 4
    posting = app.test_client().get(f"{JOBS}/{body['job_number']}", headers=employer).json
    assert (posting["title"], posting["hours"], posting["details"]["benefits"], posting["wage"]["min"]) == (
        "介護職員（日勤）", "09:00-18:00", "寮あり", 220000)
    events = [event["type"] for event in outbox_envelopes(runtime) if event["type"] in EVENTS]
    assert events == ["jobs.posting.published.v1"] + ["jobs.posting.changed.v1"] * 4
