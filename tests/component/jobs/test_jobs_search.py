"""J2 basics (filters, paging, total, NFKC free word) and J2a publication scope in lists and the 求人票."""

from __future__ import annotations

import pytest

JOBS = "/api/v1/jobs"
SOKA = {"prefecture": "埼玉県", "municipality": "草加市", "station": "草加駅"}
SHINJUKU = {"prefecture": "東京都", "municipality": "新宿区", "station": "新宿駅"}
PART_TIME = {"employment_type": "パート労働者", "full_time": False,
             "wage": {"type": "hourly", "min": 1100, "max": 1300}}


def _numbers(response) -> list[str]:
    assert response.status_code == 200, response.json
    return [item["job_number"] for item in response.json["items"]]


def test_j2_newest_received_first_with_the_total_and_pages(client, post):
    older = post(received_on="2026-11-01")
    newer = [post(received_on="2026-11-20") for _ in range(10)]
    page = client.get(f"{JOBS}?per_page=10").json
    assert page["total"] == 11 and page["page"] == 1 and page["per_page"] == 10
    assert set(item["job_number"] for item in page["items"]) == set(newer)
    assert _numbers(client.get(f"{JOBS}?per_page=10&page=2")) == [older]
    assert client.get(f"{JOBS}?per_page=10&page=3").json["items"] == []
    assert _numbers(client.get(f"{JOBS}?sort=deadline&per_page=10"))[0] in newer + [older]
    assert client.get(JOBS).json["per_page"] == 30


def test_j2_a_job_in_a_list_carries_what_the_contract_promises(client, post):
    post()
    item = client.get(JOBS).json["items"][0]
    assert {"job_number", "title", "establishment", "location", "wage", "employment_type", "received_on",
            "deadline"} <= set(item)
    assert item["location"] == {"prefecture": "埼玉県", "municipality": "越谷市", "station": "越谷駅"}
    assert item["wage"] == {"type": "monthly", "min": 200000, "max": 260000}


def test_j1_closed_expired_and_offline_postings_are_not_found(client, runtime, post):
    from sqlalchemy import update

    from services.jobs.models import postings

    found = post()
    post(deadline="2026-11-25")  # expired yesterday (today is 2026-11-26 in Japan)
    post(publication_scope=4)
    closed = post()
    with runtime.engine.begin() as connection:
        connection.execute(update(postings).where(postings.c.job_number == closed).values(closed=True))
    assert _numbers(client.get(JOBS)) == [found]
    post(deadline="2026-11-26")  # the deadline day itself still counts
    assert client.get(JOBS).json["total"] == 2


@pytest.mark.parametrize(("query", "expected"), [
    ("prefecture=東京都", {"shinjuku"}),
    ("prefecture=11", {"koshigaya", "soka", "part"}),
    ("municipality=草加市", {"soka"}),
    ("municipality=11222&municipality=新宿区", {"koshigaya", "part", "shinjuku"}),
    ("prefecture=東京都&municipality=越谷市", set()),  # 越谷市 is not in 東京都: refused below
    ("prefecture=東京都&prefecture=埼玉県&municipality=草加市", {"soka", "shinjuku"}),
    ("employment_type=パート労働者", {"part"}),
    ("employment_type=正社員,パート労働者", {"koshigaya", "soka", "shinjuku", "part"}),
    ("occupation=361-01", {"koshigaya", "soka", "part"}),
    ("occupation=361", {"koshigaya", "soka", "part"}),
    ("occupation=36", {"koshigaya", "soka", "part"}),
    ("occupation=E", {"koshigaya", "soka", "part"}),  # 大分類 E (サービスの職業) holds 36
    ("occupation=453-01", {"shinjuku"}),
    ("occupation=F", {"shinjuku"}),
    ("wage_min=210000", {"shinjuku"}),
    ("wage_min=1100&wage_type=hourly", {"part"}),
    ("wage_min=1200&wage_type=hourly", set()),
    ("q=介護", {"koshigaya", "soka", "part"}),
    ("q=ｶｲｺﾞ　デイサービス", {"part"}),  # half-width kana and a full-width space: NFKC
    ("q=ＤＸ", {"shinjuku"}),  # full-width letters, case folded
    ("q=50%", set()),  # LIKE wildcards are literal
])
def test_j2_basic_filters(client, post, query, expected):
    names = {
        post(): "koshigaya",
        post(location=SOKA): "soka",
        post(location=SHINJUKU, title="警備員", occupation_code="453-01", description="dx推進ビルの施設警備です。",
             wage={"type": "monthly", "min": 220000, "max": 300000}): "shinjuku",
        post(**PART_TIME, description="カイゴ補助（デイサービス）のお仕事です。"): "part",
    }
    response = client.get(f"{JOBS}?{query}")
    if query.startswith("prefecture=東京都&municipality=越谷市"):
        assert response.status_code == 422
        return
    assert {names[number] for number in _numbers(response)} == expected
    assert response.json["total"] == len(expected)


