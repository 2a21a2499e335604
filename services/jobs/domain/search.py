"""J2 search: the criteria's limits and choices, the free word (normalisation — NFKC, case, kana,
dashes — and its AND/OR/NOT syntax), 新着 and 就業時間."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

FREE_WORD_MAX = 50  # J2: free word ≤ 50 characters
MAX_PLACES = 3  # J2: up to 3 prefectures and 3 municipalities
MAX_OCCUPATIONS = 3  # J2: up to 3 occupations
PER_PAGE_CHOICES = (10, 30, 50)  # J2
DEFAULT_PER_PAGE = 30
EMPLOYMENT_TYPES = ("正社員", "正社員以外", "有期雇用派遣労働者", "無期雇用派遣労働者", "パート労働者",
                    "有期雇用派遣パート", "無期雇用派遣パート")  # J2
WAGE_TYPES = ("monthly", "hourly", "daily")

# -- J2 free word: normalisation and the query syntax ---------------------------------------------

# The J2 free word is normalised exactly as the search engine's normalizers do it (Groonga's
# NormalizerNFKC130, two in a row — search_engine.NORMALIZERS), so the embedded scan and the engine
# find the same postings (a property test holds them to it):
# 1. NFKC (full/half width), lower case, ひらがな → カタカナ (ぱーと = パート, ゝ → ヽ);
# 2. ヴ sounds: ヴァ ヴィ ヴゥ ヴェ ヴォ → バ ビ ブ ベ ボ, any other ヴ → ブ (ヴァイオリン = バイオリン);
# 3. small kana as large (ソフトウェア = ソフトウエア, ヶ月 = ケ月) and every hyphen, dash, minus and
#    rule that the engine reads as the long vowel mark as ー (パ－ト, ﾊﾟｰﾄ, パ‐ト = パート);
# 4. the wave dash 〜 as the tilde ~ (NFKC makes ～ one; the engine has no option for 〜, so the text it
#    is given has it replaced already: search_engine.document).
# The ヴ sounds must come before the small kana (ヴァ → ヴア would no longer become バ).
_TO_KATAKANA = str.maketrans({**{chr(code): chr(code + 0x60) for code in range(0x3041, 0x3097)},  # ぁ–ゖ → ァ–ヶ
                              "ゝ": "ヽ", "ゞ": "ヾ"})
_V_SOUND = re.compile("ヴ([ァィゥェォ]?)")
_V_SOUNDS = {"ァ": "バ", "ィ": "ビ", "ゥ": "ブ", "ェ": "ベ", "ォ": "ボ", "": "ブ"}
_KANA_CASE_AND_DASHES = str.maketrans({
    **dict(zip("ァィゥェォッャュョヮヵヶ", "アイウエオツヤユヨワカケ", strict=True)),
    **{dash: "ー" for dash in "-‐‑‒–—―⁃−─━"}, "〜": "~",
})
_OR = {"OR", "|"}
_NOT = "NOT"
_NOT_PREFIX = "-"  # half width; the full-width － is NFKC-folded to it
MAX_JOB_NUMBERS = 5  # J2: job numbers searched at once
JOB_CATEGORIES = ("一般", "新卒・既卒", "季節", "出稼ぎ", "障害のある方")  # J2 求人区分
TWO_DAYS_WEEKLY_CHOICES = {"weekly": ("毎週",), "any": ("毎週", "その他")}  # J2 週休二日制
NEW_WITHIN_DAYS = {"day": 1, "week": 7}  # J2 新着: received today-1 / today-7 or later


def normalise_text(text: str) -> str:
    """J2: what free words are matched on and with — NFKC (full/half width, half-width kana), lower
    case, ひらがな → カタカナ, ヴ sounds, small kana and dashes, as the search engine does it (above)."""
    text = unicodedata.normalize("NFKC", text).lower().translate(_TO_KATAKANA)
    return _V_SOUND.sub(lambda found: _V_SOUNDS[found.group(1)], text).translate(_KANA_CASE_AND_DASHES)


class FreeWordError(ValueError):
    """A free-word query that cannot be read (J2); `args` are the Japanese and English message."""


@dataclass(frozen=True)
class FreeWordQuery:
    """J2 フリーワード, parsed: every group must match (AND), a group matches when any of its words
    occurs (OR), and the posting must not contain `excluded` (NOT). Words are normalised."""

    groups: tuple[tuple[str, ...], ...] = ()
    excluded: str | None = None

    def __bool__(self) -> bool:
        return bool(self.groups)

    def matches(self, text: str) -> bool:
        """The semantics, on one posting's normalised text (the SQL of search.py must agree)."""
        return (all(any(word in text for word in group) for group in self.groups)
                and (self.excluded is None or self.excluded not in text))


def _refuse(ja: str, en: str) -> FreeWordError:
    return FreeWordError(ja, en)


