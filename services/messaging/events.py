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
    """M2: Hello Work posted a notice (お知らせ) to the seeker's My Page inbox."""

    notice_id = _id("the notice")
    seeker_id = _id("the opaque seeker id (the access token's `sub`)")
    sent_at = fields.AwareDateTime(required=True, metadata={"description": "M3: deleted one year later"})


class MessageSentPayload(Schema):
    """M1: a message was written in a thread between the seeker and an establishment."""

    message_id = _id("the message")
    thread_id = _id("the thread (one per application or referral)")
    seeker_id = _id("the opaque seeker id")
    sender = fields.String(required=True, validate=validate.OneOf(("employer", "seeker")),
                           metadata={"description": "who wrote it: the seeker or the establishment"})
    sent_at = fields.AwareDateTime(required=True, metadata={"description": "M3: deleted one year later"})


NOTICE_POSTED = EventSpec(
    "messaging.notice.posted.v1", NoticePostedPayload,
    "Hello Work posted a notice (お知らせ) to a seeker's My Page inbox (SPEC M2).")
MESSAGE_SENT = EventSpec(
    "messaging.message.sent.v1", MessageSentPayload,
    "A message was written in a thread between a seeker and an establishment they applied or were "
    "referred to (SPEC M1).")

ERASURE_COMPLETED = EventSpec(
    "messaging.erasure.completed.v1", ErasureCompletedPayload,
    "Messaging erased every row of the seeker of an erasure (notices, threads, messages, its projection, "
    "inbox and outbox rows); a count only, no seeker id (SPEC R3, A9, S12).")

PUBLISHES: list[EventSpec] = [NOTICE_POSTED, MESSAGE_SENT, ERASURE_COMPLETED]
