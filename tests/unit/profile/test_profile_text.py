"""P1: フリガナ written as full-width katakana (services.profile.text); the shared folding: kit/text.py."""

import pytest

from services.profile import text


@pytest.mark.parametrize(("typed", "stored"), [
    ("ｷｭｳｼｮｸ ﾀﾛｳ", "キュウショク タロウ"),       # half-width katakana, with voiced marks
    ("ｶﾞｯｺｳ", "ガッコウ"),
    ("きゅうしょく　たろう", "キュウショク タロウ"),  # hiragana, ideographic space
    ("  キュウショク   タロウ ", "キュウショク タロウ"),
])
def test_kana_is_written_in_full_width_katakana(typed, stored):
    assert text.katakana(typed) == stored
    assert text.KATAKANA_NAME.match(stored)


@pytest.mark.parametrize("refused", ["求職 太郎", "Kyushoku", "キュウショク1", "キュウショク　（タロウ）"])
def test_what_is_not_katakana_stays_refusable(refused):
    assert not text.KATAKANA_NAME.match(text.katakana(refused))
