"""Saved-search alerts (J3): 「新着求人をメールで受け取る」 per saved search, opt-in, and its daily digest.

- `set_alert`: the seeker turns it on (new postings count from now) or off — from My Page, or with the
  one-click stop link of a digest mail (`stop_alert`: no login; the link's token, signed by auth, names
  the seeker and the saved search). Stopping always works, whatever the seeker's registration (P4).
- `send_digests`: the daily pass (tasks.py, in jobs' worker). For every saved search with the alert on
  whose last digest counted up to an earlier 7:00 in Japan (domain.alerts.digest_cutoff): the postings
  its criteria find (the J2 search's SQL conditions: open, shown online) that arrived after its last
  digest and up to 7:00 today; if any, one `jobs.saved_search.digest.v1` (count + the newest 5) through
  the outbox — auth, which owns the login email, mails it (services/auth/mail.py). Nothing new: no event,
  no mail. Either way the search now counts from that 7:00, so a posting is in one digest at most. The
  claim is a conditional UPDATE of `alert_since`, so two workers never send one digest twice.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update

from kit.problem import Problem
from kit.runtime import Runtime
from kit.uow import UnitOfWork
from services.jobs import domain, search, seekers
from services.jobs.domain.alerts import DIGEST_POSTINGS, digest_cutoff
from services.jobs.events import SAVED_SEARCH_DIGEST
from services.jobs.models import postings, saved_searches

log = logging.getLogger("mypage.jobs")

DIGEST_BATCH = 200  # saved searches per committed transaction of the daily pass


def alert_values(enabled: bool, now: datetime) -> dict[str, Any]:
    """The columns of an alert turned on (new postings count from `now`) or off."""
    return {"email_alert": enabled, "alert_since": now if enabled else None}


def set_alert(uow: UnitOfWork, seeker_id: str, search_id: str, enabled: bool) -> None:
    """J3: turn 「新着求人をメールで受け取る」 on or off for one of the seeker's saved searches (unknown or
    another's: 404). On again while on keeps counting from before; off always works (P4 gates turning on)."""
    status = seekers.lock(uow.session, seeker_id)
    if enabled:
        domain.require_job_features(status)
    row = uow.session.execute(select(saved_searches.c.email_alert).where(
        saved_searches.c.id == search_id, saved_searches.c.seeker_id == seeker_id)).first()
    if row is None:
        raise Problem("not-found", detail_ja="保存した検索条件が見つかりません。", detail_en="No such saved search.")
    if row.email_alert != enabled:
        uow.session.execute(update(saved_searches).where(saved_searches.c.id == search_id)
                            .values(**alert_values(enabled, uow.clock.now())))


def stop_alert(uow: UnitOfWork, seeker_id: str, search_id: str) -> bool:
    """J3: the one-click stop of a digest mail; True if it was on. A search deleted meanwhile: nothing to stop."""
    stopped = uow.session.execute(update(saved_searches).where(
        saved_searches.c.id == search_id, saved_searches.c.seeker_id == seeker_id,
        saved_searches.c.email_alert.is_(True)).values(**alert_values(False, uow.clock.now()))).rowcount
    return bool(stopped)


def send_digests(runtime: Runtime) -> int:
    """The daily pass: every due saved search, in batches each committed; returns how many digests went out."""
    sent = 0
    while True:
        with runtime.uow() as uow:
            cutoff = digest_cutoff(uow.clock.now())
            due = uow.session.execute(
                select(saved_searches).where(saved_searches.c.email_alert.is_(True),
                                             saved_searches.c.alert_since < cutoff)
                .order_by(saved_searches.c.alert_since, saved_searches.c.id).limit(DIGEST_BATCH)).all()
            sent += sum(_digest(uow, row, cutoff) for row in due)
            uow.commit()
        if len(due) < DIGEST_BATCH:
            break
    if sent:
        log.info("J3: %d saved-search digests sent", sent)
    return sent


def _digest(uow: UnitOfWork, row, cutoff: datetime) -> bool:
    """One saved search's digest up to `cutoff`: claimed (it now counts from `cutoff`), then its event if any
    posting is new and the seeker may use the My Page job features (P4)."""
    claimed = uow.session.execute(update(saved_searches).where(
        saved_searches.c.id == row.id, saved_searches.c.email_alert.is_(True),
        saved_searches.c.alert_since == row.alert_since).values(alert_since=cutoff)).rowcount
    if claimed != 1 or domain.refusal(seekers.load(uow.session, row.seeker_id)) is not None:
        return False
    where = [*search.conditions(row.criteria, domain.today_in_japan(cutoff), registered_caller=True),
             postings.c.created_at > row.alert_since, postings.c.created_at <= cutoff]
    count = uow.session.scalar(select(func.count()).select_from(postings).where(*where))
    if not count:
        return False
    newest = uow.session.execute(select(postings.c.job_number, postings.c.title).where(*where)
                                 .order_by(postings.c.created_at.desc(), postings.c.id.desc())
                                 .limit(DIGEST_POSTINGS)).all()
    uow.publish(SAVED_SEARCH_DIGEST, {
        "seeker_id": row.seeker_id, "saved_search_id": row.id, "search_name": row.name, "count": count,
        "postings": [{"job_number": p.job_number, "title": p.title} for p in newest],
        "since": row.alert_since, "until": cutoff}, subject=row.seeker_id)
    return True
