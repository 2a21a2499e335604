"""求人: the postings table, the employer clients and the posting events' versions (J1, C2), and a
posting's row for an API payload (the posting's field map, domain.POSTING_FIELDS)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from kit.codes import find_municipality, normalise_occupation_code, occupation
from kit.db import DOCUMENT, ROW_ID, UtcDateTime
from services.jobs.domain import POSTING_PARTS, POSTING_PAYLOAD_FIELDS, hours_span, normalise_text
from services.jobs.models.base import Base


class Posting(Base):
    """求人: a job posting as the employer-side system sends it (SPEC J1).

    The fields search filters and sorts on are columns; everything else the employer sent
    (insurance, required experience and licences, …) is kept in `document`.
    """

    __tablename__ = "postings"

    id: Mapped[int] = mapped_column(ROW_ID, primary_key=True, autoincrement=True)
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
    document: Mapped[dict[str, Any]] = mapped_column(DOCUMENT, default=dict)
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


class EmployerClientRow(Base):
    """The establishments each employer client acts for (C1/C2), from auth.employer_client.changed.v1: what a
    posting the employer-side system publishes as an event on a client's behalf is checked against (J1)."""

    __tablename__ = "employer_clients"

    client_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    establishments: Mapped[list[str]] = mapped_column(DOCUMENT)
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
