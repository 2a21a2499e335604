"""marshmallow fields every service's API uses alike (the rules behind them stay in the services).

- `JsonBoolean`: JSON true or false only — marshmallow's Boolean also takes 1, 0, "yes", "on" …
  (S8: Schemathesis sent 0 and it was read as false).
- `TypedDate`: YYYY-MM-DD as people and systems type it — full-width digits and the usual dashes
  (－ ー ‐ −) folded, which changes no meaning; a day that does not exist is refused, bilingual.
"""

from __future__ import annotations

import unicodedata

from marshmallow import fields

from kit.problem import msg

_DASHES = str.maketrans({dash: "-" for dash in "ー－‐‑‒–—―−"})


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
            value = unicodedata.normalize("NFKC", value).translate(_DASHES).replace(" ", "")
        return super()._deserialize(value, attr, data, **kwargs)
