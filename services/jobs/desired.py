"""J6 rules: a seeker's desired conditions (希望条件, P1) as codes, and the keys a posting is matched by.

No Flask, no session. The match (services/jobs/README.md, "J6") is the J2 search a seeker would run
with their desired conditions as the criteria, kind by kind:

- occupation: one of the seeker's 希望職種, as a 職業分類 code, equals the posting's 細分類 code or is a
  prefix of it (中分類 36, 小分類 361, 細分類 361-01; a 大分類 letter stands for its 中分類) — or the
  seeker named no occupation;
- employment type: the posting's 雇用形態 is one of the seeker's — or they named none;
- place: the posting's municipality is one of the seeker's, or its prefecture is one of theirs with none
  of that prefecture's municipalities chosen (as search combines places) — or they named no place;
- wage: the posting pays by the seeker's wage type (monthly by default) and its lower bound is at
  least the seeker's wage_min — or they named no wage_min.

A seeker who named none of these gets nothing (hours and days per week are not matched: postings
carry no day count, and 就業時間 text is often unreadable). Occupations named by name are resolved
through kit.codes: the 職業分類 name (施設介護員), each part of a picker entry (訪問介護員、ホームヘルパー),
a 職業名 example with or without its note (介護職員 → 361-01); a name found nowhere matches nothing.

Normalised, the occupation, employment-type and place conditions are sets of (kind, value) terms,
"*" standing for "named none of this kind", and a posting has a short list of values per kind that
a term must equal: the match is three equality lookups in an index (commands/matching.py).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from kit import codes
from services.jobs.domain import EMPLOYMENT_TYPES, WAGE_TYPES

ANY = "*"  # the seeker named none of this kind: every posting qualifies on it
OCCUPATION, EMPLOYMENT_TYPE, PLACE = "o", "e", "p"
KINDS = (OCCUPATION, EMPLOYMENT_TYPE, PLACE)
DEFAULT_WAGE_TYPE = "monthly"
# J6 again: changed desired conditions meet at most this many postings of J2's 新着 week (one page of the
# list, newest received first), so a broad change does not flood the seeker's お知らせ
REMATCH_LIMIT = 30
_NOTE = re.compile(r"[（(].*?[)）]")
_CODE = re.compile(r"^(?:[A-K]|\d{2}|\d{3}|\d{3}-?\d{2})$")


@dataclass(frozen=True)
class DesiredTerms:
    """A seeker's desired conditions, normalised: the (kind, value) terms and the wage condition.

    `terms` is empty when the seeker named nothing (then nothing matches)."""

    terms: frozenset[tuple[str, str]]
    wage_type: str = DEFAULT_WAGE_TYPE
    wage_min: int | None = None

    def values(self, kind: str) -> frozenset[str]:
        return frozenset(value for term_kind, value in self.terms if term_kind == kind)


def _text(value: Any) -> str:
    return unicodedata.normalize("NFKC", value).strip() if isinstance(value, str) else ""


def _strings(values: Any) -> list[str]:
    if not isinstance(values, list | tuple):
        return []
    return [text for text in (_text(value) for value in values) if text]


@cache
def _occupations_by_name() -> Mapping[str, frozenset[str]]:
    """Name → 職業分類 codes: the classification's own names, then the 職業名 examples of each 細分類
    (with and without their note: 介護職員(福祉施設) and 介護職員). A classification name wins."""
    titles: dict[str, set[str]] = {}
    names: dict[str, set[str]] = {}
    for code, entry in codes.occupations().items():
        names.setdefault(_text(entry.name), set()).add(code)
        if entry.level == "detailed":
            for title in codes.occupation_titles(code):
                for key in {_text(title), _text(_NOTE.sub("", title))}:
                    if key:
                        titles.setdefault(key, set()).add(code)
    return {key: frozenset(found) for key, found in (titles | names).items()}


def occupation_codes(name_or_code: str) -> frozenset[str]:
    """J6: the 職業分類 codes a desired occupation stands for (a posting's code must start with one);
    empty when it is found nowhere."""
    value = _text(name_or_code)
    if _CODE.match(value.upper()):
        found = codes.occupation(value)
        if found is None:
            return frozenset()
        if found.level == "major":  # 大分類 C: every 中分類 under it
            return frozenset(o.code for o in codes.occupations().values() if o.parent == found.code)
        return frozenset({found.code})
    by_name = _occupations_by_name()
    if value in by_name:
        return by_name[value]
    parts = [part for part in re.split(r"[、,，/・]", value) if part and part != value]
    return frozenset(code for part in parts for code in occupation_codes(part))


def _place_terms(prefectures: list[str], municipalities: list[str]) -> set[str]:
    """Municipality codes, plus the prefectures none of whose municipalities were chosen (taken whole)."""
    prefecture_codes = [code for code in (codes.prefecture_code(name) for name in prefectures) if code]
    chosen: set[str] = set()
    for name in municipalities:
        found = codes.municipality(name) if name.isdigit() else None
        if found is None:
            candidates = prefecture_codes or list(codes.prefectures())
            hits = {m.code: m for m in (codes.find_municipality(p, name) for p in candidates) if m is not None}
            found = next(iter(hits.values())) if len(hits) == 1 else None
        if found is not None:
            chosen.add(found.code)
    within = {code[:2] for code in chosen}
    return chosen | {code for code in prefecture_codes if code not in within}


def _kind_terms(kind: str, named: list[str], resolved: Iterable[str]) -> set[tuple[str, str]]:
    if not named:
        return {(kind, ANY)}
    return {(kind, value) for value in resolved}


def normalise_desired(desired: Mapping[str, Any] | None) -> DesiredTerms:
    """J6: profile's `desired` payload (services/profile/events.py DesiredConditionsPayload) as terms.

    Unknown values are dropped; a kind named only with unknown values keeps no term, so no posting
    matches it (the seeker asked for something; "anything" would be wrong)."""
    desired = desired if isinstance(desired, Mapping) else {}
    occupations = _strings(desired.get("occupations"))
    employment_types = _strings(desired.get("employment_types"))
    prefectures = _strings(desired.get("prefectures"))
    municipalities = _strings(desired.get("municipalities"))
    wage_min = desired.get("wage_min")
    wage_min = wage_min if isinstance(wage_min, int) and not isinstance(wage_min, bool) and wage_min >= 0 else None
    wage_type = desired.get("wage_type")
    wage_type = wage_type if wage_type in WAGE_TYPES else DEFAULT_WAGE_TYPE
    if not (occupations or employment_types or prefectures or municipalities or wage_min is not None):
        return DesiredTerms(frozenset(), wage_type, None)
    terms = (_kind_terms(OCCUPATION, occupations, (code for name in occupations for code in occupation_codes(name)))
             | _kind_terms(EMPLOYMENT_TYPE, employment_types, (t for t in employment_types if t in EMPLOYMENT_TYPES))
             | _kind_terms(PLACE, prefectures + municipalities, _place_terms(prefectures, municipalities)))
    return DesiredTerms(frozenset(terms), wage_type, wage_min)


def posting_keys(*, occupation_code: str, employment_type: str, prefecture_code: str,
                 municipality_code: str) -> dict[str, list[str]]:
    """J6: per kind, the term values that let a posting through: "*", and for the occupation every
    level of its code (36, 361, 361-01), for the place its municipality and its prefecture."""
    code = codes.normalise_occupation_code(occupation_code)
    levels = list(dict.fromkeys((code[:2], code[:3], code)))
    return {OCCUPATION: [ANY, *levels], EMPLOYMENT_TYPE: [ANY, employment_type],
            PLACE: [ANY, municipality_code, prefecture_code]}
