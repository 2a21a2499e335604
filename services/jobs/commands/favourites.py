"""J4 favourites and J3 saved search conditions. A limited write takes the seeker's row lock as its very
first statement (seekers.lock), then counts and writes: parallel requests of one seeker run one
after the other, so the limit holds under concurrency (S6)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, insert, select, update

from kit.problem import Problem
from kit.uow import UnitOfWork
from services.jobs import domain, search, seekers
from services.jobs.commands.alerts import alert_values
from services.jobs.commands.common import canonical_job_number, count_of, find_online, is_favourite, today
from services.jobs.commands.jobs import search_jobs
from services.jobs.events import FAVOURITE_ADDED, FAVOURITE_REMOVED
from services.jobs.models import favourites, postings, saved_searches
from services.jobs.search_engine import SearchEngine

# -- J4 favourites -----------------------------------------------------------------------------


def list_favourites(uow: UnitOfWork, seeker_id: str) -> dict[str, Any]:
    """J4: the seeker's favourites, newest first — closed and expired ones too (J1)."""
    domain.require_job_features(seekers.load(uow.session, seeker_id))
    day = today(uow)
    rows = uow.session.execute(
        select(postings, favourites.c.added_at)
        .join(favourites, favourites.c.job_number == postings.c.job_number)
        .where(favourites.c.seeker_id == seeker_id)
        .order_by(favourites.c.added_at.desc(), postings.c.id.desc())).all()
    items = [search.summary(row, today=day, registered_caller=True) | {"favourited_at": row.added_at}
             for row in rows]
    return {"items": items, "total": len(items), "limit": domain.MAX_FAVOURITES}


def add_favourite(uow: UnitOfWork, seeker_id: str, job_number: str) -> bool:
    """J4: keep a posting; True if it was added now. Already kept: nothing changes (idempotent),
    even at 300. The 301st is refused (limit-reached). Unknown or not shown online: 404."""
    domain.require_job_features(seekers.lock(uow.session, seeker_id))  # first: the seeker's lock
    row = find_online(uow, job_number)
    job_number = row.job_number
    if is_favourite(uow, seeker_id, job_number):
        return False
    domain.require_open(row.closed, row.deadline, today(uow), "favourite")
    domain.check_room_for_favourite(count_of(uow, favourites, seeker_id))
    uow.session.execute(insert(favourites).values(seeker_id=seeker_id, job_number=job_number,
                                                  added_at=uow.clock.now()))
    uow.publish(FAVOURITE_ADDED, {"seeker_id": seeker_id, "job_number": job_number}, subject=seeker_id)
    return True


def remove_favourite(uow: UnitOfWork, seeker_id: str, job_number: str) -> bool:
    """J4: drop a posting from the favourites; True if it was there (removing twice is harmless)."""
    domain.require_job_features(seekers.lock(uow.session, seeker_id))
    job_number = canonical_job_number(job_number)
    removed = uow.session.execute(delete(favourites).where(
        favourites.c.seeker_id == seeker_id, favourites.c.job_number == job_number)).rowcount
    if removed:
        uow.publish(FAVOURITE_REMOVED, {"seeker_id": seeker_id, "job_number": job_number}, subject=seeker_id)
    return bool(removed)


# -- J3 saved search conditions ------------------------------------------------------------------


def _saved_view(row) -> dict[str, Any]:
    return {"id": row.id, "name": row.name, "criteria": row.criteria, "email_alert": row.email_alert,
            "created_at": row.created_at, "updated_at": row.updated_at}


def _saved_search(uow: UnitOfWork, seeker_id: str, search_id: str):
    """The seeker's own saved search; another seeker's id is as unknown as a made-up one (404)."""
    row = uow.session.execute(select(saved_searches).where(
        saved_searches.c.id == search_id, saved_searches.c.seeker_id == seeker_id)).first()
    if row is None:
        raise Problem("not-found", detail_ja="保存した検索条件が見つかりません。",
                      detail_en="No such saved search.")
    return row


def list_saved_searches(uow: UnitOfWork, seeker_id: str) -> dict[str, Any]:
    """J3: the seeker's saved search conditions, oldest first."""
    domain.require_job_features(seekers.load(uow.session, seeker_id))
    rows = uow.session.execute(select(saved_searches).where(saved_searches.c.seeker_id == seeker_id)
                               .order_by(saved_searches.c.created_at, saved_searches.c.id)).all()
    return {"items": [_saved_view(row) for row in rows], "total": len(rows), "limit": domain.MAX_SAVED_SEARCHES}


def create_saved_search(uow: UnitOfWork, seeker_id: str, data: dict[str, Any]) -> dict[str, Any]:
    """J3: save a named set of criteria; the 4th is refused (limit-reached)."""
    domain.require_job_features(seekers.lock(uow.session, seeker_id))  # first: the seeker's lock
    domain.check_room_for_saved_search(count_of(uow, saved_searches, seeker_id))
    now = uow.clock.now()
    values = {"id": uuid.uuid4().hex, "seeker_id": seeker_id, "name": data["name"], "criteria": data["criteria"],
              "created_at": now, "updated_at": now, **alert_values(data.get("email_alert", False), now)}
    uow.session.execute(insert(saved_searches).values(**values))
    return values


def replace_saved_search(uow: UnitOfWork, seeker_id: str, search_id: str, data: dict[str, Any]) -> dict[str, Any]:
    """J3: edit — the name and criteria given replace the saved ones (and 新着求人をメールで受け取る, if given)."""
    domain.require_job_features(seekers.lock(uow.session, seeker_id))
    row = _saved_search(uow, seeker_id, search_id)
    now = uow.clock.now()
    values = {"name": data["name"], "criteria": data["criteria"], "updated_at": now}
    if data.get("email_alert", row.email_alert) != row.email_alert:
        values |= alert_values(data["email_alert"], now)
    uow.session.execute(update(saved_searches).where(saved_searches.c.id == row.id).values(**values))
    return _saved_view(row) | values


def delete_saved_search(uow: UnitOfWork, seeker_id: str, search_id: str) -> None:
    """J3: delete one of the seeker's saved searches (unknown or another's: 404)."""
    domain.require_job_features(seekers.lock(uow.session, seeker_id))
    row = _saved_search(uow, seeker_id, search_id)
    uow.session.execute(delete(saved_searches).where(saved_searches.c.id == row.id))


def run_saved_search(uow: UnitOfWork, seeker_id: str, search_id: str, *, page: int,
                     per_page: int | None, engine: SearchEngine | None = None) -> dict[str, Any]:
    """J3 run: the saved criteria through the same search as GET /api/v1/jobs (a My Page search, P4)."""
    domain.require_job_features(seekers.load(uow.session, seeker_id))
    row = _saved_search(uow, seeker_id, search_id)
    return search_jobs(uow, row.criteria, page=page, per_page=per_page, registered=True, engine=engine)
