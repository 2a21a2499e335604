"""What jobs keeps of seekers from profile's and auth's events: the seeker_status projection (P4),
求職情報公開 (J8a), the desired conditions and their matches (J6)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, CheckConstraint, Date, Index, Integer, String, UniqueConstraint, false, true
from sqlalchemy.orm import Mapped, mapped_column

from kit.db import DOCUMENT, UtcDateTime
from services.jobs.models.base import Base


class SeekerStatusRow(Base):
    """seeker_status: the projection of profile's and auth's events that gates features (P4, DESIGN §1).

    Each part keeps the time of the event that set it (older events arriving late are ignored).
    The row is also the lock that serialises one seeker's limited writes (J3, J4, S6).
    """

    __tablename__ = "seeker_status"

    seeker_id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the opaque id (token `sub`)
    seeker_number: Mapped[str | None] = mapped_column(String(14))  # 求職番号, for staff systems
    registration: Mapped[str | None] = mapped_column(String(10))  # valid | invalid
    registration_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    valid_until: Mapped[date | None] = mapped_column(Date)
    kind: Mapped[str | None] = mapped_column(String(10))  # registered | online
    kind_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    usable: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    usable_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())

    __table_args__ = (Index("ix_seeker_status_seeker_number", "seeker_number"),)


seeker_status = SeekerStatusRow.__table__


class DesiredConditions(Base):
    """希望条件: the seeker's desired conditions as profile last said them (J6, P1), one row per seeker.

    `desired` is the payload as received; `changed_at` the time of the event that set it (an older
    event arriving late changes nothing). The wage condition is here; the occupations, employment
    types and places are rows of `desired_condition_terms`, normalised to codes for the match.
    """

    __tablename__ = "desired_conditions"

    seeker_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    wage_type: Mapped[str] = mapped_column(String(10))  # monthly | hourly | daily
    wage_min: Mapped[int | None] = mapped_column(Integer)  # null: no wage condition
    desired: Mapped[dict[str, Any]] = mapped_column(DOCUMENT)
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


desired_conditions = DesiredConditions.__table__


class DesiredConditionTerm(Base):
    """One normalised term of a seeker's desired conditions (J6, commands/matching.py): `kind` o (occupation:
    a 職業分類 code the posting's code must equal or start with), e (employment type), p (place: a
    5-digit municipality or a 2-digit prefecture taken whole); `value` "*" when the seeker named none of
    that kind. A seeker who named nothing at all has no terms, so matches nothing."""

    __tablename__ = "desired_condition_terms"

    seeker_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(1), primary_key=True)
    value: Mapped[str] = mapped_column(String(20), primary_key=True)

    __table_args__ = (
        CheckConstraint("kind IN ('o', 'e', 'p')", name="ck_desired_condition_terms_kind"),
        # the match looks terms up by (kind, value) and joins on the seeker: an index-only lookup
        Index("ix_desired_condition_terms_lookup", "kind", "value", "seeker_id"),
    )


desired_condition_terms = DesiredConditionTerm.__table__


class Match(Base):
    """J6: a new posting matched the seeker's desired conditions; once per seeker and posting, kept while
    it no longer fits (`unmatched_at`: the posting or the conditions changed; off the list) so a posting
    that fits again is listed again but never delivered twice (commands/rematching.py)."""

    __tablename__ = "matches"

    seeker_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    job_number: Mapped[str] = mapped_column(String(14), primary_key=True)
    matched_at: Mapped[datetime] = mapped_column(UtcDateTime())
    unmatched_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

    __table_args__ = (Index("ix_matches_seeker_at", "seeker_id", "matched_at"),)


matches = Match.__table__


class Disclosure(Base):
    """求職情報公開 (J8a), as profile's events said: whether the seeker is disclosed and under which reference."""

    __tablename__ = "disclosures"

    seeker_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    public: Mapped[bool] = mapped_column(Boolean)
    public_ref: Mapped[str | None] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(UtcDateTime())  # the event's time: older news changes nothing

    __table_args__ = (UniqueConstraint("public_ref", name="uq_disclosures_public_ref"),)


disclosures = Disclosure.__table__
