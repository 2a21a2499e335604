"""The events the auth service publishes (the AsyncAPI catalogue is generated from PUBLISHES).

Each carries the opaque seeker id and nothing personal (E3): no email, no birth date, and
never a password, key, OTP or token.
"""

from marshmallow import Schema, fields, validate

from kit.erasure import ErasureCompletedPayload
from kit.events import EventSpec

SEEKER_ID = fields.String(required=True, validate=validate.Length(min=1, max=36))
REVOKE_REASONS = ("logout", "password_changed", "password_reset", "withdrawn", "unusable", "token_reused")


class MyPageOpenedPayload(Schema):
    """A6: the seeker completed opening; their My Page exists from now on."""

    seeker_id = fields.String(required=True, validate=validate.Length(min=1, max=36))
    opened_at = fields.AwareDateTime(required=True)


class SessionRevokedPayload(Schema):
    """S5: these sessions are over; access tokens naming them (`sid`) must be refused at once."""

    seeker_id = fields.String(required=True, validate=validate.Length(min=1, max=36))
    session_ids = fields.List(fields.String(validate=validate.Length(min=1, max=32)), required=True)
    reason = fields.String(required=True, validate=validate.OneOf(REVOKE_REASONS))


class MyPageWithdrawnPayload(Schema):
    """A9: the seeker withdrew (退会); erasure of their My Page data starts everywhere (retention's saga)."""

    seeker_id = fields.String(required=True, validate=validate.Length(min=1, max=36))
    withdrawn_at = fields.AwareDateTime(required=True)


class MyPageUsabilityPayload(Schema):
    """A10: staff made the My Page 利用不可 (usable false) or lifted it (usable true)."""

    seeker_id = fields.String(required=True, validate=validate.Length(min=1, max=36))
    usable = fields.Boolean(required=True)


MYPAGE_OPENED = EventSpec(
    "auth.mypage.opened.v1", MyPageOpenedPayload,
    "The seeker opened their My Page with the emailed key and their own password (SPEC A6).")
SESSION_REVOKED = EventSpec(
    "auth.session.revoked.v1", SessionRevokedPayload,
    "Login sessions ended (logout, password change or reset, withdrawal, 利用不可, refresh-token reuse); "
    "the gateway refuses their access tokens at once (DESIGN §5, S5).")
MYPAGE_WITHDRAWN = EventSpec(
    "auth.mypage.withdrawn.v1", MyPageWithdrawnPayload,
    "The seeker withdrew from the My Page (退会): the account is closed and erasure starts in every "
    "service (SPEC A9, R3).")
MYPAGE_USABILITY_CHANGED = EventSpec(
    "auth.mypage.usability_changed.v1", MyPageUsabilityPayload,
    "Staff made the My Page unusable (利用不可) or lifted it; while unusable the seeker cannot log in "
    "(SPEC A10).")

CLIENT_REVOKE_REASONS = ("secret_rotated", "establishments_changed", "revoked")


class ClientTokensRevokedPayload(Schema):
    """C1: an employer client's tokens issued so far (their `sid`) must be refused at once."""

    client_id = fields.String(required=True, validate=validate.Length(min=1, max=40))
    session_ids = fields.List(fields.String(validate=validate.Length(min=1, max=32)), required=True,
                              metadata={"description": "the `sid` of the tokens refused from now on"})
    reason = fields.String(required=True, validate=validate.OneOf(CLIENT_REVOKE_REASONS))


CLIENT_TOKENS_REVOKED = EventSpec(
    "auth.client_tokens.revoked.v1", ClientTokensRevokedPayload,
    "Staff rotated an employer client's secret, changed its establishments or revoked it: the gateway "
    "refuses the tokens issued to it before, at once (SPEC C1).")

class EmployerClientChangedPayload(Schema):
    """C1/C2: the establishments an employer client acts for now (none once revoked)."""

    client_id = fields.String(required=True, validate=validate.Length(min=1, max=40))
    establishments = fields.List(fields.String(validate=validate.Length(min=1, max=20)), required=True,
                                 metadata={"description": "事業所番号 the client acts for",
                                           "example": ["1104-123456-7"]})
    revoked = fields.Boolean(required=True, metadata={"description": "true: the client acts for nothing any more"})


EMPLOYER_CLIENT_CHANGED = EventSpec(
    "auth.employer_client.changed.v1", EmployerClientChangedPayload,
    "Staff registered an employer client, changed its establishments or revoked it (SPEC C1): jobs checks the "
    "postings the employer-side system publishes as events on the client's behalf against them (C2).")

ERASURE_COMPLETED = EventSpec(
    "auth.erasure.completed.v1", ErasureCompletedPayload,
    "Auth erased the seeker's account, keys, challenges, sessions, devices and mails, and its inbox and "
    "outbox rows about them; a count only, no seeker id (SPEC R3, A9, S12).")

PUBLISHES: list[EventSpec] = [MYPAGE_OPENED, SESSION_REVOKED, MYPAGE_WITHDRAWN, MYPAGE_USABILITY_CHANGED,
                              ERASURE_COMPLETED, CLIENT_TOKENS_REVOKED, EMPLOYER_CLIENT_CHANGED]
