"""P1: 求職登録 by staff — POST /api/v1/staff/seekers and PATCH /api/v1/staff/seekers/{n}."""

from __future__ import annotations

import pytest

from kit.tokens import STAFF
from tests.component.profile.conftest import SPEC_PAYLOAD, payload

SEEKERS = "/api/v1/staff/seekers"


def test_p1_the_spec_payload_registers_a_valid_seeker(client, staff, outbox):
    response = client.post(SEEKERS, json=SPEC_PAYLOAD, headers=staff)
    assert response.status_code == 201, response.json
    body = response.json
    assert body["seeker_number"] == "11040-12345678" and body["name"] == "求職 太郎"
    assert body["office"] == {"code": "11040", "name": "越谷公共職業安定所"}
    assert body["registration"] == {"status": "valid", "kind": "registered", "applied_on": "2026-11-02",
                                    "valid_until": "2027-01-31", "invalidated_on": None, "confirmed_on": None}
    assert body["work_history"] == [] and body["qualifications"] == [] and body["education"] == []
    types = [e["type"] for e in outbox()]
    assert types == ["profile.seeker.registered.v1", "profile.registration.validated.v1",
                     "profile.desired_conditions.changed.v1"]


def test_p1_registration_needs_staff(client, as_seeker):
    assert client.post(SEEKERS, json=payload()).status_code == 401
    response = client.post(SEEKERS, json=payload(), headers=as_seeker("some-seeker"))
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"


def test_p1_the_same_seeker_number_again_is_a_409_naming_patch(client, staff, register, outbox):
    first = register()
    before = len(outbox())
    response = client.post(SEEKERS, json=payload(seeker_number=first["seeker_number"]), headers=staff)
    assert response.status_code == 409
    assert "PATCH" in response.json["detail"]
    assert response.json["errors"] == [{"field": "seeker_number", "messages": ["すでに登録されています。"]}]
    assert len(outbox()) == before


def test_a1_a_login_email_used_by_another_seeker_is_refused(client, staff, register):
    first = register()
    response = client.post(SEEKERS, json=payload(email=first["email"].upper()), headers=staff)
    assert response.status_code == 409 and response.json["errors"][0]["field"] == "email"


@pytest.mark.parametrize(("field", "typed", "stored"), [
    ("name_kana", "ｷｭｳｼｮｸ ﾀﾛｳ", "キュウショク タロウ"),
    ("name_kana", "きゅうしょく　たろう", "キュウショク タロウ"),
    ("phone", "０４８－０００－００００", "048-000-0000"),
    ("phone", "0480000000", "0480000000"),
    ("email", "ｔａｒｏ＠Example.JP", "taro@example.jp"),
    ("birth_date", "１９９０－０４－０１", "1990-04-01"),
    ("name", "求職　太郎", "求職 太郎"),
])
def test_p1_harmless_width_variants_are_normalised(client, staff, field, typed, stored):
    response = client.post(SEEKERS, json=payload(**{field: typed}), headers=staff)
    assert response.status_code == 201, response.json
    assert response.json[field] == stored


@pytest.mark.parametrize("empty", ["", "  ", "\u3000"])
def test_p1_an_optional_text_sent_empty_is_not_given(client, staff, empty):
    """SPEC API conventions: "" (or only spaces) in an optional text is null, never a 422 saying it is short."""
    body = payload(address={"postal_code": "343-0023", "prefecture": "埼玉県", "municipality": "越谷市",
                            "street": empty},
                   education=[{"school": "埼玉県立越谷高等学校", "department": empty, "status": "卒業"}])
    response = client.post(SEEKERS, json=body, headers=staff)
    assert response.status_code == 201, response.json
    assert response.json["address"]["street"] is None and response.json["education"][0]["department"] is None
    refused = client.post(SEEKERS, json=payload(name=empty), headers=staff)  # a required one stays refused
    assert refused.status_code == 422 and [e["field"] for e in refused.json["errors"]] == ["name"]


def test_p1_address_and_desired_places_get_their_official_names(client, staff):
    body = payload(address={"postal_code": "３４３００２３", "prefecture": "埼玉", "municipality": "松伏町"},
                   desired={"prefectures": ["東京", "埼玉県"], "municipalities": ["越谷市", "千代田区"],
                            "occupations": ["36101"], "employment_types": ["パート労働者"],
                            "wage_min": 1100, "wage_type": "hourly", "hours": "０９:００〜１５:００",
                            "days_per_week": 4})
    response = client.post(SEEKERS, json=body, headers=staff)
    assert response.status_code == 201, response.json
    assert response.json["address"] == {"postal_code": "343-0023", "prefecture": "埼玉県",
                                        "municipality": "北葛飾郡松伏町", "street": None}
    desired = response.json["desired"]
    assert desired["prefectures"] == ["東京都", "埼玉県"] and desired["municipalities"] == ["越谷市", "千代田区"]
    assert desired["occupations"] == ["361-01"] and desired["hours"] == "09:00-15:00"


