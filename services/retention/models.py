"""The retention service's own tables (SPEC R2, R3).

Retention keeps the least it needs (E3): per seeker the day the registration became invalid
(the opaque id and a date, from profile's events), and per erasure the id it asked the services
to erase — only until every service confirmed. Then the seeker id is gone from every table here
and what stays is the audit entry: ids of the erasure, reason, times and row counts.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from kit.db import UtcDateTime
from kit.inbox import inbox_table
from kit.outbox import outbox_table


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UtcDateTime}


outbox = outbox_table(Base.metadata)
inbox = inbox_table(Base.metadata)


class RegistrationRow(Base):
    """R2: what profile's events said of one seeker's registration: invalid since a day, or valid (NULL).

    `as_of` is the time of the event applied, so an older event arriving late changes nothing.
    """

    __tablename__ = "registrations"

    seeker_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    invalid_since: Mapped[date | None] = mapped_column(Date)  # 求職無効日; NULL while valid
    as_of: Mapped[datetime]

    __table_args__ = (Index("ix_registrations_invalid_since", "invalid_since"),)  # the R2 sweep


class Erasure(Base):
    """R3: one erasure of one seeker in every service, from a withdrawal (A9) or five years (R2).

    `seeker_id` is set while the saga runs (unique: one open erasure per seeker) and NULL once
    every service confirmed the final round.
    """

    __tablename__ = "erasures"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seeker_id: Mapped[str | None] = mapped_column(String(36), unique=True)
    reason: Mapped[str] = mapped_column(String(20))  # withdrawal | retention_5y
    requested_at: Mapped[datetime]
    last_requested_at: Mapped[datetime]  # the latest (re-)sending of the request
    requests: Mapped[int] = mapped_column(Integer, default=1)
    completed_at: Mapped[datetime | None]
    round: Mapped[int] = mapped_column(Integer, default=1, server_default="1")  # 1, then the final round 2
    first_round_completed_at: Mapped[datetime | None]  # all four confirmed round 1
    first_round_rows: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # their counts (the audit adds them up)
    final_round_requested_at: Mapped[datetime | None]  # round 2 first asked (NULL: not yet)

    __table_args__ = (
        CheckConstraint("reason IN ('withdrawal', 'retention_5y')", name="ck_erasures_reason"),
        Index("ix_erasures_open", "completed_at", "last_requested_at"),  # the R3 retry
    )


class Confirmation(Base):
    """R3: a service confirmed the erasure, with how many rows it deleted."""

    __tablename__ = "erasure_confirmations"

    erasure_id: Mapped[str] = mapped_column(String(36), ForeignKey("erasures.id", ondelete="CASCADE"),
                                            primary_key=True)
    service: Mapped[str] = mapped_column(String(20), primary_key=True)
    rows_erased: Mapped[int] = mapped_column(Integer)
    confirmed_at: Mapped[datetime]


class AuditEntry(Base):
    """R3: the audit of a finished erasure — what was erased and when, without personal data
    (no seeker id, number, name: the erasure id, reason, times and the rows erased per service)."""

    __tablename__ = "erasure_audit"

    erasure_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    reason: Mapped[str] = mapped_column(String(20))
    requested_at: Mapped[datetime]
    completed_at: Mapped[datetime]
    rows_erased: Mapped[dict[str, Any]] = mapped_column(JSON)  # {"auth": 7, "profile": 1, …}


registrations = RegistrationRow.__table__
erasures = Erasure.__table__
confirmations = Confirmation.__table__
audit = AuditEntry.__table__
