"""The jobs API's own marshmallow fields: lists given several ways, whole numbers, places and
occupations by name or code, times of day, 求人番号 / 事業所番号 as typed, lines of text, strict
integers — each refusal field-level and bilingual (kit.problem.msg)."""

from __future__ import annotations

import re
import unicodedata

from marshmallow import ValidationError, fields, validate

from kit import codes
from kit.problem import msg
from services.jobs import domain

_SEPARATORS = re.compile(r"[,、，]")
MUNICIPALITY_CODE = re.compile(r"^\d{5}$")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def at_most(count: int, what_ja: str, what_en: str) -> validate.Length:
    return validate.Length(max=count, error=msg(f"{what_ja}は{count}件まで指定できます。",
                                                f"At most {count} {what_en}."))


class Several(fields.List):
    """Repeated query parameters (`?prefecture=11&prefecture=13`), a comma-separated string, or a
    JSON list; repeats counted once, empty parts of a comma-separated value dropped.

    A value that is blank as a whole (`?employment_type=`, `[""]`) is refused, and the limit (`validate`)
    holds for the values as given as well as for what they name: a request is never quietly read as
    another (S8: found by Schemathesis, a saved search of four blank occupations was stored as none).
    """

    def _deserialize(self, value, attr, data, **kwargs):
        values = value if isinstance(value, list | tuple) else [value]
        parts = []
        for item in values:
            if not isinstance(item, str):
                raise ValidationError(msg("文字列の配列で指定してください。", "Give a list of strings."))
            if not item.strip():
                raise ValidationError(msg("空の値は指定できません。", "An empty value cannot be given."))
            parts.extend(part.strip() for part in _SEPARATORS.split(unicodedata.normalize("NFKC", item)))
        self._validate(list(values))
        return super()._deserialize(list(dict.fromkeys(p for p in parts if p)), attr, data, **kwargs)


class WholeNumber(fields.Integer):
    """An integer from the query string ("10") or from JSON (10, or 10.0); a number with a fraction
    (10.5, 2.5e-42) is refused — marshmallow's non-strict Integer would silently truncate it."""

    def _validated(self, value):
        if isinstance(value, float) and not value.is_integer():
            raise self.make_error("invalid", input=value)
        return super()._validated(value)


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


class NumberCode(fields.String):
    """求人番号 / 事業所番号: full-width digits and dashes folded, then the pattern must hold."""

    def __init__(self, pattern: re.Pattern, error: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.pattern, self.error = pattern, error

    def _deserialize(self, value, attr, data, **kwargs):
        text = domain.fold_number(super()._deserialize(value, attr, data, **kwargs))
        if not self.pattern.match(text):
            raise ValidationError(self.error)
        return text


class Line(fields.String):
    """A line of text: trimmed, 1 to `maximum` characters, no control characters (a description keeps
    its line breaks, written as LF, and tabs). An optional one sent as "" (or only spaces) is not given,
    exactly like null (SPEC API conventions: `"station": ""` is a posting without a nearest station)."""

    def __init__(self, *, maximum: int, what_ja: str, what_en: str, multiline: bool = False, **kwargs) -> None:
        kwargs.setdefault("metadata", {})
        # an optional line sent as "" is not given (SPEC API conventions), so only a required one has a minimum
        shape = {"minLength": 1, "maxLength": maximum} if kwargs.get("required") else {"maxLength": maximum}
        kwargs["metadata"] = shape | kwargs["metadata"]
        super().__init__(**kwargs)
        self.maximum, self.what_ja, self.what_en, self.multiline = maximum, what_ja, what_en, multiline

    def _deserialize(self, value, attr, data, **kwargs):
        raw = super()._deserialize(value, attr, data, **kwargs)
        text = raw.replace("\r\n", "\n").replace("\r", "\n").strip() if self.multiline else raw.strip()
        if not text:
            if not self.required:
                return None
            raise ValidationError(msg(f"{self.what_ja}を入力してください。", f"Enter the {self.what_en}."))
        if len(raw) > self.maximum:  # as sent: the documented maxLength
            raise ValidationError(msg(f"{self.what_ja}は{self.maximum}文字以内で入力してください。",
                                      f"The {self.what_en} is at most {self.maximum} characters."))
        if CONTROL.search(text) or (not self.multiline and ("\n" in text or "\t" in text or "\r" in text)):
            raise ValidationError(msg(f"{self.what_ja}に使用できない文字が含まれています。",
                                      f"The {self.what_en} contains characters that are not allowed."))
        return text


class StrictInteger(fields.Integer):
    """A JSON integer only: not "10", not 10.5, not true (marshmallow counts a bool as an int)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(strict=True, **kwargs)

    def _validated(self, value):
        if isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return super()._validated(value)
