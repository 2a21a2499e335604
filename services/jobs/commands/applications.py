"""Applications (応募, J8), online referral (J7) and interview no-shows (J9): the use cases.

Like commands.py: one function per use case in a unit of work the view commits; rules in
domain.py. Applying takes the seeker's row lock first (one application per posting, S6);
a no-show report takes the seeker's `no_show_restrictions` row first, so parallel reports
count one after the other and the 5th makes exactly one restriction.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, true, update

from kit.db import for_update, insert_ignore
from kit.problem import Problem
from kit.uow import UnitOfWork
from services.jobs import domain, search, seekers
from services.jobs.commands.common import find_online, target_seeker, today
from services.jobs.events import (
    APPLICATION_STATUS_CHANGED,
    APPLICATION_SUBMITTED,
    APPLICATION_WITHDRAWN,
    NO_SHOW_REPORTED,
    SEEKER_RESTRICTED,
    SEEKER_RESTRICTION_LIFTED,
)
from services.jobs.models import (
    application_documents,
    applications,
    no_show_restrictions,
    no_shows,
    postings,
    recommendations,
)


def _not_found() -> Problem:
    return Problem("not-found", detail_ja="応募が見つかりません。", detail_en="No such application.")


def _event(row) -> dict[str, Any]:
    return {"application_id": row.id, "seeker_id": row.seeker_id, "job_number": row.job_number,
            "establishment_number": row.establishment_number}


def _documents(uow: UnitOfWork, application_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {application_id: [] for application_id in application_ids}
    if not application_ids:
        return found
    rows = uow.session.execute(
        select(application_documents.c.id, application_documents.c.application_id, application_documents.c.filename,
               application_documents.c.size)
        .where(application_documents.c.application_id.in_(application_ids))
        .order_by(application_documents.c.application_id, application_documents.c.filename)).all()
    for row in rows:
        found[row.application_id].append({"id": row.id, "filename": row.filename, "size": row.size})
    return found


def _view(row, *, day, documents: list[dict[str, Any]] | None = None, detail: bool = False) -> dict[str, Any]:
    """An application as its seeker sees it; `row` is an application joined to its posting (outer)."""
    view = {"id": row.id, "job_number": row.job_number, "route": row.route, "status": row.status,
            "status_label": domain.STATUS_LABELS[row.status], "submitted_at": row.submitted_at,
            "status_changed_at": row.status_changed_at, "withdrawn_at": row.withdrawn_at,
            "job": search.summary(row, today=day, registered_caller=True) if row.title is not None else None}
    if detail:
        view |= {"motivation": row.motivation, "documents": documents or []}
    return view


def _application_columns():
    return (applications.c.id, applications.c.seeker_id, applications.c.job_number.label("job_number"),
            applications.c.establishment_number.label("establishment_number"), applications.c.route,
            applications.c.motivation, applications.c.status, applications.c.submitted_at,
            applications.c.status_changed_at, applications.c.withdrawn_at)


def _joined(where):
    """Applications with their posting's columns (a posting that is gone leaves them null)."""
    posting_columns = [column for column in postings.c
                       if column.name not in ("id", "job_number", "establishment_number")]
    return (select(*_application_columns(), *posting_columns)
            .join(postings, postings.c.job_number == applications.c.job_number, isouter=True)
            .where(where))


def _own(uow: UnitOfWork, seeker_id: str, application_id: str):
    """The seeker's own application (another seeker's id is as unknown as a made-up one: 404)."""
    row = uow.session.execute(_joined((applications.c.id == application_id)
                                      & (applications.c.seeker_id == seeker_id))).first()
    if row is None:
        raise _not_found()
    return row


# -- the seeker: apply, list, read, withdraw ----------------------------------------------------


