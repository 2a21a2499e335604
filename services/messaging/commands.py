"""What the messaging service does when asked: one function per use case, each in a unit of work.

The views (api.py, internal.py) and the event handlers (handlers.py) call these; the rules are in
domain.py; the seeker_status projection and the P4 gate are seekers.py, the M3 sweep tasks.py. A function
here never commits (the view or the consumer does).
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update

from kit.db import insert_ignore
from kit.events import is_newer
from kit.problem import Problem, msg
from kit.uow import UnitOfWork
from services.messaging import domain
from services.messaging.events import MESSAGE_SENT, NOTICE_POSTED
from services.messaging.models import Message, Notice, SeekerStatusRow, Thread
from services.messaging.seekers import require_messaging, require_notices, status_of

log = logging.getLogger("mypage.messaging")

RECOMMENDED_BY = "jobs.recommendation"  # `posted_by` of a recommendation's notice (J7: from jobs' event)
MATCHED_BY = "jobs.matching"  # `posted_by` of a matching posting's notice (J6: from jobs' event)
DIRECT_REQUESTED_BY = "jobs.direct_request"  # `posted_by` of a direct request's notice (J8a)

# -- notices (M2) ---------------------------------------------------------------------------------


def post_notice(uow: UnitOfWork, data: dict[str, Any], posted_by: str) -> tuple[Notice, str | None]:
    """M2: staff post a notice to one seeker's notices, named by 求職番号 or opaque id.

    The seeker must be known to messaging (from profile's events) and not withdrawn.
    Returns the notice and the seeker number (if known)."""
    if data.get("seeker_number"):
        row = uow.session.scalar(select(SeekerStatusRow).where(SeekerStatusRow.seeker_number == data["seeker_number"]))
        field, value = "seeker_number", data["seeker_number"]
    else:
        row = uow.session.get(SeekerStatusRow, data["seeker_id"])
        field, value = "seeker_id", data["seeker_id"]
    if row is None:
        raise Problem("not-found", detail_ja=f"{value} の求職者はメッセージ機能にまだ登録されていません。"
                                             "求職登録の直後であれば、しばらくしてから再度お試しください。",
                      detail_en=f"No seeker {value} is known to messaging yet; right after a registration, "
                                "try again shortly.",
                      fields={field: [msg("該当する求職者がいません。", "No such seeker.")]})
    status = status_of(uow, row.seeker_id)
    if not domain.may_receive_notice(status):
        raise Problem("conflict", detail_ja="この求職者はマイページを退会しています。",
                      detail_en="This seeker has withdrawn from the My Page.")
    notice = _add_notice(uow, row.seeker_id, domain.NOTICE, data["title"], data["body"], posted_by)
    return notice, row.seeker_number


def deliver_recommendation(uow: UnitOfWork, seeker_id: str, job_number: str) -> Notice | None:
    """M2/J7: a posting staff recommended reaches the seeker's notices (お知らせ) as an entry
    「ハローワークからおすすめの求人が届きました」 naming the 求人番号 — once per (seeker, posting), however
    often the event arrives; unread until read, deleted a year later (M3) like any notice. Nothing is
    delivered to a seeker who withdrew (A9). Returns the new entry, or None when nothing was added."""
    return _deliver_posting(uow, seeker_id, job_number, domain.RECOMMENDATION, domain.RECOMMENDATION_TITLE,
                            domain.recommendation_body(job_number), RECOMMENDED_BY)


def deliver_matching(uow: UnitOfWork, seeker_id: str, job_number: str) -> Notice | None:
    """M2/J6: a new posting that matched the seeker's desired conditions reaches their My Page notices (お知らせ) as an
    entry 「希望条件に合う新着求人が届きました」 naming the 求人番号 — once per (seeker, posting), however often
    the event arrives; unread until read, deleted a year later (M3), not delivered after a withdrawal (A9).
    One entry per posting (not a daily digest): each names the posting to act on, and the unique index
    keeps it idempotent. Returns the new entry, or None when nothing was added."""
    return _deliver_posting(uow, seeker_id, job_number, domain.MATCHING, domain.MATCHING_TITLE,
                            domain.matching_body(job_number), MATCHED_BY)


def deliver_direct_request(uow: UnitOfWork, seeker_id: str, job_number: str) -> Notice | None:
    """J8a: a posting an employer sent the seeker reaches their notices as 「求人者から直接リクエストが届きました」,
    once per (seeker, posting), like a recommendation (M3 applies; nothing after a withdrawal)."""
    return _deliver_posting(uow, seeker_id, job_number, domain.DIRECT_REQUEST, domain.DIRECT_REQUEST_TITLE,
                            domain.direct_request_body(job_number), DIRECT_REQUESTED_BY)


def _deliver_posting(uow: UnitOfWork, seeker_id: str, job_number: str, kind: str, title: str, body: str,
                     posted_by: str) -> Notice | None:
    """A notice about a posting, once per (seeker, kind, 求人番号) — `INSERT … ON CONFLICT DO NOTHING` on the
    unique index, so two deliveries at once (two events, two workers) still add one; none for a withdrawn
    seeker."""
    if status_of(uow, seeker_id).withdrawn:
        log.info("%s for a withdrawn seeker: not delivered", kind)
        return None
    table = Notice.__table__
    added = uow.session.execute(
        insert_ignore(uow.session, table, on=("seeker_id", "kind", "job_number"))
        .values(id=str(uuid.uuid4()), seeker_id=seeker_id, kind=kind, job_number=job_number, title=title, body=body,
                posted_by=posted_by, sent_at=uow.clock.now(), read_at=None)
        .returning(table.c.id)).first()
    if added is None:
        return None
    notice = uow.session.get(Notice, added.id)
    _notice_posted(uow, notice)
    return notice


def _add_notice(uow: UnitOfWork, seeker_id: str, kind: str, title: str, body: str, posted_by: str, *,
                job_number: str | None = None) -> Notice:
    notice = Notice(id=str(uuid.uuid4()), seeker_id=seeker_id, kind=kind, job_number=job_number, title=title,
                    body=body, posted_by=posted_by, sent_at=uow.clock.now(), read_at=None)
    uow.session.add(notice)
    uow.session.flush()
    _notice_posted(uow, notice)
    return notice


def _notice_posted(uow: UnitOfWork, notice: Notice) -> None:
    uow.publish(NOTICE_POSTED, {"notice_id": notice.id, "seeker_id": notice.seeker_id, "kind": notice.kind,
                                "sent_at": notice.sent_at}, subject=notice.seeker_id)


def notices_page(uow: UnitOfWork, seeker_id: str, page: int, per_page: int) -> dict[str, Any]:
    """M2: the seeker's own notices, newest first, with the total and the unread count."""
    require_notices(uow, seeker_id)
    offset, limit = domain.page_window(page, per_page)
    own = Notice.seeker_id == seeker_id
    items = uow.session.scalars(select(Notice).where(own).order_by(Notice.sent_at.desc(), Notice.id.desc())
                                .offset(offset).limit(limit)).all()
    return {"items": [notice_view(n) for n in items], "total": _count(uow, select(Notice.id).where(own)),
            "page": page, "per_page": per_page, "unread": unread_notices(uow, seeker_id)}


def own_notice(uow: UnitOfWork, seeker_id: str, notice_id: str, *, for_update: bool = False) -> Notice:
    """The seeker's own notice; another seeker's is as unknown as a missing one (404)."""
    require_notices(uow, seeker_id)
    statement = select(Notice).where(Notice.id == notice_id, Notice.seeker_id == seeker_id)
    notice = uow.session.scalar(statement.with_for_update() if for_update else statement)
    if notice is None:
        raise Problem("not-found",
                      detail_ja="お知らせが見つかりません。保存期間（1年）を過ぎたものは削除されています。",
                      detail_en="The notice was not found; notices are deleted one year after they were sent.")
    return notice


def mark_notice_read(uow: UnitOfWork, seeker_id: str, notice_id: str) -> Notice:
    """M2: the seeker read the notice; the first reading time is kept (marking again changes nothing)."""
    notice = own_notice(uow, seeker_id, notice_id, for_update=True)
    if notice.read_at is None:
        notice.read_at = uow.clock.now()
    return notice


def unread_notices(uow: UnitOfWork, seeker_id: str) -> int:
    return _count(uow, select(Notice.id).where(Notice.seeker_id == seeker_id, Notice.read_at.is_(None)))


def notice_view(notice: Notice) -> dict[str, Any]:
    return {"id": notice.id, "kind": notice.kind, "job_number": notice.job_number, "title": notice.title,
            "body": notice.body, "sent_at": notice.sent_at,
            "read": notice.read_at is not None, "read_at": notice.read_at,
            "auto_delete_at": domain.deleted_at(notice.sent_at)}


# -- messages (M1) --------------------------------------------------------------------------------


_NO_THREAD = ("メッセージのやりとりが見つかりません。", "The message thread was not found.")


def threads_page(uow: UnitOfWork, seeker_id: str, page: int, per_page: int) -> dict[str, Any]:
    """M1: the seeker's threads with establishments, latest activity first (P4-gated)."""
    require_messaging(uow, seeker_id)
    offset, limit = domain.page_window(page, per_page)
    own = Thread.seeker_id == seeker_id
    latest = func.coalesce(Thread.last_message_at, Thread.created_at)
    threads = uow.session.scalars(select(Thread).where(own).order_by(latest.desc(), Thread.id.desc())
                                  .offset(offset).limit(limit)).all()
    unread = _unread_by_thread(uow, [t.id for t in threads], domain.SEEKER)
    return {"items": [thread_view(t, unread.get(t.id, 0)) for t in threads],
            "total": _count(uow, select(Thread.id).where(own)), "page": page, "per_page": per_page,
            "unread": unread_messages(uow, seeker_id)}


def own_thread(uow: UnitOfWork, seeker_id: str, thread_id: str) -> Thread:
    """The seeker's own thread (P4-gated first, so a refused seeker learns nothing of any thread)."""
    require_messaging(uow, seeker_id)
    thread = uow.session.scalar(select(Thread).where(Thread.id == thread_id, Thread.seeker_id == seeker_id))
    if thread is None:
        raise Problem("not-found", detail_ja=_NO_THREAD[0], detail_en=_NO_THREAD[1])
    return thread


def thread_messages(uow: UnitOfWork, seeker_id: str, thread_id: str, page: int, per_page: int) -> dict[str, Any]:
    """M1: one thread's messages, oldest first (a conversation reads top to bottom)."""
    return _conversation(uow, own_thread(uow, seeker_id, thread_id), domain.SEEKER, page, per_page)


def send_message(uow: UnitOfWork, seeker_id: str, thread_id: str, body: str) -> Message:
    """M1: the seeker writes to the establishment of one of their own threads (P4-gated); it is unread
    until the establishment (the employer-side system) reads it."""
    return _add_message(uow, own_thread(uow, seeker_id, thread_id), domain.SEEKER, body)


def mark_thread_read(uow: UnitOfWork, seeker_id: str, thread_id: str) -> int:
    """M1: the seeker read the thread; the establishment's unread messages in it are read now."""
    return _mark_read(uow, own_thread(uow, seeker_id, thread_id), domain.SEEKER)


def open_thread(uow: UnitOfWork, seeker_id: str, establishment_name: str | None = None, *,
                application_id: str | None = None, job_number: str | None = None,
                establishment_number: str | None = None) -> Thread:
    """M1: the thread with the establishment of an application (or referral); an application already
    with a thread gets that one — one thread per application id, however often its events arrive."""
    if application_id is not None:
        existing = uow.session.scalar(select(Thread).where(Thread.application_id == application_id))
        if existing is not None:
            return existing
    thread = Thread(id=str(uuid.uuid4()), seeker_id=seeker_id, application_id=application_id,
                    establishment_name=establishment_name or "", establishment_number=establishment_number,
                    job_number=job_number, created_at=uow.clock.now(), last_message_at=None)
    uow.session.add(thread)
    uow.session.flush()
    return thread


def record_application(uow: UnitOfWork, *, seeker_id: str, application_id: str, job_number: str,
                       establishment_number: str, status: str, as_of: datetime,
                       establishment_name: str | None = None) -> Thread | None:
    """M1: jobs' application events (submitted, withdrawn, status changed) open the application's thread
    — whichever arrives first — and keep the application's status on it; an event older than the
    status applied changes nothing. Nothing is opened for a seeker who withdrew from the My Page (A9)."""
    if status_of(uow, seeker_id).withdrawn:
        log.info("application %s of a withdrawn seeker: no thread", application_id)
        return None
    thread = open_thread(uow, seeker_id, application_id=application_id, job_number=job_number,
                         establishment_number=establishment_number)
    if thread.establishment_number is None:
        thread.establishment_number = establishment_number
    if thread.job_number is None:  # a thread opened before jobs' event (the demo's)
        thread.job_number = job_number
    if establishment_name and not thread.establishment_name:  # the submitted event names it (J2a permitting)
        thread.establishment_name = establishment_name
    if is_newer(as_of, thread.application_status_as_of):
        thread.application_status, thread.application_status_as_of = status, as_of
    return thread


def record_referral(uow: UnitOfWork, *, seeker_id: str, referral_id: str, job_number: str,
                    establishment_number: str, establishment_name: str | None) -> Thread | None:
    """M1/J5: a counter referral opens the thread with the referred establishment — one per referral id,
    however often the event arrives; none for a seeker who withdrew from the My Page (A9)."""
    if status_of(uow, seeker_id).withdrawn:
        log.info("referral %s of a withdrawn seeker: no thread", referral_id)
        return None
    existing = uow.session.scalar(select(Thread).where(Thread.referral_id == referral_id))
    if existing is not None:
        return existing
    thread = open_thread(uow, seeker_id, establishment_name, job_number=job_number,
                         establishment_number=establishment_number)
    thread.referral_id = referral_id
    return thread


def receive_message(uow: UnitOfWork, thread_id: str, body: str) -> Message:
    """M1: a message from the establishment arrived (through the employer system) — received now."""
    thread = uow.session.get(Thread, thread_id)
    if thread is None:
        raise Problem("not-found", detail_ja=_NO_THREAD[0], detail_en=_NO_THREAD[1])
    return _add_message(uow, thread, domain.EMPLOYER, body)


# -- the employer side (M1): the employer-side system, by application id --------------------------


def employer_thread(uow: UnitOfWork, establishments: frozenset[str] | None, *, application_id: str | None = None,
                    referral_id: str | None = None) -> Thread:
    """M1: the thread of an application (or of a counter referral), for the employer-side system. 404
    until jobs' event has reached messaging (right after the application: try again shortly), and for a
    seeker who withdrew from the My Page (A9) — exactly as after the erasure that follows. C2: the same
    404 for a thread with an establishment not among the employer's `establishments` (None: every one)."""
    key = Thread.application_id == application_id if application_id is not None else Thread.referral_id == referral_id
    thread = uow.session.scalar(select(Thread).where(key))
    if thread is None or not domain.acts_for(establishments, thread.establishment_number) \
            or status_of(uow, thread.seeker_id).withdrawn:
        field = "application_id" if application_id is not None else "referral_id"
        raise Problem("not-found",
                      detail_ja="この応募（紹介）のメッセージのやりとりが見つかりません。直後であれば、"
                                "しばらくしてから再度お試しください。",
                      detail_en="No message thread for this application or referral; right after it, "
                                "try again shortly.",
                      fields={field: [msg("該当する応募（紹介）がありません。", "No such application or referral.")]})
    return thread


def post_employer_message(uow: UnitOfWork, establishments: frozenset[str] | None, body: str,
                          **key: str | None) -> tuple[Message, Thread]:
    """M1: the establishment writes to the seeker of an application or referral (received now; unread
    for the seeker). `key`: application_id= or referral_id=; C2: one of the employer's establishments'."""
    thread = employer_thread(uow, establishments, **key)
    return _add_message(uow, thread, domain.EMPLOYER, body), thread


def employer_conversation(uow: UnitOfWork, establishments: frozenset[str] | None, page: int, per_page: int,
                          **key: str | None) -> dict[str, Any]:
    """M1: the thread both ways, oldest first, for the employer-side system (what the seeker wrote is
    delivered this way); `unread` counts the seeker's messages it has not read. C2 as employer_thread."""
    return _conversation(uow, employer_thread(uow, establishments, **key), domain.EMPLOYER, page, per_page)


def mark_read_by_employer(uow: UnitOfWork, establishments: frozenset[str] | None, **key: str | None) -> tuple[int, int]:
    """M1 既読 for the employer side: the seeker's messages in the thread are read now.
    Returns (marked now, still unread in the thread: 0). C2 as employer_thread."""
    thread = employer_thread(uow, establishments, **key)
    read = _mark_read(uow, thread, domain.EMPLOYER)
    return read, _unread_by_thread(uow, [thread.id], domain.EMPLOYER).get(thread.id, 0)


# -- both sides ----------------------------------------------------------------------------------


def _conversation(uow: UnitOfWork, thread: Thread, reader: str, page: int, per_page: int) -> dict[str, Any]:
    offset, limit = domain.page_window(page, per_page)
    in_thread = Message.thread_id == thread.id
    items = uow.session.scalars(select(Message).where(in_thread).order_by(Message.sent_at, Message.id)
                                .offset(offset).limit(limit)).all()
    unread = _unread_by_thread(uow, [thread.id], reader).get(thread.id, 0)
    return {"thread": thread_view(thread, unread, reader), "items": [message_view(m) for m in items],
            "total": _count(uow, select(Message.id).where(in_thread)), "page": page, "per_page": per_page}


def _mark_read(uow: UnitOfWork, thread: Thread, reader: str) -> int:
    """`reader` read the thread: the other side's unread messages in it are read now."""
    result = uow.session.execute(update(Message).where(
        Message.thread_id == thread.id, Message.sender == domain.written_for(reader), Message.read_at.is_(None))
        .values(read_at=uow.clock.now()))
    return result.rowcount or 0


def _add_message(uow: UnitOfWork, thread: Thread, sender: str, body: str) -> Message:
    """A message is unread until the other side reads it (`read_at`)."""
    now = uow.clock.now()
    message = Message(id=str(uuid.uuid4()), thread_id=thread.id, seeker_id=thread.seeker_id, sender=sender,
                      body=body, sent_at=now, read_at=None)
    uow.session.add(message)
    thread.last_message_at = now
    uow.publish(MESSAGE_SENT, {"message_id": message.id, "thread_id": thread.id, "seeker_id": thread.seeker_id,
                               "application_id": thread.application_id, "referral_id": thread.referral_id,
                               "sender": sender, "sent_at": now},
                subject=thread.seeker_id)
    return message


def unread_messages(uow: UnitOfWork, seeker_id: str) -> int:
    """M1: the establishments' messages the seeker has not read yet (their own are never unread to them)."""
    return _count(uow, select(Message.id).where(Message.seeker_id == seeker_id, Message.sender == domain.EMPLOYER,
                                                Message.read_at.is_(None)))


def _unread_by_thread(uow: UnitOfWork, thread_ids: list[str], reader: str) -> dict[str, int]:
    """Per thread, the other side's messages `reader` has not read yet."""
    if not thread_ids:
        return {}
    rows = uow.session.execute(select(Message.thread_id, func.count()).where(
        Message.thread_id.in_(thread_ids), Message.sender == domain.written_for(reader), Message.read_at.is_(None))
        .group_by(Message.thread_id)).all()
    return {thread_id: count for thread_id, count in rows}


def thread_view(thread: Thread, unread: int, reader: str = domain.SEEKER) -> dict[str, Any]:
    """M1: a thread as `reader` sees it. J2a: the seeker sees the establishment's number only where its name
    was disclosed to them (an application to a 公開範囲3 posting names neither; a referral's 紹介状 names both)."""
    named = bool(thread.establishment_name)
    number = thread.establishment_number if named or reader == domain.EMPLOYER else None
    return {"id": thread.id,
            "establishment": {"number": number, "name": thread.establishment_name or None},
            "job_number": thread.job_number, "application_id": thread.application_id,
            "referral_id": thread.referral_id,
            "application_status": thread.application_status, "created_at": thread.created_at,
            "last_message_at": thread.last_message_at, "unread": unread}


def message_view(message: Message) -> dict[str, Any]:
    return {"id": message.id, "sender": message.sender, "body": message.body, "sent_at": message.sent_at,
            "read": message.read_at is not None, "auto_delete_at": domain.deleted_at(message.sent_at)}


# -- the home screen (P5) -------------------------------------------------------------------------


def home_fragment(uow: UnitOfWork, seeker_id: str) -> dict[str, Any]:
    """P5: messaging's part of the home screen, for gateway/home.py.

    `unread_messages` is everything unread in the seeker's notices (お知らせ) — the establishments'
    messages (M1) and Hello Work's notices (M2) — as the home screen has one unread count;
    `unread_notices` and `unread_establishment_messages` are the two parts. While the My Page is
    利用不可 or withdrawn the answer is the refusal (the gateway then shows the counts as unknown).
    """
    require_notices(uow, seeker_id)
    notices, messages = unread_notices(uow, seeker_id), unread_messages(uow, seeker_id)
    return {"counts": {"unread_messages": notices + messages, "unread_notices": notices,
                       "unread_establishment_messages": messages}}


def _count(uow: UnitOfWork, ids) -> int:
    return uow.session.scalar(select(func.count()).select_from(ids.subquery())) or 0
