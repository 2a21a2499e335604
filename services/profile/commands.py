"""What the profile service does when asked: one function per use case, each in a unit of work.

The views (api.py), the event handlers (handlers.py) and the scheduled expiry check call
these; the rules themselves are in domain.py, their refusals said to the client by refusals.py.
A function here loads the seeker, asks the domain, writes the row and publishes the events —
it never commits (the caller does: the view after it returns, the consumer after the handler),
except the expiry sweep, which is its own caller.
"""

from __future__ import annotations

import logging
import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select

from kit.clock import today_in_japan
from kit.periodic import Task, periodic
from kit.problem import Problem, msg
from kit.uow import UnitOfWork
from services.profile import domain
from services.profile.events import (
    DESIRED_CONDITIONS_CHANGED,
    DISCLOSURE_CHANGED,
    REGISTRATION_EXTENDED,
    REGISTRATION_INVALIDATED,
    REGISTRATION_VALIDATED,
    SEEKER_CHANGED,
    SEEKER_CONFIRMED,
    SEEKER_REGISTERED,
)
from services.profile.models import Seeker
from services.profile.refusals import as_problem

log = logging.getLogger("mypage.profile")

DOCUMENT_FIELDS = ("address", "phone", "education", "work_history", "qualifications", "desired", "self_pr")
EXPIRY_BATCH = 500
EXPIRY_CHECK_SECONDS = 60.0


def today(uow: UnitOfWork) -> date:
    return today_in_japan(uow.clock.now())


# -- finding a seeker -----------------------------------------------------------------------------


def seeker_by_number(uow: UnitOfWork, seeker_number: str, *, for_update: bool = False) -> Seeker:
    statement = select(Seeker).where(Seeker.seeker_number == seeker_number)
    seeker = uow.session.scalar(statement.with_for_update() if for_update else statement)
    if seeker is None:
        raise Problem("not-found", detail_ja=f"求職番号 {seeker_number} の求職登録はありません。",
                      detail_en=f"No registration with seeker number {seeker_number}.")
    return seeker


def seeker_by_id(uow: UnitOfWork, seeker_id: str, *, for_update: bool = False) -> Seeker:
    """The token's own seeker (every /me resource is theirs alone)."""
    statement = select(Seeker).where(Seeker.id == seeker_id)
    seeker = uow.session.scalar(statement.with_for_update() if for_update else statement)
    if seeker is None:
        raise Problem("not-found", detail_ja="求職登録が見つかりません。ハローワークにお問い合わせください。",
                      detail_en="Your job-seeker registration was not found; please contact Hello Work.")
    return seeker


# -- 求職登録 by staff (P1) ---------------------------------------------------------------------------


def register_seeker(uow: UnitOfWork, data: dict[str, Any], *, seeker_id: str | None = None) -> Seeker:
    """P1: staff register a seeker. A seeker number already registered is a 409 (correct it with
    PATCH); so is a login email another seeker already uses (it is their login id, A1). The opaque
    id is new and random, unless given (the demo seeker's is fixed, so the other services' demo
    data can name them before profile's events arrive)."""
    now = uow.clock.now()
    day = today(uow)
    if uow.session.scalar(select(Seeker.id).where(Seeker.seeker_number == data["seeker_number"])) is not None:
        raise Problem("conflict", detail_ja=f"求職番号 {data['seeker_number']} はすでに登録されています。"
                                            "変更は PATCH /api/v1/staff/seekers/{求職番号} で行ってください。",
                      detail_en=f"Seeker number {data['seeker_number']} is already registered; "
                                "change it with PATCH /api/v1/staff/seekers/{seeker_number}.",
                      fields={"seeker_number": [msg("すでに登録されています。", "Already registered.")]})
    _email_is_free(uow, data["email"], None)
    with as_problem():
        registration = domain.new_registration(data.get("applied_on") or day, day)
    seeker = Seeker(
        id=seeker_id or str(uuid.uuid4()),
        seeker_number=data["seeker_number"],
        name=data["name"],
        name_kana=data["name_kana"],
        birth_date=data["birth_date"],
        email=data["email"],
        kind=data["kind"],
        office_code=data["office"]["code"],
        office_name=data["office"]["name"],
        document={key: data[key] for key in DOCUMENT_FIELDS},
        created_at=now,
        updated_at=now,
    )
    _apply(seeker, registration)
    uow.session.add(seeker)
    uow.session.flush()
    uow.publish(SEEKER_REGISTERED, _login_facts(seeker), subject=seeker.id)
    _publish_validated(uow, seeker, domain.BY_REGISTRATION)
    _publish_desired(uow, seeker)
    return seeker