def apply(uow: UnitOfWork, seeker_id: str, data: dict[str, Any], *,
          application_id: str | None = None) -> dict[str, Any]:
    """J8 / J7: apply online to a posting with a motivation statement and optional PDFs.

    To a posting Hello Work recommended to the seeker it is an online referral (a 利用登録者 only,
    P3b); otherwise an online self-application, only to postings that accept it and not while
    the no-show restriction holds (J9). P4 first: refused while the registration is invalid.
    The id is random unless given (the demo's application, which messaging's demo data names).
    """
    status = domain.require_job_features(seekers.lock(uow.session, seeker_id))  # first: the seeker's lock
    posting = find_online(uow, data["job_number"])
    job_number = posting.job_number
    domain.require_open(posting.closed, posting.deadline, today(uow), "apply")
    recommended = uow.session.scalar(select(recommendations.c.job_number).where(
        recommendations.c.seeker_id == seeker_id, recommendations.c.job_number == job_number)) is not None
    route = domain.application_route(recommended)
    domain.check_can_apply(status, route=route, accepts_online=posting.online_application,
                           restricted=is_restricted(uow, seeker_id))
    if uow.session.scalar(select(applications.c.id).where(applications.c.seeker_id == seeker_id,
                                                          applications.c.job_number == job_number)) is not None:
        raise Problem("conflict", detail_ja="この求人には既に応募しています。",
                      detail_en="You have already applied to this posting.", extra={"reason": "already_applied"})
    now = uow.clock.now()
    application_id = application_id or uuid.uuid4().hex
    values = {"id": application_id, "seeker_id": seeker_id, "job_number": job_number,
              "establishment_number": posting.establishment_number, "route": route,
              "motivation": data["motivation"], "status": domain.APPLIED, "submitted_at": now,
              "status_changed_at": now, "withdrawn_at": None}
    uow.session.execute(insert(applications).values(**values))
    for document in data.get("documents") or ():
        uow.session.execute(insert(application_documents).values(
            id=uuid.uuid4().hex, application_id=application_id, seeker_id=seeker_id,
            filename=document["filename"], size=len(document["content"]),
            sha256=hashlib.sha256(document["content"]).hexdigest(), content=document["content"]))
    name = posting.establishment_name if domain.discloses_establishment(posting.publication_scope, True) else None
    uow.publish(APPLICATION_SUBMITTED, {"application_id": application_id, "seeker_id": seeker_id,
                                        "job_number": job_number,
                                        "establishment_number": posting.establishment_number,
                                        "establishment_name": name, "route": route,
                                        "submitted_at": now.isoformat(),
                                        "shared_contact": data.get("share_contact") or []}, subject=seeker_id)
    return application(uow, seeker_id, application_id, gated=False)


def _require_account(uow: UnitOfWork, seeker_id: str) -> None:
    """A seeker keeps seeing (and may withdraw) their applications while the registration is invalid:
    P4 gates searching and applying, not following up what was sent. Not after 利用不可 or 退会."""
    status = seekers.load(uow.session, seeker_id)
    if status is not None and domain.refusal(status) in ("withdrawn", "unusable"):
        domain.require_job_features(status)


def list_applications(uow: UnitOfWork, seeker_id: str) -> dict[str, Any]:
    """J8: the seeker's applications with their status (応募中, 選考中, 採用, 不採用, 辞退), newest first."""
    _require_account(uow, seeker_id)
    day = today(uow)
    rows = uow.session.execute(_joined(applications.c.seeker_id == seeker_id)
                               .order_by(applications.c.submitted_at.desc(), applications.c.id)).all()
    items = [_view(row, day=day) for row in rows]
    return {"items": items, "total": len(items)}


def application(uow: UnitOfWork, seeker_id: str, application_id: str, *, gated: bool = True) -> dict[str, Any]:
    """J8: one of the seeker's applications with its motivation and documents."""
    if gated:
        _require_account(uow, seeker_id)
    row = _own(uow, seeker_id, application_id)
    return _view(row, day=today(uow), documents=_documents(uow, [row.id])[row.id], detail=True)


def withdraw(uow: UnitOfWork, seeker_id: str, application_id: str) -> dict[str, Any]:
    """J8 辞退: the employer is notified (an event). Withdrawing again changes nothing; a rejected
    application cannot be withdrawn."""
    _require_account(uow, seeker_id)
    seekers.lock(uow.session, seeker_id)
    # locked: a no-show report for the same application waits for the withdrawal, and sees it
    row = _application_row(uow, _own(uow, seeker_id, application_id).id, lock=True)
    if row.status != domain.APPLICATION_WITHDRAWN:
        domain.check_withdrawable(row.status)
        now = uow.clock.now()
        uow.session.execute(update(applications).where(applications.c.id == row.id)
                            .values(status=domain.APPLICATION_WITHDRAWN, status_changed_at=now, withdrawn_at=now))
        uow.publish(APPLICATION_WITHDRAWN, _event(row), subject=seeker_id)
    return application(uow, seeker_id, application_id, gated=False)


def document(uow: UnitOfWork, application_id: str, document_id: str, *, seeker_id: str | None = None,
             establishments: frozenset[str] | None = None):
    """A PDF of an application: for its seeker (seeker_id given) or the employer-side system (C2: of
    one of its `establishments`; another's is as unknown as a made-up id)."""
    query = (select(application_documents.c.filename, application_documents.c.content)
             .join(applications, applications.c.id == application_documents.c.application_id)
             .where(application_documents.c.id == document_id, applications.c.id == application_id,
                    _of(establishments)))
    if seeker_id is not None:
        _require_account(uow, seeker_id)
        query = query.where(applications.c.seeker_id == seeker_id)
    row = uow.session.execute(query).first()
    if row is None:
        raise Problem("not-found", detail_ja="応募書類が見つかりません。", detail_en="No such document.")
    return row.filename, row.content


