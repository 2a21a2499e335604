"""Finding and showing postings: the J2 search with its J2b facets and the J2a views of a posting.

    page = search(session, criteria, page=1, per_page=30, today=day, registered_caller=False,
                  engine=None, facets=("prefecture",))

Criteria are CriteriaSchema's canonical form. Only open postings shown online are found
(J1: not closed, 紹介期限日 not passed; J2a: scope 4 never).

With a search engine (the distributed mode, MYPAGE_SEARCH_URL) the engine finds the page's job
numbers, the exact total and the facets (search_engine.py) and the rows are read from PostgreSQL,
the system of record. Without one (the embedded mode's few thousand postings) the same criteria are
SQL: the free word (domain.parse_free_word: AND groups of OR words, one NOT word) a substring match
on `search_text` — or on `establishment_text` where the caller may see the name (J2a) — and the
facets GROUP BY. Both normalise alike (domain.normalise_text); a property test holds them to the
same totals and first page.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import and_, false, func, not_, or_, select
from sqlalchemy.orm import Session

from kit import codes
from services.jobs import domain
from services.jobs.models import postings
from services.jobs.search_engine import FACETS, SearchEngine

# What a posting in a list shows (summary): read without the description and the document.
_SUMMARY_COLUMNS = [postings.c[name] for name in (
    "job_number", "title", "establishment_number", "establishment_name", "publication_scope", "prefecture",
    "municipality", "station", "wage_type", "wage_min", "wage_max", "employment_type", "full_time", "category",
    "occupation_code", "online_application", "received_on", "deadline", "closed")]

# J2b: facet → the postings column counted
_FACET_COLUMNS = {"prefecture": "prefecture_code", "employment_type": "employment_type",
                  "occupation_group": "occupation_group", "category": "category"}
assert _FACET_COLUMNS.keys() == FACETS.keys()

# Keys of a posting's document that are contact details: shown only with the establishment (J2a).
CONTACT_KEYS = ("contact", "contact_person", "phone", "email", "fax", "address", "url", "establishment")


def _like(word: str) -> str:
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _contains(column, word: str):
    return column.like(_like(word), escape="\\")


def free_word_conditions(query: domain.FreeWordQuery, *, registered_caller: bool) -> list:
    """J2 free word: each group one of its words (OR), every group (AND), never the NOT word — as substrings
    of search_text, or of the establishment's name where the caller may see it (J2a)."""
    if not query:
        return []
    disclosed = (postings.c.publication_scope <= domain.SCOPE_REGISTERED_ONLY if registered_caller
                 else postings.c.publication_scope == domain.SCOPE_PUBLIC)

    def anywhere(word: str):
        return or_(_contains(postings.c.search_text, word),
                   and_(disclosed, _contains(postings.c.establishment_text, word)))

    where = [or_(*(anywhere(word) for word in group)) for group in query.groups]
    if query.excluded is not None:
        where.append(not_(anywhere(query.excluded)))
    return where


def _occupation_condition(code: str):
    found = codes.occupation(code)
    column = postings.c.occupation_code
    if found is not None and found.level == "detailed":
        return column == found.code
    if found is not None and found.level == "major":  # 大分類 C: every 中分類 under it
        middles = [o.code for o in codes.occupations().values() if o.parent == found.code]
        return or_(*(column.like(f"{middle}%") for middle in middles)) if middles else false()
    return column.like(f"{code}%")  # 小分類 361 → 361-xx, 中分類 36 → 36x-xx


