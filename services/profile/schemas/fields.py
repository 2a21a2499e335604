"""The profile API's own fields and patterns: フリガナ, 郵便番号, 電話番号, 年月, the login email, and the day
the date rules read (the injected clock, or `as_of` outside a request). The generic fields are kit.fields'."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date

from marshmallow import ValidationError, fields

from kit.clock import today_in_japan
from kit.fields import NumberText, Text
from kit.problem import msg
from kit.text import clean_text, fold_number, fold_width
from kit.web import current_runtime
from services.profile.text import KATAKANA_NAME, katakana

# The day in Japan for loading outside a request (as_of); None: the runtime's clock says.
_AS_OF: ContextVar[date | None] = ContextVar("profile_as_of", default=None)

SEEKER_NUMBER = re.compile(r"^\d{5}-\d{8}$")  # 求職番号 NNNNN-NNNNNNNN
POSTAL_CODE = re.compile(r"^\d{3}-\d{4}$")
PHONE = re.compile(r"^0\d{1,4}-?\d{1,4}-?\d{3,4}$")
OFFICE_CODE = re.compile(r"^\d{5}$")
HOURS = re.compile(r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$")
YEAR_MONTH = re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$")
OCCUPATION_CODE = re.compile(r"^\d{3}(-?\d{2})?$")

# SPEC J2: the employment types of the search form (雇用形態)
EMPLOYMENT_TYPES = ("正社員", "正社員以外", "有期雇用派遣労働者", "無期雇用派遣労働者", "パート労働者",
                    "有期雇用派遣パート", "無期雇用派遣パート")
EDUCATION_STATUSES = ("卒業", "卒業見込", "修了", "修了見込", "中退", "在学中")
WAGE_TYPES = ("monthly", "hourly", "daily")
MAX_DESIRED = 3  # 希望職種, 就業場所 (都道府県, 市区町村): up to 3 each, as in the search form (J2)
MAX_ITEMS = 30  # entries of a work history, qualifications


def today() -> date:
    """The day in Japan by the injected clock, never the wall clock."""
    day = _AS_OF.get()
    return day if day is not None else today_in_japan(current_runtime().clock.now())


@contextmanager
def as_of(day: date) -> Iterator[None]:
    """Load schemas outside a request (no runtime at hand) as on `day`."""
    token = _AS_OF.set(day)
    try:
        yield
    finally:
        _AS_OF.reset(token)


# -- fields that normalise what they read (Text, NumberText, TypedDate: kit.fields) -------------------


class LongText(Text):
    """A description: like Text, but line breaks are kept."""

    def normalise(self, value: str) -> str:
        return "\n".join(clean_text(line) for line in fold_width(value).strip().splitlines())


class Kana(Text):
    """フリガナ: katakana only; half-width katakana and hiragana are written as full-width katakana."""

    def normalise(self, value: str) -> str:
        return katakana(value)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if not KATAKANA_NAME.match(text):
            raise ValidationError(msg("フリガナは全角カタカナで入力してください（例：キュウショク タロウ）。",
                                      "Enter the reading in katakana (e.g. キュウショク タロウ)."))
        return text


class PostalCode(NumberText):
    def __init__(self, **kwargs) -> None:
        super().__init__(POSTAL_CODE, msg("郵便番号は「123-4567」の形式で入力してください。",
                                          "Enter the postal code as 123-4567."), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            digits = fold_number(value)
            if re.fullmatch(r"\d{7}", digits):
                value = f"{digits[:3]}-{digits[3:]}"
        return super()._deserialize(value, attr, data, **kwargs)


class Phone(NumberText):
    def __init__(self, **kwargs) -> None:
        super().__init__(PHONE, msg("電話番号は半角数字とハイフンで入力してください（例：048-000-0000）。",
                                    "Enter the phone number in digits and hyphens (e.g. 048-000-0000)."), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if len(text.replace("-", "")) not in (10, 11):
            raise ValidationError(msg("電話番号は10桁または11桁です。", "A phone number has 10 or 11 digits."))
        return text


class YearMonth(fields.String):
    """年月 of a work history or qualification: YYYY-MM (a full date is accepted and cut to its month)."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = fold_number(super()._deserialize(value, attr, data, **kwargs))
        match = YEAR_MONTH.match(text)
        invalid = msg("年月は YYYY-MM の形式で入力してください。", "Enter the month as YYYY-MM.")
        if not match:
            raise ValidationError(invalid)
        year, month = int(match.group(1)), int(match.group(2))
        if not (1900 <= year <= 2999 and 1 <= month <= 12):
            raise ValidationError(invalid)
        day = today()
        if (year, month) > (day.year, day.month):
            raise ValidationError(msg("未来の年月は指定できません。", "The month cannot be in the future."))
        return f"{year:04d}-{month:02d}"




class EmailField(fields.Email):
    """The login email registered at the counter (A1): full-width letters folded, domain in lower case."""

    default_error_messages = {"invalid": msg("メールアドレスの形式が正しくありません。", "Not a valid email address.")}

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            value = fold_width(value).strip()
        email = super()._deserialize(value, attr, data, **kwargs)
        local, _, domain_part = email.rpartition("@")
        return f"{local}@{domain_part.lower()}"
