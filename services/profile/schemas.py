"""Request and response schemas of the profile API (they also make its OpenAPI document).

Every refusal is field-level and bilingual (kit.problem.msg): Japanese by default, English
with `Accept-Language: en`. Input is normalised only where harmless (services.profile.text).
Checks that depend on today's date (a birth date in the past, a plausible age, no future
month in a work history) read the day in Japan by the injected clock (kit/clock.py): the
answering service's runtime's, or the one `as_of` gives outside a request (the demo loader).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date

from marshmallow import Schema, ValidationError, fields, post_load, pre_load, validate, validates_schema

from kit import codes
from kit.clock import today_in_japan
from kit.fields import JsonBoolean, NumberText, Text, TypedDate, at_most
from kit.problem import Problem, msg
from kit.text import clean_text, fold_number, fold_width
from kit.web import current_runtime
from services.profile import domain
from services.profile.text import KATAKANA_NAME, katakana

# The day in Japan for loading outside a request (as_of); None: the runtime's clock says.
_AS_OF: ContextVar[date | None] = ContextVar("profile_as_of", default=None)

SEEKER_NUMBER = re.compile(r"^\d{5}-\d{8}$")  # 求職番号 NNNNN-NNNNNNNN
POSTAL_CODE = re.compile(r"^\d{3}-\d{4}$")
PHONE = re.compile(r"^0\d{1,4}-?\d{1,4}-?\d{3,4}$")
OFFICE_CODE = re.compile(r"^\d{5}$")
HOURS = re.compile(r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$")
YEAR_MONTH = re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$")
OCCUPATION_CODE = re.compile(r"^\d{3}(-?\d{2})?$")

# SPEC J2: the employment types of the search form (雇用形態)
EMPLOYMENT_TYPES = ("正社員", "正社員以外", "有期雇用派遣労働者", "無期雇用派遣労働者", "パート労働者",
                    "有期雇用派遣パート", "無期雇用派遣パート")
EDUCATION_STATUSES = ("卒業", "卒業見込", "修了", "修了見込", "中退", "在学中")
WAGE_TYPES = ("monthly", "hourly", "daily")
MAX_DESIRED = 3  # 希望職種, 就業場所 (都道府県, 市区町村): up to 3 each, as in the search form (J2)
MAX_ITEMS = 30  # entries of a work history, qualifications


def today() -> date:
    """The day in Japan by the injected clock, never the wall clock."""
    day = _AS_OF.get()
    return day if day is not None else today_in_japan(current_runtime().clock.now())


@contextmanager
def as_of(day: date) -> Iterator[None]:
    """Load schemas outside a request (no runtime at hand) as on `day`."""
    token = _AS_OF.set(day)
    try:
        yield
    finally:
        _AS_OF.reset(token)


# -- fields that normalise what they read (Text, NumberText, TypedDate: kit.fields) -------------------


class LongText(Text):
    """A description: like Text, but line breaks are kept."""

    def normalise(self, value: str) -> str:
        return "\n".join(clean_text(line) for line in fold_width(value).strip().splitlines())


class Kana(Text):
    """フリガナ: katakana only; half-width katakana and hiragana are written as full-width katakana."""

    def normalise(self, value: str) -> str:
        return katakana(value)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if not KATAKANA_NAME.match(text):
            raise ValidationError(msg("フリガナは全角カタカナで入力してください（例：キュウショク タロウ）。",
                                      "Enter the reading in katakana (e.g. キュウショク タロウ)."))
        return text


class PostalCode(NumberText):
    def __init__(self, **kwargs) -> None:
        super().__init__(POSTAL_CODE, msg("郵便番号は「123-4567」の形式で入力してください。",
                                          "Enter the postal code as 123-4567."), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            digits = fold_number(value)
            if re.fullmatch(r"\d{7}", digits):
                value = f"{digits[:3]}-{digits[3:]}"
        return super()._deserialize(value, attr, data, **kwargs)


class Phone(NumberText):
    def __init__(self, **kwargs) -> None:
        super().__init__(PHONE, msg("電話番号は半角数字とハイフンで入力してください（例：048-000-0000）。",
                                    "Enter the phone number in digits and hyphens (e.g. 048-000-0000)."), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if len(text.replace("-", "")) not in (10, 11):
            raise ValidationError(msg("電話番号は10桁または11桁です。", "A phone number has 10 or 11 digits."))
        return text


class YearMonth(fields.String):
    """年月 of a work history or qualification: YYYY-MM (a full date is accepted and cut to its month)."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = fold_number(super()._deserialize(value, attr, data, **kwargs))
        match = YEAR_MONTH.match(text)
        invalid = msg("年月は YYYY-MM の形式で入力してください。", "Enter the month as YYYY-MM.")
        if not match:
            raise ValidationError(invalid)
        year, month = int(match.group(1)), int(match.group(2))
        if not (1900 <= year <= 2999 and 1 <= month <= 12):
            raise ValidationError(invalid)
        day = today()
        if (year, month) > (day.year, day.month):
            raise ValidationError(msg("未来の年月は指定できません。", "The month cannot be in the future."))
        return f"{year:04d}-{month:02d}"


