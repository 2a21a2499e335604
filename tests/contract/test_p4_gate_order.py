"""P4: jobs and messaging each keep their own seeker_status projection and gate (services share no code),
but a seeker must hear the same reason from both: withdrawn, then 利用不可, then not known yet, then invalid."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import product

import pytest

from services.jobs import domain as jobs
from services.messaging import domain as messaging

T0 = datetime(2026, 11, 26, tzinfo=UTC)


@pytest.mark.parametrize(("registration", "usable", "withdrawn"),
                         list(product([None, "valid", "invalid"], [True, False], [True, False])))
def test_p4_jobs_and_messaging_refuse_for_the_same_reason(registration, usable, withdrawn):
    in_jobs = jobs.SeekerStatus(registration=registration, usable=usable, withdrawn=withdrawn)
    in_messaging = messaging.SeekerStatus(registration=registration, usable=usable,
                                          withdrawn_at=T0 if withdrawn else None)
    assert jobs.refusal(in_jobs) == messaging.messaging_refusal(in_messaging)