def conditions(criteria: dict[str, Any], today: date, *, registered_caller: bool) -> list:
    """The WHERE conditions of `criteria` (canonical form), open postings shown online only."""
    where = [postings.c.publication_scope != domain.SCOPE_NOT_ONLINE, postings.c.closed.is_(False),
             postings.c.deadline >= today]
    where += free_word_conditions(domain.criteria_free_word(criteria.get("q")), registered_caller=registered_caller)
    if criteria.get("job_number"):
        where.append(postings.c.job_number.in_(criteria["job_number"]))
    if criteria.get("category"):
        where.append(postings.c.category.in_(criteria["category"]))
    if criteria.get("full_time") is not None:
        where.append(postings.c.full_time.is_(bool(criteria["full_time"])))
    if criteria.get("hours_start_from") is not None:
        where.append(postings.c.hours_start >= domain.clock_minutes(criteria["hours_start_from"]))
    if criteria.get("hours_end_by") is not None:
        where.append(postings.c.hours_end <= domain.clock_minutes(criteria["hours_end_by"]))
    if criteria.get("two_days_weekly"):
        where.append(postings.c.two_days_weekly.in_(domain.TWO_DAYS_WEEKLY_CHOICES[criteria["two_days_weekly"]]))
    if criteria.get("annual_holidays_min") is not None:
        where.append(postings.c.annual_holidays >= criteria["annual_holidays_min"])
    if criteria.get("new_within"):
        where.append(postings.c.received_on >= domain.new_since(criteria["new_within"], today))
    municipalities, whole = domain.places(criteria)
    if municipalities or whole:
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
           registered_caller: bool, engine: SearchEngine | None = None, facets: tuple[str, ...] = ()) -> dict[str, Any]:
    """J2: one page of matching postings, newest received first (or nearest deadline), with the total;
    J2b: with `facets`, the counts of the whole result per value of each. The engine's SearchUnavailable
    goes to the caller (503): the national volume is never scanned in PostgreSQL instead."""
    per_page = per_page or criteria.get("per_page") or domain.DEFAULT_PER_PAGE
    if engine is not None:
        found = engine.search(criteria, page=page, per_page=per_page, today=today,
                              registered_caller=registered_caller, facets=facets)
        by_number = {row.job_number: row for row in session.execute(
            select(*_SUMMARY_COLUMNS).where(postings.c.job_number.in_(found.job_numbers))).all()
        } if found.job_numbers else {}
        rows = [by_number[number] for number in found.job_numbers if number in by_number]
        total, counts = found.total, found.facets
    else:
        where = conditions(criteria, today, registered_caller=registered_caller)
        total = session.scalar(select(func.count()).select_from(postings).where(*where))
        if criteria.get("sort") == "deadline":
            order = (postings.c.deadline.asc(), postings.c.id.asc())
        else:
            order = (postings.c.received_on.desc(), postings.c.id.desc())
        rows = session.execute(select(postings).where(*where).order_by(*order)
                               .limit(per_page).offset((page - 1) * per_page)).all()
        counts = {facet: _facet_counts(session, _FACET_COLUMNS[facet], where) for facet in facets}
    result = {"items": [summary(row, today=today, registered_caller=registered_caller) for row in rows],
              "total": total, "page": page, "per_page": per_page}
    if facets:
        result["facets"] = {facet: [{"code": code, "name": facet_name(facet, code), "count": count}
                                    for code, count in counts[facet]] for facet in facets}
    return result


def _facet_counts(session: Session, column_name: str, where: list) -> list[tuple[str, int]]:
    """J2b on SQL: GROUP BY, largest first (then by code, as the engine sorts them)."""
    column = postings.c[column_name]
    count = func.count()
    rows = session.execute(select(column, count).where(*where, column.is_not(None)).group_by(column)
                           .order_by(count.desc(), column.asc())).all()
    return [(value, n) for value, n in rows if value]


def facet_name(facet: str, code: str) -> str:
    """J2b: the name of a facet value — a prefecture's or a 大分類's; employment type and category are their
    own names."""
    if facet == "prefecture":
        return codes.prefecture_name(code) or code
    if facet == "occupation_group":
        found = codes.occupation(code)
        return found.name if found else code
    return code


def find(session: Session, job_number: str):
    """The postings row of `job_number`, or None."""
    return session.execute(select(postings).where(postings.c.job_number == job_number)).first()


def status(row, today: date) -> str:
    return domain.posting_status(row.closed, row.deadline, today)


# A place is shown (and sent) by its names; its codes are what the field map keeps.
_SHOWN_AS = {"prefecture_code": "prefecture", "municipality_code": "municipality"}


def posting_part(row, part: str) -> dict[str, Any]:
    """One part of a posting (`establishment`, `location`, `wage`, `holidays`) as the API has it, read from the
    row by the posting's field map (domain.POSTING_FIELDS); a place by its names."""
    columns = {inner: domain.POSTING_FIELDS[f"{part}.{inner}"] for inner in domain.POSTING_PARTS[part]}
    return {inner: getattr(row, _SHOWN_AS.get(column, column)) for inner, column in columns.items()}


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
        "location": posting_part(row, "location"),
        "wage": posting_part(row, "wage"),
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
                holidays=posting_part(row, "holidays"),
                details=document)
    return view