# -- nested parts of the registration ---------------------------------------------------------------


class OfficeSchema(Schema):
    """利用安定所: the Hello Work office the seeker uses."""

    code = NumberText(OFFICE_CODE, msg("安定所番号は5桁の数字です。", "The office code has 5 digits."), required=True,
                      metadata={"example": "11040"})
    name = Text(maximum=60, required=True, metadata={"example": "越谷公共職業安定所"})

    @validates_schema(skip_on_field_errors=False)
    def _prefecture_of_the_office(self, data, **kwargs) -> None:
        if "code" in data and codes.prefecture_name(data["code"][:2]) is None:
            raise ValidationError(msg("安定所番号の先頭2桁が都道府県コードではありません。",
                                      "The office code does not start with a prefecture code."), "code")


class AddressSchema(Schema):
    """住所: postal code, one of the 47 prefectures, a municipality of that prefecture, the rest."""

    postal_code = PostalCode(required=True, metadata={"example": "343-0023"})
    prefecture = Text(maximum=4, required=True, metadata={"example": "埼玉県"})
    municipality = Text(maximum=30, required=True, metadata={"example": "越谷市"})
    street = Text(maximum=100, load_default=None, allow_none=True, metadata={"example": "東越谷1-2-3"})

    @validates_schema(skip_on_field_errors=False)
    def _known_places(self, data, **kwargs) -> None:
        if "prefecture" not in data:
            return
        if codes.prefecture_code(data["prefecture"]) is None:
            raise ValidationError(msg("都道府県名が正しくありません（例：埼玉県）。",
                                      "Not one of the 47 prefectures (e.g. 埼玉県)."), "prefecture")
        if "municipality" in data and codes.find_municipality(data["prefecture"], data["municipality"]) is None:
            raise ValidationError(msg("この都道府県にない市区町村です。", "No such municipality in this prefecture."),
                                  "municipality")

    @post_load
    def _official_names(self, data, **kwargs) -> dict:
        found = codes.find_municipality(data["prefecture"], data["municipality"])
        return {**data, "prefecture": found.prefecture_name, "municipality": found.name}


class EducationSchema(Schema):
    """学歴: one school."""

    school = Text(maximum=100, required=True, metadata={"example": "埼玉県立越谷高等学校"})
    department = Text(maximum=100, load_default=None, allow_none=True)
    status = fields.String(required=True, validate=validate.OneOf(EDUCATION_STATUSES, error=msg(
        "卒業・卒業見込・修了・修了見込・中退・在学中のいずれかを指定してください。",
        "One of 卒業, 卒業見込, 修了, 修了見込, 中退, 在学中.")))
    to = YearMonth(load_default=None, allow_none=True, metadata={"example": "2009-03"})


class WorkHistorySchema(Schema):
    """職歴: one job held."""

    company = Text(maximum=100, required=True, metadata={"example": "株式会社越谷ケア"})
    from_ = YearMonth(data_key="from", attribute="from", required=True, metadata={"example": "2015-04"})
    to = YearMonth(load_default=None, allow_none=True, metadata={"description": "null: 現在も在職中"})
    description = LongText(maximum=1000, load_default="", minimum=0)

    @validates_schema(skip_on_field_errors=False)
    def _in_order(self, data, **kwargs) -> None:
        if data.get("to") and data.get("from") and data["to"] < data["from"]:
            raise ValidationError(msg("終了年月は開始年月以降にしてください。", "The end cannot be before the start."),
                                  "to")


