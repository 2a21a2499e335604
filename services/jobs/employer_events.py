"""J1 by events: the posting events the employer-side system publishes, and jobs' answers to them.

The employer-side system publishes `employer.posting.published.v1`, `employer.posting.changed.v1` and
`employer.posting.closed.v1` on the exchange, CloudEvents whose `data` is the payload of
`POST /api/v1/employer/jobs` (a close reads only `job_number` and `establishment.number`), and whose
`source` names the employer client (C1) it publishes for: `/employer-clients/<client_id>`. It
connects as a broker user that may publish only those three routing keys (kit.broker_users), so no
other system can speak for an employer; jobs checks each posting's establishment against the
establishments auth last announced for that client (auth.employer_client.changed.v1, C2). Jobs answers
every event it could read with `jobs.posting.accepted.v1` or `jobs.posting.rejected.v1` (the same
field-level errors the API gives), `in_reply_to` naming the event. How they are applied: intake.py.
"""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

from kit.events import EventSpec
from services.jobs import schemas

JOB_NUMBER = r"^\d{5}-\d{8}$"  # 求人番号 NNNNN-NNNNNNNN
CLIENT_SOURCE = r"^/employer-clients/([A-Za-z0-9._-]{1,40})$"  # the C1 client the employer-side system acts for
CLIENT_SOURCE_EXAMPLE = "/employer-clients/ec-0f3c2a9e4b7d4c1e8a6b5d4c"

PUBLISHED, CHANGED, CLOSED = "employer.posting.published.v1", "employer.posting.changed.v1", \
    "employer.posting.closed.v1"
OUTCOMES = ("published", "changed", "closed", "unchanged", "stale")


class _EstablishmentReference(Schema):
    class Meta:
        unknown = EXCLUDE

    number = fields.String(required=True, validate=validate.Length(min=1, max=20),
                           metadata={"description": "事業所番号", "example": "1104-123456-7"})


class PostingClosedData(Schema):
    """J1 募集終了: which posting of which establishment; the rest of a posting may come along and is ignored."""

    class Meta:
        unknown = EXCLUDE

    job_number = fields.String(required=True, validate=validate.Regexp(JOB_NUMBER),
                               metadata={"description": "求人番号", "example": "11040-00012345"})
    establishment = fields.Nested(_EstablishmentReference, required=True)


# personal data: a posting names its contact person (name, phone, email); no copy of these is archived (E3)
_SOURCE = {"source_pattern": CLIENT_SOURCE, "source_example": CLIENT_SOURCE_EXAMPLE, "personal_data": True}
RECEIVES: list[EventSpec] = [
    EventSpec(PUBLISHED, schemas.PostingInputSchema,
              "The employer-side system publishes a posting (求人, SPEC J1) for an establishment of the client named "
              "in `source` (C2); `data` is the payload of POST /api/v1/employer/jobs. The same posting again changes "
              "nothing; other content for a 求人番号 already published is rejected (send a change).", **_SOURCE),
    EventSpec(CHANGED, schemas.PostingInputSchema,
              "The employer-side system changes a posting (SPEC J1): `data` is the whole posting as it is now "
              "(each field replaces the stored one). One older than the newest applied (`time`) is ignored; one "
              "that arrives before its publication publishes the posting. A closed posting cannot be changed.",
              **_SOURCE),
    EventSpec(CLOSED, PostingClosedData,
              "The employer-side system closes a posting (募集終了, SPEC J1): no longer found by search. Older "
              "publications or changes arriving after it are ignored.", **_SOURCE),
]


class _Answer(Schema):
    job_number = fields.String(required=True, allow_none=True, validate=validate.Regexp(JOB_NUMBER),
                               metadata={"description": "求人番号 (null when the event named none that could be "
                                                        "read)", "example": "11040-00012345"})
    in_reply_to = fields.String(required=True, validate=validate.Length(min=1, max=200),
                                metadata={"description": "the `id` of the employer event answered",
                                          "example": "9a1c6c1e-3b4f-4d2a-8f57-2f0c1a9e7b11"})
    request_type = fields.String(required=True, validate=validate.OneOf((PUBLISHED, CHANGED, CLOSED)),
                                 metadata={"description": "the type of the employer event answered"})


class PostingAcceptedPayload(_Answer):
    """J1: the employer event was applied (or changed nothing, or was older than what is stored)."""

    establishment_number = fields.String(required=True, validate=validate.Length(min=1, max=20),
                                         metadata={"description": "事業所番号", "example": "1104-123456-7"})
    outcome = fields.String(required=True, validate=validate.OneOf(OUTCOMES), metadata={
        "description": "published | changed | closed: applied; unchanged: the posting already said so; "
                       "stale: older than the newest event applied, ignored"})


class FieldErrorPayload(Schema):
    field = fields.String(required=True, metadata={"description": "the field, nested ones dotted",
                                                   "example": "wage.min"})
    messages = fields.List(fields.String(), required=True, metadata={"description": "in Japanese, as the API says"})
    messages_en = fields.List(fields.String(), required=True, metadata={"description": "the same in English"})


class PostingRejectedPayload(_Answer):
    """J1: the employer event was refused — exactly what `POST /api/v1/employer/jobs` would have answered."""

    status = fields.Integer(required=True, metadata={"description": "the HTTP status the API gives for it",
                                                     "example": 422})
    problem = fields.String(required=True, validate=validate.Length(min=1, max=40), metadata={
        "description": "the problem+json `type`'s last segment", "example": "validation-failed"})
    reason = fields.String(allow_none=True, metadata={"description": "a finer reason where the API gives one",
                                                      "example": "other_establishment"})
    detail = fields.String(required=True, allow_none=True, metadata={"description": "what to do, in Japanese"})
    detail_en = fields.String(required=True, allow_none=True, metadata={"description": "the same in English"})
    errors = fields.List(fields.Nested(FieldErrorPayload), required=True,
                         metadata={"description": "the field-level errors (empty when the refusal is not a field's)"})


POSTING_ACCEPTED = EventSpec(
    "jobs.posting.accepted.v1",
    PostingAcceptedPayload,
    "Jobs applied a posting event of the employer-side system (SPEC J1), or found it changed nothing or older "
    "than what is stored; the employer-side system reads it.",
)
POSTING_REJECTED = EventSpec(
    "jobs.posting.rejected.v1",
    PostingRejectedPayload,
    "Jobs refused a posting event of the employer-side system (SPEC J1, C2) with the API's field-level "
    "errors; nothing was changed.",
)
