"""Finding and showing postings: the simple search of this issue (J2 basics) and J2a views.

    page = search(session, criteria, page=1, per_page=30, today=day, registered_caller=False)

Criteria are CriteriaSchema's canonical form. Only open postings shown online are found
(J1: not closed, 紹介期限日 not passed; J2a: scope 4 never). The free word is the simple
form: NFKC + case folding, every word a substring of title or description. The full
Japanese search (AND/OR/NOT, kana folding, 2-character words over an index, the benchmark
that picks bigrams or a morphological analyser) is a later issue.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import and_, false, func, or_, select
from sqlalchemy.orm import Session

from kit import codes
from services.jobs import domain
from services.jobs.models import postings

# Keys of a posting's document that are contact details: shown only with the establishment (J2a).
CONTACT_KEYS = ("contact", "contact_person", "phone", "email", "fax", "address", "url", "establishment")


def _like(word: str) -> str:
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _occupation_condition(code: str):
    found = codes.occupation(code)
    column = postings.c.occupation_code
    if found is not None and found.level == "detailed":
        return column == found.code
    if found is not None and found.level == "major":  # 大分類 C: every 中分類 under it
        middles = [o.code for o in codes.occupations().values() if o.parent == found.code]
        return or_(*(column.like(f"{middle}%") for middle in middles)) if middles else false()
    return column.like(f"{code}%")  # 小分類 361 → 361-xx, 中分類 36 → 36x-xx


def conditions(criteria: dict[str, Any], today: date) -> list:
    """The WHERE conditions of `criteria` (canonical form), open postings shown online only."""
    where = [postings.c.publication_scope != domain.SCOPE_NOT_ONLINE, postings.c.closed.is_(False),
             postings.c.deadline >= today]
    for word in domain.free_words(criteria.get("q")):
        where.append(postings.c.search_text.like(_like(word), escape="\\"))
    municipalities = criteria.get("municipality") or []
    prefectures = criteria.get("prefecture") or []
    if municipalities or prefectures:
        # A prefecture with none of its municipalities chosen counts as a whole (埼玉県越谷市 + 東京都).
        chosen_in = {code[:2] for code in municipalities}
        whole = [code for code in prefectures if code not in chosen_in]
        places = []
        if municipalities:
            places.append(postings.c.municipality_code.in_(municipalities))
        if whole:
            places.append(postings.c.prefecture_code.in_(whole))
        where.append(or_(*places))
    if criteria.get("occupation"):
        where.append(or_(*(_occupation_condition(code) for code in criteria["occupation"])))
    if criteria.get("employment_type"):
        where.append(postings.c.employment_type.in_(criteria["employment_type"]))
    if criteria.get("wage_min") is not None:
        where.append(and_(postings.c.wage_type == criteria.get("wage_type", "monthly"),
                          postings.c.wage_min >= criteria["wage_min"]))
    return where


def search(session: Session, criteria: dict[str, Any], *, page: int, per_page: int | None, today: date,
           registered_caller: bool) -> dict[str, Any]:
    """J2: one page of matching postings, newest received first (or nearest deadline), with the total."""
    per_page = per_page or criteria.get("per_page") or domain.DEFAULT_PER_PAGE
    where = conditions(criteria, today)
    total = session.scalar(select(func.count()).select_from(postings).where(*where))
    if criteria.get("sort") == "deadline":
        order = (postings.c.deadline.asc(), postings.c.id.asc())
    else:
        order = (postings.c.received_on.desc(), postings.c.id.desc())
    rows = session.execute(select(postings).where(*where).order_by(*order)
                           .limit(per_page).offset((page - 1) * per_page)).all()
    return {"items": [summary(row, today=today, registered_caller=registered_caller) for row in rows],
            "total": total, "page": page, "per_page": per_page}


def find(session: Session, job_number: str):
    """The postings row of `job_number`, or None."""
    return session.execute(select(postings).where(postings.c.job_number == job_number)).first()


def status(row, today: date) -> str:
    if row.closed:
        return "closed"
    return "open" if domain.is_open(row.closed, row.deadline, today) else "expired"


def summary(row, *, today: date, registered_caller: bool) -> dict[str, Any]:
    """A posting in a list, as this caller may see it (J2a)."""
    disclosed = domain.discloses_establishment(row.publication_scope, registered_caller)
    return {
        "job_number": row.job_number,
        "title": row.title,
        "establishment": {
            "number": row.establishment_number if disclosed else None,
            "name": row.establishment_name if disclosed else None,
            "disclosed": disclosed,
            "hidden_reason": None if disclosed else domain.hidden_reason(row.publication_scope),
        },
        "location": {"prefecture": row.prefecture, "municipality": row.municipality, "station": row.station},
        "wage": {"type": row.wage_type, "min": row.wage_min, "max": row.wage_max},
        "employment_type": row.employment_type,
        "full_time": row.full_time,
        "category": row.category,
        "occupation_code": row.occupation_code,
        "online_application": row.online_application,
        "received_on": row.received_on,
        "deadline": row.deadline,
        "status": status(row, today),
    }


def detail(row, *, today: date, registered_caller: bool) -> dict[str, Any]:
    """求人票 (J1) as this caller may see it: no name or contact unless the scope allows (J2a)."""
    view = summary(row, today=today, registered_caller=registered_caller)
    disclosed = view["establishment"]["disclosed"]
    document = dict(row.document or {})
    if not disclosed:
        for key in CONTACT_KEYS:
            document.pop(key, None)
    view.update(description=row.description, hours=row.hours, publication_scope=row.publication_scope,
                holidays={"two_days_weekly": row.two_days_weekly, "annual_days": row.annual_holidays},
                details=document)
    return view
