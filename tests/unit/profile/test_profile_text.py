"""P1: full-width/half-width normalised where harmless (services.profile.text)."""

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


@pytest.mark.parametrize(("typed", "stored"), [
    ("０４８－０００－００００", "048-000-0000"),
    ("048ー000ー0000", "048-000-0000"),
    ("３４３−００２３", "343-0023"),
    ("11040‐12345678", "11040-12345678"),
])
def test_numbers_fold_to_half_width_digits_and_hyphens(typed, stored):
    assert text.number_text(typed) == stored


def test_names_keep_compatibility_ideographs():
    # NFKC on the whole name would turn 神 (U+FA19) into 神 (U+795E): not harmless, not done.
    assert text.clean_text("\ufa19田　ＡＢＣ") == "\ufa19田 ABC"
