"""The applicant's profile for the employer (issue 13 item 3; SPEC J8, C2): which of the seeker's 求職情報 goes
with an online application, frozen when it was made.

- What goes, always: 氏名 and フリガナ (an application names its applicant), 職歴, 資格・免許, 希望条件, 自己PR —
  never 学歴, the login email or the 求職番号. Only when the seeker ticks them: 住所, 電話番号, 生年月日
  (`CONTACT_PARTS`; `share_contact` of `POST /api/v1/me/applications`, carried by jobs'
  `jobs.application.submitted.v1` as `shared_contact`).
- Before applying the seeker reads exactly that (`preview`: `GET /api/v1/me/application-profile`).
- Profile freezes it as it handles jobs' event (`freeze`, handlers.py) — one row per application, kept as it
  was whatever the seeker changes later; a redelivery keeps the first. The employer reads it with
  `GET /api/v1/employer/applications/{id}/profile` (`for_employer`): only for one of the establishments its
  token names (C2; another's is as unknown as a made-up id). Erasure (R3) deletes it with the seeker.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from kit.db import insert_ignore
from kit.events import Event, seeker_id_of
from kit.problem import Problem
from kit.uow import UnitOfWork
from services.profile.models import Seeker, application_profiles

log = logging.getLogger("mypage.profile")

ALWAYS_PARTS = ("work_history", "qualifications", "desired", "self_pr")
CONTACT_PARTS = ("address", "phone", "birth_date")


def applicant_profile(seeker: Seeker, shared_contact: list[str] | tuple[str, ...]) -> dict[str, Any]:
    """The 求職情報 that goes with an application: name, the ALWAYS_PARTS, and the contact parts ticked."""
    document = seeker.document or {}
    profile: dict[str, Any] = {"name": seeker.name, "name_kana": seeker.name_kana}
    profile |= {part: document.get(part) for part in ALWAYS_PARTS}
    if "address" in shared_contact:
        profile["address"] = document.get("address")
    if "phone" in shared_contact:
        profile["phone"] = document.get("phone")
    if "birth_date" in shared_contact:
        profile["birth_date"] = seeker.birth_date.isoformat()
    return profile


def preview(seeker: Seeker) -> dict[str, Any]:
    """What an application sends: `sent` always, and each contact part as it would go if ticked."""
    full = _dated(applicant_profile(seeker, CONTACT_PARTS))
    return {"sent": applicant_profile(seeker, ()), "optional": {part: full[part] for part in CONTACT_PARTS}}


def _dated(profile: dict[str, Any]) -> dict[str, Any]:
    """The profile as the API dumps it: the birth date (kept as JSON text) a date again."""
    if profile.get("birth_date"):
        return profile | {"birth_date": date.fromisoformat(profile["birth_date"])}
    return profile


def freeze(uow: UnitOfWork, event: Event) -> bool:
    """`jobs.application.submitted.v1`: keep the applicant's profile as it is now; True if kept now (a
    redelivery keeps the first). A seeker profile does not know, or a malformed event, keeps nothing."""
    data = event.data
    seeker_id = seeker_id_of(event)
    application_id, establishment, job_number = (data.get(key) for key in (
        "application_id", "establishment_number", "job_number"))
    if seeker_id is None or not all(isinstance(value, str) and value
                                    for value in (application_id, establishment, job_number)):
        log.warning("%s %s without its application, establishment or posting; no profile kept", event.type, event.id)
        return False
    seeker = uow.session.get(Seeker, seeker_id)
    if seeker is None:
        log.warning("%s %s of a seeker profile does not know; no profile kept", event.type, event.id)
        return False
    shared = data.get("shared_contact") or []
    shared = [part for part in CONTACT_PARTS if isinstance(shared, list) and part in shared]
    submitted_at = _time(data.get("submitted_at")) or event.time
    kept = uow.session.execute(insert_ignore(uow.session, application_profiles, on="application_id").values(
        application_id=application_id, seeker_id=seeker_id, establishment_number=establishment,
        job_number=job_number, shared_contact=shared, profile=applicant_profile(seeker, shared),
        submitted_at=submitted_at).returning(application_profiles.c.application_id)).first()
    return kept is not None


def for_employer(uow: UnitOfWork, establishments: frozenset[str] | None, application_id: str) -> dict[str, Any]:
    """C2: the frozen profile of an application to one of the employer's establishments (None: every one, the
    development client); another's, a made-up id, or one not frozen yet: 404."""
    query = select(application_profiles).where(application_profiles.c.application_id == application_id)
    if establishments is not None:
        query = query.where(application_profiles.c.establishment_number.in_(establishments))
    row = uow.session.execute(query).first()
    if row is None:
        raise Problem("not-found", detail_ja="この応募の求職情報はありません（応募の直後であれば、しばらくしてから"
                                             "再度お試しください）。",
                      detail_en="No applicant profile for this application (right after it was made, try again "
                                "shortly).")
    return {"application_id": row.application_id, "job_number": row.job_number,
            "establishment_number": row.establishment_number, "submitted_at": row.submitted_at,
            "shared_contact": row.shared_contact, "profile": _dated(row.profile)}


def _time(value: Any) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    return moment if moment.tzinfo is not None else None
