"""J3 saved search conditions (保存した検索条件): at most 3, named, edited, deleted, run; never another's."""

from __future__ import annotations

import pytest

SAVED = "/api/v1/me/saved-searches"
KOSHIGAYA_CARE = {"name": "越谷の介護", "criteria": {"q": "介護", "prefecture": ["埼玉県"], "municipality": ["越谷市"],
                                                 "employment_type": ["正社員"], "per_page": 10}}


def _fields(response) -> dict[str, list[str]]:
    assert response.status_code == 422 and response.mimetype == "application/problem+json", response.json
    return {error["field"]: error["messages"] for error in response.json["errors"]}


def test_j3_create_list_edit_delete(client, seeker):
    _, headers = seeker()
    created = client.post(SAVED, json=KOSHIGAYA_CARE, headers=headers)
    assert created.status_code == 201, created.json
    saved = created.json
    assert saved["name"] == "越谷の介護"
    # stored in canonical form: codes of kit.codes
    assert saved["criteria"] == {"q": "介護", "prefecture": ["11"], "municipality": ["11222"],
                                 "employment_type": ["正社員"], "per_page": 10}
    listed = client.get(SAVED, headers=headers).json
    assert listed["total"] == 1 and listed["limit"] == 3 and listed["items"][0]["id"] == saved["id"]
    edited = client.put(f"{SAVED}/{saved['id']}", json={"name": "草加のパート", "criteria": {
        "municipality": ["草加市"], "employment_type": ["パート労働者"]}}, headers=headers)
    assert edited.status_code == 200 and edited.json["criteria"] == {"municipality": ["11221"],
                                                                     "employment_type": ["パート労働者"]}
    assert client.get(SAVED, headers=headers).json["items"][0]["name"] == "草加のパート"
    assert client.delete(f"{SAVED}/{saved['id']}", headers=headers).status_code == 204
    assert client.get(SAVED, headers=headers).json == {"items": [], "total": 0, "limit": 3}
    assert client.delete(f"{SAVED}/{saved['id']}", headers=headers).status_code == 404


def test_j3_the_third_is_saved_and_the_fourth_refused(client, seeker):
    _, headers = seeker()
    for index in range(3):
        created = client.post(SAVED, json=KOSHIGAYA_CARE | {"name": f"条件{index + 1}"}, headers=headers)
        assert created.status_code == 201
    refused = client.post(SAVED, json=KOSHIGAYA_CARE | {"name": "条件4"}, headers=headers)
    assert refused.status_code == 409 and refused.json["type"].endswith("/limit-reached")
    assert refused.json["detail"] == "検索条件は3件まで保存できます。"
    english = client.post(SAVED, json=KOSHIGAYA_CARE, headers=headers | {"Accept-Language": "en"})
    assert english.json["detail"] == "You can save at most 3 search conditions."
    assert client.get(SAVED, headers=headers).json["total"] == 3
    # editing at the limit is fine; deleting one makes room
    first = client.get(SAVED, headers=headers).json["items"][0]["id"]
    assert client.put(f"{SAVED}/{first}", json=KOSHIGAYA_CARE, headers=headers).status_code == 200
    assert client.delete(f"{SAVED}/{first}", headers=headers).status_code == 204
    assert client.post(SAVED, json=KOSHIGAYA_CARE, headers=headers).status_code == 201


def test_zero_cross_user_reads_another_seekers_saved_search_is_404(client, seeker):
    _, owner = seeker()
    _, other = seeker()
    saved = client.post(SAVED, json=KOSHIGAYA_CARE, headers=owner).json
    for method, path, body in (("get", f"{SAVED}/{saved['id']}/jobs", None), ("put", f"{SAVED}/{saved['id']}",
                               KOSHIGAYA_CARE), ("delete", f"{SAVED}/{saved['id']}", None)):
        response = getattr(client, method)(path, json=body, headers=other)
        assert response.status_code == 404 and response.json["type"].endswith("/not-found"), (method, path)
        made_up = getattr(client, method)(path.replace(saved["id"], "0" * 32), json=body, headers=other)
        assert made_up.json == response.json | {"instance": made_up.json["instance"]}  # nothing tells them apart
    assert client.get(SAVED, headers=other).json["total"] == 0
    assert client.get(SAVED, headers=owner).json["items"][0]["name"] == "越谷の介護"  # untouched


def test_j3_a_saved_search_runs_through_the_same_search(client, seeker, post):
    _, headers = seeker()
    wanted = post(title="介護職員（正社員）")
    post(location={"prefecture": "埼玉県", "municipality": "草加市", "station": "草加駅"})
    post(employment_type="パート労働者", full_time=False, wage={"type": "hourly", "min": 1100, "max": 1300})
    saved = client.post(SAVED, json=KOSHIGAYA_CARE, headers=headers).json
    found = client.get(f"{SAVED}/{saved['id']}/jobs", headers=headers).json
    assert [item["job_number"] for item in found["items"]] == [wanted]
    assert found["total"] == 1 and found["page"] == 1 and found["per_page"] == 10  # the saved page size
    same = client.get("/api/v1/jobs", query_string={"q": "介護", "prefecture": "埼玉県", "municipality": "越谷市",
                                                     "employment_type": "正社員", "per_page": 10}).json
    assert same == found
    assert client.get(f"{SAVED}/{saved['id']}/jobs?per_page=7", headers=headers).status_code == 422


