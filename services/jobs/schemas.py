"""Request and response schemas of the jobs API (they also make its OpenAPI document).

The search criteria are one schema, read from the query string of `GET /api/v1/jobs` and from
the `criteria` of a saved search (J3): the same names, the same checks, the same canonical
form (prefecture and municipality codes of kit.codes, occupation codes like "361-01").
Every refusal is field-level and bilingual (kit.problem.msg).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import unicodedata

from marshmallow import INCLUDE, Schema, ValidationError, fields, post_load, pre_load, validate, validates_schema

from kit import codes
from kit.fields import JsonBoolean, TypedDate
from kit.problem import msg
from services.jobs import domain
from services.jobs.search_engine import FACETS

MAX_PAGE = 1000  # deep pages are refused rather than scanned; narrow the criteria instead
_SEPARATORS = re.compile(r"[,、，]")
_MUNICIPALITY_CODE = re.compile(r"^\d{5}$")


def _at_most(count: int, what_ja: str, what_en: str) -> validate.Length:
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


def _free_word(value: str) -> None:
    """J2: a malformed free word (only a NOT word, two NOT words, a dangling OR …) is refused."""
    try:
        domain.parse_free_word(value)
    except domain.FreeWordError as error:
        raise ValidationError(msg(*error.args)) from error


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
    prefecture = Several(Prefecture(), validate=_at_most(domain.MAX_PLACES, "都道府県", "prefectures"),
                         metadata={"description": "都道府県: JIS code or name (11, 埼玉県, 埼玉)"})
    municipality = Several(fields.String(), validate=_at_most(domain.MAX_PLACES, "市区町村", "municipalities"),
                           metadata={"description": "市区町村: 5-digit code or name (11222, 越谷市)"})
    occupation = Several(Occupation(), validate=_at_most(domain.MAX_OCCUPATIONS, "職種", "occupations"),
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
        validate=_at_most(len(domain.JOB_CATEGORIES), "求人区分", "job categories"),
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
    job_number = Several(JobNumber(), validate=_at_most(domain.MAX_JOB_NUMBERS, "求人番号", "job numbers"),
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
    if _MUNICIPALITY_CODE.match(value):
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
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()


class SavedSearchListSchema(Schema):
    items = fields.List(fields.Nested(SavedSearchSchema))
    total = fields.Integer()
    limit = fields.Integer(metadata={"description": "J3: at most 3"})


class EstablishmentSchema(Schema):
    number = fields.String(allow_none=True, metadata={"description": "事業所番号; null when not disclosed"})
    name = fields.String(allow_none=True, metadata={"description": "事業所名; null when not disclosed (J2a)"})
    disclosed = fields.Boolean()
    hidden_reason = fields.String(allow_none=True, metadata={
        "description": "login_required (公開範囲2: shown to logged-in registered seekers) | not_published (3)"})


class LocationSchema(Schema):
    prefecture = fields.String()
    municipality = fields.String()
    station = fields.String(allow_none=True)


class WageSchema(Schema):
    type = fields.String(metadata={"description": "monthly | hourly | daily"})
    min = fields.Integer()
    max = fields.Integer(allow_none=True)


class JobSummarySchema(Schema):
    """A posting in a list (SPEC: job_number, title, establishment, location, wage, employment_type,
    received_on, deadline, and a little more)."""

    job_number = fields.String(metadata={"example": "11040-00012345"})
    title = fields.String()
    establishment = fields.Nested(EstablishmentSchema)
    location = fields.Nested(LocationSchema)
    wage = fields.Nested(WageSchema)
    employment_type = fields.String()
    full_time = fields.Boolean()
    category = fields.String()
    occupation_code = fields.String()
    online_application = fields.Boolean()
    received_on = fields.Date()
    deadline = fields.Date()
    status = fields.String(metadata={"description": "open | closed | expired (J1: kept readable where favourited)"})


class FavouriteSchema(JobSummarySchema):
    favourited_at = fields.AwareDateTime()


class JobDetailSchema(JobSummarySchema):
    """求人票: the posting as the caller may see it (J2a)."""

    description = fields.String()
    hours = fields.String(allow_none=True)
    holidays = fields.Dict()
    publication_scope = fields.Integer()
    details = fields.Dict(metadata={"description": "everything else the employer sent (insurance, requirements, …); "
                                                  "contact only when the establishment is disclosed"})


class FacetValueSchema(Schema):
    code = fields.String(metadata={"description": "the value's code (employment type, category: the name itself)"})
    name = fields.String()
    count = fields.Integer(metadata={"description": "postings of the whole result with this value"})


class JobPageSchema(Schema):
    items = fields.List(fields.Nested(JobSummarySchema))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()
    facets = fields.Dict(keys=fields.String(), values=fields.List(fields.Nested(FacetValueSchema)),
                         metadata={"description": "J2b, when asked for: per facet its values, largest count first; "
                                                  "single-valued, so each facet's counts add up to `total`"})


class FavouriteListSchema(Schema):
    items = fields.List(fields.Nested(FavouriteSchema))
    total = fields.Integer()
    limit = fields.Integer(metadata={"description": "J4: at most 300"})


# -- J5 referrals, J7 recommendations (staff input, seeker views) ---------------------------------

_SEEKER_NUMBER = r"^\d{5}-\d{8}$"  # 求職番号 NNNNN-NNNNNNNN


class SeekerTargetSchema(Schema):
    """Which seeker staff mean: `seeker_id` (the opaque id) or `seeker_number` (求職番号), exactly one."""

    seeker_id = fields.String(validate=validate.Length(min=1, max=36, error=msg(
        "seeker_id は1文字以上36文字以内です。", "seeker_id is 1 to 36 characters.")))
    seeker_number = fields.String(validate=validate.Regexp(_SEEKER_NUMBER, error=msg(
        "求職番号は「12345-12345678」の形式で入力してください。", "The seeker number looks like 12345-12345678.")),
        metadata={"example": "11040-12345678"})
    job_number = fields.String(required=True, validate=validate.Length(min=1, max=20, error=msg(
        "求人番号を入力してください。", "Enter the job number.")), metadata={"example": "11040-00012345"})

    @post_load
    def _one_seeker(self, data, **_kwargs):
        if bool(data.get("seeker_id")) == bool(data.get("seeker_number")):
            raise ValidationError(msg("seeker_id か seeker_number のどちらか一方を指定してください。",
                                      "Give either seeker_id or seeker_number (one of them)."),
                                  field_name="seeker_id")
        return data


class RecommendationInputSchema(SeekerTargetSchema):
    comment = fields.String(allow_none=True, validate=validate.Length(max=domain.RECOMMENDATION_COMMENT_MAX, error=msg(
        f"コメントは{domain.RECOMMENDATION_COMMENT_MAX}文字以内です。",
        f"The comment is at most {domain.RECOMMENDATION_COMMENT_MAX} characters.")))


class LetterInputSchema(Schema):
    """紹介状: what staff add to the posting's establishment and job (fixed when the referral is made)."""

    office = fields.String(required=True, validate=validate.Length(min=1, max=100, error=msg(
        "紹介安定所名を入力してください（100文字以内）。", "Enter the referring office (at most 100 characters).")),
        metadata={"example": "ハローワーク越谷"})
    interview_place = fields.String(allow_none=True, validate=validate.Length(max=200, error=msg(
        "面接場所は200文字以内です。", "The interview place is at most 200 characters.")))
    interview_date = fields.Date(allow_none=True)
    note = fields.String(allow_none=True, validate=validate.Length(max=domain.REFERRAL_NOTE_MAX, error=msg(
        f"備考は{domain.REFERRAL_NOTE_MAX}文字以内です。",
        f"The note is at most {domain.REFERRAL_NOTE_MAX} characters.")))


