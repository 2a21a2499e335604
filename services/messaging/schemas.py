"""marshmallow request/response schemas of the messaging API (they generate the OpenAPI document).

Input is folded only where harmless: full-width digits and hyphens in a 求職番号, surrounding
blanks of a title or body, CRLF → LF. Control characters are refused, field by field.
"""

from __future__ import annotations

import re

from marshmallow import EXCLUDE, Schema, ValidationError, fields, pre_load, validate, validates_schema

from kit.fields import exactly_one, length
from kit.problem import msg
from kit.text import CONTROL, fold_number
from services.messaging import domain

SEEKER_NUMBER = re.compile(r"^\d{5}-\d{8}$")  # 求職番号 NNNNN-NNNNNNNN


def _text(value):
    return value.replace("\r\n", "\n").replace("\r", "\n").strip() if isinstance(value, str) else value


def _no_control(value: str) -> None:
    if CONTROL.search(value):
        raise ValidationError(msg("使用できない制御文字が含まれています。", "Contains control characters."))


class NoticeRequestSchema(Schema):
    """M2: a notice from Hello Work to one seeker, named by 求職番号 (or the opaque id)."""

    seeker_number = fields.String(validate=validate.Regexp(SEEKER_NUMBER, error=msg(
        "求職番号は 11040-12345678 の形式で入力してください。", "A seeker number looks like 11040-12345678.")),
        metadata={"description": "求職番号 NNNNN-NNNNNNNN", "example": "11040-12345678"})
    seeker_id = fields.String(validate=validate.Length(min=1, max=36),
                              metadata={"description": "or the opaque seeker id"})
    title = fields.String(required=True, validate=[length(domain.TITLE_MAX), _no_control],
                          metadata={"example": "求職活動についてのお知らせ"})
    body = fields.String(required=True, validate=[length(domain.BODY_MAX), _no_control],
                         metadata={"example": "職業相談のご予約をお待ちしております。"})

    @pre_load
    def _fold(self, data, **_):
        if not isinstance(data, dict):
            return data
        data = dict(data)
        if isinstance(data.get("seeker_number"), str):
            data["seeker_number"] = fold_number(data["seeker_number"])
        for key in ("title", "body"):
            if key in data:
                data[key] = _text(data[key])
        return data

    @validates_schema(pass_original=True, skip_on_field_errors=False)
    def _one_seeker(self, _data, original, **_):
        given = [key for key in ("seeker_number", "seeker_id")
                 if isinstance(original, dict) and original.get(key) not in (None, "")]
        if len(given) != 1:
            raise ValidationError(msg("求職番号か求職者IDのどちらか一方を指定してください。",
                                      "Give either seeker_number or seeker_id."), "seeker_number")


class NoticeSchema(Schema):
    """An notice as the seeker reads it: an お知らせ, a recommended posting (J7), or a new posting that
    matched the desired conditions (J6)."""

    id = fields.String()
    kind = fields.String(metadata={"description": "notice: お知らせ from Hello Work; recommendation: a posting "
                                                  "Hello Work recommended (J7), named by job_number; "
                                                  "matching: a new posting that matched the desired "
                                                  "conditions (J6), named by job_number"})
    job_number = fields.String(allow_none=True, metadata={"description": "求人番号 of a recommendation or a "
                                                                         "matching posting"})
    title = fields.String()
    body = fields.String()
    sent_at = fields.AwareDateTime()
    read = fields.Boolean()
    read_at = fields.AwareDateTime(allow_none=True)
    auto_delete_at = fields.AwareDateTime(metadata={"description": "M3: deleted automatically at this time"})


class PostedNoticeSchema(NoticeSchema):
    seeker_id = fields.String()
    seeker_number = fields.String(allow_none=True)


class PageQuerySchema(Schema):
    """?page=&per_page= (1-based; 20 per page unless asked)."""

    class Meta:
        unknown = EXCLUDE

    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100000,
                                                                  error=msg("1以上の整数を指定してください。",
                                                                            "A positive integer.")))
    per_page = fields.Integer(load_default=domain.PER_PAGE_DEFAULT,
                              validate=validate.Range(min=1, max=domain.PER_PAGE_MAX,
                                                      error=msg(f"1から{domain.PER_PAGE_MAX}までで指定してください。",
                                                                f"From 1 to {domain.PER_PAGE_MAX}.")))


class _Page(Schema):
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()


class NoticePageSchema(_Page):
    items = fields.List(fields.Nested(NoticeSchema))
    unread = fields.Integer(metadata={"description": "unread notices in all pages"})


