"""The messaging service's HTTP API (views only: load, call a command, dump).

Seeker (token role seeker, `sub` = their opaque id): notices (M2) GET /me/notices, GET
/me/notices/{id}, POST|PUT /me/notices/{id}/read; messages (M1, refused while the registration
is invalid, P4) GET /me/messages, GET|POST /me/messages/{thread_id}, POST …/{thread_id}/read.
Staff systems (role staff): POST /staff/notices. The employer-side system (role employer), by
application id (M1): POST|GET /employer/messages, POST /employer/messages/read.
"""


from flask.views import MethodView
from flask_smorest import Blueprint

from kit.tokens import (
    EMPLOYER,
    STAFF,
    current_establishments,
    current_principal,
    current_seeker_id,
    require_role,
    require_seeker,
)
from kit.web import committed, current_runtime, in_uow
from services.messaging import commands, schemas

blp = Blueprint("messaging", __name__, url_prefix="/api/v1", description="メッセージ・お知らせ (messaging)")




# -- notices from Hello Work (M2) -----------------------------------------------------------------


@blp.route("/staff/notices")
class StaffNotices(MethodView):
    @require_role(STAFF)
    @blp.arguments(schemas.NoticeRequestSchema)
    @blp.response(201, schemas.PostedNoticeSchema)
    def post(self, body):
        """M2 お知らせ: Hello Work posts a notice to one seeker's notices (お知らせ) (by 求職番号 or seeker id).

        Allowed while the registration is invalid or the My Page 利用不可 (kept for later);
        refused (409) for a seeker who withdrew, 404 for one messaging does not know.
        """
        with current_runtime().uow() as uow:
            notice, seeker_number = commands.post_notice(uow, body, posted_by=current_principal().subject)
            view = commands.notice_view(notice) | {"seeker_id": notice.seeker_id, "seeker_number": seeker_number}
            uow.commit()
            return view


@blp.route("/me/notices")
class OwnNotices(MethodView):
    @require_seeker
    @blp.arguments(schemas.PageQuerySchema, location="query")
    @blp.response(200, schemas.NoticePageSchema)
    def get(self, query):
        """M2 お知らせ一覧: newest first, paged, each with its read flag; `unread` counts all pages.

        Readable while the registration is invalid (only messaging is refused, P4).
        """
        return in_uow(commands.notices_page, current_seeker_id(), query["page"], query["per_page"])


@blp.route("/me/notices/<notice_id>")
class OwnNotice(MethodView):
    @require_seeker
    @blp.response(200, schemas.NoticeSchema)
    def get(self, notice_id):
        """M2: one of the seeker's own notices (reading it does not mark it read)."""
        with current_runtime().uow() as uow:
            return commands.notice_view(commands.own_notice(uow, current_seeker_id(), notice_id))


@blp.route("/me/notices/<notice_id>/read")
class OwnNoticeRead(MethodView):
    def _mark(self, notice_id):
        with current_runtime().uow() as uow:
            view = commands.notice_view(commands.mark_notice_read(uow, current_seeker_id(), notice_id))
            uow.commit()
            return view

    @require_seeker
    @blp.response(200, schemas.NoticeSchema)
    def post(self, notice_id):
        """M2 既読: mark the notice read (again: no change; the first reading time is kept)."""
        return self._mark(notice_id)

    @require_seeker
    @blp.response(200, schemas.NoticeSchema)
    def put(self, notice_id):
        """M2 既読: the same as POST, for clients that prefer PUT for an idempotent change."""
        return self._mark(notice_id)


# -- messages with establishments (M1), gated by P4 -----------------------------------------------


@blp.route("/me/messages")
class OwnThreads(MethodView):
    @require_seeker
    @blp.arguments(schemas.PageQuerySchema, location="query")
    @blp.response(200, schemas.ThreadPageSchema)
    def get(self, query):
        """M1 メッセージ: the seeker's threads with establishments they applied or were referred to.

        Refused (403) while the registration is invalid (P4).
        """
        return in_uow(commands.threads_page, current_seeker_id(), query["page"], query["per_page"])


@blp.route("/me/messages/<thread_id>")
class OwnThread(MethodView):
    @require_seeker
    @blp.arguments(schemas.PageQuerySchema, location="query")
    @blp.response(200, schemas.ThreadMessagesSchema)
    def get(self, query, thread_id):
        """M1: one thread's messages, oldest first (404 for an unknown or another seeker's thread)."""
        return in_uow(commands.thread_messages, current_seeker_id(), thread_id, query["page"], query["per_page"])

    @require_seeker
    @blp.arguments(schemas.MessageRequestSchema)
    @blp.response(201, schemas.MessageSchema)
    def post(self, body, thread_id):
        """M1: write to the establishment of one of the seeker's own threads (P4-gated)."""
        with current_runtime().uow() as uow:
            view = commands.message_view(commands.send_message(uow, current_seeker_id(), thread_id, body["body"]))
            uow.commit()
            return view


@blp.route("/me/messages/<thread_id>/read")
class OwnThreadRead(MethodView):
    @require_seeker
    @blp.response(200, schemas.ReadResultSchema)
    def post(self, thread_id):
        """M1 既読: the establishment's messages in this thread are read now."""
        seeker_id = current_seeker_id()
        with current_runtime().uow() as uow:
            read = commands.mark_thread_read(uow, seeker_id, thread_id)
            uow.commit()
            return {"read": read, "unread": commands.unread_messages(uow, seeker_id)}


# -- the employer side of M1: the employer-side system, by application id --------------------------


def _thread_key(data: dict) -> dict[str, str | None]:
    """The employer names a thread by its application id or, for a counter referral, its referral id."""
    return {"application_id": data.get("application_id"), "referral_id": data.get("referral_id")}


@blp.route("/employer/messages")
class EmployerMessages(MethodView):
    @require_role(EMPLOYER)
    @blp.arguments(schemas.EmployerMessageRequestSchema)
    @blp.response(201, schemas.EmployerMessageSchema)
    def post(self, body):
        """M1: the establishment writes to the seeker of an application; it lands in the seeker's thread,
        unread. 404 for an application messaging has not heard of (yet: right after the application,
        jobs' event is on its way — try again shortly)."""
        with current_runtime().uow() as uow:
            message, thread = commands.post_employer_message(uow, current_establishments(), body["body"],
                                                             **_thread_key(body))
            view = commands.message_view(message) | {"thread_id": thread.id, "application_id": thread.application_id,
                                                     "referral_id": thread.referral_id}
            uow.commit()
            return view

    @require_role(EMPLOYER)
    @blp.arguments(schemas.EmployerThreadQuerySchema, location="query")
    @blp.response(200, schemas.ThreadMessagesSchema)
    def get(self, query):
        """M1: an application's thread both ways, oldest first — how the employer-side system reads what
        the seeker wrote. Reading does not mark anything read (POST …/read does)."""
        return in_uow(commands.employer_conversation, current_establishments(), query["page"], query["per_page"],
                      **_thread_key(query))


@blp.route("/employer/messages/read")
class EmployerMessagesRead(MethodView):
    @require_role(EMPLOYER)
    @blp.arguments(schemas.EmployerReadRequestSchema)
    @blp.response(200, schemas.ReadResultSchema)
    def post(self, body):
        """M1 既読 for the employer side: the seeker's messages in the application's thread are read now."""
        read, unread = committed(commands.mark_read_by_employer, current_establishments(), **_thread_key(body))
        return {"read": read, "unread": unread}