class QualificationSchema(Schema):
    """資格・免許: one licence or qualification."""

    name = Text(maximum=100, required=True, metadata={"example": "介護福祉士"})
    acquired_on = YearMonth(load_default=None, allow_none=True, metadata={"example": "2018-04"})


class DesiredSchema(Schema):
    """希望条件: what job matching (J6) and the seeker's searches start from."""

    occupations = fields.List(Text(maximum=50), load_default=list,
                              validate=at_most(MAX_DESIRED, "希望職種", "desired occupations"),
                              metadata={"description": "希望職種: up to 3, a name (介護職員) "
                                                       "or a 職業分類 code (361-01)"})
    employment_types = fields.List(fields.String(validate=validate.OneOf(EMPLOYMENT_TYPES, error=msg(
        "雇用形態は " + "・".join(EMPLOYMENT_TYPES) + " のいずれかです。",
        "An employment type is one of " + ", ".join(EMPLOYMENT_TYPES) + "."))), load_default=list)
    prefectures = fields.List(Text(maximum=4), load_default=list,
                              validate=at_most(MAX_DESIRED, "希望勤務地の都道府県", "prefectures"))
    municipalities = fields.List(Text(maximum=30), load_default=list,
                                 validate=at_most(MAX_DESIRED, "希望勤務地の市区町村", "municipalities"))
    wage_min = fields.Integer(load_default=None, allow_none=True, strict=True, validate=validate.Range(
        min=0, max=10_000_000, error=msg("希望賃金は0〜10,000,000円の整数です。", "The wage is 0 to 10,000,000 yen.")))
    wage_type = fields.String(load_default="monthly", validate=validate.OneOf(WAGE_TYPES, error=msg(
        "賃金形態は monthly（月給）・hourly（時給）・daily（日給）のいずれかです。", "One of monthly, hourly, daily.")))
    hours = fields.String(load_default=None, allow_none=True, validate=validate.Regexp(HOURS, error=msg(
        "希望就業時間は「09:00-17:00」の形式で入力してください。", "Enter the hours as 09:00-17:00.")))
    days_per_week = fields.Integer(load_default=None, allow_none=True, strict=True, validate=validate.Range(
        min=1, max=7, error=msg("週の希望就業日数は1〜7日です。", "Days per week are 1 to 7.")))

    @pre_load
    def _fold(self, data, **kwargs):
        if isinstance(data, dict) and isinstance(data.get("hours"), str):
            data = {**data, "hours": fold_number(data["hours"]).replace("~", "-").replace("〜", "-")}
        return data

    @validates_schema(skip_on_field_errors=False)
    def _known_places_and_occupations(self, data, **kwargs) -> None:
        errors: dict[str, list[str]] = {}
        data = {key: data.get(key) or [] for key in ("occupations", "employment_types", "prefectures",
                                                        "municipalities")}
        for key in ("occupations", "employment_types", "prefectures", "municipalities"):
            if len(set(data[key])) != len(data[key]):
                errors.setdefault(key, []).append(msg("同じ値が重複しています。", "A value is repeated."))
        for code in data["occupations"]:
            if OCCUPATION_CODE.match(code) and codes.occupation(code) is None:
                errors.setdefault("occupations", []).append(msg(f"職業分類 {code} はありません。",
                                                                f"No occupation classified {code}."))
        unknown = [name for name in data["prefectures"] if codes.prefecture_code(name) is None]
        if unknown:
            errors.setdefault("prefectures", []).append(msg(
                f"都道府県名が正しくありません：{'、'.join(unknown)}", f"Not a prefecture: {', '.join(unknown)}"))
        elif data["municipalities"] and not data["prefectures"]:
            errors.setdefault("municipalities", []).append(msg(
                "市区町村は希望勤務地の都道府県と一緒に指定してください。",
                "Give the municipalities' prefectures too."))
        else:
            missing = [name for name in data["municipalities"]
                       if not any(codes.find_municipality(p, name) for p in data["prefectures"])]
            if missing:
                errors.setdefault("municipalities", []).append(msg(
                    f"希望勤務地の都道府県にない市区町村です：{'、'.join(missing)}",
                    f"Not in the chosen prefectures: {', '.join(missing)}"))
        if errors:
            raise ValidationError(errors)

    @post_load
    def _official_names(self, data, **kwargs) -> dict:
        prefectures = [codes.prefecture_name(codes.prefecture_code(name)) for name in data["prefectures"]]
        municipalities = []
        for name in data["municipalities"]:
            found = next(m for p in prefectures if (m := codes.find_municipality(p, name)))
            municipalities.append(found.name)
        occupations = [codes.normalise_occupation_code(o) if OCCUPATION_CODE.match(o) else o
                       for o in data["occupations"]]
        return {**data, "occupations": occupations, "prefectures": prefectures, "municipalities": municipalities}


