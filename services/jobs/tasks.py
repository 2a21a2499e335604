"""The jobs worker's runtime task (and the embedded mode's): the daily saved-search digest (J3 alerts,
commands/alerts.py). A pass every DIGEST_CHECK_SECONDS finds the digests due since the last 7:00 in Japan,
so each saved search gets at most one a day and a worker that was down catches up at its first pass;
several workers at once never send one twice (each digest is claimed by a conditional UPDATE)."""

from __future__ import annotations

import logging

from kit.periodic import Task, periodic
from services.jobs.commands.alerts import send_digests

log = logging.getLogger("mypage.jobs")

DIGEST_TASK = "saved-search-digest"
DIGEST_CHECK_SECONDS = 600.0


def digest_task(runtime) -> Task:
    """J3 alerts as a runtime task: a pass now, then every DIGEST_CHECK_SECONDS, until stopped."""
    return periodic(lambda: send_digests(runtime), DIGEST_CHECK_SECONDS, what="saved-search digest", log=log)
