"""Answering a card: scheduled and durably logged in one step, the single path for study and
recorded quizzes. It lives below both (scheduling already reads and writes the log through the
store), so neither study nor quiz needs the other."""

from __future__ import annotations

from datetime import datetime, tzinfo

from ec2cards.model.ratings import Rating
from ec2cards.model.states import CardState
from ec2cards.scheduling.load import StoreLoad
from ec2cards.scheduling.scheduler import Scheduler
from ec2cards.storage.store import Store


def record_answer(
    store: Store,
    scheduler: Scheduler,
    key: str,
    rating: Rating,
    now: datetime,
    duration_ms: int | None = None,
) -> tuple[int, CardState, CardState]:
    """Schedule and durably log one answer: the single path for study and recorded quizzes.
    The state is read inside the write, so two sessions on one card never lose an answer."""

    from ec2cards.scheduling.replay import numbered

    numbered(store, scheduler)
    latest = store.log.latest_time(key)
    if latest is not None and latest > now:  # a clock set back: the answer takes its place
        return _answer_in_the_past(store, scheduler, key, rating, now, duration_ms)

    zone = scheduler.answer_zone(now)  # kept with the review, so a replay counts the same days

    def schedule(before: CardState) -> CardState:
        return scheduler.review(before, rating, now, key, day_load(store, scheduler, zone), zone)

    return store.log.review(key, rating, now, schedule, duration_ms, zone)


def _answer_in_the_past(
    store: Store,
    scheduler: Scheduler,
    key: str,
    rating: Rating,
    now: datetime,
    duration_ms: int | None,
) -> tuple[int, CardState, CardState]:
    """An answer timed before the card's latest event (a clock set back, EC2CARDS_NOW in the
    past) is merged by the one rule, time order: scheduled from the state the card had then,
    and the card replayed after it, as a replay of the log would."""
    from ec2cards.model.states import NEW_STATE
    from ec2cards.scheduling.replay import merge_in
    from ec2cards.storage.review_log import ReviewEntry

    arriving = ReviewEntry(key, rating, now, duration_ms, NEW_STATE, NEW_STATE)
    (entry,), final = merge_in(key, store.log.entries(key, snapshots=False), [arriving], scheduler)
    (entry_id,) = store.log.merge([entry], {key: final})
    if scheduler.settings.load_balance:  # every card's days count: replay them all
        from ec2cards.scheduling.replay import rebuild

        rebuild(store, scheduler)
    return entry_id, entry.before, entry.after


def day_load(store: Store, scheduler: Scheduler, zone: tzinfo | None = None) -> StoreLoad | None:
    """The reviews due per day, read from the cache, when the settings balance the load."""
    settings = scheduler.settings
    return StoreLoad(store, settings.day_cutoff_hour, zone) if settings.load_balance else None
