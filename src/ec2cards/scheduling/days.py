"""Study days: a day starts at the cut-off hour in local time (Anki's "next day starts at"), and
time between reviews is counted in such days, as Anki counts it."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ec2cards.model.states import CardState

DAY_SECONDS = 86_400


def local(moment: datetime, zone: tzinfo | None = None) -> datetime:
    """A moment on the clock of `zone` (a review's kept zone), or of this system when None."""
    return moment.astimezone(zone) if zone is not None else moment.astimezone()


def study_day(moment: datetime, cutoff_hour: int, zone: tzinfo | None = None) -> date:
    """The study day a moment belongs to: its local date, or the day before while the local
    clock is before the cut-off hour (a day starts at the cut-off hour)."""
    at = local(moment, zone)
    return at.date() - timedelta(days=1) if at.hour < cutoff_hour else at.date()


def day_starting(day: date, cutoff_hour: int, zone: tzinfo | None = None) -> datetime:
    """The moment a study day begins: its cut-off hour on the local clock. On a day when the
    clocks skip that hour, the moment they skip to (never a time before the day's last
    answers); when the hour comes twice, its first coming."""
    wall = datetime.combine(day, time(cutoff_hour))
    if zone is None:
        placed = [wall.replace(fold=fold).astimezone() for fold in (0, 1)]
    else:
        placed = [wall.replace(fold=fold, tzinfo=zone) for fold in (0, 1)]
    # Through UTC: a time the clocks skip or repeat, left in its zone, equals no other time.
    placed = [at.astimezone(timezone.utc) for at in placed]
    real = [at for at in placed if local(at, zone).replace(tzinfo=None) == wall]
    return local(min(real) if real else max(placed), zone)


def day_start(now: datetime, cutoff_hour: int, zone: tzinfo | None = None) -> datetime:
    """Start of the user's study day: the last local `cutoff_hour`:00 at or before `now`."""
    return day_starting(study_day(now, cutoff_hour, zone), cutoff_hour, zone)


def next_day_at(now: datetime, cutoff_hour: int, zone: tzinfo | None = None) -> datetime:
    """When the next study day starts, as Anki counts it: the cut-off hour after now, in now's
    UTC offset (on the night clocks change, Anki's day ends at the old offset's hour)."""
    at = local(now, zone)
    fixed = at.astimezone(timezone(at.utcoffset() or timedelta(0)))
    rollover = fixed.replace(hour=cutoff_hour, minute=0, second=0, microsecond=0)
    return rollover + timedelta(days=1) if fixed >= rollover else rollover


def elapsed_days(
    last_review: datetime | None, now: datetime, cutoff_hour: int, zone: tzinfo | None = None
) -> int:
    """Study days since the last review, as FSRS gets them in Anki: the day boundaries crossed,
    so a card answered at 07:00 on the day it fell due at 09:10 is on time, and two answers on
    one study day are 0 days apart."""
    if last_review is None:
        return 0
    seconds = (next_day_at(now, cutoff_hour, zone) - last_review).total_seconds()
    return int(max(seconds, 0) // DAY_SECONDS)


def days_later(now: datetime, days: int, cutoff_hour: int, zone: tzinfo | None = None) -> datetime:
    """The start of the study day `days` after now's: when a review due in `days` days comes."""
    return day_starting(study_day(now, cutoff_hour, zone) + timedelta(days=days), cutoff_hour, zone)


def shown_interval(
    after: CardState, answered_at: datetime, cutoff_hour: int, zone: tzinfo | None = None
) -> timedelta:
    """The interval an answer's key showed, told again from the state it saved: review days
    for a review card, the study days to a step that falls on another day, else the time to
    the step. Not the time to the due moment: a card due in 7 study days at 04:00 is 6 days
    and some hours away in the evening, and the saved line must say what the key said."""
    from ec2cards.model.states import Phase  # here: the due counts import this module bare

    if after.phase is Phase.REVIEW:
        return timedelta(days=after.interval_days)
    if after.due is None:
        return timedelta(0)
    days = (
        study_day(after.due, cutoff_hour, zone) - study_day(answered_at, cutoff_hour, zone)
    ).days
    return timedelta(days=days) if days > 0 else after.due - answered_at
