"""J2 search criteria and J3 saved searches.

The search criteria are one schema, read from the query string of `GET /api/v1/jobs` and from
the `criteria` of a saved search (J3): the same names, the same checks, the same canonical
form (prefecture and municipality codes of kit.codes, occupation codes like "361-01").
"""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, post_load, validate

from kit import codes
from kit.fields import JsonBoolean, Several, WholeNumber, at_most
from kit.problem import msg
from services.jobs import domain
from services.jobs.schemas.fields import (
    MUNICIPALITY_CODE,
    Clock,
    JobNumber,
    Occupation,
    Prefecture,
)
from services.jobs.search_engine import FACETS

MAX_PAGE = 1000  # deep pages are refused rather than scanned; narrow the criteria instead


def _free_word(value: str) -> None:
    """J2: a malformed free word (only a NOT word, two NOT words, a dangling OR …) is refused."""
    try:
        domain.parse_free_word(value)
    except domain.FreeWordError as error:
        raise ValidationError(msg(*error.args)) from error


class CriteriaSchema(Schema):
    """J2 search criteria: free word (AND/OR/NOT), 求人区分 and full/part time, up to 3 prefectures and
    3 municipalities, up to 3 occupations, employment types, minimum wage, hours, holidays, 新着,
    job numbers, sort, page size. Saved searches (J3) store exactly this (canonical form)."""

    q = fields.String(validate=[validate.Length(max=domain.FREE_WORD_MAX, error=msg(
        f"フリーワードは{domain.FREE_WORD_MAX}文字以内で入力してください。",
        f"The free word is at most {domain.FREE_WORD_MAX} characters.")), _free_word],
        metadata={"description": "フリーワード (≤ 50 characters) in the title or description; full/half width, case, "
                                 "ひらがな/カタカナ and ー/－ folded. Words separated by spaces must all occur (AND); "
                                 "`OR` or `|` between words: either (binds tighter than the space); one NOT word: "
                                 "`-word` or `NOT word`, never alone", "example": "介護 OR 看護 越谷 -夜勤"})
    prefecture = Several(Prefecture(), validate=at_most(domain.MAX_PLACES, "都道府県", "prefectures"),
                         metadata={"description": "都道府県: JIS code or name (11, 埼玉県, 埼玉)"})
    municipality = Several(fields.String(), validate=at_most(domain.MAX_PLACES, "市区町村", "municipalities"),
                           metadata={"description": "市区町村: 5-digit code or name (11222, 越谷市)"})
    occupation = Several(Occupation(), validate=at_most(domain.MAX_OCCUPATIONS, "職種", "occupations"),
                         metadata={"description": "職業分類: 361-01 (細分類), 361 (小分類), 36 (中分類), C (大分類)"})
    employment_type = Several(fields.String(validate=validate.OneOf(domain.EMPLOYMENT_TYPES, error=msg(
        "雇用形態は次のいずれかです: " + "、".join(domain.EMPLOYMENT_TYPES),
        "The employment type is one of: " + ", ".join(domain.EMPLOYMENT_TYPES)))),
        metadata={"description": "雇用形態 (J2)"})
    wage_min = WholeNumber(validate=validate.Range(min=0, max=10_000_000, error=msg(
        "賃金の下限は0以上10,000,000以下の整数で入力してください。",
        "The minimum wage is an integer from 0 to 10,000,000.")),
        metadata={"description": "賃金の下限 (yen): postings of `wage_type` whose lower bound is at least this"})
    wage_type = fields.String(validate=validate.OneOf(domain.WAGE_TYPES, error=msg(
        "賃金の種類は monthly（月額）、hourly（時間額）、daily（日額）のいずれかです。",
        "The wage type is monthly, hourly or daily.")),
        metadata={"description": "the kind of wage `wage_min` is (default monthly; hourly for part-time)"})
    category = Several(fields.String(validate=validate.OneOf(domain.JOB_CATEGORIES, error=msg(
        "求人区分は次のいずれかです: " + "、".join(domain.JOB_CATEGORIES),
        "The job category is one of: " + ", ".join(domain.JOB_CATEGORIES)))),
        validate=at_most(len(domain.JOB_CATEGORIES), "求人区分", "job categories"),
        metadata={"description": "求人区分 (J2): 一般, 新卒・既卒, 季節, 出稼ぎ, 障害のある方; any of those given"})
    full_time = fields.Boolean(metadata={"description": "true: フルタイム only; false: パート only; absent: both"})
    hours_start_from = Clock(metadata={"description": "就業時間: the shift starts at or after HH:MM (e.g. 09:00)"})
    hours_end_by = Clock(metadata={"description": "就業時間: the shift ends at or before HH:MM on the same day "
                                                 "(e.g. 17:00; a shift past midnight never qualifies)"})
    two_days_weekly = fields.String(validate=validate.OneOf(tuple(domain.TWO_DAYS_WEEKLY_CHOICES), error=msg(
        "週休二日制は weekly（毎週）または any（毎週・その他）です。", "Two days off a week: weekly or any.")),
        metadata={"description": "週休二日制: weekly = 毎週; any = 毎週 or その他 (e.g. every other week)"})
    annual_holidays_min = WholeNumber(validate=validate.Range(min=0, max=366, error=msg(
        "年間休日数は0以上366以下の整数で入力してください。", "Annual holidays are an integer from 0 to 366.")),
        metadata={"description": "年間休日数 at least this many days"})
    new_within = fields.String(validate=validate.OneOf(tuple(domain.NEW_WITHIN_DAYS), error=msg(
        "新着は day（当日・前日）または week（1週間以内）です。", "New within: day or week.")),
        metadata={"description": "新着: day = received today or yesterday (Japan); week = within the last 7 days"})
    job_number = Several(JobNumber(), validate=at_most(domain.MAX_JOB_NUMBERS, "求人番号", "job numbers"),
                         metadata={"description": "求人番号 NNNNN-NNNNNNNN (full width or without the hyphen too); "
                                                  "any of those given"})
    sort = fields.String(validate=validate.OneOf(("received", "deadline"), error=msg(
        "並び順は received（受付年月日）または deadline（紹介期限日）です。", "Sort by received or deadline.")),
        metadata={"description": "received: newest first (default); deadline: nearest 紹介期限日 first"})
    per_page = WholeNumber(validate=validate.OneOf(domain.PER_PAGE_CHOICES, error=msg(
        "表示件数は10、30、50のいずれかです。", "Show 10, 30 or 50 per page.")))

    @post_load
    def _municipalities(self, data, **_kwargs):
        """Municipality names are resolved within the prefectures given (or all, when unambiguous)."""
        if "municipality" in data:
            prefectures = data.get("prefecture") or ()
            data["municipality"] = [_municipality(value, prefectures) for value in data["municipality"]]
        if "q" in data:
            data["q"] = data["q"].strip()
            if not data["q"]:
                del data["q"]
        return data


