"""Replay: card states computed anew from the review log, its answers and their times, with the
current parameters and settings. The card-state cache must always equal this, so `rebuild`,
`doctor`, undo and the tests rely on it; nothing is copied from the states stored in the log,
which could hide a scheduling bug."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from ec2cards.model.events import EVERY_CARD, RESCHEDULE, SET_DUE, changed, kept_due
from ec2cards.model.ratings import Rating
from ec2cards.model.states import NEW_STATE, CardState
from ec2cards.scheduling.load import ReplayLoad
from ec2cards.scheduling.scheduler import DayLoad, Scheduler

if TYPE_CHECKING:
    from ec2cards.storage.review_log import LogEntry, ReviewEntry
    from ec2cards.storage.store import Store

REPLAY_TASK = "replay"  # what a migration asks for when states must be computed anew
SM2_START = "sm2_start"  # the value of an imported review that starts memory from SM-2


def sm2_value(ease: float, interval_days: int) -> str:
    """The value of an imported review from which Anki's FSRS starts the card's memory: the
    SM-2 ease and interval that review gave (see `Scheduler.from_sm2`)."""
    import json

    return json.dumps({SM2_START: {"ease": ease, "interval_days": interval_days}})


def sm2_start(value: str | None) -> tuple[float, int] | None:
    """(ease, interval days) of such a review; None for any other value."""
    if not value or SM2_START not in value:
        return None
    import json

    start = json.loads(value).get(SM2_START) or {}
    return float(start["ease"]), int(start["interval_days"])


def reviewed(
    scheduler: Scheduler,
    state: CardState,
    rating: Rating,
    at: datetime,
    key: str,
    value: str | None = None,
    load: DayLoad | None = None,
    zone: tzinfo | None = None,
) -> CardState:
    """The state after a logged review, counted in the study days of its time zone: scheduled,
    or started from SM-2 when imported so."""
    start = sm2_start(value)
    if start is not None:
        return scheduler.from_sm2(state, rating, at, *start, zone=zone)
    return scheduler.review(state, rating, at, key, load, zone=zone)


def replay(entries: Iterable[LogEntry], scheduler: Scheduler) -> dict[str, CardState]:
    """Every card's state from log entries applied in order."""
    states: dict[str, CardState] = {}
    for entry, state in steps(entries, scheduler):
        states[entry.card_key] = state
    return states


def time_order(entry: LogEntry) -> tuple[datetime, int]:
    """Where an entry stands in a card's history: its time, then its place in the log."""
    return entry.reviewed_at, entry.id


def steps(
    entries: Iterable[LogEntry], scheduler: Scheduler
) -> Iterator[tuple[LogEntry, CardState]]:
    """Each entry with the state of its card after it: the history a card's page shows."""
    states: dict[str, CardState] = {}
    before_of: dict[int, CardState] = {}
    settings = scheduler.settings
    load = ReplayLoad(settings.day_cutoff_hour) if settings.load_balance else None
    # One merge rule: events apply in the order they happened, whatever order they reached
    # the log in (a phone's review synced after a later one here, an older import); entries of
    # the same moment keep the log's order.
    entries = sorted(entries, key=time_order)
    # Due dates kept through a change of settings lapse at the next reschedule.
    rescheduled = max((time_order(e) for e in entries if e.event == RESCHEDULE), default=None)
    for entry in entries:
        key = entry.card_key
        if key == EVERY_CARD:
            continue
        current = states.get(key, NEW_STATE)
        before_of[entry.id] = current
        # A review counts its days in the zone it was made in, wherever the replay runs.
        zone = entry.zone or scheduler.answer_zone(entry.reviewed_at)
        if entry.event == "review" and entry.rating is not None:
            after = reviewed(
                scheduler, current, entry.rating, entry.reviewed_at, key, entry.value, load, zone
            )
        elif entry.event == "undo":
            after = before_of.get(entry.undoes, NEW_STATE) if entry.undoes else current
        elif (
            entry.event == SET_DUE
            and rescheduled is not None
            and time_order(entry) < rescheduled
            and kept_due(entry.value)
        ):
            after = current
        else:
            after = changed(entry.event, current, entry.value)
        states[key] = after
        if load is not None:
            load.move(key, after, zone)
        yield entry, after


def numbered(store: Store, scheduler: Scheduler) -> Scheduler:
    """The scheduler, told which cards draw their fuzz from an Anki card id of their own (what
    sync remembers). Every path that schedules a store's cards comes through here, so that a
    replay, an answer and the interval a key shows all draw as Anki does for that card."""
    scheduler.numbers = store.cards.numbers()
    return scheduler


def restorer(store: Store, scheduler: Scheduler) -> Callable[[str, int], CardState]:
    """For undo: the state a card's log replays to before entry `entry_id` (in time order, as
    every replay). Its own entries suffice, unless the load is balanced: then every card's due
    days up to then count."""

    numbered(store, scheduler)

    def restore(key: str, entry_id: int) -> CardState:
        whole = scheduler.settings.load_balance
        entries = store.log.entries(None if whole else key, snapshots=False)
        undone = next(entry for entry in entries if entry.id == entry_id)
        earlier = [entry for entry in entries if time_order(entry) < time_order(undone)]
        return replay(earlier, scheduler).get(key, NEW_STATE)

    return restore


def rebuild(store: Store, scheduler: Scheduler) -> int:
    """Replace the card-state cache with a replay of the log; returns the number of cards.
    A migration's pending replay is marked done in the same transaction."""
    states = replay(store.log.entries(snapshots=False), numbered(store, scheduler))
    pending = REPLAY_TASK in store.db.pending_tasks()
    return store.cards.replace_all(states, done=REPLAY_TASK if pending else None)


def differing(store: Store, scheduler: Scheduler) -> list[str]:
    """Keys of cards whose cached state is not what the log replays to."""
    cached = store.cards.states()
    replayed = replay(store.log.entries(snapshots=False), numbered(store, scheduler))
    return sorted(k for k in cached.keys() | replayed.keys() if cached.get(k) != replayed.get(k))


def merge_in(
    key: str, history: Sequence[LogEntry], arriving: Sequence[ReviewEntry], scheduler: Scheduler
) -> tuple[list[ReviewEntry], CardState]:
    """Entries made elsewhere (a phone's reviews, an import) merged into one card's history by
    the one merge rule, time order: each with the states around it where it falls in time, and
    the card's state after the whole merged history. An entry older than the card's last one
    here is applied before it, not on top of it."""
    from ec2cards.storage.review_log import LogEntry

    base = max((entry.id for entry in history), default=0) + 1
    # An entry that arrives without a zone (a phone's review, an import) counts its days in
    # the zone it is taken in, and keeps it.
    arriving = [e._replace(zone=e.zone or scheduler.answer_zone(e.at)) for e in arriving]
    placed = {
        base + n: LogEntry(
            base + n, key, e.event, e.rating, e.at, e.duration_ms, None, None, None, e.value, e.zone
        )
        for n, e in enumerate(arriving)
    }
    merged: list[ReviewEntry] = []
    state = NEW_STATE
    for entry, after in steps([*history, *placed.values()], scheduler):
        if entry.id in placed:
            original = arriving[entry.id - base]
            merged.append(original._replace(before=state, after=after))
        state = after
    return merged, state
