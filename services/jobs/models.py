"""The jobs service's own tables: postings (求人), the seeker_status projection, favourites (お気に入り),
saved search conditions (保存した検索条件),
referrals (紹介, J5), recommendations (おすすめ, J7), applications (応募, J8) with their documents,
no-show reports and restrictions (J9), the desired conditions and the matches of J6, plus the outbox and inbox."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from kit.codes import find_municipality, normalise_occupation_code, occupation
from kit.db import UtcDateTime
from kit.inbox import inbox_table
from kit.outbox import outbox_table
from services.jobs.domain import POSTING_PARTS, POSTING_PAYLOAD_FIELDS, hours_span, normalise_text

# BigInteger on PostgreSQL; INTEGER PRIMARY KEY (the rowid, so autoincrementing) on SQLite.
_ID = BigInteger().with_variant(Integer(), "sqlite")
_DOCUMENT = JSON().with_variant(postgresql.JSONB(), "postgresql")

WAGE_TYPES = ("monthly", "hourly", "daily")


class Base(DeclarativeBase):
    pass


outbox = outbox_table(Base.metadata)
inbox = inbox_table(Base.metadata)


class Posting(Base):
    """求人: a job posting as the employer-side system sends it (SPEC J1).

    The fields search filters and sorts on are columns; everything else the employer sent
    (insurance, required experience and licences, …) is kept in `document`.
    """

    __tablename__ = "postings"

    id: Mapped[int] = mapped_column(_ID, primary_key=True, autoincrement=True)
    job_number: Mapped[str] = mapped_column(String(14))  # 求人番号 NNNNN-NNNNNNNN
    establishment_number: Mapped[str] = mapped_column(String(20), index=True)  # 事業所番号
    establishment_name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(200))  # 職種
    occupation_code: Mapped[str] = mapped_column(String(10))  # 職業分類, e.g. "361-01"
    description: Mapped[str] = mapped_column(Text)  # 仕事の内容
    category: Mapped[str] = mapped_column(String(20))  # 求人区分: 一般, 新卒・既卒, 季節, …
    full_time: Mapped[bool] = mapped_column(Boolean)  # フルタイム / パート
    employment_type: Mapped[str] = mapped_column(String(20))  # 雇用形態
    prefecture_code: Mapped[str] = mapped_column(String(2))
    prefecture: Mapped[str] = mapped_column(String(10))
    municipality_code: Mapped[str] = mapped_column(String(5))
    municipality: Mapped[str] = mapped_column(String(40))
    station: Mapped[str | None] = mapped_column(String(60))  # 最寄り駅
    wage_type: Mapped[str] = mapped_column(String(10))  # monthly | hourly | daily
    wage_min: Mapped[int] = mapped_column(Integer)
    wage_max: Mapped[int | None] = mapped_column(Integer)
    hours: Mapped[str | None] = mapped_column(String(100))  # 就業時間, e.g. "08:30-17:30"
    # J2 hours criteria: the span of `hours` in minutes from midnight (domain.hours_span); null if unreadable
    hours_start: Mapped[int | None] = mapped_column(SmallInteger)
    hours_end: Mapped[int | None] = mapped_column(SmallInteger)  # past midnight: > 1440
    two_days_weekly: Mapped[str | None] = mapped_column(String(10))  # 週休二日制: 毎週 / その他 / なし
    annual_holidays: Mapped[int | None] = mapped_column(SmallInteger)  # 年間休日数
    publication_scope: Mapped[int] = mapped_column(SmallInteger)  # 公開範囲 1–4 (SPEC J2a)
    online_application: Mapped[bool] = mapped_column(Boolean)  # オンライン自主応募の可否 (J8)
    received_on: Mapped[date] = mapped_column(Date)  # 受付年月日
    deadline: Mapped[date] = mapped_column(Date)  # 紹介期限日
    closed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # J2 free word (free_word_text, normalised by domain.normalise_text): title, description, occupation
    # name, employment type, category; the establishment's name apart (J2a: not every caller may find it)
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    establishment_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    occupation_group: Mapped[str | None] = mapped_column(String(1))  # 大分類 A–K of occupation_code (J2b)
    document: Mapped[dict[str, Any]] = mapped_column(_DOCUMENT, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        UniqueConstraint("job_number", name="uq_postings_job_number"),
        CheckConstraint("publication_scope BETWEEN 1 AND 4", name="ck_postings_publication_scope"),
        CheckConstraint("wage_type IN ('monthly', 'hourly', 'daily')", name="ck_postings_wage_type"),
        CheckConstraint("length(job_number) = 14", name="ck_postings_job_number"),
        # newest first is the default order of search (J2)
        Index("ix_postings_received_on", "received_on", "id"),
        Index("ix_postings_created_at", "created_at"),  # a saved search's digest: what arrived since the last
        Index("ix_postings_deadline", "deadline"),
        Index("ix_postings_prefecture", "prefecture_code", "received_on"),
        Index("ix_postings_municipality", "municipality_code", "received_on"),
        # equality on "361-01" and prefix ranges on "361" both use this index
        Index("ix_postings_occupation", "occupation_code"),
        Index("ix_postings_wage", "wage_type", "wage_min"),
        Index("ix_postings_employment_type", "employment_type"),
        # The free word at scale is the search engine's (search_engine.py); the embedded mode scans search_text.
    )


postings = Posting.__table__

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
    criteria: Mapped[dict[str, Any]] = mapped_column(_DOCUMENT)
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
    letter: Mapped[dict[str, Any]] = mapped_column(_DOCUMENT)
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
    desired: Mapped[dict[str, Any]] = mapped_column(_DOCUMENT)
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


class EmployerClientRow(Base):
    """The establishments each employer client acts for (C1/C2), from auth.employer_client.changed.v1: what a
    posting the employer-side system publishes as an event on a client's behalf is checked against (J1)."""

    __tablename__ = "employer_clients"

    client_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    establishments: Mapped[list[str]] = mapped_column(_DOCUMENT)
    revoked: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(UtcDateTime())  # the event's time: an older one changes nothing


