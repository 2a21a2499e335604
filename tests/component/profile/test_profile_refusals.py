"""P1/P3: the registration rules' refusals (domain.Refused) reach the client as the same problem+json,
Japanese by default and English on request, with the field they are about."""

from __future__ import annotations

import pytest

from services.profile import commands
from tests.component.profile.conftest import payload

STAFF_SEEKERS = "/api/v1/staff/seekers"

FUTURE = ("求職申込日に未来の日付は指定できません。", "The application date cannot be in the future.")
BEFORE_PREVIOUS = ("再求職申込日は前回の求職申込日以降の日付にしてください。",
                   "The re-application date cannot be before the previous application date.")


def _field_problem(instance: str, english: bool, message: str) -> dict:
    return {"type": "https://mypage.hellowork.example/problems/validation-failed",
            "title": "The request has invalid fields" if english else "入力内容に誤りがあります",
            "status": 422, "instance": instance, "errors": [{"field": "applied_on", "messages": [message]}]}


@pytest.mark.parametrize("english", [False, True])
def test_p1_an_application_date_one_day_in_the_future_is_refused_on_the_field(client, staff, english):
    headers = staff | {"Accept-Language": "en" if english else "ja"}
    response = client.post(STAFF_SEEKERS, headers=headers, json=payload(applied_on="2026-11-27"))  # today + 1
    assert response.status_code == 422
    assert response.json == _field_problem(STAFF_SEEKERS, english, FUTURE[english])
    assert client.post(STAFF_SEEKERS, headers=headers, json=payload(applied_on="2026-11-26")).status_code == 201


@pytest.mark.parametrize("english", [False, True])
@pytest.mark.parametrize(("applied_on", "messages"), [("2026-11-27", FUTURE), ("2026-11-24", BEFORE_PREVIOUS)])
def test_p3_a_reapplication_date_out_of_bounds_is_refused_on_the_field(client, staff, register, english,
                                                                       applied_on, messages):
    seeker = register(applied_on="2026-11-25")
    path = f"{STAFF_SEEKERS}/{seeker['seeker_number']}/reapplication"
    headers = staff | {"Accept-Language": "en" if english else "ja"}
    response = client.post(path, headers=headers, json={"applied_on": applied_on})
    assert response.status_code == 422
    assert response.json == _field_problem(path, english, messages[english])
    assert client.post(path, headers=headers, json={"applied_on": "2026-11-25"}).status_code == 200  # the edge


@pytest.mark.parametrize(("language", "detail"), [
    ("ja", "求職登録の有効期限（2027-01-31）が過ぎています。"
           "有効にするにはハローワークの窓口で再求職申込をしてください。"),
    ("en", "The registration's validity period ended on 2027-01-31; "
           "a re-application (再求職申込) at Hello Work is needed to make it valid again."),
])
def test_p3_valid_again_after_the_period_is_a_409_naming_the_end(client, clock, runtime, register, as_seeker,
                                                                 language, detail):
    seeker = register(applied_on="2026-11-26")  # valid through 2027-01-31
    clock.set("2027-02-01T00:00:00+09:00")  # the first moment after it
    commands.expire_due_registrations(runtime)
    response = client.put("/api/v1/me/registration", json={"status": "valid"},
                          headers=as_seeker(seeker["seeker_id"]) | {"Accept-Language": language})
    assert response.status_code == 409
    title = "The request conflicts with the current state" if language == "en" else "現在の状態ではこの操作はできません"
    assert response.json == {
        "type": "https://mypage.hellowork.example/problems/conflict", "title": title, "status": 409,
        "detail": detail, "instance": "/api/v1/me/registration", "valid_until": "2027-01-31"}