def test_j2_bad_query_parameters_are_field_level_problems(client):
    response = client.get(f"{JOBS}?per_page=20&page=0&q={'a' * 51}&employment_type=バイト")
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    assert {e["field"] for e in response.json["errors"]} == {"per_page", "page", "q", "employment_type.0"}



@pytest.mark.parametrize(("query", "field", "message"), [
    ("employment_type=", "employment_type", "空の値は指定できません。"),
    ("prefecture=11&prefecture=%20", "prefecture", "空の値は指定できません。"),
    ("prefecture=11&prefecture=11&prefecture=11&prefecture=11", "prefecture", "都道府県は3件まで指定できます。"),
    ("wage_min=2.5", "wage_min", "整数で入力してください。"),
])
def test_s8_a_query_is_refused_rather_than_read_as_another(client, query, field, message):
    """S8 (found by Schemathesis): `?employment_type=` was read as no filter, four values past the
    limit of three were accepted when they repeated, and wage_min=2.5 as 2."""
    response = client.get(f"{JOBS}?{query}")
    assert response.status_code == 422 and response.mimetype == "application/problem+json", response.json
    assert response.json["errors"] == [{"field": field, "messages": [message]}]


def test_s8_empty_parts_of_a_comma_separated_value_are_still_dropped(client, post):
    number = post()
    assert _numbers(client.get(f"{JOBS}?prefecture=11,,13&prefecture=埼玉県")) == [number]

def test_j2a_scope_2_shows_the_establishment_only_to_logged_in_registered_seekers(client, post, seeker, feed):
    from .conftest import registration

    number = post(publication_scope=2)
    anonymous = client.get(f"{JOBS}/{number}").json
    assert anonymous["establishment"] == {"number": None, "name": None, "disclosed": False,
                                          "hidden_reason": "login_required"}
    assert "contact" not in anonymous["details"] and anonymous["details"]["insurance"] == ["雇用", "労災"]
    assert client.get(JOBS).json["items"][0]["establishment"]["name"] is None
    seeker_id, headers = seeker()
    shown = client.get(f"{JOBS}/{number}", headers=headers).json
    assert shown["establishment"]["name"] == "株式会社越谷ケア" and shown["details"]["contact"]["person"] == "越谷 花子"
    assert client.get(JOBS, headers=headers).json["items"][0]["establishment"]["name"] == "株式会社越谷ケア"
    feed(*registration(seeker_id, "invalid"))  # P4: public search stays open — as public
    assert client.get(f"{JOBS}/{number}", headers=headers).json["establishment"]["name"] is None


def test_j2a_scope_3_never_shows_the_name_or_contact_and_scope_4_is_not_online(client, post, seeker):
    _, headers = seeker()
    hidden = post(publication_scope=3)
    for caller in ({}, headers):
        detail = client.get(f"{JOBS}/{hidden}", headers=caller).json
        assert detail["establishment"] == {"number": None, "name": None, "disclosed": False,
                                           "hidden_reason": "not_published"}
        assert "contact" not in detail["details"] and "越谷 花子" not in str(detail)
    offline = post(publication_scope=4)
    assert client.get(f"{JOBS}/{offline}", headers=headers).status_code == 404
    assert offline not in _numbers(client.get(JOBS, headers=headers))


def test_j1_the_posting_shows_its_description_and_terms(client, post):
    number = post()
    detail = client.get(f"{JOBS}/{number}").json
    assert detail["description"] == "特別養護老人ホームでの介護業務です。" and detail["hours"] == "08:30-17:30"
    assert detail["holidays"] == {"two_days_weekly": "毎週", "annual_days": 120}
    assert detail["establishment"]["name"] == "株式会社越谷ケア" and detail["status"] == "open"
    missing = client.get(f"{JOBS}/11040-99999999")
    assert missing.status_code == 404 and missing.json["detail"] == "求人番号 11040-99999999 の求人は見つかりません。"


def test_a_forged_token_is_refused_even_on_public_search(client):
    assert client.get(JOBS, headers={"Authorization": "Bearer forged"}).status_code == 401


# -- the other J2 criteria: 求人区分, hours, holidays, 新着, job numbers ---------------------------


@pytest.fixture
def kinds(post):
    """Postings differing in one criterion each (today is 2026-11-26 in Japan)."""
    return {
        "general_full": post(received_on="2026-11-10"),
        "general_part": post(**PART_TIME, hours="09:00-13:00", received_on="2026-11-10",
                             holidays={"two_days_weekly": "その他", "annual_days": 100}),
        "disabled_full": post(category="障害のある方", hours="09:00-17:00", received_on="2026-11-26"),
        "seasonal": post(category="季節", hours="7時00分～16時", received_on="2026-11-25",
                         holidays={"two_days_weekly": "なし", "annual_days": 90}),
        "night": post(hours="22:00-07:00", received_on="2026-11-19",
                      holidays={"two_days_weekly": "毎週", "annual_days": 120}),
        "graduate": post(category="新卒・既卒", hours="交替制", received_on="2026-11-18",
                         holidays={"two_days_weekly": "毎週", "annual_days": 125}),
    }


