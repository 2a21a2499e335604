"""The jobs service's rules — no Flask, no SQLAlchemy session.

What a seeker may use (P4, from the local `seeker_status` projection), the two limits of the
flyer (J3: 3 saved search conditions, J4: 300 favourites), what a caller may see of a posting
(J2a publication scope), and the J2 free word: normalisation (NFKC, case, kana, dashes) and its
AND/OR/NOT syntax, plus the other J2 criteria's rules (新着, 就業時間).
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone

JST = timezone(timedelta(hours=9), "JST")


class Refused(Exception):
    """A jobs rule refuses what was asked. `kind` says how — not_found, forbidden (the caller may not),
    conflict (the state is in the way), limit_reached, invalid (the input; `fields` names it, each with
    its (Japanese, English) messages) — and refusals.py, at the edge, answers it as problem+json. `ja` /
    `en` say what to do next; `data` (e.g. a stable `reason`) goes along to the client."""

    def __init__(self, kind: str, ja: str | None = None, en: str | None = None, *,
                 fields: dict[str, list[tuple[str, str]]] | None = None, data: dict | None = None) -> None:
        super().__init__(kind, ja)
        self.kind, self.ja, self.en, self.fields, self.data = kind, ja, en, fields, data or {}

MAX_FAVOURITES = 300  # SPEC J4 (flyer: 300件まで)
MAX_SAVED_SEARCHES = 3  # SPEC J3 (flyer: 検索条件は３件まで保存できます)
SAVED_SEARCH_NAME_MAX = 50
FREE_WORD_MAX = 50  # J2: free word ≤ 50 characters
MAX_PLACES = 3  # J2: up to 3 prefectures and 3 municipalities
MAX_OCCUPATIONS = 3  # J2: up to 3 occupations
PER_PAGE_CHOICES = (10, 30, 50)  # J2
DEFAULT_PER_PAGE = 30
EMPLOYMENT_TYPES = ("正社員", "正社員以外", "有期雇用派遣労働者", "無期雇用派遣労働者", "パート労働者",
                    "有期雇用派遣パート", "無期雇用派遣パート")  # J2
WAGE_TYPES = ("monthly", "hourly", "daily")

VALID, INVALID = "valid", "invalid"  # 求職登録の有効／無効 (P3)
REGISTERED, ONLINE = "registered", "online"  # 利用登録者 / オンライン登録者 (P3b)

# J2a 公開範囲
SCOPE_PUBLIC, SCOPE_REGISTERED_ONLY, SCOPE_NO_NAME, SCOPE_NOT_ONLINE = 1, 2, 3, 4


def today_in_japan(now: datetime) -> date:
    """The calendar day in Japan at `now` (an aware datetime)."""
    return now.astimezone(JST).date()


# -- the seeker_status projection (DESIGN §1) and P4 gating -------------------------------------


@dataclass(frozen=True)
class SeekerStatus:
    """What jobs knows of a seeker from profile's and auth's events.

    Each part keeps the time of the event that set it, so an older event arriving late
    (several consumers, a retry) never overwrites a newer state.
    """

    registration: str | None = None  # valid | invalid | None (not heard yet)
    registration_at: datetime | None = None
    valid_until: date | None = None
    kind: str | None = None  # registered | online | None
    kind_at: datetime | None = None
    usable: bool = True  # A10 利用不可 = False
    usable_at: datetime | None = None
    withdrawn: bool = False  # A9 退会
    withdrawn_at: datetime | None = None


def _newer(at: datetime, than: datetime | None) -> bool:
    # A tie is applied: two events of one transaction carry the same time, the later one wins.
    return than is None or at >= than


def registration_changed(status: SeekerStatus, at: datetime, *, registration: str, kind: str | None,
                         valid_until: date | None = None) -> SeekerStatus:
    """P3: profile said the registration is valid / invalid (and of which kind) at `at`."""
    if _newer(at, status.registration_at):
        status = replace(status, registration=registration, registration_at=at,
                         valid_until=status.valid_until if valid_until is None else valid_until)
    if kind is not None:
        status = kind_changed(status, at, kind)
    return status


def kind_changed(status: SeekerStatus, at: datetime, kind: str) -> SeekerStatus:
    """P3b: the seeker is a 利用登録者 or an オンライン登録者 since `at`."""
    if _newer(at, status.kind_at):
        return replace(status, kind=kind, kind_at=at)
    return status


def usability_changed(status: SeekerStatus, at: datetime, usable: bool) -> SeekerStatus:
    """A10: staff made the My Page 利用不可 (or lifted it) at `at`."""
    if _newer(at, status.usable_at):
        return replace(status, usable=usable, usable_at=at)
    return status


def withdrawal_changed(status: SeekerStatus, at: datetime, withdrawn: bool) -> SeekerStatus:
    """A9: withdrawn (退会) at `at`, or a My Page opened again after it."""
    if _newer(at, status.withdrawn_at):
        return replace(status, withdrawn=withdrawn, withdrawn_at=at)
    return status


# Why the My Page job features are refused: reason → (Japanese, English).
_REFUSALS = {
    "unknown": ("求職登録の情報を確認できないため、この機能は利用できません。"
                "しばらくしてから再度お試しいただくか、ハローワークにお問い合わせください。",
                "Your job-seeker registration cannot be confirmed, so this feature is not available; "
                "please try again later or contact Hello Work."),
    "registration_invalid": ("求職登録が無効のため、この機能は利用できません。"
                             "ご利用には求職登録を有効にするか、ハローワークで再求職申込みを行ってください。",
                             "Your job-seeker registration is invalid, so this feature is not available; "
                             "set it valid again or re-apply at Hello Work."),
    "unusable": ("このマイページは現在ご利用いただけません。ハローワークにお問い合わせください。",
                 "This My Page cannot be used; please contact Hello Work."),
    "withdrawn": ("退会済みのため、この機能は利用できません。",
                  "You have withdrawn from the My Page, so this feature is not available."),
}


def refusal(status: SeekerStatus | None) -> str | None:
    """P4: why the My Page job features (My Page search, saved searches, favourites, referral
    letters, online referral) are refused to this seeker, or None when they are open."""
    if status is None:
        return "unknown"
    if status.withdrawn:  # the same order as messaging's gate (tests/contract/test_p4_gate_order.py)
        return "withdrawn"
    if not status.usable:
        return "unusable"
    if status.registration is None:
        return "unknown"
    if status.registration != VALID:
        return "registration_invalid"
    return None


def require_job_features(status: SeekerStatus | None) -> SeekerStatus:
    """P4: refuse with a clear 403 problem while the registration is invalid (or the seeker is
    unknown here, 利用不可 or withdrawn). Public job search does not ask this."""
    reason = refusal(status)
    if reason is not None:
        ja, en = _REFUSALS[reason]
        raise Refused("forbidden", ja=ja, en=en, data={"reason": reason})
    return status


# -- J3 saved search conditions, J4 favourites ---------------------------------------------------


def check_room_for_favourite(count: int) -> None:
    """J4: at most 300 favourites; the 301st is refused with a clear message."""
    if count >= MAX_FAVOURITES:
        raise Refused("limit_reached", ja=f"お気に入りは{MAX_FAVOURITES}件までです。",
                      en=f"You can keep at most {MAX_FAVOURITES} favourites.",
                      data={"limit": MAX_FAVOURITES})


def check_room_for_saved_search(count: int) -> None:
    """J3: at most 3 saved search conditions; the 4th is refused with a clear message."""
    if count >= MAX_SAVED_SEARCHES:
        raise Refused("limit_reached", ja=f"検索条件は{MAX_SAVED_SEARCHES}件まで保存できます。",
                      en=f"You can save at most {MAX_SAVED_SEARCHES} search conditions.",
                      data={"limit": MAX_SAVED_SEARCHES})


# -- J1 / J2a: what a caller sees of a posting --------------------------------------------------


def is_open(closed: bool, deadline: date, today: date) -> bool:
    """J1: a posting is found by search until it is closed or its 紹介期限日 has passed."""
    return not closed and deadline >= today


def posting_status(closed: bool, deadline: date, today: date) -> str:
    """J1: open, closed (募集終了) or expired (紹介期限日 passed) — as every view of a posting says it."""
    if closed:
        return "closed"
    return "open" if is_open(closed, deadline, today) else "expired"


# What cannot be done with a posting that is no longer open, by action: (Japanese, English).
_NOT_OPEN = {
    "apply": ("募集が終了した求人には応募できません。", "A posting that is no longer open cannot be applied to."),
    "favourite": ("募集が終了した求人はお気に入りに追加できません。",
                  "A posting that is no longer open cannot be added to favourites."),
    "recommend": ("募集が終了した求人はおすすめできません。",
                  "A posting that is no longer open cannot be recommended."),
    "refer": ("募集が終了した求人には紹介できません。", "A posting that is no longer open cannot be referred to."),
    "direct_request": ("募集が終了した求人は直接リクエストできません。",
                       "A posting that is no longer open cannot be sent."),
}


def require_open(closed: bool, deadline: date, today: date, action: str) -> None:
    """J1: applying, favouriting, recommending, referring and direct requests need a posting that is still
    open on `today` (紹介期限日 included); otherwise 409 `closed`, saying what could not be done."""
    if not is_open(closed, deadline, today):
        ja, en = _NOT_OPEN[action]
        raise Refused("conflict", ja=ja, en=en, data={"reason": "closed"})


def is_online(scope: int) -> bool:
    """J2a: scope 4 is not shown online at all."""
    return scope != SCOPE_NOT_ONLINE


def discloses_establishment(scope: int, registered_caller: bool) -> bool:
    """J2a: 1 shows the company name to everyone; 2 only to logged-in registered seekers;
    3 (and 4) never show the name or contact."""
    if scope == SCOPE_PUBLIC:
        return True
    if scope == SCOPE_REGISTERED_ONLY:
        return registered_caller
    return False


def hidden_reason(scope: int) -> str:
    """Why the establishment is not shown: `login_required` (scope 2) or `not_published`."""
    return "login_required" if scope == SCOPE_REGISTERED_ONLY else "not_published"


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


_NUMBER_DASHES = str.maketrans({dash: "-" for dash in "‐‑‒–—―⁃−─━ーｰ"})
_TYPED_JOB_NUMBER = re.compile(r"^(\d{5})-?(\d{8})$")


def fold_number(value: str) -> str:
    """A number as systems and people type it (求人番号, 事業所番号): full-width digits, every dash and the
    long vowel mark as "-", spaces around trimmed."""
    return unicodedata.normalize("NFKC", value).translate(_NUMBER_DASHES).strip()


def canonical_job_number(typed: str) -> str | None:
    """求人番号 as typed — full-width digits, any dash, ー, or no hyphen at all — as NNNNN-NNNNNNNN, the
    one form a posting is stored, searched, favourited and applied to under; None when it is not one."""
    found = _TYPED_JOB_NUMBER.match(fold_number(typed))
    return f"{found.group(1)}-{found.group(2)}" if found else None


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


# -- J5 referrals (紹介), J7 recommendations (オンラインハローワーク紹介) --------------------------

REFERRAL_NOTE_MAX = 500
RECOMMENDATION_COMMENT_MAX = 500


def seeker_not_found() -> Refused:
    return Refused("not_found", ja="該当する求職者が見つかりません。", en="No such job seeker.")


def check_recommendable(status: SeekerStatus | None) -> SeekerStatus:
    """J7 / P3b / P4: staff may recommend postings only to a 利用登録者 whose My Page job features
    are open. The seeker's state (not the staff caller's rights) is in the way: 409 with `reason`."""
    if status is None:
        raise seeker_not_found()
    reason = refusal(status)
    if reason is not None:
        ja, en = _REFUSALS[reason]
        raise Refused("conflict", ja=f"この求職者にはおすすめできません。{ja}",
                      en=f"Postings cannot be recommended to this seeker. {en}", data={"reason": reason})
    if status.kind == ONLINE:
        raise Refused("conflict",
                      ja="オンライン登録者にはハローワークからの求人のおすすめはできません。"
                                "ハローワークの窓口で利用登録者への変更（本人確認）を行ってください。",
                      en="Hello Work cannot recommend postings to an online registrant; the seeker must "
                                "first be confirmed at a Hello Work counter.",
                      data={"reason": "online_registrant"})
    return status


def referral_letter(posting: dict, *, office: str, referred_on: date, interview_place: str | None,
                    interview_date: date | None, note: str | None) -> dict:
    """J5 紹介状: what the letter says, fixed when the referral is made (a later change of the
    posting does not rewrite a letter already issued). `posting` holds the postings columns."""
    return {
        "office": office,
        "referred_on": referred_on.isoformat(),
        "establishment": {"number": posting["establishment_number"], "name": posting["establishment_name"],
                          "prefecture": posting["prefecture"], "municipality": posting["municipality"]},
        "job": {"job_number": posting["job_number"], "title": posting["title"],
                "occupation_code": posting["occupation_code"], "employment_type": posting["employment_type"]},
        "interview": {"place": interview_place,
                      "date": interview_date.isoformat() if interview_date else None},
        "note": note,
    }


# -- J8 applications (オンライン自主応募 / オンラインハローワーク紹介), J9 no-shows --------------------

APPLIED, SCREENING, HIRED, REJECTED, WITHDRAWN = "applied", "screening", "hired", "rejected", "withdrawn"
APPLICATION_STATUSES = (APPLIED, SCREENING, HIRED, REJECTED, WITHDRAWN)  # 応募中, 選考中, 採用, 不採用, 辞退
STATUS_LABELS = {APPLIED: "応募中", SCREENING: "選考中", HIRED: "採用", REJECTED: "不採用", WITHDRAWN: "辞退"}
EMPLOYER_STATUSES = (SCREENING, HIRED, REJECTED)  # what the employer-side system may set
SELF, RECOMMENDATION = "self", "recommendation"  # オンライン自主応募 / オンラインハローワーク紹介 (J7)

MOTIVATION_MAX = 2000  # 志望動機
MAX_DOCUMENTS = 3
DOCUMENT_MAX_BYTES = 2 * 1024 * 1024  # J8: PDF, size-limited
NO_SHOW_LIMIT = 5  # J9: 5 or more within 3 months restricts the My Page
NO_SHOW_WINDOW_MONTHS = 3  # J9, R4


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's end (11-30 + 3 → 02-28)."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def no_show_counts(interview_date: date, today: date) -> bool:
    """J9 / R4: a no-show counts toward the limit while less than 3 months have passed since the
    interview: the one of 08-27 counts through 11-26 and no longer on 11-27."""
    return interview_date <= today < add_months(interview_date, NO_SHOW_WINDOW_MONTHS)


def reaches_restriction(counting: int) -> bool:
    """J9: 5 or more no-shows within 3 months restrict the My Page (4 do not)."""
    return counting >= NO_SHOW_LIMIT


def application_route(recommended: bool) -> str:
    """J7/J8: applying to a posting Hello Work recommended is an online referral; anything else
    is an online self-application."""
    return RECOMMENDATION if recommended else SELF


def check_can_apply(status: SeekerStatus, *, route: str, accepts_online: bool, restricted: bool) -> None:
    """J8, J7, P3b, J9 — after P4 (require_job_features) has passed:
    an online referral only for a 利用登録者; a self-application only to a posting that accepts it
    and not while the no-show restriction holds (online referral stays open: staff are involved)."""
    if route == RECOMMENDATION:
        if status.kind == ONLINE:
            raise Refused("forbidden",
                          ja="オンライン登録者はオンラインハローワーク紹介を利用できません。"
                                    "ハローワークの窓口で利用登録者への変更（本人確認）を行ってください。",
                          en="An online registrant cannot use online Hello Work referral; please be "
                                    "confirmed at a Hello Work counter first.",
                          data={"reason": "online_registrant"})
        return
    if not accepts_online:
        raise Refused("conflict", ja="この求人はオンライン自主応募を受け付けていません。",
                      en="This posting does not accept online self-applications.",
                      data={"reason": "online_application_not_accepted"})
    if restricted:
        raise Refused("forbidden",
                      ja="面接不参加が3か月で5件以上となったため、オンライン自主応募は制限されています。"
                                "解除にはハローワークへの来所が必要です。",
                      en="Online self-application is restricted after 5 or more interview no-shows within "
                                "3 months; please visit Hello Work to have it lifted.",
                      data={"reason": "no_show_restricted"})


def check_withdrawable(status: str) -> None:
    """J8: the seeker may withdraw (辞退) while applied, in screening or hired (内定辞退); not after
    a rejection. Withdrawing twice is handled by the caller (nothing changes)."""
    if status == REJECTED:
        raise Refused("conflict", ja="不採用となった応募は辞退できません。",
                      en="An application that was rejected cannot be withdrawn.",
                      data={"status": status})


def check_employer_status(current: str, new: str) -> None:
    """The employer moves an application on: 応募中 → 選考中 → 採用／不採用; not once withdrawn or decided."""
    if current == WITHDRAWN:
        raise Refused("conflict", ja="求職者が辞退した応募です。",
                      en="The seeker withdrew this application.", data={"status": current})
    if current in (HIRED, REJECTED) and new != current:
        raise Refused("conflict", ja="選考結果が確定した応募は変更できません。",
                      en="The result of this application is already decided.", data={"status": current})
    if current == SCREENING and new == APPLIED:
        raise Refused("conflict", ja="選考中の応募を応募中に戻すことはできません。",
                      en="An application in screening cannot go back to applied.", data={"status": current})


def check_no_show(*, route: str, submitted_on: date, withdrawn_on: date | None, interview_date: date,
                  today: date) -> None:
    """J9: a no-show (面接不参加: no 辞退 sent and did not attend) is reported on an online
    self-application, for an interview between the application and today. The seeker who withdrew
    on or before the interview day did send their 辞退: the report is rejected. (A withdrawal after
    a missed interview does not undo the no-show.)"""
    if route != SELF:
        raise Refused("conflict", ja="面接不参加はオンライン自主応募についてのみ報告できます。",
                      en="Interview no-shows are reported on online self-applications only.",
                      data={"reason": "not_self_application"})
    if interview_date > today or interview_date < submitted_on:
        raise Refused("invalid", fields={"interview_date": [(
            "面接日は応募日から今日までの日付を入力してください。",
            "The interview date is between the application date and today.")]})
    if withdrawn_on is not None and withdrawn_on <= interview_date:
        raise Refused("conflict", ja="求職者は面接日までに応募を辞退しています。面接不参加には当たりません。",
                      en="The seeker withdrew on or before the interview day; this is not a no-show.",
                      data={"reason": "withdrawn"})


# -- J1 postings from the employer-side system (求人の受付・変更・募集終了) ----------------------------

POSTING_CATEGORIES = ("一般", "新卒・既卒", "季節", "出稼ぎ", "障害のある方")  # 求人区分 (SPEC J2)
TWO_DAYS_WEEKLY = ("毎週", "その他", "なし")  # 週休二日制
ANNUAL_HOLIDAYS_MAX = 366  # 年間休日数
WAGE_MAX = 10_000_000  # yen; far above any monthly wage, and inside the column's range
POSTING_TITLE_MAX = 100
ESTABLISHMENT_NAME_MAX = 100
DESCRIPTION_MAX = 3000
HOURS_MAX = 100
STATION_MAX = 60
# A posting's fields that have a column, by the name the employer API gives them (changed_fields).
_POSTING_FIELDS = {
    "establishment_number": "establishment.number", "establishment_name": "establishment.name",
    "title": "title", "occupation_code": "occupation_code", "description": "description", "category": "category",
    "full_time": "full_time", "employment_type": "employment_type", "prefecture_code": "location.prefecture",
    "municipality_code": "location.municipality", "station": "location.station", "wage_type": "wage.type",
    "wage_min": "wage.min", "wage_max": "wage.max", "hours": "hours", "two_days_weekly": "holidays.two_days_weekly",
    "annual_holidays": "holidays.annual_days", "publication_scope": "publication_scope",
    "online_application": "online_application", "received_on": "received_on", "deadline": "deadline",
}
_NESTED_EXTRAS = ("establishment", "location", "wage", "holidays")  # their extra keys sit under one document key
DATES_OUT_OF_ORDER = ("紹介期限日は受付年月日以降の日付にしてください。",
                         "The referral deadline cannot be before the date the posting was received.")


def check_posting_dates(received_on: date, deadline: date, *, field: str = "deadline") -> None:
    """J1: a posting is received on or before its 紹介期限日 (checked on the whole posting, so a change of
    either date is checked against the other). Refused as a field-level 422 on `field`."""
    if deadline < received_on:
        raise Refused("invalid", fields={field: [DATES_OUT_OF_ORDER]})


def check_changeable(closed: bool, job_number: str) -> None:
    """J1: a closed posting (募集終了) is kept as it was — where it is favourited, referred or applied to."""
    if closed:
        raise Refused("conflict", ja=f"求人番号 {job_number} は募集終了のため変更できません。",
                      en=f"The posting {job_number} is closed and cannot be changed.",
                      data={"reason": "closed"})


def check_same_establishment(before: str, after: str) -> None:
    """J1: a posting belongs to one establishment (applications and their events name it); another
    establishment's job is a new posting with a new 求人番号."""
    if before != after:
        raise Refused("invalid", fields={"establishment.number": [(
            "事業所番号は変更できません。別の事業所の求人は新しい求人番号で登録してください。",
            "The establishment number cannot be changed; post another establishment's job under a new job number.")]})