def parse_free_word(q: str | None) -> FreeWordQuery:
    """J2 free-word syntax (≤ 50 characters, checked by the schema):

    - words separated by spaces (half or full width) must all occur: `介護 越谷`;
    - `OR`, `|` or `｜` between words: either may occur; OR binds tighter than the space, so
      `介護 OR 看護 越谷` is (介護 or 看護) and 越谷; `|` needs no spaces (`介護|看護`);
    - at most one NOT word, `-派遣` (`-` half or full width, no space after it) or `NOT 派遣`:
      postings containing it are left out. It stands alone (never inside an OR) and needs at least
      one word to look for.
    `OR` and `NOT` are operators only in capitals (after width folding: ＯＲ too); `or`, `not` are
    words. A word repeated counts once. Malformed queries raise FreeWordError: only a NOT word, two
    NOT words, OR at either end or twice in a row, OR next to a NOT word, NOT or `-` with no word.
    """
    if not q:
        return FreeWordQuery()
    tokens = unicodedata.normalize("NFKC", q).replace("|", " | ").split()
    items: list[list[str] | str] = []  # a list is an OR group; a str, the NOT word
    joining = False  # the previous token was OR
    index = 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        if token in _OR:
            if joining or not items or isinstance(items[-1], str):
                raise _refuse("ORは2つの語の間に入れてください。", "OR must stand between two words.")
            joining = True
            continue
        negated = False
        if token == _NOT:
            if index == len(tokens) or tokens[index] in _OR or tokens[index] == _NOT:
                raise _refuse("NOTの後に除く語を入れてください。", "NOT must be followed by the word to leave out.")
            token, negated = tokens[index], True
            index += 1
        elif token == _NOT_PREFIX:
            raise _refuse("「-」の直後に除く語を続けてください（例：-派遣）。",
                          "Put the word to leave out right after '-' (e.g. -派遣).")
        elif token.startswith(_NOT_PREFIX):
            token, negated = token[1:], True
        word = normalise_text(token)
        if negated:
            if joining:
                raise _refuse("除く語（NOT）はORでつなげません。", "A NOT word cannot be joined with OR.")
            items.append(word)
        elif joining:
            items[-1].append(word)  # type: ignore[union-attr]  # an OR follows a group, checked above
            joining = False
        else:
            items.append([word])
    if joining:
        raise _refuse("ORは2つの語の間に入れてください。", "OR must stand between two words.")
    excluded = [item for item in items if isinstance(item, str)]
    groups = dict.fromkeys(tuple(dict.fromkeys(item)) for item in items if isinstance(item, list))
    if len(excluded) > 1:
        raise _refuse("除く語（NOT）は1つだけ指定できます。", "Only one word can be left out (NOT).")
    if excluded and not groups:
        raise _refuse("除く語（NOT）のほかに、探す語を1つ以上入れてください。",
                      "Give at least one word to look for besides the NOT word.")
    return FreeWordQuery(groups=tuple(groups), excluded=excluded[0] if excluded else None)


def criteria_free_word(q: str | None) -> FreeWordQuery:
    """The free word of stored criteria: parsed, or — a saved search (J3) stored before the syntax existed
    (`-派遣` alone was a word then) — its words, all of them, as it was searched when saved."""
    try:
        return parse_free_word(q)
    except FreeWordError:
        words = dict.fromkeys(normalise_text(q or "").split())
        return FreeWordQuery(groups=tuple((word,) for word in words))


def clock_minutes(hhmm: str) -> int:
    """"08:30" → 510 minutes from midnight (the J2 hours criteria)."""
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def free_words(q: str | None) -> list[str]:
    """The words of a free-word query, normalised, each once (OR groups flattened, the NOT word left
    out). For a plain query (`介護 越谷`) these are the words that must all occur."""
    return list(dict.fromkeys(word for group in parse_free_word(q).groups for word in group))


def places(criteria: dict) -> tuple[list[str], list[str]]:
    """J2: the municipalities and the whole prefectures a search means; a prefecture with none of its
    municipalities chosen counts as a whole (埼玉県越谷市 + 東京都: all of 東京都, only 越谷市 of 埼玉県)."""
    municipalities = list(criteria.get("municipality") or [])
    chosen_in = {code[:2] for code in municipalities}
    return municipalities, [code for code in criteria.get("prefecture") or [] if code not in chosen_in]


def new_since(new_within: str, today: date) -> date:
    """J2 新着: the earliest 受付年月日 of a posting received within 1 day (today or yesterday in Japan)
    or 1 week (today and the 7 days before)."""
    return today - timedelta(days=NEW_WITHIN_DAYS[new_within])


def hours_span(hours: str | None) -> tuple[int, int] | None:
    """就業時間 "08:30-17:30" → (510, 1050), minutes from midnight; a shift past midnight ends on the
    next day ("22:00-07:00" → (1320, 1860)). None when the text has no such span."""
    if not hours:
        return None
    found = _HOURS.search(unicodedata.normalize("NFKC", hours))
    if found is None:
        return None
    start_h, start_m, start_km, end_h, end_m, end_km = found.groups()
    start = int(start_h) * 60 + int(start_m or start_km or 0)
    end = int(end_h) * 60 + int(end_m or end_km or 0)
    if start > 1440 or end > 1440 or max(int(start_m or start_km or 0), int(end_m or end_km or 0)) > 59:
        return None
    return start, end + 1440 if end <= start else end


_TIME = r"(\d{1,2})(?::(\d{2})|時(?:(\d{1,2})分)?)"
_HOURS = re.compile(_TIME + r"\s*[-~ー−‐–〜]\s*" + _TIME)
