"""J1 postings from the employer-side system: the payload of `POST /api/v1/employer/jobs`, a change
(PATCH) and the posting as the employer sees it."""

from __future__ import annotations

import json
import re
import unicodedata

from marshmallow import INCLUDE, Schema, ValidationError, fields, post_load, pre_load, validate, validates_schema

from kit import codes
from kit.fields import JsonBoolean, Line, NumberText, StrictInteger, TypedDate, at_most
from kit.problem import msg
from kit.text import CONTROL
from services.jobs import domain
from services.jobs.schemas.fields import MUNICIPALITY_CODE
from services.jobs.schemas.views import LocationSchema, WageSchema

_JOB_NUMBER = re.compile(r"^[0-9]{5}-[0-9]{8}$")  # 求人番号 NNNNN-NNNNNNNN
_ESTABLISHMENT_NUMBER = re.compile(r"^[0-9]{4}-[0-9]{6}-[0-9]$")  # 事業所番号 NNNN-NNNNNN-N

EXTRA_KEYS_MAX = 20  # keys beyond the documented ones, per object, kept as sent in the posting's document
EXTRA_VALUE_MAX = 2000  # characters of one such value as JSON
EXTRA_KEY_MAX = 50


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
            if len(key) > EXTRA_KEY_MAX or not key.strip() or CONTROL.search(key):
                errors.setdefault("_schema", []).append(msg(f"項目名は{EXTRA_KEY_MAX}文字以内の文字列です。",
                                                            f"A field name is at most {EXTRA_KEY_MAX} characters."))
            elif len(json.dumps(original[key], ensure_ascii=False)) > EXTRA_VALUE_MAX:
                errors[key] = [msg(f"この項目は{EXTRA_VALUE_MAX}文字以内にしてください。",
                                   f"This field is at most {EXTRA_VALUE_MAX} characters as JSON.")]
        if errors:
            raise ValidationError(errors)


class PostingEstablishmentSchema(_WithExtras):
    """事業所: its number (NNNN-NNNNNN-N) and name."""

    number = NumberText(_ESTABLISHMENT_NUMBER, msg("事業所番号は「1104-123456-7」の形式で入力してください。",
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
    if MUNICIPALITY_CODE.match(value):
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
                           validate=at_most(20, "必要な免許・資格", "licences"), metadata={"example": ["介護福祉士"]})


class PostingContactSchema(_WithExtras):
    """求人担当者: shown only with the establishment (J2a)."""

    person = Line(maximum=50, what_ja="担当者", what_en="contact person", allow_none=True)
    phone = Line(maximum=30, what_ja="電話番号", what_en="phone number", allow_none=True,
                 metadata={"example": "048-000-1111"})
    email = fields.Email(allow_none=True, validate=validate.Length(max=254), error_messages={
        "invalid": msg("メールアドレスの形式が正しくありません。", "Not a valid email address.")})


class PostingInputSchema(_WithExtras):
    """J1 求人 as the employer-side system sends it (SPEC "Employers publish a posting"). Every field is checked
    on its own; anything more (up to 20 keys) is kept as sent and shown in the posting's `details`."""

    job_number = NumberText(_JOB_NUMBER, msg("求人番号は「11040-00012345」の形式で入力してください。",
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
                            validate=at_most(10, "加入保険", "insurances"),
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
        super().__init__(*args, partial=tuple(PostingInputSchema._declared_fields), **kwargs)

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
    received_on = TypedDate()
    deadline = TypedDate()
    details = fields.Dict(metadata={"description": "everything else the employer sent (insurance, requirements, "
                                                  "contact, …), as sent"})
    status = fields.String(metadata={"description": "open | closed (募集終了) | expired (紹介期限日 passed)"})
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()