def test_p1_work_history_and_qualifications(client, staff):
    body = payload(work_history=[{"company": "株式会社越谷ケア", "from": "2015-04-01", "to": "２０２５－０３",
                                  "description": "介護業務\n夜勤あり"},
                                 {"company": "越谷商店", "from": "2025-04", "to": None}],
                   qualifications=[{"name": "介護福祉士", "acquired_on": "2018-04"}, {"name": "普通自動車免許"}],
                   education=[{"school": "埼玉県立越谷高等学校", "status": "卒業", "to": "2009-03"}])
    response = client.post(SEEKERS, json=body, headers=staff)
    assert response.status_code == 201, response.json
    assert response.json["work_history"] == [
        {"company": "株式会社越谷ケア", "from": "2015-04", "to": "2025-03", "description": "介護業務\n夜勤あり"},
        {"company": "越谷商店", "from": "2025-04", "to": None, "description": ""}]
    assert response.json["qualifications"][1] == {"name": "普通自動車免許", "acquired_on": None}


# Each payload field's bad values: a field-level problem, Japanese by default, English on request.
BAD_VALUES = [
    ("seeker_number", {"seeker_number": "1104012345678"}, "seeker_number", "求職番号", "NNNNN-NNNNNNNN"),
    ("seeker_number", {"seeker_number": "11040-1234567a"}, "seeker_number", "求職番号", "NNNNN-NNNNNNNN"),
    ("name", {"name": ""}, "name", "文字以内", "characters"),
    ("name", {"name": "x" * 51}, "name", "文字以内", "characters"),
    ("name", {"name": "求職\x07太郎"}, "name", "使用できない文字", "not allowed"),
    ("name_kana", {"name_kana": "求職 太郎"}, "name_kana", "カタカナ", "katakana"),
    ("name_kana", {"name_kana": "Kyushoku Taro"}, "name_kana", "カタカナ", "katakana"),
    ("birth_date", {"birth_date": "1990-02-30"}, "birth_date", "存在する日付", "real date"),
    ("birth_date", {"birth_date": "1990/04/01"}, "birth_date", "YYYY-MM-DD", "YYYY-MM-DD"),
    ("birth_date", {"birth_date": "2026-11-27"}, "birth_date", "過去の日付", "past"),
    ("birth_date", {"birth_date": "2020-01-01"}, "birth_date", "歳", "age"),
    ("birth_date", {"birth_date": "1890-01-01"}, "birth_date", "歳", "age"),
    ("email", {"email": "taro.example.jp"}, "email", "メールアドレス", "email"),
    ("email", {"email": "taro@"}, "email", "メールアドレス", "email"),
    ("kind", {"kind": "guest"}, "kind", "オンライン登録者", "registered or online"),
    ("office", {"office": {"code": "1104", "name": "越谷公共職業安定所"}}, "office.code", "5桁", "5 digits"),
    ("office", {"office": {"code": "99040", "name": "越谷"}}, "office.code", "都道府県", "prefecture"),
    ("office", {"office": {"code": "11040"}}, "office.name", "必須", "Missing data"),
    ("address", {"address": {"postal_code": "3430023x", "prefecture": "埼玉県", "municipality": "越谷市"}},
     "address.postal_code", "123-4567", "123-4567"),
    ("address", {"address": {"postal_code": "343-0023", "prefecture": "越谷県", "municipality": "越谷市"}},
     "address.prefecture", "都道府県", "prefectures"),
    ("address", {"address": {"postal_code": "343-0023", "prefecture": "東京都", "municipality": "越谷市"}},
     "address.municipality", "市区町村", "municipality"),
    ("phone", {"phone": "048-000-000a"}, "phone", "電話番号", "phone"),
    ("phone", {"phone": "123-456"}, "phone", "電話番号", "phone"),
    ("phone", {"phone": "0480-00-000"}, "phone", "10桁", "10 or 11"),
    ("applied_on", {"applied_on": "2026-11-27"}, "applied_on", "未来", "future"),
    ("education", {"education": [{"school": "越谷高校", "status": "退学"}]}, "education.0.status", "卒業", "卒業"),
    ("work_history", {"work_history": [{"company": "A社", "from": "2020-13"}]}, "work_history.0.from",
     "YYYY-MM", "YYYY-MM"),
    ("work_history", {"work_history": [{"company": "A社", "from": "2027-01"}]}, "work_history.0.from",
     "未来", "future"),
    ("work_history", {"work_history": [{"company": "A社", "from": "2020-04", "to": "2019-03"}]},
     "work_history.0.to", "開始年月以降", "before the start"),
    ("work_history", {"work_history": [{"from": "2020-04"}]}, "work_history.0.company", "必須", "Missing"),
    ("qualifications", {"qualifications": [{"name": "", "acquired_on": "2020-01"}]}, "qualifications.0.name",
     "文字以内", "characters"),
    ("qualifications", {"qualifications": [{"name": "x"}] * 31}, "qualifications", "30件", "30"),
    ("desired", {"desired": {"occupations": ["a", "b", "c", "d"]}}, "desired.occupations", "3件", "3"),
    ("desired", {"desired": {"occupations": ["999-99"]}}, "desired.occupations", "職業分類", "occupation"),
    ("desired", {"desired": {"employment_types": ["アルバイト"]}}, "desired.employment_types.0", "雇用形態",
     "employment type"),
    ("desired", {"desired": {"prefectures": ["埼玉県", "東京都", "千葉県", "神奈川県"]}}, "desired.prefectures",
     "3件", "3"),
    ("desired", {"desired": {"prefectures": ["埼玉県"], "municipalities": ["千代田区"]}},
     "desired.municipalities", "都道府県にない", "Not in the chosen"),
    ("desired", {"desired": {"municipalities": ["越谷市"]}}, "desired.municipalities", "都道府県と一緒",
     "prefectures too"),
    ("desired", {"desired": {"wage_min": -1}}, "desired.wage_min", "希望賃金", "wage"),
    ("desired", {"desired": {"wage_min": "200000"}}, "desired.wage_min", "整数", "integer"),
    ("desired", {"desired": {"hours": "9時から"}}, "desired.hours", "09:00-17:00", "09:00-17:00"),
    ("desired", {"desired": {"days_per_week": 8}}, "desired.days_per_week", "1〜7", "1 to 7"),
    ("desired", {"desired": {"prefectures": ["埼玉県", "埼玉県"]}}, "desired.prefectures", "重複", "repeated"),
    ("unknown", {"nickname": "たろう"}, "nickname", "指定できません", "Unknown field"),
]


