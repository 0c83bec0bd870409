"""Answering a card: scheduled and durably logged in one step, the single path for study and
recorded quizzes. It lives below both (scheduling already reads and writes the log through the
store), so neither study nor quiz needs the other."""

from __future__ import annotations

from datetime import datetime

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

    def schedule(before: CardState) -> CardState:
        return scheduler.review(before, rating, now, key, day_load(store, scheduler))

    return store.log.review(key, rating, now, schedule, duration_ms)


def day_load(store: Store, scheduler: Scheduler) -> StoreLoad | None:
    """The reviews due per day, read from the cache, when the settings balance the load."""
    settings = scheduler.settings
    return StoreLoad(store, settings.day_cutoff_hour) if settings.load_balance else None