def update_seeker(uow: UnitOfWork, seeker_number: str, changes: dict[str, Any]) -> Seeker:
    """P1: staff correct a registration; each field given replaces that field. A new email or
    birth date is announced to auth (profile.seeker.changed.v1)."""
    seeker = seeker_by_number(uow, seeker_number, for_update=True)
    if "email" in changes and changes["email"] != seeker.email:
        _email_is_free(uow, changes["email"], seeker.id)
    login_before = _login_facts(seeker)
    desired_before = seeker.document.get("desired")
    for key in ("name", "name_kana", "birth_date", "email"):
        if key in changes:
            setattr(seeker, key, changes[key])
    if "office" in changes:
        seeker.office_code, seeker.office_name = changes["office"]["code"], changes["office"]["name"]
    _change_document(uow, seeker, changes)
    if _login_facts(seeker) != login_before:
        uow.publish(SEEKER_CHANGED, _login_facts(seeker), subject=seeker.id)
    if seeker.document.get("desired") != desired_before:
        _publish_desired(uow, seeker)
    return seeker


def _email_is_free(uow: UnitOfWork, email: str, seeker_id: str | None) -> None:
    statement = select(Seeker.id).where(func.lower(Seeker.email) == email.lower())
    if seeker_id is not None:
        statement = statement.where(Seeker.id != seeker_id)
    if uow.session.scalar(statement.limit(1)) is not None:
        raise Problem("conflict", detail_ja="このメールアドレスは別の求職者のログイン用に登録されています。",
                      detail_en="This email is already the login email of another seeker.",
                      fields={"email": [msg("別の求職者が使用しています。", "Used by another seeker.")]})


# -- the seeker's own profile (P2) ----------------------------------------------------------------


def update_own_profile(uow: UnitOfWork, seeker_id: str, changes: dict[str, Any]) -> Seeker:
    """P2: the seeker changes contact, education, work history, qualifications, desired conditions
    (the schema has already refused identity fields with 403)."""
    seeker = seeker_by_id(uow, seeker_id, for_update=True)
    desired_before = seeker.document.get("desired")
    _change_document(uow, seeker, changes)
    if seeker.document.get("desired") != desired_before:
        _publish_desired(uow, seeker)
    return seeker


def _change_document(uow: UnitOfWork, seeker: Seeker, changes: dict[str, Any]) -> None:
    document = dict(seeker.document)
    document.update({key: changes[key] for key in DOCUMENT_FIELDS if key in changes})
    seeker.document = document  # a new dict, so the JSON column is written
    seeker.updated_at = uow.clock.now()


# -- registration status (P3, P3a, P3b) ------------------------------------------------------------


def set_registration_status(uow: UnitOfWork, seeker: Seeker, wanted: str, by: str) -> Seeker:
    """P3: the seeker (by="seeker") or staff (by="staff") sets valid/invalid; no change, no event."""
    with as_problem():
        changed = domain.set_status(_registration(seeker), wanted, today(uow))
    if changed is not None:
        _apply(seeker, changed)
        seeker.updated_at = uow.clock.now()
        if changed.valid:
            _publish_validated(uow, seeker, by)
        else:
            _publish_invalidated(uow, seeker, by)
    return seeker


def reapply(uow: UnitOfWork, seeker_number: str, applied_on: date | None) -> Seeker:
    """P3: 再求職申込 at the counter: valid again from the new application date; the invalid date is kept."""
    seeker = seeker_by_number(uow, seeker_number, for_update=True)
    day = today(uow)
    with as_problem():
        _apply(seeker, domain.reapply(_registration(seeker), applied_on or day, day))
    seeker.updated_at = uow.clock.now()
    _publish_validated(uow, seeker, domain.BY_REAPPLICATION)
    return seeker


def record_visit(uow: UnitOfWork, seeker_number: str, kind: str) -> tuple[bool, Seeker]:
    """P3a: staff record counselling or a referral today; in the final month it extends the period."""
    seeker = seeker_by_number(uow, seeker_number, for_update=True)
    return _extend(uow, seeker, today(uow), kind), seeker


def extend_for_online_application(uow: UnitOfWork, seeker_id: str, submitted_at: datetime) -> bool:
    """P3a/J8: an online self-application submitted in the final month extends the period."""
    seeker = uow.session.scalar(select(Seeker).where(Seeker.id == seeker_id).with_for_update())
    if seeker is None:  # erased, or not a seeker this service knows: nothing to extend
        log.info("online application for an unknown seeker; ignored")
        return False
    return _extend(uow, seeker, today_in_japan(submitted_at), "online_application")


