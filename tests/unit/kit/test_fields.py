"""kit.fields: JSON booleans only; dates as typed (full width, dashes) but only real ones."""

from __future__ import annotations

from datetime import date

import pytest
from marshmallow import Schema, ValidationError

from kit.fields import JsonBoolean, TypedDate


class _Body(Schema):
    flag = JsonBoolean()
    day = TypedDate()


@pytest.mark.parametrize("value", [True, False])
def test_json_booleans_pass(value):
    assert _Body().load({"flag": value}) == {"flag": value}


@pytest.mark.parametrize("value", [0, 1, "true", "yes", None, 0.0])
def test_anything_else_is_not_a_boolean(value):
    with pytest.raises(ValidationError) as refused:
        _Body().load({"flag": value})
    assert "flag" in refused.value.messages


@pytest.mark.parametrize("typed", ["2026-11-02", "２０２６－１１－０２", "２０２６ー１１ー０２", " 2026-11-02 "])
def test_dates_as_people_type_them(typed):
    assert _Body().load({"day": typed}) == {"day": date(2026, 11, 2)}


@pytest.mark.parametrize("typed", ["2026-02-30", "2026/11/02", "令和8年11月2日"])
def test_a_day_that_does_not_exist_or_another_form_is_refused_in_both_languages(typed):
    with pytest.raises(ValidationError) as refused:
        _Body().load({"day": typed})
    assert refused.value.messages["day"] == ["日付は YYYY-MM-DD の形式で、存在する日付を入力してください。|"
                                             "Enter a real date as YYYY-MM-DD."]