@pytest.mark.parametrize(("case", "changes", "field", "japanese", "english"), BAD_VALUES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(BAD_VALUES)])
def test_p1_bad_values_are_refused_field_by_field(client, staff, outbox, case, changes, field, japanese, english):
    body = payload(**changes)
    response = client.post(SEEKERS, json=body, headers=staff)
    assert response.status_code == 422, response.json
    assert response.mimetype == "application/problem+json"
    assert response.json["title"] == "入力内容に誤りがあります"
    errors = {e["field"]: e["messages"] for e in response.json["errors"]}
    assert list(errors) == [field], errors
    assert japanese in " ".join(errors[field])
    english_response = client.post(SEEKERS, json=body, headers=staff | {"Accept-Language": "en"})
    assert english_response.json["title"] == "The request has invalid fields"
    english_errors = {e["field"]: e["messages"] for e in english_response.json["errors"]}
    assert english in " ".join(english_errors[field])
    assert outbox() == []


@pytest.mark.parametrize("missing", ["seeker_number", "name", "name_kana", "birth_date", "email", "office",
                                     "address"])
def test_p1_required_fields(client, staff, missing):
    body = payload()
    del body[missing]
    response = client.post(SEEKERS, json=body, headers=staff)
    assert response.status_code == 422
    assert response.json["errors"] == [{"field": missing, "messages": ["必須項目です。"]}]


# -- PATCH ---------------------------------------------------------------------------------------


def test_p1_staff_patch_replaces_the_fields_given(client, staff, register, outbox):
    seeker = register()
    number = seeker["seeker_number"]
    before = len(outbox())
    response = client.patch(f"{SEEKERS}/{number}", headers=staff, json={
        "name": "求職 花子", "phone": "03-1234-5678",
        "office": {"code": "13010", "name": "飯田橋公共職業安定所"}})
    assert response.status_code == 200, response.json
    assert response.json["name"] == "求職 花子" and response.json["phone"] == "03-1234-5678"
    assert response.json["office"]["code"] == "13010"
    assert response.json["address"] == seeker["address"]  # untouched
    assert len(outbox()) == before  # nothing another service needs changed


def test_p1_a_new_email_or_birth_date_is_announced_to_auth(client, staff, register, outbox):
    seeker = register()
    number = seeker["seeker_number"]
    client.patch(f"{SEEKERS}/{number}", headers=staff, json={"email": "new@example.jp"})
    client.patch(f"{SEEKERS}/{number}", headers=staff, json={"birth_date": "1991-05-06"})
    client.patch(f"{SEEKERS}/{number}", headers=staff, json={"birth_date": "1991-05-06"})  # same: no event
    changed = outbox("profile.seeker.changed.v1")
    assert [e["data"] for e in changed] == [
        {"seeker_id": seeker["seeker_id"], "seeker_number": number, "email": "new@example.jp",
         "birth_date": "1990-04-01"},
        {"seeker_id": seeker["seeker_id"], "seeker_number": number, "email": "new@example.jp",
         "birth_date": "1991-05-06"}]