def already_posted(job_number: str) -> Refused:
    """J1: the job number is taken by a different posting — a retry sends the same payload, a change is a PATCH."""
    return Refused("conflict", ja=f"求人番号 {job_number} の求人は既に登録されています（内容が異なります）。"
                                         f"変更は PATCH /api/v1/employer/jobs/{job_number} で行ってください。",
                   en=f"A different posting with job number {job_number} exists; change it with "
                             f"PATCH /api/v1/employer/jobs/{job_number}.",
                   data={"reason": "already_posted", "job_number": job_number})


def changed_posting_fields(before: dict, after: dict) -> list[str]:
    """J1: the names (not the values) of what differs between two postings rows: columns by their API name
    (`wage.min`, `location.municipality`), extras of the document by their key (`insurance`,
    `establishment.url`). Empty: nothing changed (a retry)."""
    changed = {name for column, name in _POSTING_FIELDS.items() if before.get(column) != after.get(column)}
    old, new = before.get("document") or {}, after.get("document") or {}
    for key in old.keys() | new.keys():
        if key in _NESTED_EXTRAS and isinstance(old.get(key, {}), dict) and isinstance(new.get(key, {}), dict):
            inner_old, inner_new = old.get(key, {}), new.get(key, {})
            changed |= {f"{key}.{inner}" for inner in inner_old.keys() | inner_new.keys()
                        if inner_old.get(inner) != inner_new.get(inner)}
        elif old.get(key) != new.get(key) or (key in old) != (key in new):
            changed.add(key)
    return sorted(changed)


