"""The profile service's rules — no Flask, no SQLAlchemy session."""

from __future__ import annotations

import calendar
from datetime import date


def registration_valid_until(applied_on: date) -> date:
    """P3a: a registration is valid until the end of the month after next (翌々月末)
    from the month of application: applied 2026-11-02 → valid until 2027-01-31."""
    month_index = applied_on.year * 12 + applied_on.month - 1 + 2
    year, month = divmod(month_index, 12)
    month += 1
    return date(year, month, calendar.monthrange(year, month)[1])
