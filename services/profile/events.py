"""The events the profile service publishes (the AsyncAPI catalogue is generated from PUBLISHES)."""

from marshmallow import Schema, fields, validate

from kit.events import EventSpec

SEEKER_NUMBER = r"^\d{5}-\d{8}$"  # 求職番号 NNNNN-NNNNNNNN


class SeekerRegisteredPayload(Schema):
    """What auth needs to let this seeker open a My Page (SPEC A1–A3), and nothing more (E3):
    no name, address or phone. The birth date is there because opening is verified by
    email + birth date (A2/A3)."""

    seeker_id = fields.String(required=True, validate=validate.Length(min=1, max=36))  # opaque
    seeker_number = fields.String(required=True, validate=validate.Regexp(SEEKER_NUMBER))
    email = fields.Email(required=True)
    birth_date = fields.Date(required=True)


SEEKER_REGISTERED = EventSpec(
    "profile.seeker.registered.v1",
    SeekerRegisteredPayload,
    "A job-seeker registration (求職登録) was made at the counter with a login email; "
    "the seeker may now open a My Page (SPEC A1, P1).",
)

PUBLISHES: list[EventSpec] = [SEEKER_REGISTERED]
