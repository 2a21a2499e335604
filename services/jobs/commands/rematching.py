"""J6 again: a changed posting and changed desired conditions are matched again (services/jobs/README.md
"J6"). One function per use case, in a unit of work the consumer commits.

- `rematch_posting`: jobs' own `jobs.posting.changed.v1`. The seekers the changed posting now fits and
  has not met get it as a new posting (`matching.match_posting`: a `matches` row and
  `jobs.posting.matched.v1` each); a seeker it met before and no longer fits keeps the row with
  `unmatched_at` set, so it leaves their list; one it fits again is listed again — without a second
  event, so messaging never gets the same posting twice for one seeker.
- `rematch_seeker`: a change of the seeker's desired conditions (`matching.record_desired_conditions`,
  not their first registration): the postings matched before that no longer fit leave the list (or come
  back), and the open postings shown online that fit the new conditions and were received within J2's
  新着 week are matched now, at most `desired.REMATCH_LIMIT`, newest received first.

A closed, expired or no longer online posting leaves the list by the list's own filter
(`matching.matching_jobs`), whatever its match.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, exists, func, or_, select, update

from kit.uow import UnitOfWork
from services.jobs import desired, domain, search, seekers
from services.jobs.commands.common import today
from services.jobs.commands.matching import (
    match_posting,
    matching_seekers_query,
    record_desired_conditions,
    record_matches,
)
from services.jobs.models import desired_condition_terms, desired_conditions, matches, postings

log = logging.getLogger("mypage.jobs")


def rematch_posting(uow: UnitOfWork, job_number: str) -> list[str]:
    """J6: a changed posting, matched again; returns the seekers it meets for the first time."""
    posting = search.find(uow.session, job_number)
    if posting is None:
        return []
    fitting = matching_seekers_query(posting, gated=False)
    _set_unmatched(uow, (matches.c.job_number == job_number, matches.c.seeker_id.in_(fitting)),
                   (matches.c.job_number == job_number, matches.c.seeker_id.not_in(fitting)))
    return match_posting(uow, job_number)


def change_desired_conditions(uow: UnitOfWork, seeker_id: str, payload: dict[str, Any], at: datetime) -> bool:
    """J6/P1: profile's desired conditions, kept (`matching.record_desired_conditions`: the newest event
    wins); a change of conditions already kept is matched again (`rematch_seeker`) — the first ones only
    meet postings published from then on. Returns whether they were applied."""
    known = uow.session.scalar(select(desired_conditions.c.seeker_id)
                               .where(desired_conditions.c.seeker_id == seeker_id))
    applied = record_desired_conditions(uow, seeker_id, payload, at)
    if applied and known is not None:
        rematch_seeker(uow, seeker_id)
    return applied


def rematch_seeker(uow: UnitOfWork, seeker_id: str) -> list[str]:
    """J6: the seeker's desired conditions changed; returns the job numbers matched now (new to them)."""
    fits = exists().where(postings.c.job_number == matches.c.job_number, *_fits(seeker_id))
    _set_unmatched(uow, (matches.c.seeker_id == seeker_id, fits), (matches.c.seeker_id == seeker_id, ~fits))
    if domain.refusal(seekers.load(uow.session, seeker_id)) is not None:
        return []  # P4: matched again once the features open and something new arrives
    new = list(uow.session.scalars(new_postings_query(seeker_id, today(uow))))
    if not new:
        return []
    record_matches(uow, [(seeker_id, number) for number in new])
    log.info("J6: changed desired conditions matched %d postings", len(new))
    return new


def new_postings_query(seeker_id: str, day: date):
    """J6: the SELECT of the job numbers the seeker's (changed) conditions meet on `day`: open, shown online,
    received within J2's 新着 week, not met before; at most desired.REMATCH_LIMIT, newest received first."""
    return (select(postings.c.job_number)
            .where(*_fits(seeker_id), postings.c.closed.is_(False), postings.c.deadline >= day,
                   postings.c.publication_scope != domain.SCOPE_NOT_ONLINE,
                   postings.c.received_on >= domain.new_since("week", day),
                   ~exists().where(matches.c.seeker_id == seeker_id, matches.c.job_number == postings.c.job_number))
            .order_by(postings.c.received_on.desc(), postings.c.id.desc()).limit(desired.REMATCH_LIMIT))


def _set_unmatched(uow: UnitOfWork, fitting: tuple, not_fitting: tuple) -> None:
    """Matches that fit again are listed again; those that no longer fit leave the list (row kept)."""
    uow.session.execute(update(matches).where(*fitting, matches.c.unmatched_at.is_not(None))
                        .values(unmatched_at=None).execution_options(synchronize_session=False))
    uow.session.execute(update(matches).where(*not_fitting, matches.c.unmatched_at.is_(None))
                        .values(unmatched_at=uow.clock.now()).execution_options(synchronize_session=False))


def _fits(seeker_id: str) -> tuple:
    """J6 the other way round: the conditions on a `postings` row that the seeker's desired conditions
    hold — the rule of matching.matching_seekers_query (desired.posting_keys), without the P4 gate."""
    code = postings.c.occupation_code

    def term(kind: str, *values) -> exists:
        return exists().where(desired_condition_terms.c.seeker_id == seeker_id, desired_condition_terms.c.kind == kind,
                              or_(desired_condition_terms.c.value == desired.ANY,
                                  *(desired_condition_terms.c.value == value for value in values)))

    wage = exists().where(desired_conditions.c.seeker_id == seeker_id,
                          or_(desired_conditions.c.wage_min.is_(None),
                              and_(desired_conditions.c.wage_type == postings.c.wage_type,
                                   desired_conditions.c.wage_min <= postings.c.wage_min)))
    return (term(desired.OCCUPATION, func.substr(code, 1, 2), func.substr(code, 1, 3), code),
            term(desired.EMPLOYMENT_TYPE, postings.c.employment_type),
            term(desired.PLACE, postings.c.municipality_code, postings.c.prefecture_code),
            wage)
