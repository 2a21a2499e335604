"""The events the jobs service publishes (the AsyncAPI catalogue is generated from PUBLISHES).

E3: each carries the opaque seeker id and the job number only — no name, no criteria.
"""

from marshmallow import Schema, fields, validate

from kit.events import EventSpec

JOB_NUMBER = r"^\d{5}-\d{8}$"  # 求人番号 NNNNN-NNNNNNNN


class FavouritePayload(Schema):
    """J4: which seeker (opaque id) kept or dropped which posting (求人番号)."""

    seeker_id = fields.String(required=True, validate=validate.Length(min=1, max=36),
                              metadata={"description": "the opaque seeker id (the access token's `sub`)"})
    job_number = fields.String(required=True, validate=validate.Regexp(JOB_NUMBER),
                               metadata={"description": "求人番号", "example": "11040-00012345"})


FAVOURITE_ADDED = EventSpec(
    "jobs.favourite.added.v1",
    FavouritePayload,
    "The seeker added a posting to their favourites (お気に入り, at most 300: SPEC J4).",
)
FAVOURITE_REMOVED = EventSpec(
    "jobs.favourite.removed.v1",
    FavouritePayload,
    "The seeker removed a posting from their favourites (SPEC J4).",
)



class ReferralPayload(Schema):
    """J5: Hello Work referred a seeker (opaque id) to a posting; the letter stays in jobs."""

    referral_id = fields.String(required=True, validate=validate.Length(min=1, max=32),
                                metadata={"description": "the referral's opaque id",
                                          "example": "0f3c2a9e4b7d4c1e8a6b5d4c3b2a1f0e"})
    seeker_id = fields.String(required=True, validate=validate.Length(min=1, max=36),
                              metadata={"description": "the opaque seeker id (the access token's `sub`)"})
    job_number = fields.String(required=True, validate=validate.Regexp(JOB_NUMBER),
                               metadata={"description": "求人番号", "example": "11040-00012345"})


class RecommendationPayload(FavouritePayload):
    """J7: which posting (求人番号) staff recommended to which seeker (opaque id)."""


REFERRAL_RECORDED = EventSpec(
    "jobs.referral.recorded.v1",
    ReferralPayload,
    "Hello Work referred the seeker to a posting (紹介, SPEC J5); the 紹介状 is read through the API.",
)
RECOMMENDATION_MADE = EventSpec(
    "jobs.recommendation.made.v1",
    RecommendationPayload,
    "Staff recommended a posting to the seeker's My Page (オンラインハローワーク紹介, SPEC J7); once per posting.",
)

PUBLISHES: list[EventSpec] = [FAVOURITE_ADDED, FAVOURITE_REMOVED, REFERRAL_RECORDED, RECOMMENDATION_MADE]
