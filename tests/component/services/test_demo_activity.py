"""Issue 12: the demo seeker's My Page in use (make run): jobs' and messaging's demo data name 求職 太郎
by the id profile's demo registers them under, each loads once, and jobs' goes out as the events its
commands publish (messaging opens the threads and inbox entries from them)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from kit.clock import FrozenClock
from kit.testing.services import migrated_runtime
from services.jobs import demo as jobs_demo
from services.jobs.app import build_runtime as build_jobs
from services.jobs.models import (
    applications,
    direct_requests,
    favourites,
    matches,
    recommendations,
    referrals,
    saved_searches,
)
from services.messaging import demo as messaging_demo
from services.messaging.app import build_runtime as build_messaging
from services.messaging.models import Message, Notice, Thread
from services.profile import demo as profile_demo
from services.profile.app import build_runtime as build_profile
from services.profile.commands import set_disclosure
from services.profile.models import Seeker

CLOCK = "2026-11-30T16:00:00+00:00"  # 12-01 in Japan


def test_the_three_demo_modules_name_the_same_seeker_and_application():
    assert jobs_demo.DEMO_SEEKER_ID == messaging_demo.DEMO_SEEKER_ID == profile_demo.DEMO_SEEKER_ID
    assert jobs_demo.DEMO_SEEKER_NUMBER == messaging_demo.DEMO_SEEKER_NUMBER == \
        profile_demo.DEMO_SEEKER["seeker_number"]
    assert jobs_demo.DEMO_APPLICATION_ID == messaging_demo.DEMO_APPLICATION_ID
    assert jobs_demo.DEMO_PUBLIC_REF == profile_demo.DEMO_PUBLIC_REF


@pytest.fixture
def jobs():
    with migrated_runtime(build_jobs, "jobs", FrozenClock(CLOCK)) as runtime:
        jobs_demo.load_demo(runtime)
        yield runtime


def _count(runtime, table) -> int:
    with runtime.engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(table).where(
            table.c.seeker_id == jobs_demo.DEMO_SEEKER_ID))


def test_jobs_demo_activity_loads_once_and_publishes_what_its_commands_do(jobs):
    assert jobs_demo.load_activity(jobs) is True
    assert jobs_demo.load_activity(jobs) is False
    counts = {table.name: _count(jobs, table) for table in (favourites, saved_searches, referrals, recommendations,
                                                           applications, matches, direct_requests)}
    assert counts == {"favourites": 2, "saved_searches": 1, "referrals": 1, "recommendations": 1,
                      "applications": 1, "matches": 2, "direct_requests": 1}
    with jobs.engine.connect() as connection:
        [application_id] = connection.scalars(select(applications.c.id))
        rows = connection.execute(select(jobs.outbox)).all()
    assert application_id == jobs_demo.DEMO_APPLICATION_ID
    types = sorted(row.type for row in rows)
    assert types == sorted(["jobs.referral.recorded.v1", "jobs.recommendation.made.v1", "jobs.favourite.added.v1",
                            "jobs.favourite.added.v1", "jobs.application.submitted.v1",
                            "jobs.posting.matched.v1", "jobs.posting.matched.v1",
                            "jobs.direct_request.sent.v1"]), types
    assert {row.subject for row in rows} == {jobs_demo.DEMO_SEEKER_ID}
    assert all(json.loads(row.body)["data"]["seeker_id"] == jobs_demo.DEMO_SEEKER_ID for row in rows)


@pytest.fixture
def messaging():
    with migrated_runtime(build_messaging, "messaging", FrozenClock(CLOCK)) as runtime:
        yield runtime


def test_messaging_demo_activity_adds_two_notices_and_an_unread_reply_once(messaging):
    assert messaging_demo.load_activity(messaging) is True
    assert messaging_demo.load_activity(messaging) is False
    with messaging.session_factory() as session:
        notices = session.scalars(select(Notice).where(Notice.seeker_id == messaging_demo.DEMO_SEEKER_ID)).all()
        assert sorted(n.title for n in notices) == sorted(title for title, _ in messaging_demo.NOTICES)
        assert sorted(n.read_at is None for n in notices) == [False, True]  # one read, one unread
        [thread] = session.scalars(select(Thread)).all()
        assert thread.application_id == messaging_demo.DEMO_APPLICATION_ID
        [message] = session.scalars(select(Message)).all()
        assert (message.sender, message.read_at, message.body) == ("employer", None, messaging_demo.EMPLOYER_MESSAGE)


@pytest.fixture
def profile():
    with migrated_runtime(build_profile, "profile", FrozenClock(CLOCK)) as runtime:
        yield runtime


def test_profile_demo_activity_discloses_the_seeker_once_and_never_again_once_stopped(profile):
    assert profile_demo.load_activity(profile) is False  # no demo seeker yet
    profile_demo.load_demo(profile)
    assert profile_demo.load_activity(profile) is True
    assert profile_demo.load_activity(profile) is False
    with profile.session_factory() as session:
        seeker = session.get(Seeker, profile_demo.DEMO_SEEKER_ID)
        assert seeker.public_ref == profile_demo.DEMO_PUBLIC_REF and seeker.disclosed_at is not None
    profile.clock.advance(minutes=5)
    with profile.uow() as uow:  # the seeker stops it: a later start does not disclose them again
        set_disclosure(uow, profile_demo.DEMO_SEEKER_ID, False)
        uow.commit()
    assert profile_demo.load_activity(profile) is False
    with profile.engine.connect() as connection:
        types = connection.execute(select(profile.outbox.c.type)).scalars().all()
    assert types.count("profile.disclosure.changed.v1") == 2
