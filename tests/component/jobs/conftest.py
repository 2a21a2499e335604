"""The jobs service in-process: a SQLite database, a frozen clock, tokens from a test signer, postings
inserted as the employer system sends them, and a projection fed through the real handlers."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable

import pytest
from sqlalchemy import insert

from kit.events import EventSpec
from kit.testing.component import TOKEN_TTL, service_fixtures
from services.auth import events as auth_events
from services.jobs.app import build_runtime, create_app
from services.jobs.handlers import SUBSCRIPTIONS
from services.jobs.models import posting_row, postings
from services.profile import events as profile_events

# SPEC "Employers publish a posting"
POSTING = {
    "job_number": "11040-00012345", "establishment": {"number": "1104-123456-7", "name": "株式会社越谷ケア"},
    "title": "介護職員", "occupation_code": "361-01", "description": "特別養護老人ホームでの介護業務です。",
    "category": "一般", "full_time": True, "employment_type": "正社員",
    "location": {"prefecture": "埼玉県", "municipality": "越谷市", "station": "越谷駅"},
    "wage": {"type": "monthly", "min": 200000, "max": 260000}, "hours": "08:30-17:30",
    "holidays": {"two_days_weekly": "毎週", "annual_days": 120},
    "publication_scope": 1, "online_application": True,
    "received_on": "2026-11-02", "deadline": "2027-01-31",
    "insurance": ["雇用", "労災"], "contact": {"person": "越谷 花子", "phone": "048-000-1111"},
}
SPECS: dict[str, EventSpec] = {spec.type: spec for spec in (*profile_events.PUBLISHES, *auth_events.PUBLISHES)}


def job_number(serial: int | None = None) -> str:
    return f"11040-{(uuid.uuid4().int % 10**8) if serial is None else serial:08d}"


def checked(event_type: str, data: dict) -> dict:
    """The data of an event a service here publishes, as its publisher's schema lets it out."""
    return SPECS[event_type].payload(data) if event_type in SPECS else data


# clock, runtime, signer, app, client, staff, employer, as_seeker, outbox (kit/testing/component.py), and
# feed(type, data, at=None, source=…, subject=None) -> the event, delivered to the jobs handler with its data checked
globals().update(service_fixtures("jobs", build_runtime, create_app, SUBSCRIPTIONS, payload=checked,
                                  deliver_as="feed"))
LONG = TOKEN_TTL  # what the tests here sign their own tokens for


def insert_postings(runtime, numbers: list[str], **changes) -> list[str]:
    """Postings of SPEC's payload with `changes`, one under each of `numbers`, inserted at once; the numbers."""
    rows = [posting_row(copy.deepcopy(POSTING) | changes | {"job_number": number}, now=runtime.clock.now())
            for number in numbers]
    with runtime.engine.begin() as connection:
        connection.execute(insert(postings), rows)
    return numbers


@pytest.fixture
def post(runtime) -> Callable[..., str]:
    """post(**changes) -> the job number of a new posting (SPEC's payload with `changes`)."""

    def make(**changes) -> str:
        return insert_postings(runtime, [changes.pop("job_number", None) or job_number()], **changes)[0]

    return make


@pytest.fixture
def post_many(runtime) -> Callable[[int], list[str]]:
    """post_many(n) -> n new open postings' job numbers, inserted at once."""
    return lambda count: insert_postings(runtime, [job_number() for _ in range(count)])


def registration(seeker_id: str, status: str, *, kind: str = "registered", **extra) -> tuple[str, dict]:
    """A profile.registration.validated/invalidated.v1 event's type and data for `seeker_id`."""
    base = {"seeker_id": seeker_id, "seeker_number": "11040-12345678", "kind": kind}
    if status == "valid":
        return "profile.registration.validated.v1", base | {"applied_on": "2026-11-02", "valid_until": "2027-01-31",
                                                            "reason": "registered"} | extra
    return "profile.registration.invalidated.v1", base | {"invalidated_on": "2026-11-26", "reason": "staff"} | extra


@pytest.fixture
def seeker(feed, signer) -> Callable[..., tuple[str, dict[str, str]]]:
    """seeker(kind="registered") -> (opaque id, bearer headers) of a seeker with a valid registration."""

    def make(kind: str = "registered") -> tuple[str, dict[str, str]]:
        seeker_id = str(uuid.uuid4())
        feed(*registration(seeker_id, "valid", kind=kind))
        return seeker_id, signer.headers(seeker_id, ttl=LONG)

    return make
