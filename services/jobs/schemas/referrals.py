"""J5 referrals and their letter, J7 recommendations (staff input, seeker views), J6 matching postings."""

from __future__ import annotations

from marshmallow import Schema, fields, post_load, validate

from kit.fields import Line, TypedDate, exactly_one
from kit.problem import msg
from services.jobs import domain
from services.jobs.schemas.views import JobSummarySchema

_SEEKER_NUMBER = r"^\d{5}-\d{8}$"  # 求職番号 NNNNN-NNNNNNNN


class SeekerTargetSchema(Schema):
    """Which seeker staff mean: `seeker_id` (the opaque id) or `seeker_number` (求職番号), exactly one."""

    seeker_id = fields.String(validate=validate.Length(min=1, max=36, error=msg(
        "seeker_id は1文字以上36文字以内です。", "seeker_id is 1 to 36 characters.")))
    seeker_number = fields.String(validate=validate.Regexp(_SEEKER_NUMBER, error=msg(
        "求職番号は「12345-12345678」の形式で入力してください。", "The seeker number looks like 12345-12345678.")),
        metadata={"example": "11040-12345678"})
    job_number = fields.String(required=True, validate=validate.Length(min=1, max=20, error=msg(
        "求人番号を入力してください。", "Enter the job number.")), metadata={"example": "11040-00012345"})

    @post_load
    def _one_seeker(self, data, **_kwargs):
        exactly_one(data, "seeker_id", "seeker_number")
        return data


class RecommendationInputSchema(SeekerTargetSchema):
    comment = fields.String(allow_none=True, validate=validate.Length(max=domain.RECOMMENDATION_COMMENT_MAX, error=msg(
        f"コメントは{domain.RECOMMENDATION_COMMENT_MAX}文字以内です。",
        f"The comment is at most {domain.RECOMMENDATION_COMMENT_MAX} characters.")))


class LetterInputSchema(Schema):
    """紹介状: what staff add to the posting's establishment and job (fixed when the referral is made)."""

    office = fields.String(required=True, validate=validate.Length(min=1, max=100, error=msg(
        "紹介安定所名を入力してください（100文字以内）。", "Enter the referring office (at most 100 characters).")),
        metadata={"example": "ハローワーク越谷"})
    seeker_name = Line(maximum=100, what_ja="紹介者氏名", what_en="seeker's name", allow_none=True, metadata={
        "description": "紹介者氏名 as printed on the letter (jobs keeps no names; the counter gives it)",
        "example": "求職 太郎"})
    interview_place = fields.String(allow_none=True, validate=validate.Length(max=200, error=msg(
        "面接場所は200文字以内です。", "The interview place is at most 200 characters.")))
    interview_date = TypedDate(allow_none=True)
    note = fields.String(allow_none=True, validate=validate.Length(max=domain.REFERRAL_NOTE_MAX, error=msg(
        f"備考は{domain.REFERRAL_NOTE_MAX}文字以内です。",
        f"The note is at most {domain.REFERRAL_NOTE_MAX} characters.")))


class ReferralInputSchema(SeekerTargetSchema):
    referred_on = TypedDate(allow_none=True, metadata={"description": "紹介日; today in Japan if not given"})
    letter = fields.Nested(LetterInputSchema, required=True)


class RecommendationSchema(Schema):
    seeker_id = fields.String()
    job_number = fields.String()
    comment = fields.String(allow_none=True)
    recommended_at = fields.AwareDateTime()


class RecommendedJobSchema(JobSummarySchema):
    recommended_at = fields.AwareDateTime()
    comment = fields.String(allow_none=True)


class MatchedJobSchema(JobSummarySchema):
    matched_at = fields.AwareDateTime(metadata={"description": "when the posting matched the desired conditions"})


class MatchingJobPageSchema(Schema):
    """J6: postings that matched the seeker's desired conditions, newest first (open ones only)."""

    items = fields.List(fields.Nested(MatchedJobSchema))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()


class RecommendationListSchema(Schema):
    items = fields.List(fields.Nested(RecommendedJobSchema))
    total = fields.Integer()


class ReferralSchema(Schema):
    id = fields.String()
    job_number = fields.String()
    referred_on = TypedDate()
    recorded_at = fields.AwareDateTime()
    job = fields.Nested(JobSummarySchema, allow_none=True, metadata={"description": "the posting as it is now"})


class ReferralListSchema(Schema):
    items = fields.List(fields.Nested(ReferralSchema))
    total = fields.Integer()


class ReferralDetailSchema(ReferralSchema):
    seeker_id = fields.String()
    letter = fields.Dict(metadata={"description": "紹介状 as issued: office, referred_on, establishment, job, "
                                                 "interview {place, date}, note, seeker_name"})
