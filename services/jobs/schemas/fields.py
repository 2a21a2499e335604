"""The jobs API's own marshmallow fields: places and occupations by name or code, times of day, 求人番号
as typed — each refusal field-level and bilingual (kit.problem.msg). The generic ones (lists given several
ways, whole and strict integers, numbers as typed, lines of text) are kit.fields'."""

from __future__ import annotations

import re
import unicodedata

from marshmallow import ValidationError, fields

from kit import codes
from kit.problem import msg
from services.jobs import domain

MUNICIPALITY_CODE = re.compile(r"^\d{5}$")


def _prefecture(value: str) -> str:
    code = codes.prefecture_code(value)
    if code is None:
        raise ValidationError(msg(f"都道府県「{value}」はありません。", f"Unknown prefecture {value!r}."))
    return code


def _occupation(value: str) -> str:
    found = codes.occupation(value)
    if found is None:
        raise ValidationError(msg(f"職業分類「{value}」はありません（例：361-01、361、36）。",
                                  f"Unknown occupation code {value!r} (e.g. 361-01, 361, 36)."))
    return found.code


class Prefecture(fields.String):
    def _deserialize(self, value, attr, data, **kwargs):
        return _prefecture(super()._deserialize(value, attr, data, **kwargs))


class Occupation(fields.String):
    def _deserialize(self, value, attr, data, **kwargs):
        return _occupation(super()._deserialize(value, attr, data, **kwargs))


_CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$|^24:00$")


class Clock(fields.String):
    """A time of day HH:MM (full width, 9:00 and 24:00 accepted) → "HH:MM"."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = unicodedata.normalize("NFKC", super()._deserialize(value, attr, data, **kwargs)).strip()
        if not _CLOCK.match(text):
            raise ValidationError(msg("時刻は 09:00 のように00:00から24:00で入力してください。",
                                      "Give a time of day from 00:00 to 24:00, like 09:00."))
        hours, minutes = text.split(":")
        return f"{int(hours):02d}:{minutes}"


class JobNumber(fields.String):
    """求人番号 as typed (full width, a long dash, no hyphen) → NNNNN-NNNNNNNN."""

    def _deserialize(self, value, attr, data, **kwargs):
        number = domain.canonical_job_number(super()._deserialize(value, attr, data, **kwargs))
        if number is None:
            raise ValidationError(msg("求人番号は 11040-12345678 のように入力してください。",
                                      "A job number looks like 11040-12345678."))
        return number
