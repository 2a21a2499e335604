"""kit.text and the fields on it: input folded where harmless, the same way in every service."""

from __future__ import annotations

import re

import pytest
from marshmallow import Schema, ValidationError

from kit import text
from kit.fields import Line, NumberText, StrictInteger


@pytest.mark.parametrize(("typed", "stored"), [
    ("０４８－０００－００００", "048-000-0000"),
    ("048ー000ー0000", "048-000-0000"),
    ("３４３−００２３", "343-0023"),
    ("11040‐12345678", "11040-12345678"),  # U+2010
    ("11040―12345678", "11040-12345678"),  # U+2015
    ("１１０４０ｰ１２３４５６７８", "11040-12345678"),  # half-width ｰ
    (" 1990－04－01 ", "1990-04-01"),
])
def test_numbers_fold_to_half_width_digits_and_hyphens(typed, stored):
    assert text.fold_number(typed) == stored


def test_names_keep_compatibility_ideographs():
    # NFKC on the whole name would turn 神 (U+FA19) into 神 (U+795E): not harmless, not done.
    assert text.clean_text("\ufa19田　ＡＢＣ") == "\ufa19田 ABC"


class _Body(Schema):
    number = NumberText(re.compile(r"^\d{5}-\d{8}$"), "bad number")
    station = Line(maximum=5, what_ja="最寄り駅", what_en="nearest station")
    name = Line(maximum=5, what_ja="名前", what_en="name", required=True)
    count = StrictInteger()


def test_a_number_is_folded_then_checked():
    assert _Body().load({"number": "１１０４０ー１２３４５６７８", "name": "x"})["number"] == "11040-12345678"
    with pytest.raises(ValidationError) as refused:
        _Body().load({"number": "11040-1234567", "name": "x"})
    assert refused.value.messages == {"number": ["bad number"]}


def test_an_optional_line_sent_empty_is_not_given_a_required_one_is_refused():
    assert _Body().load({"station": "  ", "name": " 越谷 "}) == {"station": None, "name": "越谷"}
    with pytest.raises(ValidationError) as refused:
        _Body().load({"name": "", "station": "123456"})
    assert refused.value.messages == {"name": ["名前を入力してください。|Enter the name."],
                                      "station": ["最寄り駅は5文字以内で入力してください。|"
                                                  "The nearest station is at most 5 characters."]}


@pytest.mark.parametrize("value", ["10", 10.5, True])
def test_a_strict_integer_is_a_json_integer_only(value):
    with pytest.raises(ValidationError):
        _Body().load({"count": value, "name": "x"})
    assert _Body().load({"count": 10, "name": "x"})["count"] == 10
