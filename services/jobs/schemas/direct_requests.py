"""J8a direct requests: an employer sends a posting to a disclosed seeker; the seeker's list."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from kit.problem import msg
from services.jobs import domain
from services.jobs.schemas.views import JobSummarySchema


class DirectRequestInputSchema(Schema):
    """J8a: the posting and the reference of a disclosed seeker (from GET /api/v1/employer/seekers)."""

    job_number = fields.String(required=True, validate=validate.Length(min=1, max=20, error=msg(
        "求人番号を入力してください。", "Enter the job number.")), metadata={"example": "11040-00012345"})
    seeker_ref = fields.String(required=True, validate=validate.Regexp(r"^[0-9a-f]{32}$", error=msg(
        "求職者の参照番号が正しくありません。", "Not a seeker reference.")),
        metadata={"description": "the `ref` of a disclosed profile"})
    message = fields.String(load_default=None, allow_none=True, validate=validate.Length(
        max=domain.DIRECT_REQUEST_MESSAGE_MAX, error=msg(
            f"メッセージは{domain.DIRECT_REQUEST_MESSAGE_MAX}文字以内です。",
            f"The message is at most {domain.DIRECT_REQUEST_MESSAGE_MAX} characters.")))


class DirectRequestSentSchema(Schema):
    job_number = fields.String()
    seeker_ref = fields.String()
    message = fields.String(allow_none=True)
    sent_at = fields.AwareDateTime()
    sent_for_posting = fields.Integer(metadata={"description": "seekers this posting was sent to, this one included"})
    limit = fields.Integer(metadata={"description": "J8a: 10 per posting"})


class DirectRequestedJobSchema(JobSummarySchema):
    sent_at = fields.AwareDateTime()
    message = fields.String(allow_none=True)
    applied = fields.Boolean(metadata={"description": "the seeker has applied to it"})


class DirectRequestListSchema(Schema):
    items = fields.List(fields.Nested(DirectRequestedJobSchema))
    total = fields.Integer()