@pytest.mark.parametrize(("criteria", "field", "message"), [
    ({"q": "介" * 51}, "q", "フリーワードは50文字以内で入力してください。"),
    ({"prefecture": ["埼玉県", "東京都", "千葉県", "神奈川県"]}, "prefecture", "都道府県は3件まで指定できます。"),
    ({"prefecture": ["ムー大陸"]}, "prefecture.0", "都道府県「ムー大陸」はありません。"),
    ({"municipality": ["越谷市", "草加市", "八潮市", "三郷市"]}, "municipality", "市区町村は3件まで指定できます。"),
    ({"municipality": ["府中市"]}, "municipality",
     "市区町村「府中市」は複数の都道府県にあります。都道府県も指定してください。"),
    ({"municipality": ["99999"]}, "municipality", "市区町村コード「99999」はありません。"),
    ({"prefecture": ["東京都"], "municipality": ["越谷市"]}, "municipality", "市区町村「越谷市」はありません。"),
    ({"occupation": ["361-01", "361", "36", "C"]}, "occupation", "職種は3件まで指定できます。"),
    ({"occupation": ["999-99"]}, "occupation.0", "職業分類「999-99」はありません（例：361-01、361、36）。"),
    ({"employment_type": ["アルバイト"]}, "employment_type.0", None),
    ({"occupation": ["", "", "", ""]}, "occupation", "空の値は指定できません。"),  # S8: was saved as none
    ({"employment_type": ["正社員", " "]}, "employment_type", "空の値は指定できません。"),
    ({"prefecture": ["埼玉県"] * 4}, "prefecture", "都道府県は3件まで指定できます。"),
    ({"wage_min": -1}, "wage_min", "賃金の下限は0以上10,000,000以下の整数で入力してください。"),
    ({"wage_min": "たくさん"}, "wage_min", "整数で入力してください。"),
    ({"per_page": 20}, "per_page", "表示件数は10、30、50のいずれかです。"),
    ({"sort": "salary"}, "sort", None),
    ({"colour": "blue"}, "colour", "この項目は指定できません。"),
])
def test_j3_bad_criteria_are_field_level_problems(client, seeker, criteria, field, message):
    _, headers = seeker()
    errors = _fields(client.post(SAVED, json={"name": "条件", "criteria": criteria}, headers=headers))
    assert f"criteria.{field}" in errors, errors
    if message:
        assert errors[f"criteria.{field}"] == [message]


def test_j3_a_name_is_required_and_at_most_50_characters(client, seeker):
    _, headers = seeker()
    assert "name" in _fields(client.post(SAVED, json={"criteria": {}}, headers=headers))
    assert "name" in _fields(client.post(SAVED, json={"name": "   ", "criteria": {}}, headers=headers))
    assert "name" in _fields(client.post(SAVED, json={"name": "条" * 51, "criteria": {}}, headers=headers))
    assert "criteria" in _fields(client.post(SAVED, json={"name": "条件"}, headers=headers))
    assert client.post(SAVED, json={"name": "条" * 50, "criteria": {}}, headers=headers).status_code == 201


def test_j3_bad_criteria_are_explained_in_english_on_request(client, seeker):
    _, headers = seeker()
    response = client.post(SAVED, json={"name": "x", "criteria": {"per_page": 20}},
                           headers=headers | {"Accept-Language": "en"})
    assert response.json["errors"] == [{"field": "criteria.per_page", "messages": ["Show 10, 30 or 50 per page."]}]


@pytest.mark.parametrize("criteria", [{"wage_min": 200000.5}, {"wage_min": 2.5890419884777833e-42},
                                      {"per_page": 10.5}])
def test_s8_a_fractional_number_is_refused_never_truncated(client, seeker, criteria):
    """S8 (found by Schemathesis): an integer criterion given as 2.5e-42 was saved as 0, 10.5 as 10."""
    _, headers = seeker()
    (name,) = criteria
    errors = _fields(client.post(SAVED, json={"name": "条件", "criteria": criteria}, headers=headers))
    assert errors == {f"criteria.{name}": ["整数で入力してください。"]}
    assert client.get(SAVED, headers=headers).json["total"] == 0  # nothing half-saved


def test_s8_a_whole_number_may_still_be_written_as_a_float_or_in_the_query(client, seeker):
    _, headers = seeker()
    saved = client.post(SAVED, json={"name": "条件", "criteria": {"wage_min": 200000.0, "per_page": 30.0}},
                        headers=headers)
    assert saved.status_code == 201 and saved.json["criteria"] == {"wage_min": 200000, "per_page": 30}
    assert client.get("/api/v1/jobs?wage_min=200000&per_page=30&page=1").status_code == 200
    assert client.get("/api/v1/jobs?wage_min=200000.5").status_code == 422
