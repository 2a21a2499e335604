"""What the jobs service does when a seeker asks: one function per use case, in a unit of work.

The views (api.py) call these and commit; the rules are in domain.py. A My Page feature first
asks the `seeker_status` projection (P4). A limited write (J3, J4) takes the seeker's row lock
as its very first statement (seekers.lock), then counts and writes: parallel requests of one
seeker run one after the other, so the limit holds under concurrency (S6).
"""

from __future__ import annotations

import logging
import uuid
from datetime import date
from typing import Any

from sqlalchemy import delete, func, insert, select, update

from kit.problem import Problem
from kit.uow import UnitOfWork
from services.jobs import domain, search, seekers
from services.jobs.events import FAVOURITE_ADDED, FAVOURITE_REMOVED, RECOMMENDATION_MADE, REFERRAL_RECORDED
from services.jobs.models import favourites, postings, recommendations, referrals, saved_searches
from services.jobs.search_engine import SearchEngine, SearchUnavailable

log = logging.getLogger("mypage.jobs")


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


# -- public search (J2 basics) and the posting (J1, J2a) -----------------------------------------


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
    row = search.find(uow.session, job_number)
    if row is None or not domain.is_online(row.publication_scope):
        raise job_not_found(job_number)
    day = today(uow)
    if not domain.is_open(row.closed, row.deadline, day) and not (registered and seeker_id and _is_favourite(
            uow, seeker_id, job_number)):
        raise job_not_found(job_number)
    return search.detail(row, today=day, registered_caller=registered)


# -- J4 favourites -----------------------------------------------------------------------------


def _is_favourite(uow: UnitOfWork, seeker_id: str, job_number: str) -> bool:
    return uow.session.scalar(select(favourites.c.job_number).where(
        favourites.c.seeker_id == seeker_id, favourites.c.job_number == job_number)) is not None


def _count(uow: UnitOfWork, table, seeker_id: str) -> int:
    return uow.session.scalar(select(func.count()).select_from(table).where(table.c.seeker_id == seeker_id))


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
    if _is_favourite(uow, seeker_id, job_number):
        return False
    domain.require_open(row.closed, row.deadline, today(uow), "favourite")
    domain.check_room_for_favourite(_count(uow, favourites, seeker_id))
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
    return {"id": row.id, "name": row.name, "criteria": row.criteria, "created_at": row.created_at,
            "updated_at": row.updated_at}


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
    domain.check_room_for_saved_search(_count(uow, saved_searches, seeker_id))
    now = uow.clock.now()
    values = {"id": uuid.uuid4().hex, "seeker_id": seeker_id, "name": data["name"], "criteria": data["criteria"],
              "created_at": now, "updated_at": now}
    uow.session.execute(insert(saved_searches).values(**values))
    return values


def replace_saved_search(uow: UnitOfWork, seeker_id: str, search_id: str, data: dict[str, Any]) -> dict[str, Any]:
    """J3: edit — the name and criteria given replace the saved ones."""
    domain.require_job_features(seekers.lock(uow.session, seeker_id))
    row = _saved_search(uow, seeker_id, search_id)
    now = uow.clock.now()
    uow.session.execute(update(saved_searches).where(saved_searches.c.id == row.id)
                        .values(name=data["name"], criteria=data["criteria"], updated_at=now))
    return _saved_view(row) | {"name": data["name"], "criteria": data["criteria"], "updated_at": now}


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


# -- J5 referrals (紹介) and J7 recommendations (オンラインハローワーク紹介) -----------------------


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


def record_referral(uow: UnitOfWork, data: dict[str, Any]) -> dict[str, Any]:
    """J5: staff record a referral (紹介) with its 紹介状 as issued. The seeker must be known here;
    the posting must exist and be open on the day of the referral (any 公開範囲: a counter referral
    may be to a posting not shown online)."""
    seeker_id = target_seeker(uow, data)
    if seekers.lock(uow.session, seeker_id) is None:
        raise domain.seeker_not_found()
    job_number = canonical_job_number(data["job_number"])
    row = search.find(uow.session, job_number)
    if row is None:
        raise job_not_found(job_number)
    referred_on = data.get("referred_on") or today(uow)
    domain.require_open(row.closed, row.deadline, referred_on, "refer")
    letter_input = data["letter"]
    letter = domain.referral_letter(row._asdict(), office=letter_input["office"], referred_on=referred_on,
                                    interview_place=letter_input.get("interview_place"),
                                    interview_date=letter_input.get("interview_date"),
                                    note=letter_input.get("note"))
    values = {"id": uuid.uuid4().hex, "seeker_id": seeker_id, "job_number": job_number, "referred_on": referred_on,
              "letter": letter, "recorded_at": uow.clock.now()}
    uow.session.execute(insert(referrals).values(**values))
    uow.publish(REFERRAL_RECORDED, {"referral_id": values["id"], "seeker_id": seeker_id, "job_number": job_number,
                                    "establishment_number": row.establishment_number,
                                    "establishment_name": row.establishment_name},
                subject=seeker_id)
    return _referral_view(values, row, today(uow)) | {"seeker_id": seeker_id, "letter": letter}


