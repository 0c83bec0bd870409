"""Study days: a day starts at the cut-off hour in local time (Anki's "next day starts at"), and
time between reviews is counted in such days, as Anki counts it."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ec2cards.model.states import CardState

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


def shown_interval(after: CardState, answered_at: datetime, cutoff_hour: int) -> timedelta:
    """The interval an answer's key showed, told again from the state it saved: review days
    for a review card, the study days to a step that falls on another day, else the time to
    the step. Not the time to the due moment: a card due in 7 study days at 04:00 is 6 days
    and some hours away in the evening, and the saved line must say what the key said."""
    from ec2cards.model.states import Phase  # here: the due counts import this module bare

    if after.phase is Phase.REVIEW:
        return timedelta(days=after.interval_days)
    if after.due is None:
        return timedelta(0)
    days = (study_day(after.due, cutoff_hour) - study_day(answered_at, cutoff_hour)).days
    return timedelta(days=days) if days > 0 else after.due - answered_at
