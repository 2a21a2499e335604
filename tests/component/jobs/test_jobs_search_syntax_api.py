"""J2 free word through GET /api/v1/jobs on SQLite (the scan path): the search, the field-level 422, the
50-character limit, saved searches (the rules themselves: tests/unit/jobs/test_jobs_search_syntax.py)."""

from __future__ import annotations

import pytest

JOBS = "/api/v1/jobs"  # on SQLite a scan over the same normalised text the search node indexes


def _numbers(response) -> set[str]:
    assert response.status_code == 200, response.json
    assert response.json["total"] == len(response.json["items"])
    return {item["job_number"] for item in response.json["items"]}


@pytest.fixture
def texts(post):
    """Postings named by what their text says (the occupation's name is searched too)."""
    return {
        "kaigo": post(title="介護職員", description="特別養護老人ホームでの介護業務です。越谷駅から徒歩5分。"),
        "jimu": post(title="一般事務", description="事務所での書類作成です。草加駅から徒歩3分。",
                     occupation_code="259-99"),
        "haken_kaigo": post(title="介護スタッフ（派遣）", description="派遣での介護業務です。越谷駅から徒歩8分。"),
        "part": post(title="清掃パート", description="ぱーと・あるばいと歓迎。ビルの清掃です。",
                     occupation_code="761-01"),
        "kango": post(title="看護師", description="クリニックでの看護業務です。寮あり。", occupation_code="133-01"),
    }


@pytest.mark.parametrize(("q", "expected"), [
    ("介護", {"kaigo", "haken_kaigo"}),  # 2-character words match
    ("事務", {"jimu"}),
    ("介護 越谷", {"kaigo", "haken_kaigo"}),
    ("介護 草加", set()),
    ("介護 -派遣", {"kaigo"}),
    ("介護 NOT 派遣", {"kaigo"}),
    ("事務 OR 看護", {"jimu", "kango"}),
    ("事務|看護", {"jimu", "kango"}),
    ("事務 OR 看護 草加", {"jimu"}),
    ("パート", {"part"}),  # the text says ぱーと and パート
    ("ぱーと", {"part"}),
    ("ﾊﾟｰﾄ", {"part"}),
    ("パ－ト", {"part"}),
    ("アルバイト", {"part"}),  # written あるばいと
    ("寮", {"kango"}),  # one character
    ("介 護", {"kaigo", "haken_kaigo"}),
    ("介護業", {"kaigo", "haken_kaigo"}),
    ("ホームでの介護", {"kaigo"}),  # hiragana in the middle of a longer word
    ("業務です -介護", {"kango"}),
])
def test_j2_free_word_through_the_search(client, texts, q, expected):
    names = {number: name for name, number in texts.items()}
    assert {names[number] for number in _numbers(client.get(JOBS, query_string={"q": q}))} == expected


@pytest.mark.parametrize("q", ["-派遣", "介護 -派遣 -夜勤", "介護 OR", "OR 介護", "NOT 派遣", "介護 OR -派遣"])
def test_j2_a_malformed_free_word_is_a_field_level_422(client, q):
    response = client.get(JOBS, query_string={"q": q})
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    assert [error["field"] for error in response.json["errors"]] == ["q"]
    english = client.get(JOBS, query_string={"q": q}, headers={"Accept-Language": "en"}).json
    assert english["errors"][0]["messages"][0].isascii()


def test_j2_the_free_word_is_at_most_50_characters(client, post):
    number = post(description="あ" * 60)
    assert _numbers(client.get(JOBS, query_string={"q": "あ" * 50})) == {number}
    refused = client.get(JOBS, query_string={"q": "あ" * 51})
    assert refused.status_code == 422 and [e["field"] for e in refused.json["errors"]] == ["q"]


def test_j3_a_saved_search_refuses_a_malformed_free_word_and_keeps_a_good_one(client, seeker, post):
    _, headers = seeker()
    refused = client.post("/api/v1/me/saved-searches", headers=headers,
                          json={"name": "派遣以外", "criteria": {"q": "-派遣"}})
    assert refused.status_code == 422 and [e["field"] for e in refused.json["errors"]] == ["criteria.q"]
    kept = post(title="介護職員")
    post(title="介護職員（派遣）")
    created = client.post("/api/v1/me/saved-searches", headers=headers,
                          json={"name": "介護（派遣以外）", "criteria": {"q": "かいご OR 介護 -派遣"}})
    assert created.status_code == 201, created.json
    run = client.get(f"/api/v1/me/saved-searches/{created.json['id']}/jobs", headers=headers)
    assert _numbers(run) == {kept}


def test_j3_a_free_word_saved_before_the_syntax_still_runs_as_its_words(client, runtime, seeker, post):
    """A saved search stored when `-派遣` alone was a plain word keeps running (no 500)."""
    from sqlalchemy import update

    from services.jobs.models import saved_searches

    _, headers = seeker()
    created = client.post("/api/v1/me/saved-searches", headers=headers, json={"name": "旧", "criteria": {"q": "x"}})
    with runtime.engine.begin() as connection:
        connection.execute(update(saved_searches).where(saved_searches.c.id == created.json["id"])
                           .values(criteria={"q": "-派遣"}))
    number = post(description="-派遣の仕事")
    post(description="派遣の仕事")
    assert _numbers(client.get(f"/api/v1/me/saved-searches/{created.json['id']}/jobs", headers=headers)) == {number}
