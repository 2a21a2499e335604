"""The applicant's profile for the employer (issue 13 item 3, services/profile/applications.py)."""

from __future__ import annotations

from marshmallow import Schema, fields

from kit.fields import TypedDate
from services.profile.schemas import parts


class ApplicantProfileSchema(Schema):
    """求職情報 sent with an application: always the name, 職歴, 資格・免許, 希望条件, 自己PR; 住所, 電話番号 and
    生年月日 only when the seeker chose to send them (absent otherwise)."""

    name = fields.String()
    name_kana = fields.String()
    work_history = fields.List(fields.Nested(parts.WorkHistorySchema))
    qualifications = fields.List(fields.Nested(parts.QualificationSchema))
    desired = fields.Nested(parts.DesiredSchema)
    self_pr = fields.String(allow_none=True, metadata={"description": "自己PR"})
    address = fields.Nested(parts.AddressSchema, allow_none=True, metadata={"description": "only if sent"})
    phone = fields.String(allow_none=True, metadata={"description": "only if sent"})
    birth_date = TypedDate(allow_none=True, metadata={"description": "only if sent"})


class ContactPartsSchema(Schema):
    address = fields.Nested(parts.AddressSchema, allow_none=True)
    phone = fields.String(allow_none=True)
    birth_date = TypedDate(allow_none=True)


class ApplicationProfilePreviewSchema(Schema):
    """Before applying: exactly what goes (`sent`) and what each tickable contact part would add."""

    sent = fields.Nested(ApplicantProfileSchema)
    optional = fields.Nested(ContactPartsSchema, metadata={
        "description": "住所, 電話番号, 生年月日: sent only when named in the application's `share_contact`"})


class ApplicationProfileSchema(Schema):
    """What the employer reads with an application: the applicant's 求職情報 frozen when it was made."""

    application_id = fields.String()
    job_number = fields.String()
    establishment_number = fields.String()
    submitted_at = fields.AwareDateTime()
    shared_contact = fields.List(fields.String(), metadata={"description": "the contact parts the seeker sent"})
    profile = fields.Nested(ApplicantProfileSchema)
