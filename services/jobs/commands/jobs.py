"""J2 search and a posting's page (J1, J2a) as the public and seekers find them; P5's counts of what a
seeker keeps."""

from __future__ import annotations

import logging
from typing import Any

from kit.problem import Problem
from kit.uow import UnitOfWork
from services.jobs import domain, search
from services.jobs.commands.common import (
    canonical_job_number,
    count_of,
    find_online,
    is_favourite,
    job_not_found,
    today,
)
from services.jobs.models import favourites, recommendations, referrals, saved_searches
from services.jobs.search_engine import SearchEngine, SearchUnavailable

log = logging.getLogger("mypage.jobs")


def search_jobs(uow: UnitOfWork, criteria: dict[str, Any], *, page: int, registered: bool,
                per_page: int | None = None, engine: SearchEngine | None = None,
                facets: tuple[str, ...] = ()) -> dict[str, Any]:
    """J2/J2b: open to everyone, whatever the caller's registration (P4 keeps public search open).
    With a search engine that does not answer: 503 (DESIGN §9), never a scan of PostgreSQL instead."""
    try:
        return search.search(uow.session, criteria, page=page, per_page=per_page, today=today(uow),
                             registered_caller=registered, engine=engine, facets=facets)
    except SearchUnavailable as error:
        log.warning("search engine unavailable: %s", error)
        raise Problem("service-unavailable",
                      detail_ja="求人検索を一時的にご利用いただけません。しばらくしてから再度お試しください。",
                      detail_en="Job search is temporarily unavailable; please try again shortly.") from None


def job_detail(uow: UnitOfWork, job_number: str, *, seeker_id: str | None, registered: bool) -> dict[str, Any]:
    """J1/J2a: an open posting shown online; a closed or expired one only to a seeker who keeps it
    among their favourites (and may use them). Scope 4 is never shown."""
    job_number = canonical_job_number(job_number)
    row = find_online(uow, job_number)
    day = today(uow)
    if not domain.is_open(row.closed, row.deadline, day) and not (registered and seeker_id and is_favourite(
            uow, seeker_id, job_number)):
        raise job_not_found(job_number)
    return search.detail(row, today=day, registered_caller=registered)


def home_counts(uow: UnitOfWork, seeker_id: str) -> dict[str, int]:
    """P5: jobs' counts for the home screen (gateway/home.py composes them)."""
    tables = {"favourites": favourites, "saved_searches": saved_searches, "referrals": referrals,
              "recommendations": recommendations}
    return {name: count_of(uow, table, seeker_id) for name, table in tables.items()}