class ReferralInputSchema(SeekerTargetSchema):
    referred_on = fields.Date(allow_none=True, metadata={"description": "紹介日; today in Japan if not given"})
    letter = fields.Nested(LetterInputSchema, required=True)


class RecommendationSchema(Schema):
    seeker_id = fields.String()
    job_number = fields.String()
    comment = fields.String(allow_none=True)
    recommended_at = fields.AwareDateTime()


class RecommendedJobSchema(JobSummarySchema):
    recommended_at = fields.AwareDateTime()
    comment = fields.String(allow_none=True)


class MatchedJobSchema(JobSummarySchema):
    matched_at = fields.AwareDateTime(metadata={"description": "when the posting matched the desired conditions"})


class MatchingJobPageSchema(Schema):
    """J6: postings that matched the seeker's desired conditions, newest first (open ones only)."""

    items = fields.List(fields.Nested(MatchedJobSchema))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()


class RecommendationListSchema(Schema):
    items = fields.List(fields.Nested(RecommendedJobSchema))
    total = fields.Integer()


class ReferralSchema(Schema):
    id = fields.String()
    job_number = fields.String()
    referred_on = fields.Date()
    recorded_at = fields.AwareDateTime()
    job = fields.Nested(JobSummarySchema, allow_none=True, metadata={"description": "the posting as it is now"})