def _referral_view(referral: dict[str, Any], posting, day: date) -> dict[str, Any]:
    return {"id": referral["id"], "job_number": referral["job_number"], "referred_on": referral["referred_on"],
            "recorded_at": referral["recorded_at"],
            "job": search.summary(posting, today=day, registered_caller=True) if posting is not None else None}


def _referral_of(row) -> dict[str, Any]:
    return {"id": row.referral_id, "job_number": row.referred_job_number, "referred_on": row.referred_on,
            "recorded_at": row.recorded_at}


def _posting_of(row):
    """The joined posting of a referral row, or None if the posting is gone."""
    return row if row.job_number is not None else None


def _referral_rows(uow: UnitOfWork, seeker_id: str, referral_id: str | None = None):
    query = (select(referrals.c.id.label("referral_id"), referrals.c.job_number.label("referred_job_number"),
                    referrals.c.referred_on, referrals.c.recorded_at, referrals.c.letter, postings)
             .join(postings, postings.c.job_number == referrals.c.job_number, isouter=True)
             .where(referrals.c.seeker_id == seeker_id))
    if referral_id is not None:
        query = query.where(referrals.c.id == referral_id)
    return uow.session.execute(query.order_by(referrals.c.referred_on.desc(), referrals.c.recorded_at.desc(),
                                              referrals.c.id)).all()


def list_referrals(uow: UnitOfWork, seeker_id: str) -> dict[str, Any]:
    """J5: the seeker's referrals, newest first (P4: refused while the registration is invalid)."""
    domain.require_job_features(seekers.load(uow.session, seeker_id))
    day = today(uow)
    items = [_referral_view(_referral_of(row), _posting_of(row), day) for row in _referral_rows(uow, seeker_id)]
    return {"items": items, "total": len(items)}


def referral_not_found() -> Problem:
    return Problem("not-found", detail_ja="紹介が見つかりません。", detail_en="No such referral.")


def referral(uow: UnitOfWork, seeker_id: str, referral_id: str) -> dict[str, Any]:
    """J5: one of the seeker's referrals with its 紹介状; another seeker's id is as unknown as a
    made-up one (404). P4: referral letters are refused while the registration is invalid."""
    domain.require_job_features(seekers.load(uow.session, seeker_id))
    rows = _referral_rows(uow, seeker_id, referral_id)
    if not rows:
        raise referral_not_found()
    row = rows[0]
    return _referral_view(_referral_of(row), _posting_of(row), today(uow)) | {"letter": row.letter}


def recommend(uow: UnitOfWork, data: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """J7: staff recommend a posting to a seeker's My Page; (the recommendation, made now?).
    Only to a 利用登録者 whose features are open (P3b, P4: 409 with `reason`); only a posting open
    and shown online (404 otherwise, 409 when closed). The same posting again changes nothing."""
    seeker_id = target_seeker(uow, data)
    domain.check_recommendable(seekers.lock(uow.session, seeker_id))  # the seeker's lock first
    row = find_online(uow, data["job_number"])
    job_number = row.job_number
    existing = uow.session.execute(select(recommendations).where(
        recommendations.c.seeker_id == seeker_id, recommendations.c.job_number == job_number)).first()
    if existing is not None:
        return {"seeker_id": seeker_id, "job_number": job_number, "comment": existing.comment,
                "recommended_at": existing.recommended_at}, False
    domain.require_open(row.closed, row.deadline, today(uow), "recommend")
    values = {"seeker_id": seeker_id, "job_number": job_number, "comment": data.get("comment"),
              "recommended_at": uow.clock.now()}
    uow.session.execute(insert(recommendations).values(**values))
    uow.publish(RECOMMENDATION_MADE, {"seeker_id": seeker_id, "job_number": job_number}, subject=seeker_id)
    return values, True


def list_recommendations(uow: UnitOfWork, seeker_id: str) -> dict[str, Any]:
    """J7: the postings recommended to the seeker, newest first, as in the favourites list (P4 gated)."""
    domain.require_job_features(seekers.load(uow.session, seeker_id))
    day = today(uow)
    rows = uow.session.execute(
        select(postings, recommendations.c.recommended_at, recommendations.c.comment)
        .join(recommendations, recommendations.c.job_number == postings.c.job_number)
        .where(recommendations.c.seeker_id == seeker_id)
        .order_by(recommendations.c.recommended_at.desc(), postings.c.id.desc())).all()
    items = [search.summary(row, today=day, registered_caller=True)
             | {"recommended_at": row.recommended_at, "comment": row.comment} for row in rows]
    return {"items": items, "total": len(items)}


# -- P5 home -------------------------------------------------------------------------------------


def home_counts(uow: UnitOfWork, seeker_id: str) -> dict[str, int]:
    """P5: jobs' counts for the home screen (gateway/home.py composes them)."""
    return {"favourites": _count(uow, favourites, seeker_id), "saved_searches": _count(uow, saved_searches, seeker_id),
            "referrals": _count(uow, referrals, seeker_id), "recommendations": _count(uow, recommendations, seeker_id)}
