"""Reference code lists of Hello Work's job search: prefectures, municipalities, occupations.

The JSON files in `kit/codes/data/` are copies of the public lists the Hello Work Internet
Service search form uses (source and licence in `data/README.md`). Every function loads its
file once and caches the result; the mappings returned are read-only.

    >>> prefectures()["11"]
    '埼玉県'
    >>> find_municipality("埼玉県", "越谷市").code
    '11222'
    >>> occupation("361-01").name
    '施設介護員'

Occupation codes follow the 厚生労働省編職業分類 (令和4年改定): 大分類 `A`…`K`, 中分類 `36`,
小分類 `361`, 細分類 `361-01` (the data spells it `36101`; both spellings are accepted).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any

__all__ = [
    "OVERSEAS",
    "Municipality",
    "Occupation",
    "all_municipalities",
    "find_municipality",
    "municipalities",
    "municipality",
    "normalise_occupation_code",
    "occupation",
    "occupation_details",
    "occupation_groups",
    "occupation_titles",
    "occupations",
    "prefecture_code",
    "prefecture_name",
    "prefectures",
]

_LEVELS = {1: "major", 2: "middle", 3: "minor", 5: "detailed"}  # length of the code in the data -> level
_DETAILED = re.compile(r"^(\d{3})-?(\d{2})$")
_DISTRICT = re.compile(r"^.+?郡")  # 北葛飾郡松伏町 -> 松伏町
_PREFECTURE_SUFFIX = re.compile(r"(都|府|県)$")

OVERSEAS = ("59", "海外")  # the search form's work-location choice "abroad", not a prefecture


@dataclass(frozen=True)
class Municipality:
    """市区町村: a 5-digit local-government code and its name, with its prefecture."""

    code: str
    name: str
    prefecture_code: str
    prefecture_name: str


@dataclass(frozen=True)
class Occupation:
    """One entry of the 職業分類: `level` is major (大分類), middle (中分類), minor (小分類) or
    detailed (細分類); `parent` is the code of the entry above it (None for 大分類)."""

    code: str
    name: str
    level: str
    parent: str | None


def _load(name: str) -> Any:
    with resources.files(__name__).joinpath("data", name).open(encoding="utf-8") as file:
        return json.load(file)


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


# -- prefectures (都道府県) ---------------------------------------------------------------------


@cache
def prefectures() -> Mapping[str, str]:
    """The 47 都道府県: JIS code ("11") → name ("埼玉県"), in code order.

    The search form's extra entry 59 海外 (abroad) is not a prefecture: see OVERSEAS.
    """
    entries = [entry for entry in _load("prefectures.json") if entry["value"] != OVERSEAS[0]]
    return MappingProxyType({entry["value"]: entry["text"] for entry in entries})


@cache
def _prefecture_codes_by_name() -> Mapping[str, str]:
    by_name: dict[str, str] = {}
    for code, name in prefectures().items():
        by_name[name] = code
        if name != "北海道":
            by_name[_PREFECTURE_SUFFIX.sub("", name)] = code  # 埼玉 -> 11
    return MappingProxyType(by_name)


def prefecture_name(code: str) -> str | None:
    """The name of prefecture `code` ("11" → "埼玉県"), or None."""
    return prefectures().get(code)


def prefecture_code(name_or_code: str) -> str | None:
    """The JIS code of a prefecture given by name ("埼玉県" or "埼玉") or by code, or None."""
    value = _normalise(name_or_code)
    if value in prefectures():
        return value
    return _prefecture_codes_by_name().get(value)


# -- municipalities (市区町村) ------------------------------------------------------------------


@cache
def all_municipalities() -> Mapping[str, Municipality]:
    """All 1,902 市区町村: 5-digit code → Municipality, grouped by prefecture in code order."""
    names = prefectures()
    result: dict[str, Municipality] = {}
    data = _load("municipalities.json")
    for prefecture in sorted(data):
        for entry in data[prefecture]:
            code = entry["value"]
            result[code] = Municipality(code, entry["text"], prefecture, names[prefecture])
    return MappingProxyType(result)


@cache
def _municipalities_by_prefecture() -> Mapping[str, Mapping[str, str]]:
    grouped: dict[str, dict[str, str]] = {code: {} for code in prefectures()}
    for item in all_municipalities().values():
        grouped[item.prefecture_code][item.code] = item.name
    return MappingProxyType({code: MappingProxyType(items) for code, items in grouped.items()})


def municipalities(prefecture: str) -> Mapping[str, str]:
    """The 市区町村 of one prefecture (given by code or name): code → name; empty if unknown."""
    code = prefecture_code(prefecture)
    return _municipalities_by_prefecture().get(code or "", MappingProxyType({}))


def municipality(code: str) -> Municipality | None:
    """The municipality with 5-digit code `code` ("11222" → 越谷市), or None."""
    return all_municipalities().get(code)


@cache
def _municipalities_by_name() -> Mapping[tuple[str, str], Municipality]:
    exact: dict[tuple[str, str], Municipality] = {}
    short: dict[tuple[str, str], list[Municipality]] = {}
    for item in all_municipalities().values():
        exact[(item.prefecture_code, item.name)] = item
        without_district = _DISTRICT.sub("", item.name)
        if without_district != item.name:
            short.setdefault((item.prefecture_code, without_district), []).append(item)
    for key, items in short.items():
        if len(items) == 1 and key not in exact:
            exact[key] = items[0]
    return MappingProxyType(exact)


def find_municipality(prefecture: str, name: str) -> Municipality | None:
    """The municipality called `name` in `prefecture` (a code or a name), or None.

    `name` is as in the code list ("越谷市", "さいたま市浦和区", "北葛飾郡松伏町"); a town or
    village may also be named without its 郡 ("松伏町") when that is unambiguous.
    """
    code = prefecture_code(prefecture)
    if code is None:
        return None
    return _municipalities_by_name().get((code, _normalise(name)))


# -- occupations (厚生労働省編職業分類 and the 希望職種 picker) ---------------------------------------


def normalise_occupation_code(code: str) -> str:
    """The display form of an occupation code: "36101" and "361-01" → "361-01"; others unchanged."""
    value = _normalise(code).upper()
    match = _DETAILED.match(value)
    return f"{match.group(1)}-{match.group(2)}" if match else value


@cache
def _classification() -> Mapping[str, list[dict[str, str]]]:
    return _load("occupation_classification.json")


@cache
def occupations() -> Mapping[str, Occupation]:
    """The 職業分類 from 大分類 to 細分類: code ("A", "36", "361", "361-01") → Occupation."""
    data = _classification()
    result: dict[str, Occupation] = {}

    def walk(parent_key: str, parent_code: str | None) -> None:
        for entry in data.get(parent_key, ()):
            raw = entry["value"]
            level = _LEVELS.get(len(raw))
            if level is None:  # the 8-digit 職業名 examples: see occupation_titles()
                continue
            code = normalise_occupation_code(raw)
            result[code] = Occupation(code, _strip_code(entry["text"], raw), level, parent_code)
            walk(raw, code)

    walk("root", None)
    return MappingProxyType(result)


def occupation(code: str) -> Occupation | None:
    """The 職業分類 entry for `code` ("361", "361-01", "36101", "C"), or None."""
    return occupations().get(normalise_occupation_code(code))


@cache
def _titles(code: str) -> tuple[str, ...]:
    data = _classification()
    raw = code.replace("-", "")
    if len(raw) == 5:
        return tuple(_strip_code(entry["text"], entry["value"]) for entry in data.get(raw, ()))
    return tuple(title for entry in data.get(raw, ()) for title in _titles(entry["value"]))


def occupation_titles(code: str) -> tuple[str, ...]:
    """The 職業名 examples listed under an occupation ("361-01" → 介護職員(福祉施設), …).

    For a 細分類 its own examples; for a higher level those of every 細分類 beneath it.
    """
    found = occupation(code)
    return _titles(found.code) if found else ()


@cache
def occupation_groups() -> Mapping[str, str]:
    """The 14 groups of the 希望する職種 picker: "05" → "介護、福祉"."""
    return MappingProxyType({entry["value"]: entry["text"] for entry in _load("occupation_groups.json")})


@cache
def _occupation_details() -> Mapping[str, tuple[str, ...]]:
    data = _load("occupation_details.json")
    return MappingProxyType({
        group: tuple(entry["text"] for entry in sorted(entries, key=lambda entry: int(entry["value"])))
        for group, entries in data.items()
    })


def occupation_details(group: str) -> tuple[str, ...]:
    """The occupations listed under picker group `group` ("05" → 施設介護員, 訪問介護員…, …)."""
    return _occupation_details().get(group, ())


def _strip_code(text: str, code: str) -> str:
    """"361 施設介護員" → "施設介護員"."""
    return text[len(code):].strip() if text.startswith(code) else text.strip()
