"""J2b facets on the embedded path (SQLite, GROUP BY): counts of the whole result, largest first, adding
up to the total; names for codes; unknown facets refused field by field. The search engine gives the same
(tests/integration/test_jobs_search_engine.py)."""

from __future__ import annotations

import pytest

from kit.settings import ConfigurationError, Settings
from services.jobs.config import search_cache_seconds, search_engine_of

JOBS = "/api/v1/jobs"


def test_j2b_facets_count_the_whole_result_not_the_page(client, post):
    for prefecture, municipality, employment_type in [("埼玉県", "越谷市", "正社員")] * 3 + [
            ("東京都", "千代田区", "パート労働者")] * 2 + [("千葉県", "千葉市中央区", "正社員")]:
        post(location={"prefecture": prefecture, "municipality": municipality},
             employment_type=employment_type, occupation_code="133-01" if prefecture == "千葉県" else "361-01")
    response = client.get(JOBS, query_string={"per_page": 10, "page": 1,
                                              "facets": "prefecture,employment_type,occupation_group,category"})
    assert response.status_code == 200, response.json
    body = response.json
    assert body["total"] == 6 and len(body["items"]) == 6
    assert body["facets"]["prefecture"] == [{"code": "11", "name": "埼玉県", "count": 3},
                                            {"code": "13", "name": "東京都", "count": 2},
                                            {"code": "12", "name": "千葉県", "count": 1}]
    assert body["facets"]["employment_type"] == [{"code": "正社員", "name": "正社員", "count": 4},
                                                 {"code": "パート労働者", "name": "パート労働者", "count": 2}]
    groups = body["facets"]["occupation_group"]
    assert [(g["code"], g["count"]) for g in groups] == [("E", 5), ("B", 1)] and groups[0]["name"]
    assert body["facets"]["category"] == [{"code": "一般", "name": "一般", "count": 6}]
    for values in body["facets"].values():
        assert sum(value["count"] for value in values) == body["total"]


def test_j2b_facets_follow_the_criteria_and_are_absent_unless_asked(client, post):
    post(location={"prefecture": "埼玉県", "municipality": "越谷市"})
    post(location={"prefecture": "東京都", "municipality": "千代田区"})
    narrowed = client.get(JOBS, query_string={"prefecture": "13", "facets": "prefecture"}).json
    assert narrowed["facets"] == {"prefecture": [{"code": "13", "name": "東京都", "count": 1}]}
    assert "facets" not in client.get(JOBS).json
    empty = client.get(JOBS, query_string={"q": "見つからない語", "facets": "prefecture"}).json
    assert empty["total"] == 0 and empty["facets"] == {"prefecture": []}


def test_j2b_an_unknown_facet_is_a_field_level_422(client):
    response = client.get(JOBS, query_string={"facets": "prefecture,salary"}, headers={"Accept-Language": "en"})
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    assert [error["field"] for error in response.json["errors"]] == ["facets.1"]  # the second value
    assert "prefecture" in response.json["errors"][0]["messages"][0]


def test_production_needs_a_search_node_and_the_embedded_mode_scans():
    embedded = Settings(service="jobs")
    assert search_engine_of(embedded, {}) is None
    assert search_engine_of(embedded, {"MYPAGE_SEARCH_URL": "http://127.0.0.1:10041"}).url == "http://127.0.0.1:10041"
    production = Settings(service="jobs", env="production", database_url="postgresql://x/y", amqp_url="amqp://x")
    with pytest.raises(ConfigurationError, match="MYPAGE_SEARCH_URL"):
        search_engine_of(production, {})


@pytest.mark.parametrize(("value", "seconds"), [(None, 1.0), ("0", 0.0), ("1.5", 1.5), (" 0.5 ", 0.5)])
def test_a_web_keeps_search_answers_a_second_unless_told_otherwise(value, seconds):
    environ = {} if value is None else {"MYPAGE_SEARCH_CACHE_SECONDS": value}
    assert search_cache_seconds(environ) == seconds


@pytest.mark.parametrize("value", ["1.6", "-1", "two", "nan"])
def test_a_search_cache_that_could_break_j2s_two_seconds_is_refused(value):
    with pytest.raises(ConfigurationError, match="MYPAGE_SEARCH_CACHE_SECONDS"):
        search_cache_seconds({"MYPAGE_SEARCH_CACHE_SECONDS": value})