class ReferralListSchema(Schema):
    items = fields.List(fields.Nested(ReferralSchema))
    total = fields.Integer()


class ReferralDetailSchema(ReferralSchema):
    seeker_id = fields.String()
    letter = fields.Dict(metadata={"description": "紹介状 as issued: office, referred_on, establishment, job, "
                                                 "interview {place, date}, note"})


# -- J8 applications, J9 no-shows ------------------------------------------------------------------

_PDF_MAGIC = b"%PDF-"


class PdfContent(fields.String):
    """A PDF as base64 text: decoded, at most 2 MB, and it must be a PDF (J8: PDF, size-limited)."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            content = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raise ValidationError(msg("ファイルの内容は base64 で送信してください。",
                                      "Send the file's content as base64.")) from None
        if len(content) > domain.DOCUMENT_MAX_BYTES:
            raise ValidationError(msg(f"応募書類は1ファイル{domain.DOCUMENT_MAX_BYTES // (1024 * 1024)}MBまでです。",
                                      f"A document is at most {domain.DOCUMENT_MAX_BYTES // (1024 * 1024)} MB."))
        if not content.startswith(_PDF_MAGIC):
            raise ValidationError(msg("応募書類はPDFファイルのみ添付できます。", "Only PDF documents can be attached."))
        return content


class DocumentInputSchema(Schema):
    filename = fields.String(required=True, validate=[
        validate.Length(min=5, max=100, error=msg("ファイル名は100文字以内で、.pdf で終わる名前にしてください。",
                                                  "The file name is at most 100 characters and ends in .pdf.")),
        validate.Regexp(r"(?i)^[^/\\\x00-\x1f]+\.pdf$", error=msg(
            "ファイル名は100文字以内で、.pdf で終わる名前にしてください。",
            "The file name is at most 100 characters and ends in .pdf."))],
        metadata={"example": "履歴書.pdf"})
    content = PdfContent(required=True, metadata={"description": "the PDF, base64-encoded (at most 2 MB decoded)"})


class ApplicationInputSchema(Schema):
    """J8: the posting, a motivation statement (志望動機, required) and up to 3 PDF documents."""

    job_number = fields.String(required=True, validate=validate.Length(min=1, max=20, error=msg(
        "求人番号を入力してください。", "Enter the job number.")), metadata={"example": "11040-00012345"})
    motivation = fields.String(required=True, validate=validate.Length(max=domain.MOTIVATION_MAX, error=msg(
        f"志望動機は{domain.MOTIVATION_MAX}文字以内で入力してください。",
        f"The motivation statement is at most {domain.MOTIVATION_MAX} characters.")),
        metadata={"description": "志望動機", "example": "介護の仕事を続けてきた経験を活かしたく、応募いたします。"})
    documents = fields.List(fields.Nested(DocumentInputSchema), validate=validate.Length(
        max=domain.MAX_DOCUMENTS, error=msg(f"応募書類は{domain.MAX_DOCUMENTS}件まで添付できます。",
                                            f"At most {domain.MAX_DOCUMENTS} documents can be attached.")))

    @post_load
    def _motivation(self, data, **_kwargs):
        data["motivation"] = data["motivation"].strip()
        if not data["motivation"]:
            raise ValidationError(msg("志望動機を入力してください。", "Enter a motivation statement."),
                                  field_name="motivation")
        return data


class DocumentSchema(Schema):
    id = fields.String()
    filename = fields.String()
    size = fields.Integer(metadata={"description": "bytes"})


class ApplicationSchema(Schema):
    id = fields.String()
    job_number = fields.String()
    route = fields.String(metadata={"description": "self: オンライン自主応募; "
                                                   "recommendation: オンラインハローワーク紹介"})
    status = fields.String(metadata={"description": "applied | screening | hired | rejected | withdrawn"})
    status_label = fields.String(metadata={"description": "応募中 | 選考中 | 採用 | 不採用 | 辞退"})
    submitted_at = fields.AwareDateTime()
    status_changed_at = fields.AwareDateTime()
    withdrawn_at = fields.AwareDateTime(allow_none=True)
    job = fields.Nested(JobSummarySchema, allow_none=True, metadata={"description": "the posting as it is now"})


class ApplicationDetailSchema(ApplicationSchema):
    motivation = fields.String()
    documents = fields.List(fields.Nested(DocumentSchema))


class ApplicationListSchema(Schema):
    items = fields.List(fields.Nested(ApplicationSchema))
    total = fields.Integer()


class EmployerApplicationSchema(Schema):
    id = fields.String()
    job_number = fields.String()
    establishment_number = fields.String()
    route = fields.String()
    status = fields.String()
    status_label = fields.String()
    motivation = fields.String()
    documents = fields.List(fields.Nested(DocumentSchema))
    submitted_at = fields.AwareDateTime()
    status_changed_at = fields.AwareDateTime()
    withdrawn_at = fields.AwareDateTime(allow_none=True)


class EmployerApplicationQuerySchema(PageQuerySchema):
    """J8/C2: without `establishment_number`, every establishment of the client's token."""

    establishment_number = fields.String(load_default=None, validate=validate.Length(min=1, max=20, error=msg(
        "事業所番号を入力してください。", "Enter the establishment number.")), metadata={"example": "1104-123456-7"})


