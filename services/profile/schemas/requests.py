"""Requests: staff register and correct a seeker (P1, P2), the seeker changes their own parts (P2),
registration status, re-application and counselling (P3, P3a)."""

from __future__ import annotations

from datetime import date

from marshmallow import Schema, ValidationError, fields, pre_load, validate

from kit.fields import Line, NumberText, Text, TypedDate, at_most
from kit.problem import Problem, msg
from services.profile import domain
from services.profile.schemas import parts
from services.profile.schemas.fields import (
    MAX_ITEMS,
    SEEKER_NUMBER,
    EmailField,
    Kana,
    Phone,
    today,
)

# -- requests ---------------------------------------------------------------------------------------


def _birth_date_rules(value: date) -> None:
    day = today()
    if value >= day:
        raise ValidationError(msg("生年月日は過去の日付を入力してください。", "The birth date must be in the past."))
    age = domain.age_on(value, day)
    if not domain.MIN_AGE <= age <= domain.MAX_AGE:
        raise ValidationError(msg(f"生年月日を確認してください（{domain.MIN_AGE}歳〜{domain.MAX_AGE}歳）。",
                                  f"Check the birth date (age {domain.MIN_AGE} to {domain.MAX_AGE})."))


def SELF_PR(**kwargs) -> Line:  # noqa: N802 — a field factory, named as the field it makes
    """自己PR: the seeker's own words for employers (sent with every application, issue 13 item 3)."""
    return Line(maximum=domain.SELF_PR_MAX, what_ja="自己PR", what_en="self-introduction", multiline=True,
                metadata={"description": "自己PR (at most 2,000 characters, line breaks kept)"}, **kwargs)


class _ContactAndHistory(Schema):
    """The parts of the registration the seeker may change themselves (P2)."""

    phone = Phone(allow_none=True, metadata={"example": "048-000-0000"})
    address = fields.Nested(parts.AddressSchema)
    education = fields.List(fields.Nested(parts.EducationSchema), validate=at_most(10, "学歴", "schools"))
    work_history = fields.List(fields.Nested(parts.WorkHistorySchema), validate=at_most(MAX_ITEMS, "職歴", "jobs"))
    qualifications = fields.List(fields.Nested(parts.QualificationSchema),
                                 validate=at_most(MAX_ITEMS, "資格・免許", "qualifications"))
    desired = fields.Nested(parts.DesiredSchema)
    self_pr = SELF_PR(allow_none=True)


class _Identity(Schema):
    name = Text(maximum=50, metadata={"example": "求職 太郎"})
    name_kana = Kana(maximum=100, metadata={"example": "キュウショク タロウ"})
    birth_date = TypedDate(validate=_birth_date_rules, metadata={"example": "1990-04-01"})
    email = EmailField(validate=validate.Length(max=254), metadata={"example": "taro@example.jp"})
    office = fields.Nested(parts.OfficeSchema)


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
    office = fields.Nested(parts.OfficeSchema, required=True)
    address = fields.Nested(parts.AddressSchema, required=True)
    phone = Phone(load_default=None, allow_none=True, metadata={"example": "048-000-0000"})
    applied_on = TypedDate(load_default=None, allow_none=True,
                              metadata={"description": "求職申込日 (default: today in Japan)"})
    education = fields.List(fields.Nested(parts.EducationSchema), load_default=list,
                            validate=at_most(10, "学歴", "schools"))
    work_history = fields.List(fields.Nested(parts.WorkHistorySchema), load_default=list,
                               validate=at_most(MAX_ITEMS, "職歴", "jobs"))
    qualifications = fields.List(fields.Nested(parts.QualificationSchema), load_default=list,
                                 validate=at_most(MAX_ITEMS, "資格・免許", "qualifications"))
    desired = fields.Nested(parts.DesiredSchema, load_default=parts.empty_desired)
    self_pr = SELF_PR(allow_none=True, load_default=None)


_PATCH_REFUSED = {
    "seeker_number": msg("求職番号は変更できません。", "The seeker number cannot be changed."),
    "kind": msg("オンライン登録者の確認は POST …/confirmation で行ってください。",
                "Confirm an online registrant with POST …/confirmation."),
    "applied_on": msg("再求職申込は POST …/reapplication で行ってください。",
                      "Record a re-application with POST …/reapplication."),
    "registration": msg("有効／無効は PUT …/registration で変更してください。",
                        "Change the status with PUT …/registration."),
}


def _some_change(data: dict) -> None:
    """A change (PATCH) names at least one field."""
    if not data:
        raise ValidationError(msg("変更する項目を指定してください。", "Give at least one field to change."), "_schema")


class SeekerUpdateSchema(_Identity, _ContactAndHistory):
    """A staff correction of a registration: each field given replaces that field."""

    @pre_load
    def _not_here(self, data, **kwargs):
        if isinstance(data, dict):
            refused = {key: [message] for key, message in _PATCH_REFUSED.items() if key in data}
            if refused:
                raise ValidationError(refused)
            _some_change(data)
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
            _some_change(data)
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
