"""What a seeker's My Page lists: favourites (J4), saved searches (J3), referrals (J5), recommendations
(J7) and direct requests (J8a)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from kit.db import DOCUMENT, UtcDateTime
from services.jobs.models.base import Base


class Favourite(Base):
    """お気に入り: a posting the seeker keeps for later (J4); it stays when the posting closes."""

    __tablename__ = "favourites"

    seeker_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    job_number: Mapped[str] = mapped_column(String(14), primary_key=True)
    added_at: Mapped[datetime] = mapped_column(UtcDateTime())

    __table_args__ = (Index("ix_favourites_seeker_added", "seeker_id", "added_at"),)


favourites = Favourite.__table__


class SavedSearch(Base):
    """保存した検索条件: a named set of /jobs criteria (J3)."""

    __tablename__ = "saved_searches"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random, so ids reveal nothing
    seeker_id: Mapped[str] = mapped_column(String(36))
    name: Mapped[str] = mapped_column(String(50))
    criteria: Mapped[dict[str, Any]] = mapped_column(DOCUMENT)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # 新着求人をメールで受け取る (opt-in) and the time the next daily digest counts new postings from
    email_alert: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    alert_since: Mapped[datetime | None] = mapped_column(UtcDateTime())

    __table_args__ = (Index("ix_saved_searches_seeker", "seeker_id", "created_at"),
                      Index("ix_saved_searches_alert_due", "email_alert", "alert_since"))


saved_searches = SavedSearch.__table__


class Referral(Base):
    """紹介: a referral Hello Work made, with its 紹介状 as issued (J5)."""

    __tablename__ = "referrals"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random, so ids reveal nothing
    seeker_id: Mapped[str] = mapped_column(String(36))
    job_number: Mapped[str] = mapped_column(String(14))
    referred_on: Mapped[date] = mapped_column(Date)
    letter: Mapped[dict[str, Any]] = mapped_column(DOCUMENT)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime())

    __table_args__ = (Index("ix_referrals_seeker", "seeker_id", "referred_on"),)


referrals = Referral.__table__


class Recommendation(Base):
    """おすすめ: a posting staff recommended to a seeker's My Page (J7); once per seeker and posting."""

    __tablename__ = "recommendations"

    seeker_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    job_number: Mapped[str] = mapped_column(String(14), primary_key=True)
    comment: Mapped[str | None] = mapped_column(Text)
    recommended_at: Mapped[datetime] = mapped_column(UtcDateTime())

    __table_args__ = (Index("ix_recommendations_seeker_at", "seeker_id", "recommended_at"),)


recommendations = Recommendation.__table__


class DirectRequest(Base):
    """直接リクエスト (J8a): an employer sent a posting to a disclosed seeker; once per seeker and posting."""

    __tablename__ = "direct_requests"

    job_number: Mapped[str] = mapped_column(String(14), primary_key=True)
    seeker_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    message: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime] = mapped_column(UtcDateTime())

    __table_args__ = (Index("ix_direct_requests_seeker", "seeker_id", "sent_at"),)


direct_requests = DirectRequest.__table__
