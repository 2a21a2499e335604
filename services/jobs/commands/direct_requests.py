"""Direct requests (直接リクエスト, J8a): an employer sends a posting to a seeker who disclosed their
job-seeking information (求職情報公開, kept by profile; jobs keeps who is disclosed under which
reference from `profile.disclosure.changed.v1`).

At most 10 seekers per posting, once per seeker: the posting's row is locked first, so parallel
requests for one posting count one after the other. Applying from a request is an online
self-application (applications.apply: the route is `self`, the no-show restriction applies).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update

from kit.db import insert_ignore
from kit.problem import Problem
from kit.uow import UnitOfWork
from services.jobs import domain, search, seekers
from services.jobs.commands import applications, postings
from services.jobs.commands.common import canonical_job_number, job_not_found, today
from services.jobs.events import DIRECT_REQUEST_SENT
from services.jobs.models import applications as applications_table
from services.jobs.models import direct_requests, disclosures
from services.jobs.models import postings as postings_table


def record_disclosure(uow: UnitOfWork, seeker_id: str, public: bool, public_ref: str | None, at: datetime) -> None:
    """J8a: profile said the seeker is (not) disclosed, under `public_ref`, at `at`; older news changes nothing."""
    session = uow.session
    session.execute(insert_ignore(session, disclosures, on="seeker_id")
                    .values(seeker_id=seeker_id, public=False, public_ref=None, at=at))
    row = session.execute(select(disclosures).where(disclosures.c.seeker_id == seeker_id)).first()
    if at >= row.at:
        session.execute(update(disclosures).where(disclosures.c.seeker_id == seeker_id)
                        .values(public=public, public_ref=public_ref if public else None, at=at))


def send(uow: UnitOfWork, establishments: frozenset[str] | None, data: dict[str, Any]) -> dict[str, Any]:
    """J8a: the employer sends an open posting that accepts online applications to a disclosed seeker
    whose My Page is open and not restricted for no-shows (J9); at most 10 seekers per posting, once each.
    C2: only a posting of one of the employer's establishments — another's is answered as an unknown one."""
    job_number = canonical_job_number(data["job_number"])
    posting = postings.locked(uow, job_number)  # first: parallel requests for one posting count in turn
    if posting is None or not domain.is_online(posting.publication_scope) or \
            not domain.acts_for(establishments, posting.establishment_number):
        raise job_not_found(job_number)
    domain.check_direct_request_posting(posting.closed, posting.deadline, today(uow), posting.online_application)
    seeker_id = uow.session.scalar(select(disclosures.c.seeker_id).where(
        disclosures.c.public_ref == data["seeker_ref"], disclosures.c.public.is_(True)))
    if seeker_id is None:
        raise Problem("not-found", detail_ja="求職情報を公開している該当の求職者が見つかりません。",
                      detail_en="No seeker with this reference discloses their information.")
    domain.check_direct_request_seeker(seekers.load(uow.session, seeker_id),
                                       restricted=applications.is_restricted(uow, seeker_id))
    already = uow.session.scalar(select(direct_requests.c.seeker_id).where(
        direct_requests.c.job_number == job_number, direct_requests.c.seeker_id == seeker_id))
    if already is not None:
        raise Problem("conflict", detail_ja="この求職者にはこの求人の直接リクエストを送信済みです。",
                      detail_en="This posting has already been sent to this seeker.",
                      extra={"reason": "already_requested"})
    sent = uow.session.scalar(select(func.count()).select_from(direct_requests)
                              .where(direct_requests.c.job_number == job_number))
    domain.check_room_for_direct_request(sent)
    values = {"job_number": job_number, "seeker_id": seeker_id, "message": data.get("message"),
              "sent_at": uow.clock.now()}
    uow.session.execute(insert(direct_requests).values(**values))
    uow.publish(DIRECT_REQUEST_SENT, {"seeker_id": seeker_id, "job_number": job_number}, subject=seeker_id)
    return {"job_number": job_number, "seeker_ref": data["seeker_ref"], "message": values["message"],
            "sent_at": values["sent_at"], "sent_for_posting": sent + 1, "limit": domain.MAX_DIRECT_REQUESTS}


def list_for_seeker(uow: UnitOfWork, seeker_id: str) -> dict[str, Any]:
    """J8a: the postings employers sent the seeker, newest first, with whether they applied (P4 gated)."""
    domain.require_job_features(seekers.load(uow.session, seeker_id))
    day = today(uow)
    applied = select(applications_table.c.id).where(applications_table.c.seeker_id == seeker_id,
                                                    applications_table.c.job_number == postings_table.c.job_number)
    rows = uow.session.execute(
        select(postings_table, direct_requests.c.sent_at, direct_requests.c.message,
               applied.exists().label("applied"))
        .join(direct_requests, direct_requests.c.job_number == postings_table.c.job_number)
        .where(direct_requests.c.seeker_id == seeker_id)
        .order_by(direct_requests.c.sent_at.desc(), postings_table.c.id.desc())).all()
    items = [search.summary(row, today=day, registered_caller=True)
             | {"sent_at": row.sent_at, "message": row.message, "applied": bool(row.applied)} for row in rows]
    return {"items": items, "total": len(items)}