class EmployerApplicationListSchema(Schema):
    items = fields.List(fields.Nested(EmployerApplicationSchema))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()


class StatusInputSchema(Schema):
    status = fields.String(required=True, validate=validate.OneOf(domain.EMPLOYER_STATUSES, error=msg(
        "選考状況は screening（選考中）、hired（採用）、rejected（不採用）のいずれかです。",
        "The status is screening, hired or rejected.")))


class NoShowInputSchema(Schema):
    interview_date = fields.Date(required=True, metadata={"description": "面接日 (YYYY-MM-DD)"})


class NoShowSchema(Schema):
    application_id = fields.String()
    interview_date = fields.Date()
    reported_at = fields.AwareDateTime()


class RestrictionSchema(Schema):
    seeker_id = fields.String()
    restricted = fields.Boolean(metadata={"description": "J9: online self-application restricted for no-shows"})
    restricted_at = fields.AwareDateTime(allow_none=True)
    lifted_at = fields.AwareDateTime(allow_none=True)
    counting_no_shows = fields.Integer(metadata={"description": "no-shows that count now (within 3 months, "
                                                                "reported after the last lift)"})
    limit = fields.Integer(metadata={"description": "J9: 5"})


# -- J1 postings from the employer-side system ------------------------------------------------------

_JOB_NUMBER = re.compile(r"^[0-9]{5}-[0-9]{8}$")  # 求人番号 NNNNN-NNNNNNNN
_ESTABLISHMENT_NUMBER = re.compile(r"^[0-9]{4}-[0-9]{6}-[0-9]$")  # 事業所番号 NNNN-NNNNNN-N
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
EXTRA_KEYS_MAX = 20  # keys beyond the documented ones, per object, kept as sent in the posting's document
EXTRA_VALUE_MAX = 2000  # characters of one such value as JSON
EXTRA_KEY_MAX = 50


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
        if _CONTROL.search(text) or (not self.multiline and ("\n" in text or "\t" in text or "\r" in text)):
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