@pytest.mark.parametrize(("query", "expected"), [
    ({"category": "障害のある方"}, {"disabled_full"}),
    ({"category": "季節,新卒・既卒"}, {"seasonal", "graduate"}),
    ({"category": "一般", "full_time": "false"}, {"general_part"}),
    ({"category": "一般", "full_time": "true"}, {"general_full", "night"}),
    ({"hours_start_from": "09:00"}, {"general_part", "disabled_full", "night"}),
    ({"hours_start_from": "09:00", "hours_end_by": "17:00"}, {"general_part", "disabled_full"}),
    ({"hours_end_by": "16:00"}, {"general_part", "seasonal"}),
    ({"hours_end_by": "２４:００"}, {"general_full", "general_part", "disabled_full", "seasonal"}),  # not overnight
    ({"hours_start_from": "7:00", "hours_end_by": "16:00"}, {"general_part", "seasonal"}),
    ({"two_days_weekly": "weekly"}, {"general_full", "disabled_full", "night", "graduate"}),
    ({"two_days_weekly": "any"}, {"general_full", "general_part", "disabled_full", "night", "graduate"}),
    ({"annual_holidays_min": "120"}, {"general_full", "disabled_full", "night", "graduate"}),
    ({"annual_holidays_min": "121"}, {"graduate"}),
    ({"new_within": "day"}, {"disabled_full", "seasonal"}),  # received today or yesterday
    ({"new_within": "week"}, {"disabled_full", "seasonal", "night"}),  # 11-19 in, 11-18 out
])
def test_j2_category_hours_holidays_and_new_postings(client, kinds, query, expected):
    names = {number: name for name, number in kinds.items()}
    response = client.get(JOBS, query_string=query)
    assert {names[number] for number in _numbers(response)} == expected
    assert response.json["total"] == len(expected)


def test_j2_job_numbers_find_exactly_those_postings(client, post):
    first, second, _other = post(), post(), post()
    wide = first.translate(str.maketrans("0123456789-", "０１２３４５６７８９－"))
    assert set(_numbers(client.get(JOBS, query_string={"job_number": f"{wide},{second.replace('-', '')}"}))) == {
        first, second}
    assert _numbers(client.get(JOBS, query_string={"job_number": "11040-99999999"})) == []


@pytest.mark.parametrize(("query", "field"), [
    ({"category": "アルバイト"}, "category.0"),
    ({"full_time": "perhaps"}, "full_time"),
    ({"hours_start_from": "25:00"}, "hours_start_from"),
    ({"hours_end_by": "9時"}, "hours_end_by"),
    ({"two_days_weekly": "毎週"}, "two_days_weekly"),
    ({"annual_holidays_min": "367"}, "annual_holidays_min"),
    ({"new_within": "month"}, "new_within"),
    ({"job_number": "11040-1234"}, "job_number.0"),
    ({"job_number": ",".join(f"11040-0000000{i}" for i in range(6))}, "job_number"),
])
def test_j2_bad_new_criteria_are_field_level_bilingual_problems(client, query, field):
    response = client.get(JOBS, query_string=query)
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    assert [error["field"] for error in response.json["errors"]] == [field]
    english = client.get(JOBS, query_string=query, headers={"Accept-Language": "en"}).json["errors"][0]["messages"][0]
    japanese = response.json["errors"][0]["messages"][0]
    assert english[:10].isascii() and not japanese[:10].isascii()  # (the categories are Japanese in both)


def test_j3_saved_searches_keep_and_run_the_new_criteria(client, seeker, kinds):
    _, headers = seeker()
    criteria = {"category": ["一般"], "full_time": True, "hours_start_from": "8:00", "hours_end_by": "18:00",
                "two_days_weekly": "weekly", "annual_holidays_min": 110, "new_within": "week",
                "job_number": [kinds["night"], kinds["general_full"]]}
    created = client.post("/api/v1/me/saved-searches", headers=headers, json={"name": "新条件", "criteria": criteria})
    assert created.status_code == 201, created.json
    assert created.json["criteria"] == criteria | {"hours_start_from": "08:00"}
    run = client.get(f"/api/v1/me/saved-searches/{created.json['id']}/jobs", headers=headers)
    assert _numbers(run) == []  # general_full is not new, night ends after 18:00
    criteria |= {"new_within": None, "hours_end_by": None}
    criteria = {key: value for key, value in criteria.items() if value is not None}
    edited = client.put(f"/api/v1/me/saved-searches/{created.json['id']}", headers=headers,
                        json={"name": "新条件", "criteria": criteria})
    assert edited.status_code == 200, edited.json
    run = client.get(f"/api/v1/me/saved-searches/{created.json['id']}/jobs", headers=headers)
    assert set(_numbers(run)) == {kinds["night"], kinds["general_full"]}
    refused = client.post("/api/v1/me/saved-searches", headers=headers,
                          json={"name": "x", "criteria": {"hours_end_by": "18時"}})
    assert refused.status_code == 422 and [e["field"] for e in refused.json["errors"]] == ["criteria.hours_end_by"]