def empty_desired() -> dict:
    return DesiredSchema().load({})


# -- requests ---------------------------------------------------------------------------------------


def _birth_date_rules(value: date) -> None:
    day = today()
    if value >= day:
        raise ValidationError(msg("生年月日は過去の日付を入力してください。", "The birth date must be in the past."))
    age = domain.age_on(value, day)
    if not domain.MIN_AGE <= age <= domain.MAX_AGE:
        raise ValidationError(msg(f"生年月日を確認してください（{domain.MIN_AGE}歳〜{domain.MAX_AGE}歳）。",
                                  f"Check the birth date (age {domain.MIN_AGE} to {domain.MAX_AGE})."))


class EmailField(fields.Email):
    """The login email registered at the counter (A1): full-width letters folded, domain in lower case."""

    default_error_messages = {"invalid": msg("メールアドレスの形式が正しくありません。", "Not a valid email address.")}

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            value = fold_width(value).strip()
        email = super()._deserialize(value, attr, data, **kwargs)
        local, _, domain_part = email.rpartition("@")
        return f"{local}@{domain_part.lower()}"


class _ContactAndHistory(Schema):
    """The parts of the registration the seeker may change themselves (P2)."""

    phone = Phone(allow_none=True, metadata={"example": "048-000-0000"})
    address = fields.Nested(AddressSchema)
    education = fields.List(fields.Nested(EducationSchema), validate=at_most(10, "学歴", "schools"))
    work_history = fields.List(fields.Nested(WorkHistorySchema), validate=at_most(MAX_ITEMS, "職歴", "jobs"))
    qualifications = fields.List(fields.Nested(QualificationSchema),
                                 validate=at_most(MAX_ITEMS, "資格・免許", "qualifications"))
    desired = fields.Nested(DesiredSchema)


class _Identity(Schema):
    name = Text(maximum=50, metadata={"example": "求職 太郎"})
    name_kana = Kana(maximum=100, metadata={"example": "キュウショク タロウ"})
    birth_date = TypedDate(validate=_birth_date_rules, metadata={"example": "1990-04-01"})
    email = EmailField(validate=validate.Length(max=254), metadata={"example": "taro@example.jp"})
    office = fields.Nested(OfficeSchema)


class SeekerRegistrationSchema(Schema):
    """求職登録 by staff (SPEC P1, "Staff register a seeker")."""

    seeker_number = NumberText(SEEKER_NUMBER, msg("求職番号は「12345-12345678」の形式です。",
                                                  "The seeker number is NNNNN-NNNNNNNN."),
                               required=True, metadata={"example": "11040-12345678"})
    name = Text(maximum=50, required=True, metadata={"example": "求職 太郎"})
    name_kana = Kana(maximum=100, required=True, metadata={"example": "キュウショク タロウ"})
    birth_date = TypedDate(required=True, validate=_birth_date_rules, metadata={"example": "1990-04-01"})
    email = EmailField(required=True, validate=validate.Length(max=254), metadata={"example": "taro@example.jp"})
    kind = fields.String(load_default=domain.REGISTERED, validate=validate.OneOf(
        (domain.REGISTERED, domain.ONLINE),
        error=msg("kind は registered（利用登録者）か online（オンライン登録者）です。",
                  "kind is registered or online.")))
    office = fields.Nested(OfficeSchema, required=True)
    address = fields.Nested(AddressSchema, required=True)
    phone = Phone(load_default=None, allow_none=True, metadata={"example": "048-000-0000"})
    applied_on = TypedDate(load_default=None, allow_none=True,
                              metadata={"description": "求職申込日 (default: today in Japan)"})
    education = fields.List(fields.Nested(EducationSchema), load_default=list,
                            validate=at_most(10, "学歴", "schools"))
    work_history = fields.List(fields.Nested(WorkHistorySchema), load_default=list,
                               validate=at_most(MAX_ITEMS, "職歴", "jobs"))
    qualifications = fields.List(fields.Nested(QualificationSchema), load_default=list,
                                 validate=at_most(MAX_ITEMS, "資格・免許", "qualifications"))
    desired = fields.Nested(DesiredSchema, load_default=empty_desired)