def _one_of(choices, what_ja: str, what_en: str) -> validate.OneOf:
    return validate.OneOf(choices, error=msg(f"{what_ja}は次のいずれかです: " + "、".join(map(str, choices)),
                                             f"The {what_en} is one of: " + ", ".join(map(str, choices))))


def _yen(what_ja: str, what_en: str) -> validate.Range:
    return validate.Range(min=0, max=domain.WAGE_MAX, error=msg(
        f"{what_ja}は0以上{domain.WAGE_MAX:,}以下の整数（円）で入力してください。",
        f"The {what_en} is a whole number of yen from 0 to {domain.WAGE_MAX:,}."))


class _WithExtras(Schema):
    """A part of a posting that may carry more than is documented (J1: insurance, requirements, …): the extra
    keys are kept as sent in the posting's document — at most 20 per object, each at most 2,000 characters
    as JSON, so a posting stays a posting."""

    class Meta:
        unknown = INCLUDE

    @validates_schema(pass_original=True)
    def _extras(self, _data, original, **_kwargs):
        if not isinstance(original, dict):
            return
        declared = {field.data_key or name for name, field in self.fields.items()}
        extras = [key for key in original if key not in declared]
        errors: dict[str, list[str]] = {}
        if len(extras) > EXTRA_KEYS_MAX:
            errors["_schema"] = [msg(f"定義されていない項目は{EXTRA_KEYS_MAX}個までです。",
                                     f"At most {EXTRA_KEYS_MAX} undocumented fields.")]
        for key in extras:
            if len(key) > EXTRA_KEY_MAX or not key.strip() or _CONTROL.search(key):
                errors.setdefault("_schema", []).append(msg(f"項目名は{EXTRA_KEY_MAX}文字以内の文字列です。",
                                                            f"A field name is at most {EXTRA_KEY_MAX} characters."))
            elif len(json.dumps(original[key], ensure_ascii=False)) > EXTRA_VALUE_MAX:
                errors[key] = [msg(f"この項目は{EXTRA_VALUE_MAX}文字以内にしてください。",
                                   f"This field is at most {EXTRA_VALUE_MAX} characters as JSON.")]
        if errors:
            raise ValidationError(errors)


class PostingEstablishmentSchema(_WithExtras):
    """事業所: its number (NNNN-NNNNNN-N) and name."""

    number = NumberCode(_ESTABLISHMENT_NUMBER, msg("事業所番号は「1104-123456-7」の形式で入力してください。",
                                                   "The establishment number looks like 1104-123456-7."),
                        required=True, metadata={"description": "事業所番号", "example": "1104-123456-7"})
    name = Line(maximum=domain.ESTABLISHMENT_NAME_MAX, what_ja="事業所名", what_en="establishment name",
                required=True, metadata={"example": "株式会社越谷ケア"})


