"""J2 free word in the domain: normalisation (width, case, kana, long-vowel marks), the AND/OR/NOT syntax
and its refusals; through GET /api/v1/jobs: tests/component/jobs/test_jobs_search_syntax_api.py."""

from __future__ import annotations

import pytest

from services.jobs import domain
from services.jobs.domain import FreeWordError, FreeWordQuery, normalise_text, parse_free_word


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
