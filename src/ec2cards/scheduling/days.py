"""Study days: a day starts at the cut-off hour in local time (Anki's "next day starts at")."""

from __future__ import annotations

from datetime import date, datetime, timedelta


def day_start(now: datetime, cutoff_hour: int) -> datetime:
    """Start of the user's study day: the last local `cutoff_hour`:00 at or before `now`."""
    local = now.astimezone()
    start = local.replace(hour=cutoff_hour, minute=0, second=0, microsecond=0)
    if local < start:
        start -= timedelta(days=1)
    return start


def study_day(moment: datetime, cutoff_hour: int) -> date:
    """The local study day a moment belongs to (a day starts at the cut-off hour)."""
    return day_start(moment, cutoff_hour).date()
