"""P2 and P5 for the seeker: GET|PATCH /api/v1/me/profile, GET /api/v1/me — the token's own seeker only."""

from __future__ import annotations

import pytest

PROFILE = "/api/v1/me/profile"


def test_p2_the_seeker_reads_their_own_profile(client, register, as_seeker):
    seeker = register()
    response = client.get(PROFILE, headers=as_seeker(seeker["seeker_id"]))
    assert response.status_code == 200
    assert response.json["seeker_number"] == seeker["seeker_number"]
    assert response.json["registration"]["valid_until"] == "2027-01-31"


def test_design_5_zero_cross_user_reads(client, register, as_seeker):
    """Every /me resource is the token's own seeker's: with many seekers, each sees only itself."""
    seekers = [register() for _ in range(5)]
    for seeker in seekers:
        headers = as_seeker(seeker["seeker_id"])
        assert client.get(PROFILE, headers=headers).json["seeker_number"] == seeker["seeker_number"]
        assert client.get("/api/v1/me", headers=headers).json["seeker_number"] == seeker["seeker_number"]
        changed = client.patch(PROFILE, headers=headers, json={"phone": "03-0000-0000"})
        assert changed.json["seeker_number"] == seeker["seeker_number"]
        status = client.put("/api/v1/me/registration", headers=headers, json={"status": "invalid"})
        assert status.status_code == 200

    registration = client.put("/api/v1/me/registration", headers=as_seeker(seekers[0]["seeker_id"]),
                              json={"status": "valid"})
    assert registration.status_code == 200
    # each change landed on its own seeker and nowhere else
    for seeker in seekers[1:]:
        assert client.get(PROFILE, headers=as_seeker(seeker["seeker_id"])).json["registration"]["status"] == "invalid"


def test_me_needs_a_seeker_token(client, staff):
    for method, path in (("get", PROFILE), ("patch", PROFILE), ("get", "/api/v1/me"),
                         ("put", "/api/v1/me/registration")):
        assert getattr(client, method)(path, json={}).status_code == 401
        refused = getattr(client, method)(path, json={}, headers=staff)
        assert refused.status_code == 403, (method, path)


def test_a_token_of_an_unknown_seeker_finds_nothing(client, as_seeker):
    response = client.get(PROFILE, headers=as_seeker("00000000-0000-4000-8000-000000000000"))
    assert response.status_code == 404 and response.mimetype == "application/problem+json"


def test_p2_the_seeker_changes_contact_history_qualifications_and_desired(client, register, as_seeker, outbox):
    seeker = register()
    headers = as_seeker(seeker["seeker_id"])
    response = client.patch(PROFILE, headers=headers, json={
        "phone": "０９０－１２３４－５６７８",
        "address": {"postal_code": "100-0001", "prefecture": "東京都", "municipality": "千代田区",
                    "street": "千代田1-1"},
        "work_history": [{"company": "越谷物産", "from": "2010-04", "to": "2014-03", "description": "営業"}],
        "qualifications": [{"name": "日商簿記2級", "acquired_on": "2012-06"}],
        "desired": {"occupations": ["一般事務"], "employment_types": ["正社員", "パート労働者"],
                    "prefectures": ["東京都"], "municipalities": ["千代田区"], "wage_min": 220000},
    })
    assert response.status_code == 200, response.json
    assert response.json["phone"] == "090-1234-5678"
    assert response.json["address"]["municipality"] == "千代田区"
    assert response.json["work_history"][0]["company"] == "越谷物産"
    assert response.json["name"] == seeker["name"]
    assert client.get(PROFILE, headers=headers).json == response.json
    [_, changed] = outbox("profile.desired_conditions.changed.v1")
    assert changed["data"] == {"seeker_id": seeker["seeker_id"], "desired": response.json["desired"]}
    assert changed["subject"] == seeker["seeker_id"]


def test_p2_contact_only_changes_publish_nothing(client, register, as_seeker, outbox):
    seeker = register()
    before = len(outbox())
    client.patch(PROFILE, headers=as_seeker(seeker["seeker_id"]), json={"phone": "03-0000-0000"})
    assert len(outbox()) == before  # E3: nobody else needs the phone number