# -- the employer-side system -------------------------------------------------------------------


def _employer_view(row, documents: list[dict[str, Any]]) -> dict[str, Any]:
    return {"id": row.id, "job_number": row.job_number, "establishment_number": row.establishment_number,
            "route": row.route, "status": row.status, "status_label": domain.STATUS_LABELS[row.status],
            "motivation": row.motivation, "documents": documents, "submitted_at": row.submitted_at,
            "status_changed_at": row.status_changed_at, "withdrawn_at": row.withdrawn_at}


def _of(establishments: frozenset[str] | None):
    """C2: the applications to the employer's establishments (None: every one, the development client)."""
    return true() if establishments is None else applications.c.establishment_number.in_(establishments)


def _application_row(uow: UnitOfWork, application_id: str, *, lock: bool = False,
                     establishments: frozenset[str] | None = None):
    """An application by id — for an employer, only to its establishments (C2: another's is 404, the
    same answer as a made-up id)."""
    query = select(*_application_columns()).where(applications.c.id == application_id, _of(establishments))
    row = uow.session.execute(query.with_for_update() if lock else query).first()
    if row is None:
        raise _not_found()
    return row


def employer_application(uow: UnitOfWork, establishments: frozenset[str] | None,
                         application_id: str) -> dict[str, Any]:
    """J8/C2: an application to one of the employer's establishments, as it reads it after
    `jobs.application.submitted.v1`."""
    row = _application_row(uow, application_id, establishments=establishments)
    return _employer_view(row, _documents(uow, [row.id])[row.id])


def employer_applications(uow: UnitOfWork, establishments: frozenset[str] | None,
                          establishment_number: str | None, *, page: int, per_page: int) -> dict[str, Any]:
    """J8/C2: the applications to the employer's establishments (or to the one named, if it is one of
    them: another's has none to show), newest first, paged."""
    where = _of(establishments)
    if establishment_number is not None:
        where = where & (applications.c.establishment_number == establishment_number)
    total = uow.session.scalar(select(func.count()).select_from(applications).where(where))
    rows = uow.session.execute(select(*_application_columns()).where(where)
                               .order_by(applications.c.submitted_at.desc(), applications.c.id)
                               .limit(per_page).offset((page - 1) * per_page)).all()
    documents = _documents(uow, [row.id for row in rows])
    return {"items": [_employer_view(row, documents[row.id]) for row in rows], "total": total,
            "page": page, "per_page": per_page}


def set_status(uow: UnitOfWork, establishments: frozenset[str] | None, application_id: str,
               status: str) -> dict[str, Any]:
    """J8/C2: the employer moves an application to one of its establishments to 選考中, 採用 or 不採用
    (the same again: nothing changes)."""
    row = _application_row(uow, application_id, lock=True, establishments=establishments)
    domain.check_employer_status(row.status, status)
    if row.status != status:
        uow.session.execute(update(applications).where(applications.c.id == row.id)
                            .values(status=status, status_changed_at=uow.clock.now()))
        uow.publish(APPLICATION_STATUS_CHANGED, _event(row) | {"status": status}, subject=row.seeker_id)
    return employer_application(uow, establishments, application_id)


# -- J9 interview no-shows and the restriction --------------------------------------------------


def _lock_restriction(uow: UnitOfWork, seeker_id: str):
    """The seeker's restriction row, created if new and held until the transaction ends."""
    session = uow.session
    session.execute(insert_ignore(session, no_show_restrictions, on="seeker_id")
                    .values(seeker_id=seeker_id, updated_at=uow.clock.now()))
    query = select(no_show_restrictions).where(no_show_restrictions.c.seeker_id == seeker_id)
    return session.execute(for_update(session, query)).first()


def _restriction(uow: UnitOfWork, seeker_id: str):
    return uow.session.execute(select(no_show_restrictions)
                               .where(no_show_restrictions.c.seeker_id == seeker_id)).first()


def is_restricted(uow: UnitOfWork, seeker_id: str) -> bool:
    """J9: restricted for no-shows until staff lift it."""
    row = _restriction(uow, seeker_id)
    return row is not None and row.restricted_at is not None