class PostingLocationSchema(_WithExtras):
    """就業場所: a prefecture and one of its municipalities (names or codes), the nearest station."""

    prefecture = fields.String(required=True, validate=validate.Length(min=1, max=10, error=msg(
        "都道府県を入力してください（10文字以内）。", "Enter the prefecture (at most 10 characters).")),
        metadata={"description": "都道府県: name or JIS code", "example": "埼玉県"})
    municipality = fields.String(required=True, validate=validate.Length(min=1, max=40, error=msg(
        "市区町村を入力してください（40文字以内）。", "Enter the municipality (at most 40 characters).")),
        metadata={"description": "市区町村: name or 5-digit code", "example": "越谷市"})
    station = Line(maximum=domain.STATION_MAX, what_ja="最寄り駅", what_en="nearest station", allow_none=True,
                   metadata={"example": "越谷駅"})

    @validates_schema
    def _known_place(self, data, **_kwargs):
        if codes.prefecture_code(data["prefecture"]) is None:
            raise ValidationError(msg(f"都道府県「{data['prefecture']}」はありません。",
                                      f"Unknown prefecture {data['prefecture']!r}."), "prefecture")
        if _place(data["prefecture"], data["municipality"]) is None:
            raise ValidationError(msg(f"市区町村「{data['municipality']}」はこの都道府県にありません。",
                                      f"No municipality {data['municipality']!r} in this prefecture."),
                                  "municipality")

    @post_load
    def _official_names(self, data, **_kwargs):
        place = _place(data["prefecture"], data["municipality"])
        return data | {"prefecture": place.prefecture_name, "municipality": place.name}


def _place(prefecture: str, municipality: str) -> codes.Municipality | None:
    """The municipality named (or coded) in the prefecture given, or None."""
    value = unicodedata.normalize("NFKC", municipality).strip()
    if _MUNICIPALITY_CODE.match(value):
        found = codes.municipality(value)
        return found if found is not None and found.prefecture_code == codes.prefecture_code(prefecture) else None
    return codes.find_municipality(prefecture, value)


class PostingWageSchema(_WithExtras):
    """賃金: monthly (月額), hourly (時間額) or daily (日額); the upper bound may be open (null)."""

    type = fields.String(required=True, validate=_one_of(domain.WAGE_TYPES, "賃金の種類", "wage type"),
                         metadata={"description": "monthly | hourly | daily"})
    min = StrictInteger(required=True, validate=_yen("賃金の下限", "minimum wage"), metadata={"example": 200000})
    max = StrictInteger(allow_none=True, validate=_yen("賃金の上限", "maximum wage"),
                        metadata={"description": "null: no upper bound given", "example": 260000})

    @validates_schema
    def _in_order(self, data, **_kwargs):
        if data.get("max") is not None and data["max"] < data["min"]:
            raise ValidationError(msg("賃金の上限は下限以上にしてください。",
                                      "The maximum wage cannot be below the minimum."), "max")


class PostingHolidaysSchema(_WithExtras):
    """休日: 週休二日制 and 年間休日数."""

    two_days_weekly = fields.String(allow_none=True, validate=_one_of(domain.TWO_DAYS_WEEKLY, "週休二日制",
                                                                      "two-days-a-week holiday"),
                                    metadata={"description": "週休二日制: 毎週 | その他 | なし"})
    annual_days = StrictInteger(allow_none=True, validate=validate.Range(
        min=0, max=domain.ANNUAL_HOLIDAYS_MAX, error=msg(
        f"年間休日数は0から{domain.ANNUAL_HOLIDAYS_MAX}までの整数です。",
        f"Annual holidays are 0 to {domain.ANNUAL_HOLIDAYS_MAX}.")), metadata={"example": 120})


class PostingRequirementsSchema(_WithExtras):
    """必要な経験・免許."""

    experience = Line(maximum=200, what_ja="必要な経験", what_en="required experience", allow_none=True,
                      metadata={"example": "不問"})
    licenses = fields.List(Line(maximum=100, what_ja="必要な免許・資格", what_en="required licence"),
                           validate=_at_most(20, "必要な免許・資格", "licences"), metadata={"example": ["介護福祉士"]})


class PostingContactSchema(_WithExtras):
    """求人担当者: shown only with the establishment (J2a)."""

    person = Line(maximum=50, what_ja="担当者", what_en="contact person", allow_none=True)
    phone = Line(maximum=30, what_ja="電話番号", what_en="phone number", allow_none=True,
                 metadata={"example": "048-000-1111"})
    email = fields.Email(allow_none=True, validate=validate.Length(max=254), error_messages={
        "invalid": msg("メールアドレスの形式が正しくありません。", "Not a valid email address.")})


