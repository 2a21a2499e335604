"""Responses: the registration, the profile, the home screen's own part (P5) and an extension (P3a)."""

from __future__ import annotations

from marshmallow import Schema, fields

from kit.fields import TypedDate
from services.profile.schemas import parts

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
    office = fields.Nested(parts.OfficeSchema)
    address = fields.Nested(parts.AddressSchema)
    phone = fields.String(allow_none=True)
    education = fields.List(fields.Nested(parts.EducationSchema))
    work_history = fields.List(fields.Nested(parts.WorkHistorySchema))
    qualifications = fields.List(fields.Nested(parts.QualificationSchema))
    desired = fields.Nested(parts.DesiredSchema)
    self_pr = fields.String(allow_none=True, metadata={"description": "自己PR"})
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
    office = fields.Nested(parts.OfficeSchema)
    registration = fields.Nested(RegistrationSchema)
    restriction = fields.Nested(RestrictionSchema)
    counts = fields.Nested(CountsSchema)


class ExtensionResultSchema(Schema):
    extended = fields.Boolean()
    registration = fields.Nested(RegistrationSchema)