# -- J8a direct requests (直接リクエスト) ---------------------------------------------------------------

MAX_DIRECT_REQUESTS = 10  # J8a: at most 10 seekers per posting
DIRECT_REQUEST_MESSAGE_MAX = 500


def check_direct_request_posting(closed: bool, deadline: date, today: date, accepts_online: bool) -> None:
    """J8a: only an open posting that accepts online applications (applying from a request is an
    online self-application)."""
    require_open(closed, deadline, today, "direct_request")
    if not accepts_online:
        raise Refused("conflict", ja="オンライン自主応募を受け付けていない求人は直接リクエストできません。",
                      en="Only postings that accept online applications can be sent.",
                      data={"reason": "online_application_not_accepted"})


def check_direct_request_seeker(status: SeekerStatus | None, *, restricted: bool) -> None:
    """J8a/J9/P4: the seeker's My Page must be open to job features, and not restricted for no-shows
    (J9 restricts direct requests). The seeker's state is in the way, not the caller's rights: 409."""
    reason = refusal(status)
    if reason is not None:
        raise Refused("conflict", ja="この求職者には現在、直接リクエストを送信できません。",
                      en="Direct requests cannot be sent to this seeker now.", data={"reason": reason})
    if restricted:
        raise Refused("conflict", ja="この求職者には現在、直接リクエストを送信できません。",
                      en="Direct requests cannot be sent to this seeker now.",
                      data={"reason": "no_show_restricted"})