def counting_no_shows(uow: UnitOfWork, seeker_id: str, *, since: datetime | None) -> int:
    """J9 / R4: the no-shows that count now: interviews less than 3 months ago, reported after the
    last lift (a lift is a fresh start: the seeker has been to the office)."""
    day = today(uow)
    query = select(no_shows.c.interview_date).where(no_shows.c.seeker_id == seeker_id,
                                                    no_shows.c.interview_date > domain.add_months(day, -4))
    if since is not None:
        query = query.where(no_shows.c.reported_at > since)
    return sum(domain.no_show_counts(interview_date, day) for interview_date in uow.session.scalars(query))


def report_no_show(uow: UnitOfWork, establishments: frozenset[str] | None, application_id: str,
                   interview_date) -> tuple[dict[str, Any], bool]:
    """J9: the employer reports that the seeker neither withdrew nor came to the interview;
    (the report, made now?). The 5th no-show within 3 months restricts online self-application.
    The same report again changes nothing; another date for the same application is refused.
    C2: only on an application to one of the employer's establishments (another's: 404)."""
    seeker_id = _application_row(uow, application_id, establishments=establishments).seeker_id
    restriction = _lock_restriction(uow, seeker_id)  # the seeker's no-show lock: reports count in turn
    row = _application_row(uow, application_id, lock=True)  # read again: a withdrawal may just have committed
    existing = uow.session.execute(select(no_shows).where(no_shows.c.application_id == row.id)).first()
    if existing is not None:
        if existing.interview_date != interview_date:
            raise Problem("conflict", detail_ja="この応募の面接不参加は既に報告されています。",
                          detail_en="A no-show has already been reported for this application.",
                          extra={"interview_date": existing.interview_date.isoformat()})
        return _no_show_view(existing), False
    day = today(uow)
    domain.check_no_show(route=row.route, submitted_on=domain.today_in_japan(row.submitted_at),
                         withdrawn_on=domain.today_in_japan(row.withdrawn_at) if row.withdrawn_at else None,
                         interview_date=interview_date, today=day)
    now = uow.clock.now()
    values = {"application_id": row.id, "seeker_id": row.seeker_id, "interview_date": interview_date,
              "reported_at": now}
    uow.session.execute(insert(no_shows).values(**values))
    uow.publish(NO_SHOW_REPORTED, {"application_id": row.id, "seeker_id": row.seeker_id,
                                   "interview_date": interview_date.isoformat()}, subject=row.seeker_id)
    if restriction.restricted_at is None and domain.reaches_restriction(
            counting_no_shows(uow, row.seeker_id, since=restriction.lifted_at)):
        uow.session.execute(update(no_show_restrictions).where(no_show_restrictions.c.seeker_id == row.seeker_id)
                            .values(restricted_at=now, updated_at=now))
        uow.publish(SEEKER_RESTRICTED, {"seeker_id": row.seeker_id, "at": now.isoformat()}, subject=row.seeker_id)
    return _no_show_view(values), True


def _no_show_view(values) -> dict[str, Any]:
    get = values.get if isinstance(values, dict) else values._mapping.get
    return {"application_id": get("application_id"), "interview_date": get("interview_date"),
            "reported_at": get("reported_at")}


def restriction_view(uow: UnitOfWork, seeker_id: str) -> dict[str, Any]:
    row = _restriction(uow, seeker_id)
    restricted_at = row.restricted_at if row else None
    lifted_at = row.lifted_at if row else None
    return {"seeker_id": seeker_id, "restricted": restricted_at is not None, "restricted_at": restricted_at,
            "lifted_at": lifted_at, "counting_no_shows": counting_no_shows(uow, seeker_id, since=lifted_at),
            "limit": domain.NO_SHOW_LIMIT}


def lift_restriction(uow: UnitOfWork, seeker_number: str) -> dict[str, Any]:
    """J9: staff lift the no-show restriction when the seeker visits the office. No-shows reported
    before the lift count no more. Not restricted: 409 (nothing to lift)."""
    seeker_id = target_seeker(uow, {"seeker_number": seeker_number})
    restriction = _lock_restriction(uow, seeker_id)
    if restriction.restricted_at is None:
        raise Problem("conflict", detail_ja="この求職者のマイページは面接不参加による制限を受けていません。",
                      detail_en="This seeker's My Page is not restricted for no-shows.",
                      extra={"reason": "not_restricted"})
    now = uow.clock.now()
    uow.session.execute(update(no_show_restrictions).where(no_show_restrictions.c.seeker_id == seeker_id)
                        .values(restricted_at=None, lifted_at=now, updated_at=now))
    uow.publish(SEEKER_RESTRICTION_LIFTED, {"seeker_id": seeker_id, "at": now.isoformat()}, subject=seeker_id)
    return restriction_view(uow, seeker_id)
