"""J2 free word: normalisation (width, case, kana, long-vowel marks), the AND/OR/NOT syntax and its
refusals — in the domain and through GET /api/v1/jobs on SQLite (the scan path)."""

from __future__ import annotations

import pytest

from services.jobs import domain
from services.jobs.domain import FreeWordError, FreeWordQuery, normalise_text, parse_free_word

JOBS = "/api/v1/jobs"


@pytest.mark.parametrize(("typed", "stored"), [
    ("ｶｲｺﾞ", "カイゴ"),  # half-width katakana (NFKC)
    ("かいご", "カイゴ"),  # ひらがな → カタカナ
    ("ぱーと", "パート"),
    ("ﾊﾟｰﾄ", "パート"),
    ("パ－ト", "パート"),  # full-width hyphen-minus as the long vowel mark
    ("パ‐ト", "パート"),  # U+2010 hyphen
    ("パ−ト", "パート"),  # U+2212 minus
    ("ＤＸ推進", "dx推進"),  # full-width letters, case folded
    ("ゔぁいおりん", "バイオリン"),  # ヴ sounds: ヴァ → バ
    ("ヴァイオリン", "バイオリン"),
    ("ヴィンテージ", "ビンテージ"),
    ("ソフトウェア", "ソフトウエア"),  # small kana as large
    ("3ヶ月", "3ケ月"),
    ("パ━ト", "パート"),  # box-drawing rules read as the long vowel mark too (as the engine reads them)
    ("Straße", "straße"),  # lower case, not case folding (the engine keeps ß)
    ("9時〜18時", "9時~18時"),  # the wave dash 〜 and the full-width tilde ～ agree
])
def test_j2_normalisation_folds_width_case_kana_and_long_vowel_marks(typed, stored):
    assert normalise_text(typed) == stored


@pytest.mark.parametrize(("q", "groups", "excluded"), [
    ("介護 越谷", (("介護",), ("越谷",)), None),
    ("介護　越谷", (("介護",), ("越谷",)), None),  # a full-width space
    ("介護 OR 看護 越谷", (("介護", "看護"), ("越谷",)), None),  # OR binds tighter than the space
    ("介護|看護", (("介護", "看護"),), None),
    ("介護 ｜ 看護 | 保育", (("介護", "看護", "保育"),), None),
    ("介護 ＯＲ 看護", (("介護", "看護"),), None),  # full-width OR is OR
    ("介護 or 看護", (("介護",), ("or",), ("看護",)), None),  # lower case: a word
    ("介護 -派遣", (("介護",),), "派遣"),
    ("－派遣 介護", (("介護",),), "派遣"),  # full-width minus, and first
    ("介護 NOT 派遣", (("介護",),), "派遣"),
    ("介護 NOT ﾊｹﾝ", (("介護",),), "ハケン"),  # the NOT word is normalised too
    ("介護 介護 OR 介護", (("介護",),), None),  # repeats count once
    ("08:30-17:30", (("08:30ー17:30",),), None),  # a hyphen inside a word is no NOT
    ("", (), None),
])
def test_j2_free_word_syntax(q, groups, excluded):
    assert parse_free_word(q) == FreeWordQuery(groups=groups, excluded=excluded)


@pytest.mark.parametrize("q", [
    "-派遣",  # only a NOT word
    "NOT 派遣",
    "介護 -派遣 -夜勤",  # two NOT words
    "介護 NOT 派遣 -夜勤",
    "OR 介護",
    "介護 OR",
    "介護 |",
    "介護 OR OR 看護",
    "介護 OR -派遣",  # a NOT word inside an OR
    "-派遣 OR 介護",
    "介護 NOT",
    "介護 NOT OR 看護",
    "介護 -",
])
def test_j2_malformed_free_words_are_refused(q):
    with pytest.raises(FreeWordError) as refused:
        parse_free_word(q)
    ja, en = refused.value.args
    assert ja and en and ja != en


@pytest.mark.parametrize(("q", "text", "found"), [
    ("介護 越谷", "介護職員\n越谷駅", True),
    ("介護 越谷", "介護職員\n草加駅", False),
    ("介護 OR 看護", "看護助手", True),
    ("介護 OR 看護 越谷", "看護助手 草加", False),
    ("介護 -派遣", "介護職員", True),
    ("介護 -派遣", "派遣の介護職員", False),
    ("ぱーと", normalise_text("パート募集"), True),
])
def test_j2_free_word_semantics(q, text, found):
    assert parse_free_word(q).matches(text) is found


def test_j2_hours_span_reads_the_common_forms():
    assert domain.hours_span("08:30-17:30") == (510, 1050)
    assert domain.hours_span("８時３０分～１７時") == (510, 1020)
    assert domain.hours_span("22:00-07:00") == (1320, 1860)  # past midnight
    assert domain.hours_span("交替制") is None and domain.hours_span(None) is None
    assert domain.hours_span("9:75-18:00") is None


# -- through the API (SQLite: a scan over the same normalised text) ------------------------------


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
