"""Request and response schemas of the jobs API (they also make its OpenAPI document).

The search criteria are one schema, read from the query string of `GET /api/v1/jobs` and from
the `criteria` of a saved search (J3): the same names, the same checks, the same canonical
form (prefecture and municipality codes of kit.codes, occupation codes like "361-01").
Every refusal is field-level and bilingual (kit.problem.msg).
"""

from __future__ import annotations

import base64
import binascii
import re
import unicodedata

from marshmallow import Schema, ValidationError, fields, post_load, validate

from kit import codes
from kit.problem import msg
from services.jobs import domain

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


class CriteriaSchema(Schema):
    """J2 search criteria (the simple form of this issue): free word, up to 3 prefectures and 3
    municipalities, up to 3 occupations, employment types, minimum wage, sort, page size."""

    q = fields.String(validate=validate.Length(max=domain.FREE_WORD_MAX, error=msg(
        f"フリーワードは{domain.FREE_WORD_MAX}文字以内で入力してください。",
        f"The free word is at most {domain.FREE_WORD_MAX} characters.")),
        metadata={"description": "フリーワード: words separated by spaces, all must appear in the title or "
                                 "description (full/half width folded)", "example": "介護 越谷"})
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
    """`GET /api/v1/jobs`: the criteria plus the page (10/30/50 per page, received date first)."""

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


class JobPageSchema(Schema):
    items = fields.List(fields.Nested(JobSummarySchema))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()


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


class EmployerApplicationQuerySchema(Schema):
    establishment_number = fields.String(required=True, validate=validate.Length(min=1, max=20, error=msg(
        "事業所番号を入力してください。", "Enter the establishment number.")), metadata={"example": "1104-123456-7"})
    page = WholeNumber(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE, error=msg(
        f"ページは1から{MAX_PAGE}までです。", f"The page is between 1 and {MAX_PAGE}.")))
    per_page = WholeNumber(load_default=domain.DEFAULT_PER_PAGE, validate=validate.OneOf(
        domain.PER_PAGE_CHOICES, error=msg("表示件数は10、30、50のいずれかです。", "Show 10, 30 or 50 per page.")))


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