@pytest.mark.parametrize("fields", [
    {"name": "別人 太郎"},
    {"name_kana": "ベツジン"},
    {"birth_date": "1980-01-01"},
    {"email": "other@example.jp"},
    {"seeker_number": "11040-00000001"},
    {"office": {"code": "13010", "name": "飯田橋公共職業安定所"}},
    {"kind": "registered"},
    {"email": "other@example.jp", "birth_date": "1980-01-01", "phone": "03-0000-0000"},
])
def test_p2_identity_fields_are_staff_only(client, register, as_seeker, outbox, fields):
    seeker = register()
    headers = as_seeker(seeker["seeker_id"])
    before = len(outbox())
    response = client.patch(PROFILE, headers=headers, json=fields)
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"
    refused = sorted(set(fields) - {"phone"})
    assert response.json["staff_only_fields"] == refused
    assert [e["field"] for e in response.json["errors"]] == refused
    assert all(name in response.json["detail"] for name in refused)
    assert "窓口" in response.json["detail"]
    english = client.patch(PROFILE, headers=headers | {"Accept-Language": "en"}, json=fields)
    assert "Only Hello Work staff" in english.json["detail"]
    assert client.get(PROFILE, headers=headers).json["phone"] == seeker["phone"]  # nothing applied
    assert len(outbox()) == before


def test_p2_the_seekers_bad_values_are_field_level(client, register, as_seeker):
    seeker = register()
    response = client.patch(PROFILE, headers=as_seeker(seeker["seeker_id"]) | {"Accept-Language": "en"},
                            json={"phone": "x", "work_history": [{"company": "A", "from": "2020-04", "to": "2019-01"}]})
    assert response.status_code == 422
    assert {e["field"] for e in response.json["errors"]} == {"phone", "work_history.0.to"}


def test_p2_an_empty_patch_is_refused_by_the_seeker_and_by_staff_alike(client, register, as_seeker, staff):
    seeker = register()
    refused = [client.patch(PROFILE, headers=as_seeker(seeker["seeker_id"]), json={}),
               client.patch(f"/api/v1/staff/seekers/{seeker['seeker_number']}", headers=staff, json={})]
    assert [response.status_code for response in refused] == [422, 422]
    assert refused[0].json["errors"] == refused[1].json["errors"] == [
        {"field": "_schema", "messages": ["変更する項目を指定してください。"]}]


# -- P5 home ---------------------------------------------------------------------------------------


def test_p5_home_shows_name_office_status_and_unknown_counts(client, register, as_seeker):
    seeker = register()
    home = client.get("/api/v1/me", headers=as_seeker(seeker["seeker_id"])).json
    assert home["greeting"] == "求職 太郎様"
    assert home["office"] == {"code": "11040", "name": "越谷公共職業安定所"}
    assert home["registration"]["status"] == "valid" and home["registration"]["valid_until"] == "2027-01-31"
    assert home["restriction"] == {"registration_invalid": False, "online_registrant": False, "no_show": None}
    # kept by jobs and messaging: unknown here, never invented
    assert home["counts"] == {"favourites": None, "saved_searches": None, "unread_messages": None,
                              "referrals": None, "recommendations": None}


def test_p5_home_shows_an_invalid_registration_and_an_online_registrant(client, register, as_seeker):
    seeker = register(kind="online")
    headers = as_seeker(seeker["seeker_id"])
    client.put("/api/v1/me/registration", headers=headers, json={"status": "invalid"})
    home = client.get("/api/v1/me", headers=headers).json
    assert home["registration"]["status"] == "invalid" and home["registration"]["invalidated_on"] == "2026-11-26"
    assert home["restriction"]["registration_invalid"] is True
    assert home["restriction"]["online_registrant"] is True


def test_p4_own_profile_stays_readable_while_invalid(client, register, as_seeker):
    seeker = register()
    headers = as_seeker(seeker["seeker_id"])
    client.put("/api/v1/me/registration", headers=headers, json={"status": "invalid"})
    assert client.get(PROFILE, headers=headers).status_code == 200
    assert client.patch(PROFILE, headers=headers, json={"phone": "03-0000-0000"}).status_code == 200
