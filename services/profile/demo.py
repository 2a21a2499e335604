"""Demo data of the embedded mode (DESIGN §4): the seeker 求職 太郎 at 越谷公共職業安定所."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from kit.clock import today_in_japan
from kit.runtime import Runtime
from services.profile import schemas
from services.profile.commands import register_seeker, set_disclosure
from services.profile.models import Seeker

# The demo seeker's opaque id, fixed: jobs' and messaging's demo data (their referrals, application,
# messages and notices) name them by it before profile's events reach those services.
DEMO_SEEKER_ID = "8f3b2c5e-6a1d-4e7b-9c0f-2d4a6b8e1f37"
# … and the reference they are disclosed under (J8a), to which jobs' demo sends a direct request.
DEMO_PUBLIC_REF = "3b9d6f0a2c4e48a1b7d5e9f1a3c5e7b9"
# SPEC "Staff register a seeker" example payload; applied_on is the day of loading.
DEMO_SEEKER: dict[str, Any] = {
    "seeker_number": "11040-12345678",
    "name": "求職 太郎",
    "name_kana": "キュウショク タロウ",
    "birth_date": "1990-04-01",
    "email": "taro@example.jp",
    "kind": "registered",
    "office": {"code": "11040", "name": "越谷公共職業安定所"},
    "address": {"postal_code": "343-0023", "prefecture": "埼玉県", "municipality": "越谷市"},
    "phone": "048-000-0000",
    "desired": {"occupations": ["介護職員"], "employment_types": ["正社員"],
                "prefectures": ["埼玉県"], "municipalities": ["越谷市"], "wage_min": 200000},
    "work_history": [{"company": "株式会社越谷ケア", "from": "2015-04", "to": "2025-03",
                      "description": "特別養護老人ホームでの介護業務"}],
    "qualifications": [{"name": "介護福祉士", "acquired_on": "2018-04"}],
}


def load_demo(runtime: Runtime) -> bool:
    """Register the demo seeker unless already there; True if it was registered now.

    It goes through the same command as a registration at the counter, so the row and its
    events (profile.seeker.registered.v1 for auth, the validated and desired-conditions events
    for jobs) commit together through the outbox. Idempotent.
    """
    with runtime.uow() as uow:
        if uow.session.scalar(select(Seeker.id).where(Seeker.seeker_number == DEMO_SEEKER["seeker_number"])):
            return False
        with schemas.as_of(today_in_japan(runtime.clock.now())):
            seeker = schemas.SeekerRegistrationSchema().load(DEMO_SEEKER)
        register_seeker(uow, seeker, seeker_id=DEMO_SEEKER_ID)
        try:
            uow.commit()
        except IntegrityError:  # registered concurrently by another process
            return False
    return True


def load_activity(runtime: Runtime) -> bool:
    """求職 太郎 discloses their job-seeking information (求職情報公開, J8a) as a seeker using the My Page
    might, so the disclosure preview shows and an employer's direct request can reach them (jobs'
    demo sends one under DEMO_PUBLIC_REF). Only while the seeker is as loaded — never changed since —
    so a disclosure stopped later stays stopped; True if disclosed now."""
    with runtime.uow() as uow:
        seeker = uow.session.get(Seeker, DEMO_SEEKER_ID)
        if seeker is None or seeker.disclosed_at is not None or seeker.updated_at != seeker.created_at:
            return False
        set_disclosure(uow, DEMO_SEEKER_ID, True, public_ref=DEMO_PUBLIC_REF)
        uow.commit()
    return True
