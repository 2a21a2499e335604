"""Applications (J8) with their documents, no-show reports and the restriction (J9)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kit.db import UtcDateTime
from services.jobs.models.base import Base


class Application(Base):
    """応募: an online self-application (オンライン自主応募) or an online referral (J8, J7).

    One per seeker and posting. `establishment_number` is copied from the posting so the employer
    side and the events need no join.
    """

    __tablename__ = "applications"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random, so ids reveal nothing
    seeker_id: Mapped[str] = mapped_column(String(36))
    job_number: Mapped[str] = mapped_column(String(14))
    establishment_number: Mapped[str] = mapped_column(String(20))
    route: Mapped[str] = mapped_column(String(20))  # self | recommendation
    motivation: Mapped[str] = mapped_column(Text)  # 志望動機
    status: Mapped[str] = mapped_column(String(10))  # applied | screening | hired | rejected | withdrawn
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime())
    status_changed_at: Mapped[datetime] = mapped_column(UtcDateTime())
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

    __table_args__ = (
        UniqueConstraint("seeker_id", "job_number", name="uq_applications_seeker_job"),
        CheckConstraint("status IN ('applied', 'screening', 'hired', 'rejected', 'withdrawn')",
                        name="ck_applications_status"),
        CheckConstraint("route IN ('self', 'recommendation')", name="ck_applications_route"),
        Index("ix_applications_seeker_submitted", "seeker_id", "submitted_at"),
        Index("ix_applications_establishment", "establishment_number", "submitted_at"),
    )


applications = Application.__table__


class ApplicationDocument(Base):
    """応募書類: a PDF attached to an application (J8), at most 3 of at most 2 MB each."""

    __tablename__ = "application_documents"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    application_id: Mapped[str] = mapped_column(String(32), ForeignKey("applications.id", ondelete="CASCADE"))
    seeker_id: Mapped[str] = mapped_column(String(36))  # so erasure finds every row of the seeker
    filename: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)

    __table_args__ = (Index("ix_application_documents_application", "application_id"),)


application_documents = ApplicationDocument.__table__


class NoShow(Base):
    """面接不参加: an employer's report on an online self-application (J9); one per application."""

    __tablename__ = "no_shows"

    application_id: Mapped[str] = mapped_column(String(32), ForeignKey("applications.id", ondelete="CASCADE"),
                                                primary_key=True)
    seeker_id: Mapped[str] = mapped_column(String(36))
    interview_date: Mapped[date] = mapped_column(Date)
    reported_at: Mapped[datetime] = mapped_column(UtcDateTime())

    __table_args__ = (Index("ix_no_shows_seeker_interview", "seeker_id", "interview_date"),)


no_shows = NoShow.__table__


class NoShowRestriction(Base):
    """J9: whether the seeker's My Page is restricted for no-shows, since when, and the last lift.

    The row is also the lock that serialises one seeker's no-show reports, so the 5th report makes
    exactly one restriction however many arrive at once.
    """

    __tablename__ = "no_show_restrictions"

    seeker_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    restricted_at: Mapped[datetime | None] = mapped_column(UtcDateTime())  # null: not restricted
    lifted_at: Mapped[datetime | None] = mapped_column(UtcDateTime())  # no-shows before it count no more
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


no_show_restrictions = NoShowRestriction.__table__
