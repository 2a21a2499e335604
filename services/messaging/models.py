"""The messaging service's own tables: the seeker_status projection, notices, threads and messages.

Messaging keeps what it needs to gate and address (E3): the opaque seeker id and the 求職番号
staff name seekers by (SPEC M2) — no name, email or birth date.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from kit.db import UtcDateTime
from kit.inbox import inbox_table
from kit.outbox import outbox_table


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UtcDateTime}


outbox = outbox_table(Base.metadata)
inbox = inbox_table(Base.metadata)


class SeekerStatusRow(Base):
    """The `seeker_status` projection (DESIGN §1): fed by profile's and auth's events, gates P4.

    Each `*_as_of` is the time of the event whose state is applied, so an older event arriving
    late changes nothing.
    """

    __tablename__ = "seeker_status"

    seeker_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seeker_number: Mapped[str | None] = mapped_column(String(14), unique=True)  # 求職番号
    registration: Mapped[str | None] = mapped_column(String(10))  # valid | invalid | null: not known yet
    registration_as_of: Mapped[datetime | None]
    usable: Mapped[bool] = mapped_column(Boolean, default=True)  # false: 利用不可 (A10)
    usable_as_of: Mapped[datetime | None]
    opened_at: Mapped[datetime | None]  # A6, the latest
    withdrawn_at: Mapped[datetime | None]  # A9, the latest
    updated_at: Mapped[datetime]

    __table_args__ = (
        CheckConstraint("registration IS NULL OR registration IN ('valid', 'invalid')",
                        name="ck_seeker_status_registration"),
    )


class Notice(Base):
    """An entry of one seeker's notices (お知らせ) from Hello Work (SPEC M2): an お知らせ staff posted, a
    recommended posting (J7, kind `recommendation`) or a new posting matching the desired conditions
    (J6, kind `matching`) — the last two once per 求人番号, from jobs' events."""

    __tablename__ = "notices"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seeker_id: Mapped[str] = mapped_column(String(36))
    # notice | recommendation (J7) | matching (J6)
    kind: Mapped[str] = mapped_column(String(20), default="notice", server_default="notice")
    job_number: Mapped[str | None] = mapped_column(String(14))  # 求人番号 of a recommendation or matching posting
    title: Mapped[str] = mapped_column(String(100))
    body: Mapped[str] = mapped_column(Text)
    posted_by: Mapped[str] = mapped_column(String(120))  # the staff system's client id
    sent_at: Mapped[datetime]
    read_at: Mapped[datetime | None]

    __table_args__ = (
        Index("ix_notices_seeker", "seeker_id", "sent_at"),
        Index("ix_notices_sent_at", "sent_at"),  # M3 sweep
        Index("ux_notices_seeker_kind_job", "seeker_id", "kind", "job_number", unique=True),  # J7/J6: once per posting
    )


class Thread(Base):
    """A conversation between the seeker and one establishment they applied or were referred to (M1).

    Opened by jobs' application events (one per application id) or referral events (one per referral
    id), never invented here. The submitted
    event names the establishment unless its posting hides the name (公開範囲3, J2a): then
    `establishment_name` stays "" (unknown).
    """

    __tablename__ = "threads"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seeker_id: Mapped[str] = mapped_column(String(36))
    application_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    referral_id: Mapped[str | None] = mapped_column(String(32))  # a counter referral's thread (J5)
    establishment_name: Mapped[str] = mapped_column(String(200))
    job_number: Mapped[str | None] = mapped_column(String(14))
    establishment_number: Mapped[str | None] = mapped_column(String(20))  # 事業所番号
    application_status: Mapped[str | None] = mapped_column(String(12))  # applied|screening|hired|rejected|withdrawn
    application_status_as_of: Mapped[datetime | None]  # the time of the event whose status is applied
    created_at: Mapped[datetime]
    last_message_at: Mapped[datetime | None]

    __table_args__ = (Index("ix_threads_seeker", "seeker_id", "last_message_at"),
                      UniqueConstraint("referral_id", name="uq_threads_referral_id"))


class Message(Base):
    """One message in a thread, written by the seeker or the establishment (M1); deleted after a year (M3)."""

    __tablename__ = "messages"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    thread_id: Mapped[str] = mapped_column(String(36), ForeignKey("threads.id", ondelete="CASCADE"))
    seeker_id: Mapped[str] = mapped_column(String(36))
    sender: Mapped[str] = mapped_column(String(10))  # seeker | employer
    body: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[datetime]
    read_at: Mapped[datetime | None]  # by the other side: the seeker for the employer's, the employer for the seeker's

    __table_args__ = (
        CheckConstraint("sender IN ('seeker', 'employer')", name="ck_messages_sender"),
        Index("ix_messages_thread", "thread_id", "sent_at"),
        Index("ix_messages_seeker_unread", "seeker_id", "read_at"),
        Index("ix_messages_sent_at", "sent_at"),  # M3 sweep
    )


seeker_status = SeekerStatusRow.__table__
notices = Notice.__table__
threads = Thread.__table__
messages = Message.__table__
