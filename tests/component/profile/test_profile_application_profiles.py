"""Issue 13 item 3 in profile: the seeker reads exactly which 求職情報 goes with an application (氏名, 職歴, 資格・
免許, 希望条件, 自己PR; 住所, 電話番号, 生年月日 only if ticked); profile freezes it from jobs'
`jobs.application.submitted.v1` and the employer reads it with the application — only for its own
establishments (C2), as it was when the seeker applied — until the seeker is erased (R3)."""

from __future__ import annotations

import uuid

import pytest

from contracts import validate_event
from kit.events import Event
from kit.tokens import EMPLOYER
from services.profile.handlers import SUBSCRIPTIONS
from tests.component.profile.conftest import LONG

PREVIEW = "/api/v1/me/application-profile"
SUBMITTED = "jobs.application.submitted.v1"
ESTABLISHMENT = "1104-123456-7"
WORK = [{"company": "株式会社越谷ケア", "from": "2015-04", "to": "2020-03", "description": "特養での介護業務"}]
QUALIFICATIONS = [{"name": "介護福祉士", "acquired_on": "2018-04"}]
SELF_PR = "利用者さんの話をよく聴くことを大切にしてきました。\n夜勤にも対応できます。"


@pytest.fixture
def employer(signer):
    """employer(establishments) -> the headers of an employer-side system acting for them (C2)."""
    return lambda establishments: signer.headers("employer-system", roles=(EMPLOYER,), ttl=LONG,
                                                 establishments=establishments)


@pytest.fixture
def seeker(register, client, as_seeker) -> dict:
    registered = register(work_history=WORK, qualifications=QUALIFICATIONS)
    changed = client.patch("/api/v1/me/profile", json={"self_pr": SELF_PR},
                           headers=as_seeker(registered["seeker_id"]))
    assert changed.status_code == 200 and changed.json["self_pr"] == SELF_PR, changed.json
    return registered


@pytest.fixture
def apply(runtime):
    """apply(seeker_id, shared_contact) -> the application id: jobs' event, delivered to profile's handler."""

    def deliver(seeker_id: str, shared_contact: list[str], application_id: str | None = None) -> str:
        application_id = application_id or uuid.uuid4().hex
        event = Event(type=SUBMITTED, source="/mypage/jobs", subject=seeker_id, time=runtime.clock.now(), data={
            "application_id": application_id, "seeker_id": seeker_id, "job_number": "11040-00012345",
            "establishment_number": ESTABLISHMENT, "establishment_name": "株式会社越谷ケア", "route": "self",
            "submitted_at": runtime.clock.now().isoformat(), "shared_contact": shared_contact})
        validate_event(event)
        with runtime.uow() as uow:
            SUBSCRIPTIONS[SUBMITTED](event, uow)
            uow.commit()
        return application_id

    return deliver


def _read(client, headers, application_id: str):
    return client.get(f"/api/v1/employer/applications/{application_id}/profile", headers=headers)


def test_item3_the_seeker_reads_exactly_what_goes_and_what_a_tick_adds(client, seeker, as_seeker):
    preview = client.get(PREVIEW, headers=as_seeker(seeker["seeker_id"]))
    assert preview.status_code == 200, preview.json
    sent, optional = preview.json["sent"], preview.json["optional"]
    assert set(sent) == {"name", "name_kana", "work_history", "qualifications", "desired", "self_pr"}
    assert sent["name"] == "求職 太郎" and sent["self_pr"] == SELF_PR and sent["work_history"] == WORK
    assert sent["qualifications"] == QUALIFICATIONS and sent["desired"]["occupations"] == ["介護職員"]
    assert optional == {"address": {"postal_code": "343-0023", "prefecture": "埼玉県", "municipality": "越谷市",
                                    "street": None},
                        "phone": "048-000-0000", "birth_date": "1990-04-01"}
    assert client.get(PREVIEW).status_code == 401


