"""kit.fields: JSON booleans only; dates as typed (full width, dashes) but only real ones; one of two names."""

from __future__ import annotations

from datetime import date

import pytest
from marshmallow import Schema, ValidationError, fields, validates_schema

from kit.fields import JsonBoolean, TypedDate, exactly_one


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



class _Target(Schema):
    seeker_id = fields.String(allow_none=True)
    seeker_number = fields.String(allow_none=True)

    @validates_schema
    def _one(self, data, **_):
        exactly_one(data, "seeker_id", "seeker_number")


@pytest.mark.parametrize("data", [{"seeker_id": "a"}, {"seeker_number": "11040-12345678", "seeker_id": ""}])
def test_one_of_two_names_given_passes(data):
    assert _Target().load(data) == data


@pytest.mark.parametrize("data", [{}, {"seeker_id": "", "seeker_number": None},
                                  {"seeker_id": "a", "seeker_number": "b"}])
def test_neither_or_both_names_are_refused_on_the_first_in_both_languages(data):
    with pytest.raises(ValidationError) as refused:
        _Target().load(data)
    assert refused.value.messages == {"seeker_id": ["seeker_id か seeker_number のどちらか一方を指定してください。|"
                                                    "Give either seeker_id or seeker_number (one of them)."]}
