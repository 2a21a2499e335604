"""The events the jobs service publishes (the AsyncAPI catalogue is generated from PUBLISHES).

E3: each carries the opaque seeker id and the job number only — no name, no criteria. The J1 posting
events are about employers' postings: numbers, codes and dates, never the contact person.
"""

from marshmallow import Schema, fields, validate

from kit.erasure import ErasureCompletedPayload
from kit.events import EventSpec
from services.jobs.employer_events import POSTING_ACCEPTED, POSTING_REJECTED
from services.jobs.employer_events import RECEIVES as EMPLOYER_POSTING_EVENTS

JOB_NUMBER = r"^\d{5}-\d{8}$"  # 求人番号 NNNNN-NNNNNNNN
_APPLICATION_ID = fields.String(required=True, validate=validate.Length(min=1, max=32),
                                metadata={"description": "the application's opaque id",
                                          "example": "7c9e6679742540de944be07fc1f90ae7"})
_SEEKER_ID = fields.String(required=True, validate=validate.Length(min=1, max=36),
                           metadata={"description": "the opaque seeker id (the access token's `sub`)"})
_JOB_NUMBER = fields.String(required=True, validate=validate.Regexp(JOB_NUMBER),
                            metadata={"description": "求人番号", "example": "11040-00012345"})
_ESTABLISHMENT_NUMBER = fields.String(required=True, validate=validate.Length(min=1, max=20),
                                      metadata={"description": "事業所番号", "example": "1104-123456-7"})


class FavouritePayload(Schema):
    """J4: which seeker (opaque id) kept or dropped which posting (求人番号)."""

    seeker_id = _SEEKER_ID
    job_number = _JOB_NUMBER


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
    seeker_id = _SEEKER_ID
    job_number = _JOB_NUMBER
    establishment_number = fields.String(required=True, validate=validate.Length(min=1, max=20),
                                         metadata={"description": "事業所番号 (messaging opens the seeker's thread "
                                                                  "with it, M1)", "example": "1104-123456-7"})
    establishment_name = fields.String(required=True, validate=validate.Length(max=200),
                                       metadata={"description": "事業所名, as on the 紹介状"})


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


class ApplicationPayload(Schema):
    """J8: which application, by which seeker (opaque id), to which posting of which establishment."""

    application_id = _APPLICATION_ID
    seeker_id = _SEEKER_ID
    job_number = _JOB_NUMBER
    establishment_number = _ESTABLISHMENT_NUMBER


class ApplicationSubmittedPayload(ApplicationPayload):
    establishment_name = fields.String(required=True, allow_none=True, validate=validate.Length(max=200),
                                       metadata={"description": "事業所名, so the seeker's message thread can name it; "
                                                                "null when the posting hides it (公開範囲3, J2a)"})
    route = fields.String(required=True, validate=validate.OneOf(("self", "recommendation")),
                          metadata={"description": "self: オンライン自主応募 (J8); recommendation: "
                                                   "オンラインハローワーク紹介 (applying to a J7 recommendation)"})
    submitted_at = fields.AwareDateTime(required=True, metadata={"description": "when the application was made"})
    shared_contact = fields.List(fields.String(validate=validate.OneOf(("address", "phone", "birth_date"))),
                                 metadata={"description": "which of 住所, 電話番号, 生年月日 the seeker chose to send "
                                                          "with their 求職情報 (profile freezes it for the employer)"})


class ApplicationStatusPayload(ApplicationPayload):
    status = fields.String(required=True, validate=validate.OneOf(("screening", "hired", "rejected")),
                           metadata={"description": "選考中 | 採用 | 不採用, as the employer-side system set it"})


class NoShowPayload(Schema):
    """J9: an interview no-show reported on an online self-application."""

    application_id = _APPLICATION_ID
    seeker_id = _SEEKER_ID
    interview_date = fields.Date(required=True, metadata={"description": "面接日"})


class RestrictionPayload(Schema):
    """J9: the seeker's My Page is restricted (or no longer) for interview no-shows."""

    seeker_id = _SEEKER_ID
    at = fields.AwareDateTime(required=True, metadata={"description": "when it was restricted or lifted"})


