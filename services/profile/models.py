"""The profile service's own tables: seekers (求職者), plus the outbox and inbox."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import CheckConstraint, Date, DateTime, Index, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from kit.db import DOCUMENT, UtcDateTime
from kit.inbox import inbox_table
from kit.outbox import outbox_table

KINDS = ("registered", "online")  # 利用登録者 / オンライン登録者 (SPEC P3b)
REGISTRATION_STATUSES = ("valid", "invalid")  # 有効 / 無効 (SPEC P3)


class Base(DeclarativeBase):
    pass


outbox = outbox_table(Base.metadata)
inbox = inbox_table(Base.metadata)


class Seeker(Base):
    """求職者: a job-seeker registration (求職登録) made by staff (SPEC P1).

    `id` is the opaque seeker id every service and event uses; the 求職番号 is a business key.
    Identity and registration fields are columns; the rest of the registration (address,
    phone, education, work_history, qualifications, desired) is `document`, as the API shows it.
    """

    __tablename__ = "seekers"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # opaque (uuid4)
    seeker_number: Mapped[str] = mapped_column(String(14))  # 求職番号 NNNNN-NNNNNNNN
    name: Mapped[str] = mapped_column(String(100))
    name_kana: Mapped[str] = mapped_column(String(100))
    birth_date: Mapped[date] = mapped_column(Date)
    email: Mapped[str] = mapped_column(String(254), index=True)  # the login email registered at the counter
    kind: Mapped[str] = mapped_column(String(20))  # registered | online
    office_code: Mapped[str] = mapped_column(String(5))  # 利用安定所
    office_name: Mapped[str] = mapped_column(String(60))
    registration_status: Mapped[str] = mapped_column(String(10))  # valid | invalid
    applied_on: Mapped[date] = mapped_column(Date)  # 求職申込日
    valid_until: Mapped[date] = mapped_column(Date)  # 有効期限 (P3a)
    invalidated_on: Mapped[date | None] = mapped_column(Date)  # the day it last became invalid (R2)
    confirmed_on: Mapped[date | None] = mapped_column(Date)  # an online registrant confirmed by staff (P3b)
    # 求職情報公開 (J8a): while disclosed, employers see an anonymous profile under `public_ref`
    # (random, new at each disclosure, so a withdrawn and renewed disclosure cannot be linked)
    public_ref: Mapped[str | None] = mapped_column(String(32))
    disclosed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    document: Mapped[dict[str, Any]] = mapped_column(DOCUMENT, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        UniqueConstraint("seeker_number", name="uq_seekers_seeker_number"),
        UniqueConstraint("public_ref", name="uq_seekers_public_ref"),
        CheckConstraint("kind IN ('registered', 'online')", name="ck_seekers_kind"),
        CheckConstraint("registration_status IN ('valid', 'invalid')", name="ck_seekers_registration_status"),
        CheckConstraint("length(seeker_number) = 14", name="ck_seekers_seeker_number"),
        # the daily expiry (P3a) and the 5-year erasure (R2) scan these
        Index("ix_seekers_valid_until", "registration_status", "valid_until"),
        Index("ix_seekers_invalidated_on", "invalidated_on"),
    )


seekers = Seeker.__table__


class ApplicationProfile(Base):
    """The applicant's 求職情報 as the employer reads it with one online application (issue 13 item 3), frozen
    when the application was made: 氏名, 職歴, 資格・免許, 希望条件, 自己PR, and the contact parts (住所, 電話番号,
    生年月日) the seeker chose to send (`shared_contact`). Erased with the seeker (`seeker_id`, R3)."""

    __tablename__ = "application_profiles"

    application_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    seeker_id: Mapped[str] = mapped_column(String(36), index=True)
    establishment_number: Mapped[str] = mapped_column(String(20))  # C2: only this establishment's employer reads it
    job_number: Mapped[str] = mapped_column(String(14))
    shared_contact: Mapped[list[str]] = mapped_column(DOCUMENT)
    profile: Mapped[dict[str, Any]] = mapped_column(DOCUMENT)
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime())


application_profiles = ApplicationProfile.__table__