def _municipality(value: str, prefectures) -> str:
    if MUNICIPALITY_CODE.match(value):
        if codes.municipality(value) is None:
            raise ValidationError(msg(f"市区町村コード「{value}」はありません。",
                                      f"Unknown municipality code {value!r}."), field_name="municipality")
        return value
    candidates = prefectures or codes.prefectures()
    found = {m.code for m in (codes.find_municipality(p, value) for p in candidates) if m is not None}
    if len(found) == 1:
        return found.pop()
    if found:
        raise ValidationError(msg(f"市区町村「{value}」は複数の都道府県にあります。都道府県も指定してください。",
                                  f"{value!r} exists in several prefectures; give the prefecture too."),
                              field_name="municipality")
    raise ValidationError(msg(f"市区町村「{value}」はありません。", f"Unknown municipality {value!r}."),
                          field_name="municipality")


class JobQuerySchema(CriteriaSchema):
    """`GET /api/v1/jobs`: the criteria plus the page (10/30/50 per page, received date first) and the J2b
    facets wanted."""

    facets = Several(fields.String(validate=validate.OneOf(tuple(FACETS), error=msg(
        "絞り込みの集計は次のいずれかです: " + "、".join(FACETS), "Facets are any of: " + ", ".join(FACETS)))),
        metadata={"description": "J2b: count the whole result by these (comma-separated): "
                                 + ", ".join(FACETS), "example": "prefecture,employment_type"})

    page = WholeNumber(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE, error=msg(
        f"ページは1から{MAX_PAGE}までです。", f"The page is between 1 and {MAX_PAGE}.")))


class PageQuerySchema(Schema):
    """Running a saved search: which page (and optionally another page size than saved)."""

    page = WholeNumber(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE, error=msg(
        f"ページは1から{MAX_PAGE}までです。", f"The page is between 1 and {MAX_PAGE}.")))
    per_page = WholeNumber(validate=validate.OneOf(domain.PER_PAGE_CHOICES, error=msg(
        "表示件数は10、30、50のいずれかです。", "Show 10, 30 or 50 per page.")))


class SavedSearchInputSchema(Schema):
    """J3: a name (required, ≤ 50 characters) and the criteria, checked as the /jobs query is."""

    name = fields.String(required=True, validate=validate.Length(min=1, max=domain.SAVED_SEARCH_NAME_MAX, error=msg(
        f"名前は1文字以上{domain.SAVED_SEARCH_NAME_MAX}文字以内で入力してください。",
        f"The name is 1 to {domain.SAVED_SEARCH_NAME_MAX} characters.")),
        metadata={"example": "越谷の介護（正社員）"})
    criteria = fields.Nested(CriteriaSchema, required=True)
    email_alert = JsonBoolean(metadata={"description": "新着求人をメールで受け取る: a daily mail of the new postings "
                                                       "this search finds (default false; left out on an edit: kept)"})

    @post_load
    def _trim(self, data, **_kwargs):
        data["name"] = data["name"].strip()
        if not data["name"]:
            raise ValidationError(msg("名前を入力してください。", "Enter a name."), field_name="name")
        return data


class SavedSearchSchema(Schema):
    id = fields.String()
    name = fields.String()
    criteria = fields.Dict(metadata={"description": "the criteria in canonical form (codes)"})
    email_alert = fields.Boolean(metadata={"description": "新着求人をメールで受け取る (a daily digest mail; opt-in)"})
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()


class SavedSearchListSchema(Schema):
    items = fields.List(fields.Nested(SavedSearchSchema))
    total = fields.Integer()
    limit = fields.Integer(metadata={"description": "J3: at most 3"})


class AlertStopSchema(Schema):
    """J3 alerts: the one-click stop of a digest mail — the token of its link (no login)."""

    token = fields.String(required=True, validate=validate.Length(min=1, max=2000, error=msg(
        "リンクが正しくありません。", "The link is not valid.")))
