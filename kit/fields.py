"""marshmallow fields every service's API uses alike (the rules behind them stay in the services).

- `JsonBoolean`: JSON true or false only — marshmallow's Boolean also takes 1, 0, "yes", "on" …
  (S8: Schemathesis sent 0 and it was read as false).
- `TypedDate`: YYYY-MM-DD as people and systems type it — full-width digits and the usual dashes
  (－ ー ‐ −) folded, which changes no meaning; a day that does not exist is refused, bilingual. Every
  date a service reads is one, so `1990－04－01` means the same at every door.
- `NumberText`: a number or code as typed (求人番号, 事業所番号, 求職番号, 郵便番号, 電話番号): width and dashes
  folded (kit.text.fold_number), then the pattern must hold.
- `Line`: a line (or, `multiline`, a text) sent by a system: trimmed, a bounded length as sent, no control
  characters; an optional one sent as "" is not given (SPEC API conventions).
- `Text`: a line a person typed at the counter: width folded, spaces tidied (kit.text.clean_text), no
  control characters; `normalise` says what else a subclass folds. One that may be null is not given when
  sent as "" (SPEC API conventions), as `Line`.
- `Several`: repeated query parameters, a comma-separated string or a JSON list.
- `exactly_one`: of two fields naming one thing (seeker_id or seeker_number …), one and only one given.
- `WholeNumber` (a query-string or JSON integer, never a fraction) and `StrictInteger` (a JSON integer only).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from marshmallow import ValidationError, fields, validate

from kit.problem import msg
from kit.text import CONTROL, clean_text, fold_number, has_control_characters

_SEPARATORS = re.compile(r"[,、，]")


def at_most(count: int, what_ja: str, what_en: str) -> validate.Length:
    """A list of at most `count` entries, refused in both languages."""
    return validate.Length(max=count, error=msg(f"{what_ja}は{count}件まで指定できます。",
                                                f"At most {count} {what_en}."))


def length(maximum: int, minimum: int = 1) -> validate.Length:
    """`minimum` to `maximum` characters, refused in both languages."""
    return validate.Length(min=minimum, max=maximum, error=msg(
        f"{minimum}文字以上{maximum}文字以内で入力してください。",
        f"Enter between {minimum} and {maximum} characters."))


def exactly_one(data: Mapping[str, Any], first: str, second: str) -> None:
    """A request names what it means by one of two fields: refused (on `first`) unless exactly one is given."""
    if bool(data.get(first)) == bool(data.get(second)):
        raise ValidationError(msg(f"{first} か {second} のどちらか一方を指定してください。",
                                  f"Give either {first} or {second} (one of them)."), field_name=first)


class JsonBoolean(fields.Boolean):
    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


class TypedDate(fields.Date):
    default_error_messages = {"invalid": msg("日付は YYYY-MM-DD の形式で、存在する日付を入力してください。",
                                             "Enter a real date as YYYY-MM-DD.")}

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            value = fold_number(value)
        return super()._deserialize(value, attr, data, **kwargs)


class NumberText(fields.String):
    """A number or code as people and systems type it (full-width digits, any dash or ー for "-", spaces
    dropped), which must then match `pattern`; else `error` (a kit.problem.msg)."""

    def __init__(self, pattern: re.Pattern, error: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.pattern, self.error = pattern, error

    def _deserialize(self, value, attr, data, **kwargs):
        text = fold_number(super()._deserialize(value, attr, data, **kwargs))
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


class Text(fields.String):
    """A line a person typed: width folded, spaces tidied, `minimum` to `maximum` characters, no control
    characters (a line break is left to `normalise`, which a subclass may make keep it)."""

    def __init__(self, *, maximum: int, minimum: int = 1, **kwargs) -> None:
        super().__init__(validate=length(maximum, minimum), **kwargs)
        if self.allow_none and not self.required:  # "" is taken as not given (below): the document says so
            self.metadata = {**self.metadata, "minLength": 0}

    def deserialize(self, value, attr=None, data=None, **kwargs):
        # SPEC API conventions: an optional text sent as "" (or only spaces) is not given, exactly like null
        if self.allow_none and not self.required and isinstance(value, str) and not clean_text(value):
            return None
        return super().deserialize(value, attr, data, **kwargs)

    def normalise(self, value: str) -> str:
        return clean_text(value)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if has_control_characters(text.replace("\n", "")):
            raise ValidationError(msg("使用できない文字が含まれています。",
                                      "Contains characters that are not allowed."))
        return self.normalise(text)


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


class StrictInteger(fields.Integer):
    """A JSON integer only: not "10", not 10.5, not true (marshmallow counts a bool as an int)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(strict=True, **kwargs)

    def _validated(self, value):
        if isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return super()._validated(value)
