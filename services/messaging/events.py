"""The events the messaging service publishes (the AsyncAPI catalogue is generated from PUBLISHES).

Each carries identifiers and times only (E3): never a title, a body or anything personal. A
subscriber that needs the text (e.g. a mail "you have a new notice") has the ids; the text
stays in the seeker's inbox.
"""

from marshmallow import Schema, fields, validate

from kit.erasure import ErasureCompletedPayload
from kit.events import EventSpec


def _id(description: str):
    return fields.String(required=True, validate=validate.Length(min=1, max=36), metadata={"description": description})


class NoticePostedPayload(Schema):
    """M2: an entry reached the seeker's My Page inbox: a notice Hello Work posted (お知らせ), a posting
    staff recommended (J7) or a new posting that matched the desired conditions (J6)."""

    notice_id = _id("the notice")
    seeker_id = _id("the opaque seeker id (the access token's `sub`)")
    kind = fields.String(required=True,
                         validate=validate.OneOf(("notice", "recommendation", "matching", "direct_request")),
                         metadata={"description": "notice: an お知らせ from Hello Work; recommendation: a posting "
                                                  "staff recommended (J7); matching: a new posting that matched "
                                                  "the seeker's desired conditions (J6); direct_request: "
                                                  "a posting an employer sent the seeker (J8a)"})
    sent_at = fields.AwareDateTime(required=True, metadata={"description": "M3: deleted one year later"})


class MessageSentPayload(Schema):
    """M1: a message was written in a thread between the seeker and an establishment."""

    message_id = _id("the message")
    thread_id = _id("the thread (one per application or referral)")
    seeker_id = _id("the opaque seeker id")
    application_id = fields.String(required=True, allow_none=True, validate=validate.Length(min=1, max=64),
                                   metadata={"description": "the application of the thread (jobs' application id), "
                                                            "by which the employer-side system reads it"})
    referral_id = fields.String(required=True, allow_none=True, validate=validate.Length(min=1, max=32),
                                metadata={"description": "or the counter referral of the thread (jobs' referral id)"})
    sender = fields.String(required=True, validate=validate.OneOf(("employer", "seeker")),
                           metadata={"description": "who wrote it: the seeker or the establishment"})
    sent_at = fields.AwareDateTime(required=True, metadata={"description": "M3: deleted one year later"})


NOTICE_POSTED = EventSpec(
    "messaging.notice.posted.v1", NoticePostedPayload,
    "A notice from Hello Work (お知らせ), a recommended posting (J7) or a new posting matching the desired conditions "
    "(J6) reached a seeker's My Page inbox (SPEC M2).")
MESSAGE_SENT = EventSpec(
    "messaging.message.sent.v1", MessageSentPayload,
    "A message was written in a thread between a seeker and an establishment they applied or were "
    "referred to (SPEC M1); the employer-side system reads the text through the API by application id.")

ERASURE_COMPLETED = EventSpec(
    "messaging.erasure.completed.v1", ErasureCompletedPayload,
    "Messaging erased every row of the seeker of an erasure (notices, threads, messages, its projection, "
    "inbox and outbox rows); a count only, no seeker id (SPEC R3, A9, S12).")

PUBLISHES: list[EventSpec] = [NOTICE_POSTED, MESSAGE_SENT, ERASURE_COMPLETED]