APPLICATION_SUBMITTED = EventSpec(
    "jobs.application.submitted.v1",
    ApplicationSubmittedPayload,
    "The seeker applied online (オンライン自主応募, SPEC J8, or to a recommendation, J7); the employer-side "
    "system reads the application through the API. Profile extends the registration's validity (P3a).",
)
APPLICATION_WITHDRAWN = EventSpec(
    "jobs.application.withdrawn.v1",
    ApplicationPayload,
    "The seeker withdrew an application (辞退, SPEC J8): the notice to the employer.",
)
APPLICATION_STATUS_CHANGED = EventSpec(
    "jobs.application.status_changed.v1",
    ApplicationStatusPayload,
    "The employer-side system moved an application to 選考中, 採用 or 不採用 (SPEC J8).",
)
# The no-show events are personal (E3) and read only by the counter system, which lifts restrictions.
NO_SHOW_REPORTED = EventSpec(
    "jobs.no_show.reported.v1",
    NoShowPayload,
    "An employer reported an interview no-show (面接不参加) on an online self-application (SPEC J9).",
    personal_data=True,
    outside_only=True,
)
SEEKER_RESTRICTED = EventSpec(
    "jobs.seeker.restricted.v1",
    RestrictionPayload,
    "5 or more no-shows within 3 months: online self-application is restricted until staff lift it (SPEC J9).",
    personal_data=True,
    outside_only=True,
)
SEEKER_RESTRICTION_LIFTED = EventSpec(
    "jobs.seeker.restriction_lifted.v1",
    RestrictionPayload,
    "Staff lifted the no-show restriction after the seeker visited the office (SPEC J9).",
    personal_data=True,
    outside_only=True,
)

ERASURE_COMPLETED = EventSpec(
    "jobs.erasure.completed.v1",
    ErasureCompletedPayload,
    "Jobs erased every row of the seeker of an erasure (favourites, saved searches, referrals, recommendations, "
    "applications, no-shows, restrictions, desired conditions, matches, its projection, inbox and outbox rows); "
    "a count only, no seeker id (SPEC R3, A9, S12).",
)


class PostingPayload(Schema):
    """J1: which posting (求人番号) of which establishment (事業所番号); no contact person (E3)."""

    job_number = _JOB_NUMBER
    establishment_number = _ESTABLISHMENT_NUMBER


class PostingPublishedPayload(PostingPayload):
    """J1: what J6 matching and other Hello Work systems need of a new posting."""

    occupation_code = fields.String(required=True, validate=validate.Length(min=1, max=10),
                                    metadata={"description": "職業分類 (細分類)", "example": "361-01"})
    prefecture_code = fields.String(required=True, validate=validate.Regexp(r"^\d{2}$"),
                                    metadata={"description": "就業場所の都道府県 (JIS code)", "example": "11"})
    municipality_code = fields.String(required=True, validate=validate.Regexp(r"^\d{5}$"),
                                      metadata={"description": "就業場所の市区町村 (5-digit code)", "example": "11222"})
    employment_type = fields.String(required=True, validate=validate.Length(min=1, max=20),
                                    metadata={"description": "雇用形態 (SPEC J2)", "example": "正社員"})
    online_application = fields.Boolean(required=True,
                                        metadata={"description": "whether it accepts オンライン自主応募 (J8)"})
    publication_scope = fields.Integer(required=True, validate=validate.Range(min=1, max=4),
                                       metadata={"description": "公開範囲 1–4 (SPEC J2a)"})
    received_on = fields.Date(required=True, metadata={"description": "受付年月日"})
    deadline = fields.Date(required=True, metadata={"description": "紹介期限日"})


class PostingChangedPayload(PostingPayload):
    """J1: which fields of a posting changed — their names, never their values."""

    changed_fields = fields.List(
        fields.String(validate=validate.Length(min=1, max=60)), required=True, validate=validate.Length(min=1),
        metadata={"description": "the changed fields as the employer API names them, nested ones dotted "
                                 "(`wage.min`, `location.municipality`, `insurance`)",
                  "example": ["wage.min", "deadline"]})


