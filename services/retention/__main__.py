"""python -m services.retention web|worker|relay|migrate|sweep

`sweep` (R2) is one pass of the five-year sweep, for a CronJob: it starts an erasure for every
seeker due and exits; the relay publishes the requests and the worker follows the saga (R3).
"""

from kit.cli import main
from services.retention.app import build_runtime, create_app
from services.retention.commands import sweep


def _sweep(runtime) -> None:
    started = sweep(runtime)
    print(f"R2 sweep: {started} erasure(s) started")  # noqa: T201 — the one line a CronJob log shows


main("retention", build_runtime=build_runtime, create_app=create_app, commands={"sweep": _sweep})