def check_room_for_direct_request(sent: int) -> None:
    """J8a: a posting goes to at most 10 seekers; the 11th is refused."""
    if sent >= MAX_DIRECT_REQUESTS:
        raise Refused("limit_reached",
                      ja=f"直接リクエストは1つの求人につき{MAX_DIRECT_REQUESTS}人までです。",
                      en=f"A posting can be sent to at most {MAX_DIRECT_REQUESTS} seekers.",
                      data={"limit": MAX_DIRECT_REQUESTS})


# -- C2: an employer-side system acts only for its establishments (事業所番号) --------------------------


def acts_for(establishments: frozenset[str] | None, establishment_number: str | None) -> bool:
    """C2: whether an employer token whose claim lists `establishments` (None: every one — only the
    development client) may act for `establishment_number`."""
    return establishments is None or establishment_number in establishments


def check_acts_for(establishments: frozenset[str] | None, establishment_number: str) -> None:
    """C2: publishing, reading, changing or closing a posting of an establishment not on the employer's
    list is refused (403) — the posting's existence is no secret (its number is public), the right is."""
    if not acts_for(establishments, establishment_number):
        raise Refused("forbidden", ja=f"事業所番号 {establishment_number} の求人を扱う権限がありません。",
                      en=f"This client may not handle postings of establishment {establishment_number}.",
                      data={"reason": "other_establishment"})
