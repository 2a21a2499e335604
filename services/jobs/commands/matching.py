"""J6: new postings that match a seeker's desired conditions reach their My Page. One function per use
case, in a unit of work (the consumer or the view commits).

- `record_desired_conditions`: profile's `profile.desired_conditions.changed.v1` keeps one row per
  seeker in `desired_conditions` (the newest event by its time wins) and the normalised terms in
  `desired_condition_terms` (desired.py).
- `match_posting`: jobs' own `jobs.posting.published.v1`, consumed by jobs' worker (handlers.py), finds
  the seekers whose conditions match the posting in **one** SQL statement — three equality lookups in
  the (kind, value, seeker_id) index joined on the seeker, the wage condition and the P4 gate
  (seeker_status) — inserts their `matches` rows in one batch and publishes one
  `jobs.posting.matched.v1` {seeker_id, job_number} per new match through the outbox. Asynchronous,
  so the employer's POST never waits for it; a redelivery finds the matches already there and adds
  nothing (the primary key (seeker, job number) is the backstop).
- `matching_jobs`: the seeker's matched postings, newest first, open ones still fitting only (P4 gated).

A changed posting and changed desired conditions are matched again in commands/rematching.py.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, exists, func, insert, or_, select, update

from kit.db import for_update, insert_ignore
from kit.uow import UnitOfWork
from services.jobs import desired, domain, search, seekers
from services.jobs.commands.common import today
from services.jobs.events import POSTING_MATCHED
from services.jobs.models import desired_condition_terms, desired_conditions, matches, postings, seeker_status

log = logging.getLogger("mypage.jobs")


def record_desired_conditions(uow: UnitOfWork, seeker_id: str, payload: dict[str, Any], at: datetime) -> bool:
    """J6/P1: the seeker's desired conditions as of `at` (profile's event time). An event older than the
    conditions kept changes nothing (a tie applies). Returns whether they were applied."""
    terms = desired.normalise_desired(payload)
    now = uow.clock.now()
    values = {"wage_type": terms.wage_type, "wage_min": terms.wage_min, "desired": dict(payload),
              "changed_at": at, "updated_at": now}
    session = uow.session
    # RETURNING, not rowcount: an INSERT's rowcount is -1 on PostgreSQL (kit.db.insert_ignore)
    inserted = session.execute(insert_ignore(session, desired_conditions, on="seeker_id")
                               .values(seeker_id=seeker_id, **values).returning(desired_conditions.c.seeker_id)).first()
    if inserted is None:
        key = desired_conditions.c.seeker_id
        kept = session.scalar(for_update(session, select(desired_conditions.c.changed_at).where(key == seeker_id),
                                         key=key, value=seeker_id))
        if kept is not None and at < kept:
            log.info("desired conditions of an older event than those kept; ignored")
            return False
        session.execute(update(desired_conditions).where(desired_conditions.c.seeker_id == seeker_id)
                        .values(**values))
        session.execute(delete(desired_condition_terms).where(desired_condition_terms.c.seeker_id == seeker_id))
    if terms.terms:
        session.execute(insert(desired_condition_terms),
                        [{"seeker_id": seeker_id, "kind": kind, "value": value} for kind, value in sorted(terms.terms)])
    return True


def matching_seekers_query(posting, *, job_number: str | None = None, gated: bool = True):
    """J6: the SELECT of the seekers whose desired conditions match `posting` (a postings row) and whose
    My Page job features are open (P4: registration valid, usable, not withdrawn; `gated=False`: whatever
    their features) — one statement, each kind an equality lookup in ix_desired_condition_terms_lookup.
    With `job_number`, seekers already matched to it are left out (a redelivery adds nothing)."""
    keys = desired.posting_keys(occupation_code=posting.occupation_code, employment_type=posting.employment_type,
                                prefecture_code=posting.prefecture_code, municipality_code=posting.municipality_code)
    occupation = desired_condition_terms.alias("occupation_term")
    employment = desired_condition_terms.alias("employment_term")
    place = desired_condition_terms.alias("place_term")
    seeker = occupation.c.seeker_id
    query = (
        select(seeker).distinct()
        .join(employment, and_(employment.c.seeker_id == seeker, employment.c.kind == desired.EMPLOYMENT_TYPE,
                               employment.c.value.in_(keys[desired.EMPLOYMENT_TYPE])))
        .join(place, and_(place.c.seeker_id == seeker, place.c.kind == desired.PLACE,
                          place.c.value.in_(keys[desired.PLACE])))
        .join(desired_conditions, desired_conditions.c.seeker_id == seeker)
        .where(occupation.c.kind == desired.OCCUPATION, occupation.c.value.in_(keys[desired.OCCUPATION]),
               or_(desired_conditions.c.wage_min.is_(None),
                   and_(desired_conditions.c.wage_type == posting.wage_type,
                        desired_conditions.c.wage_min <= posting.wage_min)))
    )
    if gated:
        query = query.join(seeker_status, seeker_status.c.seeker_id == seeker).where(
            seeker_status.c.registration == domain.VALID, seeker_status.c.usable.is_(True),
            seeker_status.c.withdrawn.is_(False))
    if job_number is not None:
        query = query.where(~exists().where(matches.c.seeker_id == seeker, matches.c.job_number == job_number))
    return query


def match_posting(uow: UnitOfWork, job_number: str) -> list[str]:
    """J6: a new posting meets the seekers whose desired conditions it matches. Only a posting shown
    online (公開範囲 ≠ 4) and open now (not closed, 紹介期限日 not passed) matches anyone. Returns the
    seekers matched now: one `matches` row and one `jobs.posting.matched.v1` each."""
    posting = search.find(uow.session, job_number)
    if posting is None or not domain.is_online(posting.publication_scope) or not domain.is_open(
            posting.closed, posting.deadline, today(uow)):
        return []
    seeker_ids = list(uow.session.scalars(matching_seekers_query(posting, job_number=job_number)))
    if not seeker_ids:
        return []
    record_matches(uow, [(seeker_id, job_number) for seeker_id in seeker_ids])
    log.info("J6: posting %s matched %d seekers", job_number, len(seeker_ids))
    return seeker_ids


def record_matches(uow: UnitOfWork, pairs: list[tuple[str, str]]) -> None:
    """J6: each (seeker id, job number) met: a `matches` row (once per seeker and posting, kept when it is
    there already) and a jobs.posting.matched.v1."""
    now = uow.clock.now()
    uow.session.execute(insert_ignore(uow.session, matches, on=("seeker_id", "job_number")),
                        [{"seeker_id": seeker_id, "job_number": job_number, "matched_at": now}
                         for seeker_id, job_number in pairs])
    for seeker_id, job_number in pairs:
        uow.publish(POSTING_MATCHED, {"seeker_id": seeker_id, "job_number": job_number}, subject=seeker_id)


def matching_jobs(uow: UnitOfWork, seeker_id: str, *, page: int, per_page: int) -> dict[str, Any]:
    """J6: the postings matched to the seeker, newest match first, as job summaries with `matched_at`;
    closed and expired ones (and any no longer shown online), and those that no longer fit the posting's
    or the seeker's changed conditions (commands/rematching.py), drop out. P4 gated."""
    domain.require_job_features(seekers.load(uow.session, seeker_id))
    day = today(uow)
    where = (matches.c.seeker_id == seeker_id, matches.c.unmatched_at.is_(None), postings.c.closed.is_(False),
             postings.c.deadline >= day,
             postings.c.publication_scope != domain.SCOPE_NOT_ONLINE)
    joined = matches.join(postings, postings.c.job_number == matches.c.job_number)
    total = uow.session.scalar(select(func.count()).select_from(joined).where(*where))
    rows = uow.session.execute(
        select(postings, matches.c.matched_at).select_from(joined).where(*where)
        .order_by(matches.c.matched_at.desc(), postings.c.id.desc())
        .limit(per_page).offset((page - 1) * per_page)).all()
    items = [search.summary(row, today=day, registered_caller=True) | {"matched_at": row.matched_at} for row in rows]
    return {"items": items, "total": total, "page": page, "per_page": per_page}