_POSTING_FIELDS = ("job_number", "establishment", "title", "occupation_code", "description", "category", "full_time",
                   "employment_type", "location", "wage", "hours", "holidays", "publication_scope",
                   "online_application", "received_on", "deadline", "insurance", "requirements", "contact")


class PostingInputSchema(_WithExtras):
    """J1 求人 as the employer-side system sends it (SPEC "Employers publish a posting"). Every field is checked
    on its own; anything more (up to 20 keys) is kept as sent and shown in the posting's `details`."""

    job_number = NumberCode(_JOB_NUMBER, msg("求人番号は「11040-00012345」の形式で入力してください。",
                                             "The job number looks like 11040-00012345."),
                            required=True, metadata={"example": "11040-00012345",
                                                     "description": "求人番号 (full-width digits folded)"})
    establishment = fields.Nested(PostingEstablishmentSchema, required=True)
    title = Line(maximum=domain.POSTING_TITLE_MAX, what_ja="職種", what_en="title", required=True,
                 metadata={"description": "職種", "example": "介護職員"})
    occupation_code = fields.String(required=True, validate=validate.Length(min=1, max=10, error=msg(
        "職業分類を入力してください（例：361-01）。", "Enter the occupation code (e.g. 361-01).")),
        metadata={"description": "職業分類の細分類 (361-01; 36101 accepted)", "example": "361-01"})
    description = Line(maximum=domain.DESCRIPTION_MAX, what_ja="仕事の内容", what_en="job description",
                       multiline=True, required=True, metadata={"description": "仕事の内容"})
    category = fields.String(required=True, validate=_one_of(domain.POSTING_CATEGORIES, "求人区分", "job category"),
                             metadata={"description": "求人区分"})
    full_time = JsonBoolean(required=True, metadata={"description": "true: フルタイム, false: パート"})
    employment_type = fields.String(required=True, validate=_one_of(domain.EMPLOYMENT_TYPES, "雇用形態",
                                                                    "employment type"),
                                    metadata={"description": "雇用形態"})
    location = fields.Nested(PostingLocationSchema, required=True)
    wage = fields.Nested(PostingWageSchema, required=True)
    hours = Line(maximum=domain.HOURS_MAX, what_ja="就業時間", what_en="working hours", allow_none=True,
                 metadata={"example": "08:30-17:30"})
    holidays = fields.Nested(PostingHolidaysSchema, allow_none=True)
    publication_scope = StrictInteger(required=True, validate=validate.Range(min=1, max=4, error=msg(
        "公開範囲は1から4の整数です。", "The publication scope is 1, 2, 3 or 4.")),
        metadata={"description": "公開範囲 (J2a): 1 公開, 2 登録者のみ事業所名公開, 3 事業所名非公開, "
                                 "4 オンライン非公開"})
    online_application = JsonBoolean(required=True, metadata={"description": "オンライン自主応募の可否 (J8)"})
    received_on = TypedDate(required=True, metadata={"description": "受付年月日"})
    deadline = TypedDate(required=True, metadata={"description": "紹介期限日 (on or after received_on)"})
    insurance = fields.List(Line(maximum=20, what_ja="加入保険", what_en="insurance"), allow_none=True,
                            validate=_at_most(10, "加入保険", "insurances"),
                            metadata={"description": "加入保険", "example": ["雇用", "労災", "健康", "厚生"]})
    requirements = fields.Nested(PostingRequirementsSchema, allow_none=True)
    contact = fields.Nested(PostingContactSchema, allow_none=True)

    @validates_schema
    def _posting(self, data, **_kwargs):
        errors: dict[str, list[str]] = {}
        code = data.get("occupation_code")
        if code is not None:
            found = codes.occupation(code)
            if found is None or found.level != "detailed":
                errors["occupation_code"] = [msg(f"職業分類「{code}」は細分類のコードではありません（例：361-01）。",
                                                 f"{code!r} is not a detailed occupation code (e.g. 361-01).")]
        if data.get("received_on") and data.get("deadline") and data["deadline"] < data["received_on"]:
            errors["deadline"] = [msg(*domain.DATES_OUT_OF_ORDER)]
        if errors:
            raise ValidationError(errors)

    @post_load
    def _canonical(self, data, **_kwargs):
        if "occupation_code" in data:
            data["occupation_code"] = codes.normalise_occupation_code(data["occupation_code"])
        return data