def test_p1_staff_patch_of_desired_conditions_feeds_matching(client, staff, register, outbox):
    seeker = register()
    client.patch(f"{SEEKERS}/{seeker['seeker_number']}", headers=staff,
                 json={"desired": {"occupations": ["事務"], "prefectures": ["埼玉県"]}})
    last = outbox("profile.desired_conditions.changed.v1")[-1]
    assert last["data"]["desired"]["occupations"] == ["事務"]


@pytest.mark.parametrize(("field", "value", "hint"), [
    ("seeker_number", "11040-00000000", "変更できません"),
    ("kind", "registered", "confirmation"),
    ("applied_on", "2026-11-20", "reapplication"),
    ("registration", {"status": "invalid"}, "registration"),
])
def test_p1_patch_points_to_the_endpoint_for_status_fields(client, staff, register, field, value, hint):
    seeker = register()
    response = client.patch(f"{SEEKERS}/{seeker['seeker_number']}", headers=staff, json={field: value})
    assert response.status_code == 422
    assert response.json["errors"][0]["field"] == field and hint in response.json["errors"][0]["messages"][0]


def test_p1_patch_of_an_unknown_seeker_is_404(client, staff):
    response = client.patch(f"{SEEKERS}/11040-99999999", headers=staff, json={"name": "x"})
    assert response.status_code == 404 and "11040-99999999" in response.json["detail"]


def test_p1_patch_with_bad_values_is_field_level(client, staff, register):
    seeker = register()
    response = client.patch(f"{SEEKERS}/{seeker['seeker_number']}", headers=staff,
                            json={"name_kana": "太郎", "address": {"postal_code": "1"}})
    fields = {e["field"] for e in response.json["errors"]}
    assert response.status_code == 422
    assert fields == {"name_kana", "address.postal_code", "address.prefecture", "address.municipality"}


def test_staff_can_read_a_registration(client, staff, register):
    seeker = register()
    response = client.get(f"{SEEKERS}/{seeker['seeker_number']}", headers=staff)
    assert response.status_code == 200 and response.json["email"] == seeker["email"]


def test_date_checks_read_the_injected_clock_not_the_wall_clock(client, staff, clock):
    clock.set("2031-06-01T10:00:00+09:00")
    response = client.post(SEEKERS, headers=staff, json=payload(
        birth_date="2016-06-01",  # 15 in 2031 (would be 10 by the wall clock)
        applied_on="2031-05-31", work_history=[{"company": "A社", "from": "2030-04"}]))
    assert response.status_code == 201, response.json
    assert response.json["registration"]["valid_until"] == "2031-07-31"


MIDNIGHT_2040 = "2040-03-31T15:00:00+00:00"  # 2040-04-01 00:00 in Japan, years from the wall clock


@pytest.mark.parametrize(("now", "birth_date", "accepted"), [
    (MIDNIGHT_2040, "2026-04-01", True),   # 14 that day (MIN_AGE)
    (MIDNIGHT_2040, "2026-04-02", False),  # 14 tomorrow
    ("2040-03-31T14:59:59+00:00", "2026-04-01", False),  # one second earlier it is still the 31st in Japan
])
def test_p1_the_minimum_age_is_counted_on_the_injected_clock_s_day_in_japan(client, signer, clock, now, birth_date,
                                                                           accepted):
    clock.set(now)
    staff = signer.headers("counter", roles=(STAFF,))  # issued in 2040
    response = client.post(SEEKERS, headers=staff, json=payload(birth_date=birth_date, applied_on="2040-03-31"))
    assert response.status_code == (201 if accepted else 422), response.json
    if not accepted:
        assert [error["field"] for error in response.json["errors"]] == ["birth_date"]


def test_p1_schemas_read_the_day_from_the_runtime_s_clock_wherever_they_are_loaded(app, clock):
    """A schema loaded outside profile's views (no day set for it) still takes the day from the
    service's injected clock, never from the wall clock."""
    from marshmallow import ValidationError

    from services.profile.schemas import SeekerRegistrationSchema

    clock.set(MIDNIGHT_2040)
    body = payload(birth_date="2026-04-01", applied_on="2040-04-01",
                   work_history=[{"company": "A社", "from": "2040-04"}])
    with app.test_request_context("/elsewhere"):
        loaded = SeekerRegistrationSchema().load(body)
        with pytest.raises(ValidationError) as refused:
            SeekerRegistrationSchema().load(body | {"work_history": [{"company": "A社", "from": "2040-05"}]})
    assert str(loaded["birth_date"]) == "2026-04-01" and loaded["work_history"][0]["from"] == "2040-04"
    assert list(refused.value.messages) == ["work_history"]
