"""How many reviews are due on each study day, for load balancing: read from the card-state
cache when a card is answered, and kept up to date during a replay, so that both see the same
days (the cache always equals the replay)."""

from __future__ import annotations

from datetime import date, timedelta, tzinfo
from typing import TYPE_CHECKING

from ec2cards.model.states import CardState, Phase
from ec2cards.scheduling.days import day_starting, study_day

if TYPE_CHECKING:
    from ec2cards.storage.store import Store


def counted_day(state: CardState, cutoff_hour: int, zone: tzinfo | None = None) -> date | None:
    """The study day a card adds to the load: a review card's due day, unless suspended."""
    if state.phase is not Phase.REVIEW or state.suspended or state.due is None:
        return None
    return study_day(state.due, cutoff_hour, zone)


class StoreLoad:
    """Reviews due per study day, counted in the cache (one indexed count per day asked)."""

    def __init__(self, store: Store, cutoff_hour: int, zone: tzinfo | None = None) -> None:
        self._store = store
        self._cutoff = cutoff_hour
        self._zone = zone
        self._counted: dict[date, int] = {}

    def due_on(self, day: date) -> int:
        if day not in self._counted:
            start = day_starting(day, self._cutoff, self._zone)
            end = day_starting(day + timedelta(days=1), self._cutoff, self._zone)
            self._counted[day] = self._store.queue.reviews_due_between(start, end)
        return self._counted[day]


class ReplayLoad:
    """Reviews due per study day as a replay goes: each state change moves its card's day,
    counted in the time zone of the entry that set it (as its answer counted it)."""

    def __init__(self, cutoff_hour: int) -> None:
        self._cutoff = cutoff_hour
        self._counts: dict[date, int] = {}
        self._day_of: dict[str, date] = {}

    def due_on(self, day: date) -> int:
        return self._counts.get(day, 0)

    def move(self, key: str, after: CardState, zone: tzinfo | None = None) -> None:
        old = self._day_of.pop(key, None)
        new = counted_day(after, self._cutoff, zone)
        if old is not None:
            self._counts[old] -= 1
        if new is not None:
            self._counts[new] = self._counts.get(new, 0) + 1
            self._day_of[key] = new