class PostingChangesSchema(PostingInputSchema):
    """J1 change (PATCH): any of the posting's fields; each one given replaces that field (a nested object
    as a whole). An extra key given as null is removed. The dates are checked against the merged posting."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, partial=_POSTING_FIELDS, **kwargs)

    @pre_load
    def _something(self, data, **_kwargs):
        if isinstance(data, dict) and not data:
            raise ValidationError(msg("変更する項目を指定してください。", "Give at least one field to change."),
                                  "_schema")
        return data


class PostingEstablishmentViewSchema(Schema):
    number = fields.String(metadata={"description": "事業所番号"})
    name = fields.String(metadata={"description": "事業所名"})


class PostingLocationViewSchema(LocationSchema):
    prefecture_code = fields.String()
    municipality_code = fields.String()


class EmployerPostingSchema(Schema):
    """J1: a posting as the employer-side system sees it — everything, whatever its 公開範囲."""

    job_number = fields.String(metadata={"example": "11040-00012345"})
    establishment = fields.Nested(PostingEstablishmentViewSchema)
    title = fields.String()
    occupation_code = fields.String()
    description = fields.String()
    category = fields.String()
    full_time = fields.Boolean()
    employment_type = fields.String()
    location = fields.Nested(PostingLocationViewSchema)
    wage = fields.Nested(WageSchema)
    hours = fields.String(allow_none=True)
    holidays = fields.Dict(metadata={"description": "two_days_weekly, annual_days"})
    publication_scope = fields.Integer()
    online_application = fields.Boolean()
    received_on = fields.Date()
    deadline = fields.Date()
    details = fields.Dict(metadata={"description": "everything else the employer sent (insurance, requirements, "
                                                  "contact, …), as sent"})
    status = fields.String(metadata={"description": "open | closed (募集終了) | expired (紹介期限日 passed)"})
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()


# -- J8a direct requests ----------------------------------------------------------------------------


class DirectRequestInputSchema(Schema):
    """J8a: the posting and the reference of a disclosed seeker (from GET /api/v1/employer/seekers)."""

    job_number = fields.String(required=True, validate=validate.Length(min=1, max=20, error=msg(
        "求人番号を入力してください。", "Enter the job number.")), metadata={"example": "11040-00012345"})
    seeker_ref = fields.String(required=True, validate=validate.Regexp(r"^[0-9a-f]{32}$", error=msg(
        "求職者の参照番号が正しくありません。", "Not a seeker reference.")),
        metadata={"description": "the `ref` of a disclosed profile"})
    message = fields.String(load_default=None, allow_none=True, validate=validate.Length(
        max=domain.DIRECT_REQUEST_MESSAGE_MAX, error=msg(
            f"メッセージは{domain.DIRECT_REQUEST_MESSAGE_MAX}文字以内です。",
            f"The message is at most {domain.DIRECT_REQUEST_MESSAGE_MAX} characters.")))


class DirectRequestSentSchema(Schema):
    job_number = fields.String()
    seeker_ref = fields.String()
    message = fields.String(allow_none=True)
    sent_at = fields.AwareDateTime()
    sent_for_posting = fields.Integer(metadata={"description": "seekers this posting was sent to, this one included"})
    limit = fields.Integer(metadata={"description": "J8a: 10 per posting"})


class DirectRequestedJobSchema(JobSummarySchema):
    sent_at = fields.AwareDateTime()
    message = fields.String(allow_none=True)
    applied = fields.Boolean(metadata={"description": "the seeker has applied to it"})


class DirectRequestListSchema(Schema):
    items = fields.List(fields.Nested(DirectRequestedJobSchema))
    total = fields.Integer()