def _extend(uow: UnitOfWork, seeker: Seeker, day: date, reason: str) -> bool:
    extended = domain.extend(_registration(seeker), day)
    if extended is None:
        return False
    _apply(seeker, extended)
    seeker.updated_at = uow.clock.now()
    uow.publish(REGISTRATION_EXTENDED, {**_identity(seeker), "valid_until": seeker.valid_until, "reason": reason},
                subject=seeker.id)
    return True


def confirm(uow: UnitOfWork, seeker_number: str) -> Seeker:
    """P3b: staff confirm an online registrant (オンライン登録者 → 利用登録者); again is harmless."""
    seeker = seeker_by_number(uow, seeker_number, for_update=True)
    if seeker.kind == domain.REGISTERED:
        return seeker
    seeker.kind = domain.REGISTERED
    seeker.confirmed_on = today(uow)
    seeker.updated_at = uow.clock.now()
    uow.publish(SEEKER_CONFIRMED, {**_identity(seeker), "confirmed_on": seeker.confirmed_on}, subject=seeker.id)
    return seeker


def expire_due_registrations(runtime) -> int:
    """P3a: every valid registration whose period ended before today (JST) becomes invalid, dated the
    day after its valid_until, each with its event. Returns how many; safe to run anywhere, any
    time, by several workers at once (rows are locked and re-checked)."""
    expired = 0
    while True:
        with runtime.uow() as uow:
            day = today(uow)
            statement = (select(Seeker)
                         .where(Seeker.registration_status == domain.VALID, Seeker.valid_until < day)
                         .order_by(Seeker.valid_until).limit(EXPIRY_BATCH).with_for_update(skip_locked=True))
            batch = uow.session.scalars(statement).all()
            for seeker in batch:
                changed = domain.expire(_registration(seeker), day)
                if changed is not None:
                    _apply(seeker, changed)
                    seeker.updated_at = uow.clock.now()
                    _publish_invalidated(uow, seeker, domain.BY_EXPIRY)
            uow.commit()
        expired += len(batch)
        if len(batch) < EXPIRY_BATCH:
            if expired:
                log.info("%d registration(s) expired", expired)
            return expired


def expiry_task(runtime, interval: float = EXPIRY_CHECK_SECONDS) -> Task:
    """The scheduled check of P3a, for runtime.add_task: sweep now, then every `interval` seconds.

    The sweep reads the injected clock, so a registration turns invalid on the first sweep of
    the day after its valid_until; a failed sweep is logged and tried again next time.
    """
    return periodic(lambda: expire_due_registrations(runtime), interval, what="registration expiry sweep", log=log)


# -- views of a seeker ----------------------------------------------------------------------------


def registration_view(seeker: Seeker) -> dict[str, Any]:
    return {"status": seeker.registration_status, "kind": seeker.kind, "applied_on": seeker.applied_on,
            "valid_until": seeker.valid_until, "invalidated_on": seeker.invalidated_on,
            "confirmed_on": seeker.confirmed_on}


def profile_view(seeker: Seeker) -> dict[str, Any]:
    """求職情報 as the API shows it (P2)."""
    return {
        "seeker_number": seeker.seeker_number,
        "name": seeker.name,
        "name_kana": seeker.name_kana,
        "birth_date": seeker.birth_date,
        "email": seeker.email,
        "office": {"code": seeker.office_code, "name": seeker.office_name},
        **{key: seeker.document.get(key) for key in DOCUMENT_FIELDS},
        "registration": registration_view(seeker),
    }


def home_view(seeker: Seeker) -> dict[str, Any]:
    """P5: profile's part of the home screen. The counts and the no-show restriction are kept by
    jobs and messaging: null here, filled in by the gateway's composition (gateway/home.py)."""
    return {
        "greeting": domain.display_name(seeker.name),
        "name": seeker.name,
        "seeker_number": seeker.seeker_number,
        "office": {"code": seeker.office_code, "name": seeker.office_name},
        "registration": registration_view(seeker),
        "restriction": {"registration_invalid": seeker.registration_status == domain.INVALID,
                        "online_registrant": seeker.kind == domain.ONLINE, "no_show": None},
        "counts": {"favourites": None, "saved_searches": None, "unread_messages": None, "referrals": None,
                   "recommendations": None},
    }


# -- J8a 求職情報公開: the seeker discloses an anonymous profile; employers look for candidates --------


