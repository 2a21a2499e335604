"""J5 referrals (紹介) with their 紹介状, J7 recommendations (オンラインハローワーク紹介)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import insert, select

from kit.problem import Problem
from kit.uow import UnitOfWork
from services.jobs import domain, search, seekers
from services.jobs.commands.common import canonical_job_number, find_online, job_not_found, target_seeker, today
from services.jobs.events import RECOMMENDATION_MADE, REFERRAL_RECORDED
from services.jobs.models import postings, recommendations, referrals


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
                                    note=letter_input.get("note"), seeker_name=letter_input.get("seeker_name"))
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
