"""ec2cards' card states and reviews in Anki's terms, and Anki's reviews in ours.

Anki keeps a review card's due date as a day number counted from the collection's creation,
a learning card's as epoch seconds (or a day number once its step reaches another day), and
writes one revlog row per answer. Plain data here, shared by the two writers: sync's shadow
collection (`sync/shadow.py`, `sync/schedules.py`) and an .apkg's scheduling
(`anki_scheduling.py`)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import NamedTuple

from ec2cards.model.ratings import Rating
from ec2cards.model.states import CardState, Phase
from ec2cards.scheduling.days import study_day

# Anki's card types and queues (rslib card/mod.rs): the numbers its database holds.
NEW, LEARN, REVIEW, RELEARN = 0, 1, 2, 3
QUEUE_LEARN, QUEUE_DAY_LEARN = 1, 3
QUEUE_SUSPENDED, QUEUE_USER_BURIED = -1, -3
# revlog.type: 0 learn, 1 review, 2 relearn, 3 filtered (cram), 4 manual, 5 rescheduled
REVLOG_TYPES = {Phase.NEW: 0, Phase.LEARNING: 0, Phase.REVIEW: 1, Phase.RELEARNING: 2}
MAX_TAKEN_MS = 60_000  # Anki's default "maximum answer seconds"


class AnkiDays(NamedTuple):
    """Anki's day numbers: today's number and date (Anki's own timing), and the hour a day
    starts, which sync makes Anki's too."""

    today: int
    today_date: date
    cutoff_hour: int

    def number(self, moment: datetime) -> int:
        return self.today + (study_day(moment, self.cutoff_hour) - self.today_date).days


class AnkiSchedule(NamedTuple):
    """The fields of an Anki card that hold its schedule and memory."""

    type: int
    queue: int
    due: int | None  # None: a new card keeps its place in Anki's new queue
    ivl: int
    left: int
    reps: int
    lapses: int
    stability: float | None
    difficulty: float | None


def schedule_for(state: CardState, days: AnkiDays, now: datetime) -> AnkiSchedule:
    """What an Anki card holds for this state, as Anki itself would have written it."""
    memory = (state.stability, state.difficulty) if state.stability is not None else (None, None)
    if state.phase is Phase.NEW or state.due is None:
        kind, queue, due, ivl, memory = NEW, 0, None, 0, (None, None)
    elif state.phase is Phase.REVIEW:
        kind, queue, due, ivl = REVIEW, 2, days.number(state.due), state.interval_days
    else:
        kind = LEARN if state.phase is Phase.LEARNING else RELEARN
        ivl = state.interval_days if kind == RELEARN else 0
        if study_day(state.due, days.cutoff_hour) > study_day(now, days.cutoff_hour):
            queue, due = QUEUE_DAY_LEARN, days.number(state.due)
        else:
            queue, due = QUEUE_LEARN, int(state.due.timestamp())
    if state.suspended:
        queue = QUEUE_SUSPENDED
    elif state.buried_until is not None and state.buried_until > now:
        queue = QUEUE_USER_BURIED
    left = state.steps_left if kind in (LEARN, RELEARN) else 0
    return AnkiSchedule(kind, queue, due, ivl, left, state.reps, state.lapses, *memory)


def revlog_factor(difficulty: float | None) -> int:
    """What Anki writes in revlog.factor for an FSRS answer: the difficulty, 100 to 1100."""
    if difficulty is None:
        return 0
    return round(((difficulty - 1.0) / 9.0 + 0.1) * 1000)


def revlog_row(
    anki_id: int,
    card_id: int,
    rating: Rating,
    at: datetime,
    duration_ms: int | None,
    before: CardState,
    after: CardState,
) -> tuple[int, int, int, int, int, int, int, int]:
    """(id, cid, ease, ivl, lastIvl, factor, time, type): days when positive, seconds when
    negative, as Anki writes them."""

    def interval(state: CardState) -> int:
        """A learning step is the time from the answer that set it to its due moment: however
        late the card is answered, the step it had is the one Anki logs as the last interval."""
        if state.phase is Phase.REVIEW:
            return state.interval_days
        if state.due is None or state.phase is Phase.NEW:
            return 0
        given_at = state.last_review or at
        return -max(round((state.due - given_at).total_seconds()), 0)

    taken = min(max(duration_ms or 0, 0), MAX_TAKEN_MS)
    kind = REVLOG_TYPES[before.phase]
    factor = revlog_factor(after.difficulty)
    return (anki_id, card_id, int(rating), interval(after), interval(before), factor, taken, kind)


def anki_id_at(moment: datetime) -> int:
    """A review's id in Anki: its time in milliseconds."""
    return int(moment.timestamp() * 1000)


def time_of(anki_id: int) -> datetime:
    return datetime.fromtimestamp(anki_id / 1000, tz=timezone.utc)


def today_of(days_elapsed: int, next_day_at: int, cutoff_hour: int) -> AnkiDays:
    """Anki's day numbering from its own timing: today's number and when the next day starts."""
    starts = datetime.fromtimestamp(next_day_at, tz=timezone.utc)
    return AnkiDays(days_elapsed, study_day(starts - timedelta(hours=1), cutoff_hour), cutoff_hour)
