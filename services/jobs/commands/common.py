"""What the jobs use cases share: today in Japan, a posting by its 求人番号 as typed (404 when it is not
one shown online), whether the caller sees 公開範囲2 establishments, the seeker staff name, counts."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select

from kit.problem import Problem
from kit.uow import UnitOfWork
from services.jobs import domain, search, seekers
from services.jobs.models import favourites


def today(uow: UnitOfWork) -> date:
    return domain.today_in_japan(uow.clock.now())


def job_not_found(job_number: str) -> Problem:
    return Problem("not-found", detail_ja=f"求人番号 {job_number} の求人は見つかりません。",
                   detail_en=f"No posting with job number {job_number}.")


def canonical_job_number(job_number: str) -> str:
    """求人番号 as typed (domain.canonical_job_number); what is not one is looked up as typed (and not found)."""
    return domain.canonical_job_number(job_number) or job_number.strip()


def find_online(uow: UnitOfWork, job_number: str):
    """The posting of a 求人番号 as typed, shown online (J2a: not scope 4); otherwise 404."""
    job_number = canonical_job_number(job_number)
    row = search.find(uow.session, job_number)
    if row is None or not domain.is_online(row.publication_scope):
        raise job_not_found(job_number)
    return row


def registered_caller(uow: UnitOfWork, seeker_id: str | None, *, staff: bool = False) -> bool:
    """J2a: a logged-in seeker whose My Page job features are open (or a staff system) sees the
    establishment of 公開範囲2 postings; anyone else sees the public view."""
    if staff:
        return True
    return seeker_id is not None and domain.refusal(seekers.load(uow.session, seeker_id)) is None


def target_seeker(uow: UnitOfWork, data: dict[str, Any]) -> str:
    """The opaque id of the seeker staff name, by `seeker_id` or by 求職番号 `seeker_number`
    (the projection keeps the number from profile's events). Unknown here: 404."""
    if data.get("seeker_id"):
        return data["seeker_id"]
    ids = seekers.ids_with_number(uow.session, data["seeker_number"])
    if not ids:
        raise domain.seeker_not_found()
    if len(ids) > 1:
        raise Problem("conflict", detail_ja="この求職番号の求職者が複数あります。seeker_id で指定してください。",
                      detail_en="Several seekers carry this seeker number; name the seeker by seeker_id.")
    return ids[0]


def is_favourite(uow: UnitOfWork, seeker_id: str, job_number: str) -> bool:
    return uow.session.scalar(select(favourites.c.job_number).where(
        favourites.c.seeker_id == seeker_id, favourites.c.job_number == job_number)) is not None


def count_of(uow: UnitOfWork, table, seeker_id: str) -> int:
    return uow.session.scalar(select(func.count()).select_from(table).where(table.c.seeker_id == seeker_id))
