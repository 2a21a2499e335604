"""The nested parts of a registration (P1): office, address, education, work history, qualifications and
desired conditions."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, post_load, pre_load, validate, validates_schema

from kit import codes
from kit.fields import NumberText, Text, at_most
from kit.problem import msg
from kit.text import fold_number
from services.profile.schemas.fields import (
    EDUCATION_STATUSES,
    EMPLOYMENT_TYPES,
    HOURS,
    MAX_DESIRED,
    OCCUPATION_CODE,
    OFFICE_CODE,
    WAGE_TYPES,
    LongText,
    PostalCode,
    YearMonth,
)

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