_PATCH_REFUSED = {
    "seeker_number": msg("求職番号は変更できません。", "The seeker number cannot be changed."),
    "kind": msg("オンライン登録者の確認は POST …/confirmation で行ってください。",
                "Confirm an online registrant with POST …/confirmation."),
    "applied_on": msg("再求職申込は POST …/reapplication で行ってください。",
                      "Record a re-application with POST …/reapplication."),
    "registration": msg("有効／無効は PUT …/registration で変更してください。",
                        "Change the status with PUT …/registration."),
}


class SeekerUpdateSchema(_Identity, _ContactAndHistory):
    """A staff correction of a registration: each field given replaces that field."""

    @pre_load
    def _not_here(self, data, **kwargs):
        if isinstance(data, dict):
            refused = {key: [message] for key, message in _PATCH_REFUSED.items() if key in data}
            if refused:
                raise ValidationError(refused)
            if not data:
                raise ValidationError(msg("変更する項目を指定してください。", "Give at least one field to change."),
                                      "_schema")
        return data


class ProfileUpdateSchema(_ContactAndHistory):
    """The seeker's own changes (P2): contact, education, work history, qualifications, desired conditions.

    Identity fields are staff-only: sending one is refused as a whole with 403, naming them.
    """

    @pre_load
    def _identity_is_staff_only(self, data, **kwargs):
        if isinstance(data, dict):
            refused = sorted(set(data) & set(domain.STAFF_ONLY_FIELDS))
            if refused:
                raise Problem(
                    "forbidden",
                    detail_ja=f"{'、'.join(refused)} はハローワークの窓口でのみ変更できます。",
                    detail_en=f"Only Hello Work staff can change: {', '.join(refused)}.",
                    fields={name: [msg("窓口でのみ変更できます。", "Only staff can change this field.")]
                            for name in refused},
                    extra={"staff_only_fields": refused},
                )
            if not data:
                raise ValidationError(msg("変更する項目を指定してください。", "Give at least one field to change."),
                                      "_schema")
        return data


class RegistrationStatusSchema(Schema):
    """P3: the status the seeker (or staff) sets."""

    status = fields.String(required=True, validate=validate.OneOf((domain.VALID, domain.INVALID), error=msg(
        "status は valid（有効）か invalid（無効）です。", "status is valid or invalid.")))


class ReapplicationSchema(Schema):
    """再求職申込: the new application date (default: today in Japan)."""

    applied_on = TypedDate(load_default=None, allow_none=True)


class CounsellingSchema(Schema):
    """P3a: what happened at Hello Work today (職業相談 or 職業紹介)."""

    kind = fields.String(load_default="counselling", validate=validate.OneOf(("counselling", "referral"), error=msg(
        "kind は counselling（職業相談）か referral（職業紹介）です。", "kind is counselling or referral.")))


# -- responses --------------------------------------------------------------------------------------


class RegistrationSchema(Schema):
    """求職登録の状態 (P3, P3a, P3b)."""

    status = fields.String(metadata={"description": "valid (有効) | invalid (無効)"})
    kind = fields.String(metadata={"description": "registered (利用登録者) | online (オンライン登録者)"})
    applied_on = TypedDate()
    valid_until = TypedDate(metadata={"description": "有効期限 (P3a)"})
    invalidated_on = TypedDate(allow_none=True, metadata={"description": "the day it last became invalid"})
    confirmed_on = TypedDate(allow_none=True)


class ProfileSchema(Schema):
    """求職情報: the whole registration, as the seeker and staff see it."""

    seeker_number = fields.String()
    name = fields.String()
    name_kana = fields.String()
    birth_date = TypedDate()
    email = fields.String()
    office = fields.Nested(OfficeSchema)
    address = fields.Nested(AddressSchema)
    phone = fields.String(allow_none=True)
    education = fields.List(fields.Nested(EducationSchema))
    work_history = fields.List(fields.Nested(WorkHistorySchema))
    qualifications = fields.List(fields.Nested(QualificationSchema))
    desired = fields.Nested(DesiredSchema)
    registration = fields.Nested(RegistrationSchema)


