"""The events the profile service publishes (the AsyncAPI catalogue is generated from PUBLISHES).

Who listens (E3: each carries the least its subscribers need — never a name, address or phone):
- auth: profile.seeker.registered.v1 / profile.seeker.changed.v1 (opening is verified by the
  login email + birth date, A1–A3);
- jobs and messaging: profile.registration.* and profile.seeker.confirmed.v1, to keep a
  local `seeker_status` projection that gates features (P4) and refuses recommendations and
  online referral to online registrants (P3b). Each registration event carries the whole
  status (status implied by the type, kind, dates), so a projection never needs two events;
  on registration a validated event is published too, so the first one already says it all;
- jobs (matching, J6): profile.desired_conditions.changed.v1, on registration and on change;
- retention (R2): profile.registration.invalidated.v1 carries the invalid date the 5 years run from.
"""

from marshmallow import Schema, fields, validate

from kit.erasure import ErasureCompletedPayload
from kit.events import EventSpec

SEEKER_NUMBER = r"^\d{5}-\d{8}$"  # 求職番号 NNNNN-NNNNNNNN
KINDS = ("online", "registered")  # オンライン登録者 / 利用登録者 (P3b)


def _seeker_id():
    return fields.String(required=True, validate=validate.Length(min=1, max=36),
                         metadata={"description": "the opaque seeker id (the access token's `sub`)"})


class _SeekerStatusPayload(Schema):
    """Whom a registration event is about and their kind: every one of them carries these, so a
    projection never needs two events (above)."""

    seeker_id = _seeker_id()
    seeker_number = fields.String(required=True, validate=validate.Regexp(SEEKER_NUMBER), metadata={
        "description": "求職番号: staff and employer systems name the seeker by it"})
    kind = fields.String(required=True, validate=validate.OneOf(KINDS),
                         metadata={"description": "registered (利用登録者) | online (オンライン登録者): P3b"})


class SeekerRegisteredPayload(Schema):
    """What auth needs to let this seeker open a My Page (SPEC A1–A3), and nothing more (E3):
    no name, address or phone. The birth date is there because opening is verified by
    email + birth date (A2/A3)."""

    seeker_id = fields.String(required=True, validate=validate.Length(min=1, max=36))  # opaque
    seeker_number = fields.String(required=True, validate=validate.Regexp(SEEKER_NUMBER))
    email = fields.Email(required=True)
    birth_date = fields.Date(required=True)


class RegistrationValidatedPayload(_SeekerStatusPayload):
    """The registration is valid (有効) from `applied_on` until `valid_until` (P3, P3a)."""

    applied_on = fields.Date(required=True, metadata={"description": "求職申込日"})
    valid_until = fields.Date(required=True, metadata={"description": "有効期限: 翌々月末 of the application month"})
    reason = fields.String(required=True, validate=validate.OneOf(("reapplication", "registered", "seeker", "staff")),
                           metadata={"description": "registered: new 求職登録; reapplication: 再求職申込; "
                                                    "seeker / staff: set valid again within the period"})


class RegistrationInvalidatedPayload(_SeekerStatusPayload):
    """The registration is invalid (無効) since `invalidated_on` (P3, P3a); features are gated (P4)."""

    invalidated_on = fields.Date(required=True, metadata={"description": "求職無効日 (R2: erasure 5 years on)"})
    reason = fields.String(required=True, validate=validate.OneOf(("expired", "seeker", "staff")),
                           metadata={"description": "expired: the day after valid_until; seeker / staff: set so"})


class RegistrationExtendedPayload(_SeekerStatusPayload):
    """P3a: in its final month the registration was extended by one month."""

    valid_until = fields.Date(required=True, metadata={"description": "the new end of the validity period"})
    reason = fields.String(required=True, validate=validate.OneOf(("counselling", "online_application", "referral")),
                           metadata={"description": "counselling / referral at Hello Work, or an online "
                                                    "self-application (J8)"})


class SeekerConfirmedPayload(_SeekerStatusPayload):
    """P3b: staff confirmed an online registrant; every feature is open to them now."""

    confirmed_on = fields.Date(required=True)