def test_item3_the_employer_reads_the_profile_frozen_at_application_with_only_the_ticked_contact(
        client, seeker, apply, employer, as_seeker, clock):
    application_id = apply(seeker["seeker_id"], ["phone"])
    clock.advance(minutes=5)
    later = {"phone": "090-1111-2222", "self_pr": "変更後の自己PR", "qualifications": []}
    assert client.patch("/api/v1/me/profile", json=later, headers=as_seeker(seeker["seeker_id"])).status_code == 200
    read = _read(client, employer([ESTABLISHMENT]), application_id)
    assert read.status_code == 200, read.json
    assert read.json["shared_contact"] == ["phone"] and read.json["establishment_number"] == ESTABLISHMENT
    profile = read.json["profile"]
    assert profile["phone"] == "048-000-0000" and profile["self_pr"] == SELF_PR  # as when applying
    assert profile["qualifications"] == QUALIFICATIONS and profile["name"] == "求職 太郎"
    assert "address" not in profile and "birth_date" not in profile
    text = str(read.json)
    for never in (seeker["email"], seeker["seeker_number"], "343-0023", "1990-04-01", seeker["seeker_id"]):
        assert never not in text


def test_item3_a_redelivered_event_keeps_the_first_profile(client, seeker, apply, employer):
    application_id = apply(seeker["seeker_id"], [])
    apply(seeker["seeker_id"], ["address", "phone", "birth_date"], application_id=application_id)
    read = _read(client, employer([ESTABLISHMENT]), application_id).json
    assert read["shared_contact"] == [] and "phone" not in read["profile"]


def test_item3_all_three_ticked_go_in_a_fixed_order(client, seeker, apply, employer):
    application_id = apply(seeker["seeker_id"], ["birth_date", "address", "phone"])
    read = _read(client, employer([ESTABLISHMENT]), application_id).json
    assert read["shared_contact"] == ["address", "phone", "birth_date"]
    assert read["profile"]["birth_date"] == "1990-04-01" and read["profile"]["address"]["postal_code"] == "343-0023"


def test_c2_another_establishments_employer_or_a_seeker_cannot_read_it(client, seeker, apply, employer, as_seeker):
    application_id = apply(seeker["seeker_id"], ["phone"])
    other = _read(client, employer(["1104-999999-9"]), application_id)
    assert other.status_code == 404 and other.mimetype == "application/problem+json"
    assert _read(client, employer([ESTABLISHMENT]), "0" * 32).status_code == 404
    assert _read(client, as_seeker(seeker["seeker_id"]), application_id).status_code == 403
    assert _read(client, {}, application_id).status_code == 401


def test_r3_erasure_reaches_the_frozen_profile(client, seeker, apply, employer, runtime):
    application_id = apply(seeker["seeker_id"], ["phone"])
    erasure = Event(type="retention.erasure.requested.v1", source="/mypage/retention", subject=seeker["seeker_id"],
                    data={"erasure_id": uuid.uuid4().hex, "seeker_id": seeker["seeker_id"], "reason": "withdrawn"})
    with runtime.uow() as uow:
        SUBSCRIPTIONS[erasure.type](erasure, uow)
        uow.commit()
    assert _read(client, employer([ESTABLISHMENT]), application_id).status_code == 404


def test_item3_self_pr_keeps_its_line_breaks_and_stops_at_2000_characters(client, register, as_seeker):
    headers = as_seeker(register()["seeker_id"])
    assert client.patch("/api/v1/me/profile", json={"self_pr": "あ" * 2000}, headers=headers).status_code == 200
    refused = client.patch("/api/v1/me/profile", json={"self_pr": "あ" * 2001}, headers=headers)
    assert refused.status_code == 422 and refused.json["errors"][0]["field"] == "self_pr"
    cleared = client.patch("/api/v1/me/profile", json={"self_pr": "  "}, headers=headers)
    assert cleared.status_code == 200 and cleared.json["self_pr"] is None