class CountsSchema(Schema):
    """P5 counts; null = not known right now (the service that keeps it did not answer)."""

    favourites = fields.Integer(allow_none=True)
    saved_searches = fields.Integer(allow_none=True)
    unread_messages = fields.Integer(allow_none=True)
    referrals = fields.Integer(allow_none=True)
    recommendations = fields.Integer(allow_none=True)


class RestrictionSchema(Schema):
    """What limits the seeker's My Page now (P4, J9); null = not known right now."""

    registration_invalid = fields.Boolean(metadata={"description": "P4: job search, favourites, … refused"})
    online_registrant = fields.Boolean(metadata={"description": "P3b: no recommendations, no online referral"})
    no_show = fields.Boolean(allow_none=True, metadata={"description": "J9, kept by jobs"})


class HomeSchema(Schema):
    """P5: the home screen in one round trip."""

    greeting = fields.String(metadata={"example": "求職 太郎様"})
    name = fields.String()
    seeker_number = fields.String()
    office = fields.Nested(OfficeSchema)
    registration = fields.Nested(RegistrationSchema)
    restriction = fields.Nested(RestrictionSchema)
    counts = fields.Nested(CountsSchema)


class ExtensionResultSchema(Schema):
    extended = fields.Boolean()
    registration = fields.Nested(RegistrationSchema)


# -- J8a 求職情報公開 ------------------------------------------------------------------------------


class DisclosureInputSchema(Schema):
    public = JsonBoolean(required=True, metadata={"description": "true: show my anonymous profile to employers "
                                                                "(求職情報公開); false: stop"})


class PublicWorkSchema(Schema):
    from_ = fields.String(data_key="from", attribute="from", metadata={"example": "2015-04"})
    to = fields.String(allow_none=True)
    description = fields.String(allow_none=True)


class PublicProfileSchema(Schema):
    """J8a: what employers see of a disclosed seeker — nothing that names or reaches them."""

    ref = fields.String(metadata={"description": "the reference a direct request names (new at each disclosure)"})
    age = fields.String(metadata={"example": "30代"})
    prefecture = fields.String(allow_none=True, metadata={"description": "of residence"})
    desired = fields.Nested(DesiredSchema)
    qualifications = fields.List(fields.String())
    education = fields.List(fields.String(), metadata={"description": "卒業, 中退, … of each school, no names"})
    work_history = fields.List(fields.Nested(PublicWorkSchema))
    disclosed_at = fields.AwareDateTime()


class DisclosureSchema(Schema):
    public = fields.Boolean()
    disclosed_at = fields.AwareDateTime(allow_none=True)
    shown_to_employers = fields.Nested(PublicProfileSchema, allow_none=True,
                                       metadata={"description": "exactly what employers see, while disclosed"})


class PublicProfileQuerySchema(Schema):
    occupation = Text(maximum=50, load_default=None, metadata={"description": "希望職種: a name or a 職業分類 "
                                                                             "code (prefix: 361 finds 361-01)"})
    prefecture = Text(maximum=4, load_default=None, metadata={"example": "埼玉県"})
    page = fields.Integer(load_default=1, strict=False, validate=validate.Range(min=1, max=1000, error=msg(
        "ページは1から1000までです。", "The page is between 1 and 1000.")))
    per_page = fields.Integer(load_default=30, strict=False, validate=validate.OneOf((10, 30, 50), error=msg(
        "表示件数は10、30、50のいずれかです。", "Show 10, 30 or 50 per page.")))

    @post_load
    def _prefecture(self, data, **kwargs) -> dict:
        if data.get("prefecture"):
            code = codes.prefecture_code(data["prefecture"])
            if code is None:
                raise ValidationError(msg("都道府県名が正しくありません（例：埼玉県）。",
                                          "Not one of the 47 prefectures (e.g. 埼玉県)."), "prefecture")
            data["prefecture"] = codes.prefecture_name(code)
        return data


class PublicProfileListSchema(Schema):
    items = fields.List(fields.Nested(PublicProfileSchema))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()