class DesiredConditionsPayload(Schema):
    """希望条件 as job matching (J6) uses them."""

    occupations = fields.List(fields.String(), required=True, validate=validate.Length(max=3))
    employment_types = fields.List(fields.String(), required=True, validate=validate.Length(max=7))
    prefectures = fields.List(fields.String(), required=True, validate=validate.Length(max=3))
    municipalities = fields.List(fields.String(), required=True, validate=validate.Length(max=3))
    wage_min = fields.Integer(required=True, allow_none=True)
    wage_type = fields.String(required=True, validate=validate.OneOf(("daily", "hourly", "monthly")))
    hours = fields.String(required=True, allow_none=True)
    days_per_week = fields.Integer(required=True, allow_none=True)


class DesiredConditionsChangedPayload(Schema):
    """The seeker's desired conditions, for matching (J6): an opaque id and the conditions only."""

    seeker_id = _seeker_id()
    desired = fields.Nested(DesiredConditionsPayload, required=True)


SEEKER_REGISTERED = EventSpec(
    "profile.seeker.registered.v1",
    SeekerRegisteredPayload,
    "A job-seeker registration (求職登録) was made at the counter with a login email; "
    "the seeker may now open a My Page (SPEC A1, P1).",
    personal_data=True,
)
SEEKER_CHANGED = EventSpec(
    "profile.seeker.changed.v1",
    SeekerRegisteredPayload,
    "Staff changed the login email or the birth date of a registration; auth verifies "
    "opening and password reset against the new values (SPEC A1–A3, A8).",
    personal_data=True,
)
SEEKER_CONFIRMED = EventSpec(
    "profile.seeker.confirmed.v1",
    SeekerConfirmedPayload,
    "Staff confirmed an online registrant (オンライン登録者) at the counter: now a 利用登録者 (SPEC P3b).",
    personal_data=True,
)
REGISTRATION_VALIDATED = EventSpec(
    "profile.registration.validated.v1",
    RegistrationValidatedPayload,
    "The registration is valid (有効): new, re-applied (再求職申込), or set valid again (SPEC P3, P3a).",
    personal_data=True,
)
REGISTRATION_INVALIDATED = EventSpec(
    "profile.registration.invalidated.v1",
    RegistrationInvalidatedPayload,
    "The registration became invalid (無効): set by the seeker or staff, or expired (SPEC P3, P3a, P4, R2).",
    personal_data=True,
)
REGISTRATION_EXTENDED = EventSpec(
    "profile.registration.extended.v1",
    RegistrationExtendedPayload,
    "The validity period was extended by one month in its final month (SPEC P3a).",
    personal_data=True,
)
DESIRED_CONDITIONS_CHANGED = EventSpec(
    "profile.desired_conditions.changed.v1",
    DesiredConditionsChangedPayload,
    "The seeker's desired conditions (希望条件) were registered or changed; they feed job matching (SPEC J6).",
    personal_data=True,
)

class DisclosureChangedPayload(Schema):
    """J8a 求職情報公開: whether the seeker's anonymous profile is shown to employers, and under which reference."""

    seeker_id = _seeker_id()
    public = fields.Boolean(required=True, metadata={"description": "disclosed to employers (求職情報公開)"})
    public_ref = fields.String(required=True, allow_none=True, validate=validate.Length(equal=32),
                               metadata={"description": "the reference employers name the seeker by in a direct "
                                                        "request (J8a); null when not disclosed"})


DISCLOSURE_CHANGED = EventSpec(
    "profile.disclosure.changed.v1",
    DisclosureChangedPayload,
    "The seeker disclosed their job-seeking information to employers or withdrew it (求職情報公開, SPEC J8a); "
    "jobs accepts direct requests only for disclosed seekers.",
    personal_data=True,
)

ERASURE_COMPLETED = EventSpec(
    "profile.erasure.completed.v1",
    ErasureCompletedPayload,
    "Profile erased the seeker's registration (求職登録) and its inbox and outbox rows about them; "
    "a count only, no seeker id (SPEC R3, A9, S12).",
)

PUBLISHES: list[EventSpec] = [
    ERASURE_COMPLETED,
    SEEKER_REGISTERED,
    SEEKER_CHANGED,
    SEEKER_CONFIRMED,
    REGISTRATION_VALIDATED,
    REGISTRATION_INVALIDATED,
    REGISTRATION_EXTENDED,
    DESIRED_CONDITIONS_CHANGED,
    DISCLOSURE_CHANGED,
]