def set_disclosure(uow: UnitOfWork, seeker_id: str, public: bool, *, public_ref: str | None = None) -> Seeker:
    """J8a: disclose (a new random reference each time, unless given: the demo seeker's is fixed) or
    withdraw; the same again changes nothing. Only a valid registration can be disclosed (an invalid
    one is not looking, P3)."""
    seeker = seeker_by_id(uow, seeker_id, for_update=True)
    if public == (seeker.disclosed_at is not None):
        return seeker
    if public and seeker.registration_status != domain.VALID:
        raise Problem("conflict", detail_ja="求職登録が無効のため、求職情報を公開できません。",
                      detail_en="Your registration is invalid, so your information cannot be disclosed.",
                      extra={"reason": "registration_invalid"})
    seeker.public_ref = (public_ref or uuid.uuid4().hex) if public else None
    seeker.disclosed_at = uow.clock.now() if public else None
    seeker.updated_at = uow.clock.now()
    uow.publish(DISCLOSURE_CHANGED, {"seeker_id": seeker.id, "public": public, "public_ref": seeker.public_ref},
                subject=seeker.id)
    return seeker


def disclosure_view(seeker: Seeker, day: date) -> dict[str, Any]:
    """What the seeker sees of their disclosure, including exactly what employers see."""
    return {"public": seeker.disclosed_at is not None, "disclosed_at": seeker.disclosed_at,
            "shown_to_employers": public_profile(seeker, day) if seeker.disclosed_at else None}


def public_profile(seeker: Seeker, day: date) -> dict[str, Any]:
    """J8a: the anonymous profile employers see — no name, number, contact, birth date, address below
    the prefecture, or company names: age decade, prefecture, desired conditions, qualifications,
    education level and work-history periods with the seeker's own descriptions."""
    document = seeker.document
    address = document.get("address") or {}
    return {
        "ref": seeker.public_ref,
        "age": domain.age_bracket(seeker.birth_date, day),
        "prefecture": address.get("prefecture"),
        "desired": document.get("desired"),
        "qualifications": [item.get("name") for item in document.get("qualifications") or []],
        "education": [item.get("status") for item in document.get("education") or []],
        "work_history": [{"from": item.get("from"), "to": item.get("to"), "description": item.get("description")}
                         for item in document.get("work_history") or []],
        "disclosed_at": seeker.disclosed_at,
    }


def public_profiles(uow: UnitOfWork, *, occupation: str | None, prefecture: str | None, page: int,
                    per_page: int) -> dict[str, Any]:
    """J8a: disclosed profiles of seekers whose registration is valid, newest disclosure first; optionally
    those desiring an occupation (a name or 職業分類 code, prefix match on codes) or a prefecture."""
    rows = uow.session.scalars(select(Seeker).where(Seeker.disclosed_at.is_not(None),
                                                    Seeker.registration_status == domain.VALID)
                               .order_by(Seeker.disclosed_at.desc(), Seeker.id)).all()
    wanted = [seeker for seeker in rows if domain.desires(seeker.document.get("desired") or {}, occupation=occupation,
                                                          prefecture=prefecture)]
    day = today(uow)
    start = (page - 1) * per_page
    return {"items": [public_profile(seeker, day) for seeker in wanted[start:start + per_page]],
            "total": len(wanted), "page": page, "per_page": per_page}


# -- helpers --------------------------------------------------------------------------------------


def _registration(seeker: Seeker) -> domain.Registration:
    return domain.Registration(seeker.registration_status, seeker.applied_on, seeker.valid_until,
                               seeker.invalidated_on)


def _apply(seeker: Seeker, registration: domain.Registration) -> None:
    seeker.registration_status = registration.status
    seeker.applied_on = registration.applied_on
    seeker.valid_until = registration.valid_until
    seeker.invalidated_on = registration.invalidated_on


def _login_facts(seeker: Seeker) -> dict[str, Any]:
    return {"seeker_id": seeker.id, "seeker_number": seeker.seeker_number, "email": seeker.email,
            "birth_date": seeker.birth_date}


def _identity(seeker: Seeker) -> dict[str, Any]:
    return {"seeker_id": seeker.id, "seeker_number": seeker.seeker_number, "kind": seeker.kind}


def _publish_validated(uow: UnitOfWork, seeker: Seeker, reason: str) -> None:
    uow.publish(REGISTRATION_VALIDATED, {**_identity(seeker), "applied_on": seeker.applied_on,
                                         "valid_until": seeker.valid_until, "reason": reason}, subject=seeker.id)


def _publish_invalidated(uow: UnitOfWork, seeker: Seeker, reason: str) -> None:
    uow.publish(REGISTRATION_INVALIDATED, {**_identity(seeker), "invalidated_on": seeker.invalidated_on,
                                           "reason": reason}, subject=seeker.id)


def _publish_desired(uow: UnitOfWork, seeker: Seeker) -> None:
    uow.publish(DESIRED_CONDITIONS_CHANGED, {"seeker_id": seeker.id, "desired": seeker.document["desired"]},
                subject=seeker.id)
