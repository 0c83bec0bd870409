"""Study days: a day starts at the cut-off hour in local time (Anki's "next day starts at"), and
time between reviews is counted in such days, as Anki counts it."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

DAY_SECONDS = 86_400


def day_start(now: datetime, cutoff_hour: int) -> datetime:
    """Start of the user's study day: the last local `cutoff_hour`:00 at or before `now`."""
    local = now.astimezone()
    start = local.replace(hour=cutoff_hour, minute=0, second=0, microsecond=0)
    if local < start:
        start -= timedelta(days=1)
    return start


def next_day_at(now: datetime, cutoff_hour: int) -> datetime:
    """When the next study day starts: a day after this one started, in now's UTC offset."""
    return day_start(now, cutoff_hour) + timedelta(days=1)


def study_day(moment: datetime, cutoff_hour: int) -> date:
    """The local study day a moment belongs to (a day starts at the cut-off hour)."""
    return day_start(moment, cutoff_hour).date()


def elapsed_days(last_review: datetime | None, now: datetime, cutoff_hour: int) -> int:
    """Study days since the last review, as FSRS gets them in Anki: the day boundaries crossed,
    so a card answered at 07:00 on the day it fell due at 09:10 is on time, and two answers on
    one study day are 0 days apart."""
    if last_review is None:
        return 0
    seconds = (next_day_at(now, cutoff_hour) - last_review).total_seconds()
    return int(max(seconds, 0) // DAY_SECONDS)


def day_starting(day: date, cutoff_hour: int) -> datetime:
    """The moment a study day begins: its cut-off hour in local time."""
    return datetime.combine(day, time(cutoff_hour)).astimezone()


def days_later(now: datetime, days: int, cutoff_hour: int) -> datetime:
    """The start of the study day `days` after now's: when a review due in `days` days comes."""
    return day_starting(study_day(now, cutoff_hour) + timedelta(days=days), cutoff_hour)
