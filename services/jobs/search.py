"""Finding and showing postings: the J2 search and the J2a views of a posting.

    page = search(session, criteria, page=1, per_page=30, today=day, registered_caller=False)

Criteria are CriteriaSchema's canonical form. Only open postings shown online are found
(J1: not closed, 紹介期限日 not passed; J2a: scope 4 never).

The free word (domain.parse_free_word: AND groups of OR words, one NOT word) is a substring
match on `postings.search_text` (domain.normalise_text of title and description). On SQLite
(the embedded mode's few thousand postings) that is a scan with LIKE. On PostgreSQL the same
LIKE conditions are kept as the exact check, and the character-bigram GIN index
(`jobs_bigrams(search_text)`, migration 0006) narrows the rows first: a 1-character word is
a prefix lexeme (`'寮':*`), a 2-character word one lexeme, a longer word all of its bigrams.
bench/search.py chose this over a plain scan and pg_trgm (which cannot index 2-character
words); the figures are in services/jobs/README.md.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import and_, cast, false, func, not_, or_, select
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.orm import Session

from kit import codes
from services.jobs import domain
from services.jobs.models import postings

# Keys of a posting's document that are contact details: shown only with the establishment (J2a).
CONTACT_KEYS = ("contact", "contact_person", "phone", "email", "fax", "address", "url", "establishment")


def _like(word: str) -> str:
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _contains(word: str):
    return postings.c.search_text.like(_like(word), escape="\\")


def _lexeme(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'"


def _word_tsquery(word: str) -> str:
    """The bigram lexemes a word's text must hold: '寮':* | '介護' | ('ヘル' & 'ルパ' & 'パー')."""
    if len(word) == 1:
        return _lexeme(word) + ":*"
    bigrams = dict.fromkeys(word[i:i + 2] for i in range(len(word) - 1))
    return "(" + " & ".join(_lexeme(bigram) for bigram in bigrams) + ")"


def bigram_tsquery(query: domain.FreeWordQuery) -> str:
    """The tsquery (text form) of the words to look for, for the bigram index: each group an OR of
    its words, the groups ANDed. The NOT word is left to the LIKE check (a posting holding every
    bigram of a long word may still lack the word, so the index cannot exclude it)."""
    return " & ".join("(" + " | ".join(_word_tsquery(word) for word in group) + ")" for group in query.groups)


def free_word_conditions(query: domain.FreeWordQuery, *, bigram_index: bool) -> list:
    """J2 free word: each group one of its words (OR), every group (AND), never the NOT word — as
    substrings of search_text; with `bigram_index` (PostgreSQL) the bigram GIN index is asked first."""
    if not query:
        return []
    where = []
    if bigram_index:
        where.append(func.jobs_bigrams(postings.c.search_text).op("@@")(cast(bigram_tsquery(query), TSQUERY)))
    for group in query.groups:
        # The index answers words of 1 or 2 characters exactly; longer ones need the substring check.
        if not bigram_index or any(len(word) > 2 for word in group):
            where.append(or_(*(_contains(word) for word in group)))
    if query.excluded is not None:
        where.append(not_(_contains(query.excluded)))
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


def conditions(criteria: dict[str, Any], today: date, *, bigram_index: bool = False) -> list:
    """The WHERE conditions of `criteria` (canonical form), open postings shown online only.
    `bigram_index`: PostgreSQL, where the free word may use the bigram GIN index."""
    where = [postings.c.publication_scope != domain.SCOPE_NOT_ONLINE, postings.c.closed.is_(False),
             postings.c.deadline >= today]
    where += free_word_conditions(_free_word(criteria.get("q")), bigram_index=bigram_index)
    if criteria.get("job_number"):
        where.append(postings.c.job_number.in_(criteria["job_number"]))
    if criteria.get("category"):
        where.append(postings.c.category.in_(criteria["category"]))
    if criteria.get("full_time") is not None:
        where.append(postings.c.full_time.is_(bool(criteria["full_time"])))
    if criteria.get("hours_start_from") is not None:
        where.append(postings.c.hours_start >= _minutes(criteria["hours_start_from"]))
    if criteria.get("hours_end_by") is not None:
        where.append(postings.c.hours_end <= _minutes(criteria["hours_end_by"]))
    if criteria.get("two_days_weekly"):
        where.append(postings.c.two_days_weekly.in_(domain.TWO_DAYS_WEEKLY_CHOICES[criteria["two_days_weekly"]]))
    if criteria.get("annual_holidays_min") is not None:
        where.append(postings.c.annual_holidays >= criteria["annual_holidays_min"])
    if criteria.get("new_within"):
        where.append(postings.c.received_on >= domain.new_since(criteria["new_within"], today))
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
    where = conditions(criteria, today, bigram_index=session.get_bind().dialect.name == "postgresql")
    total = session.scalar(select(func.count()).select_from(postings).where(*where))
    if criteria.get("sort") == "deadline":
        order = (postings.c.deadline.asc(), postings.c.id.asc())
    else:
        order = (postings.c.received_on.desc(), postings.c.id.desc())
    rows = session.execute(select(postings).where(*where).order_by(*order)
                           .limit(per_page).offset((page - 1) * per_page)).all()
    return {"items": [summary(row, today=today, registered_caller=registered_caller) for row in rows],
            "total": total, "page": page, "per_page": per_page}


def _free_word(q: str | None) -> domain.FreeWordQuery:
    try:
        return domain.parse_free_word(q)
    except domain.FreeWordError:
        # A saved search (J3) stored before the syntax existed (`-派遣` alone was a word then): its
        # words, all of them, as it was searched when saved.
        words = dict.fromkeys(domain.normalise_text(q or "").split())
        return domain.FreeWordQuery(groups=tuple((word,) for word in words))


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


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