employer_clients = EmployerClientRow.__table__


class PostingEventVersion(Base):
    """J1 by events: the time of the newest employer event applied to a posting, so an older one arriving
    late (a retry, another worker) is ignored; `closed` keeps a close that overtook its publication."""

    __tablename__ = "posting_event_versions"

    job_number: Mapped[str] = mapped_column(String(14), primary_key=True)
    event_time: Mapped[datetime] = mapped_column(UtcDateTime())
    event_id: Mapped[str] = mapped_column(String(64))
    closed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


posting_event_versions = PostingEventVersion.__table__


class DirectRequest(Base):
    """直接リクエスト (J8a): an employer sent a posting to a disclosed seeker; once per seeker and posting."""

    __tablename__ = "direct_requests"

    job_number: Mapped[str] = mapped_column(String(14), primary_key=True)
    seeker_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    message: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime] = mapped_column(UtcDateTime())

    __table_args__ = (Index("ix_direct_requests_seeker", "seeker_id", "sent_at"),)


direct_requests = DirectRequest.__table__


def posting_row(payload: Mapping[str, Any], *, now: datetime) -> dict[str, Any]:
    """J1: the postings row for a payload shaped like `POST /api/v1/employer/jobs`.

    Prefecture and municipality names are resolved to their codes (kit.codes); an unknown
    place raises ValueError. Fields without a column (domain.POSTING_FIELDS) are kept in `document`.
    """
    location = payload["location"]
    place = find_municipality(location["prefecture"], location["municipality"])
    if place is None:
        raise ValueError(f"unknown municipality {location['prefecture']} {location['municipality']}")
    wage = payload["wage"]
    holidays = payload.get("holidays") or {}
    span = hours_span(payload.get("hours"))
    occupation_code = normalise_occupation_code(payload["occupation_code"])
    document: dict[str, Any] = {key: value for key, value in payload.items() if key not in POSTING_PAYLOAD_FIELDS}
    for key, known in POSTING_PARTS.items():
        extra = {name: value for name, value in (payload.get(key) or {}).items() if name not in known}
        if extra:
            document[key] = extra
    return {
        "job_number": payload["job_number"],
        "establishment_number": payload["establishment"]["number"],
        "establishment_name": payload["establishment"]["name"],
        "title": payload["title"],
        "occupation_code": occupation_code,
        "description": payload["description"],
        "category": payload["category"],
        "full_time": payload["full_time"],
        "employment_type": payload["employment_type"],
        "prefecture_code": place.prefecture_code,
        "prefecture": place.prefecture_name,
        "municipality_code": place.code,
        "municipality": place.name,
        "station": location.get("station"),
        "wage_type": wage["type"],
        "wage_min": wage["min"],
        "wage_max": wage.get("max"),
        "hours": payload.get("hours"),
        "hours_start": span[0] if span else None,
        "hours_end": span[1] if span else None,
        "two_days_weekly": holidays.get("two_days_weekly"),
        "annual_holidays": holidays.get("annual_days"),
        "publication_scope": payload["publication_scope"],
        "online_application": payload["online_application"],
        "received_on": _date(payload["received_on"]),
        "deadline": _date(payload["deadline"]),
        "closed": False,
        "search_text": normalise_text(free_word_text(payload["title"], payload["description"], occupation_code,
                                                     payload["employment_type"], payload["category"])),
        "establishment_text": normalise_text(payload["establishment"]["name"]),
        "occupation_group": occupation_group(occupation_code),
        "document": document,
        "created_at": now,
        "updated_at": now,
    }


def free_word_text(title: str, description: str, occupation_code: str, employment_type: str, category: str) -> str:
    """J2: what the free word is found in besides the establishment — title, description, the name of the
    occupation, the employment type and the job category (パート finds パート労働者 postings), one per line
    (a word never spans two of them). Unnormalised: the search engine normalises it itself."""
    found = occupation(occupation_code)
    return "\n".join([title, description, found.name if found else "", employment_type, category])


def occupation_group(code: str) -> str | None:
    """The 大分類 (A–K) of an occupation code: "361-01" → "E" (J2b facet `occupation_group`)."""
    found = occupation(code)
    while found is not None and found.parent is not None:
        found = occupation(found.parent)
    return found.code if found is not None and found.level == "major" else None


def _date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)