POSTING_PUBLISHED = EventSpec(
    "jobs.posting.published.v1",
    PostingPublishedPayload,
    "The employer-side system published a posting (求人, SPEC J1); matching (J6) and other Hello Work systems "
    "read its classification, place and dates here, the rest through the API.",
)
POSTING_CHANGED = EventSpec(
    "jobs.posting.changed.v1",
    PostingChangedPayload,
    "The employer-side system changed a posting (SPEC J1): the names of the changed fields, not their values.",
)


class PostingMatchedPayload(FavouritePayload):
    """J6: which new posting (求人番号) matched which seeker's (opaque id) desired conditions — never the
    conditions themselves (E3)."""


POSTING_MATCHED = EventSpec(
    "jobs.posting.matched.v1",
    PostingMatchedPayload,
    "A newly published or changed posting matched the seeker's desired conditions (希望条件, SPEC J6), or their "
    "changed conditions matched a posting of the last week; once per seeker and posting. Messaging puts it in the "
    "seeker's My Page inbox (M2); the seeker lists them through the API.",
)
POSTING_CLOSED = EventSpec(
    "jobs.posting.closed.v1",
    PostingPayload,
    "The employer-side system closed a posting (募集終了, SPEC J1): no longer found by search, still readable "
    "where favourited, referred or applied to.",
)

class DirectRequestPayload(FavouritePayload):
    """J8a: which posting (求人番号) an employer sent to which disclosed seeker (opaque id)."""


DIRECT_REQUEST_SENT = EventSpec(
    "jobs.direct_request.sent.v1",
    DirectRequestPayload,
    "An employer sent a posting to a seeker who disclosed their job-seeking information (直接リクエスト, SPEC "
    "J8a); at most 10 seekers per posting, once each. Messaging puts it in the seeker's My Page inbox.",
)


class DigestPostingPayload(Schema):
    job_number = _JOB_NUMBER
    title = fields.String(required=True, validate=validate.Length(min=1, max=200),
                          metadata={"description": "the posting's 職種 as listed", "example": "介護職員"})


class SavedSearchDigestPayload(Schema):
    """J3 alerts: what the daily mail of one saved search says — no criteria, no email address (E3)."""

    seeker_id = _SEEKER_ID
    saved_search_id = fields.String(required=True, validate=validate.Length(min=1, max=32),
                                    metadata={"description": "the saved search's opaque id (its link and its "
                                                             "one-click stop name it)"})
    search_name = fields.String(required=True, validate=validate.Length(min=1, max=50),
                                metadata={"description": "the name the seeker gave the saved search"})
    count = fields.Integer(required=True, validate=validate.Range(min=1),
                           metadata={"description": "how many new postings it finds since the last digest"})
    postings = fields.List(fields.Nested(DigestPostingPayload), required=True,
                           validate=validate.Length(min=1, max=5),
                           metadata={"description": "the newest of them, at most 5"})
    since = fields.AwareDateTime(required=True, metadata={"description": "new since (the last digest)"})
    until = fields.AwareDateTime(required=True, metadata={"description": "new up to (7:00 in Japan)"})


SAVED_SEARCH_DIGEST = EventSpec(
    "jobs.saved_search.digest.v1",
    SavedSearchDigestPayload,
    "The daily digest of a saved search whose seeker asked for new postings by mail (新着求人をメールで受け取る, "
    "SPEC J3): a count and the newest 5; only when something is new. Auth, which knows the login email, mails it.",
    personal_data=True,
)

PUBLISHES: list[EventSpec] = [FAVOURITE_ADDED, FAVOURITE_REMOVED, REFERRAL_RECORDED, RECOMMENDATION_MADE,
                              APPLICATION_SUBMITTED, APPLICATION_WITHDRAWN, APPLICATION_STATUS_CHANGED,
                              NO_SHOW_REPORTED, SEEKER_RESTRICTED, SEEKER_RESTRICTION_LIFTED, ERASURE_COMPLETED,
                              POSTING_PUBLISHED, POSTING_CHANGED, POSTING_CLOSED, POSTING_MATCHED,
                              DIRECT_REQUEST_SENT, POSTING_ACCEPTED, POSTING_REJECTED, SAVED_SEARCH_DIGEST]
# J1 by events: what the employer-side system publishes and jobs receives (employer_events.py, intake.py)
RECEIVES: list[EventSpec] = EMPLOYER_POSTING_EVENTS