class EstablishmentSchema(Schema):
    number = fields.String(allow_none=True, metadata={"description": "事業所番号"})
    name = fields.String(allow_none=True, metadata={"description": "null: not known to messaging (jobs' events "
                                                                   "name the establishment by number only)"})


class ThreadSchema(Schema):
    """M1: the conversation with one establishment the seeker applied or was referred to."""

    id = fields.String()
    establishment = fields.Nested(EstablishmentSchema)
    job_number = fields.String(allow_none=True)
    application_id = fields.String(allow_none=True)
    referral_id = fields.String(allow_none=True, metadata={"description": "a counter referral's thread (J5)"})
    application_status = fields.String(allow_none=True, metadata={
        "description": "applied | screening | hired | rejected | withdrawn (応募中, 選考中, 採用, 不採用, 辞退), "
                       "as jobs' events said last"})
    created_at = fields.AwareDateTime()
    last_message_at = fields.AwareDateTime(allow_none=True)
    unread = fields.Integer(metadata={"description": "the other side's messages the caller has not read"})


class ThreadPageSchema(_Page):
    items = fields.List(fields.Nested(ThreadSchema))
    unread = fields.Integer(metadata={"description": "unread messages in all threads"})


class MessageSchema(Schema):
    id = fields.String()
    sender = fields.String(metadata={"description": "seeker | employer"})
    body = fields.String()
    sent_at = fields.AwareDateTime()
    read = fields.Boolean(metadata={"description": "read by the recipient (the seeker for the establishment's "
                                                   "messages, the employer-side system for the seeker's)"})
    auto_delete_at = fields.AwareDateTime(metadata={"description": "M3: deleted automatically at this time"})


class ThreadMessagesSchema(_Page):
    thread = fields.Nested(ThreadSchema)
    items = fields.List(fields.Nested(MessageSchema))


class MessageRequestSchema(Schema):
    body = fields.String(required=True, validate=[length(domain.MESSAGE_MAX), _no_control])

    @pre_load
    def _fold(self, data, **_):
        if isinstance(data, dict) and "body" in data:
            data = dict(data, body=_text(data["body"]))
        return data


_APPLICATION_ID = validate.Length(min=1, max=64, error=msg("応募IDを指定してください（64文字以内）。",
                                                          "Give the application id (at most 64 characters)."))


def _application_id(**kwargs):
    return fields.String(validate=[_APPLICATION_ID, _no_control],
                         metadata={"description": "jobs' application id (GET /api/v1/employer/applications)",
                                   "example": "7c9e6679742540de944be07fc1f90ae7"}, **kwargs)


def _referral_id(**kwargs):
    return fields.String(validate=[validate.Length(min=1, max=32, error=msg(
        "紹介IDは32文字以内です。", "The referral id is at most 32 characters.")), _no_control],
        metadata={"description": "for a counter referral (J5) instead: jobs' referral id "
                                 "(jobs.referral.recorded.v1)"}, **kwargs)


class ThreadKeySchema(Schema):
    """Which thread: an application's (`application_id`) or a counter referral's (`referral_id`), exactly one."""

    application_id = _application_id()
    referral_id = _referral_id()

    @pre_load
    def _trim_ids(self, data, **_):
        if isinstance(data, dict):
            data = {key: value.strip() if key in ("application_id", "referral_id") and isinstance(value, str) else value
                    for key, value in data.items()}
        return data

    @validates_schema
    def _exactly_one(self, data, **_):
        exactly_one(data, "application_id", "referral_id")


class EmployerMessageRequestSchema(MessageRequestSchema, ThreadKeySchema):
    """M1: the establishment writes to the seeker of one application (or counter referral)."""


class EmployerThreadQuerySchema(PageQuerySchema, ThreadKeySchema):
    """?application_id= (or ?referral_id=) &page=&per_page=: one thread."""


class EmployerReadRequestSchema(ThreadKeySchema):
    pass


class EmployerMessageSchema(MessageSchema):
    thread_id = fields.String()
    application_id = fields.String(allow_none=True)
    referral_id = fields.String(allow_none=True)


class ReadResultSchema(Schema):
    read = fields.Integer(metadata={"description": "messages marked read now"})
    unread = fields.Integer(metadata={"description": "unread messages left (the seeker: in all threads; "
                                                     "the employer side: in this application's thread)"})


class HomeCountsSchema(Schema):
    unread_messages = fields.Integer()
    unread_notices = fields.Integer()
    unread_establishment_messages = fields.Integer()


class HomeFragmentSchema(Schema):
    """P5: messaging's part of the home screen (gateway/home.py)."""

    counts = fields.Nested(HomeCountsSchema)
