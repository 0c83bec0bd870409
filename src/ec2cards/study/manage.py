"""Managing cards by hand: suspend, unsuspend, forget (new again; the log keeps the history
and the reset), bury until the next study day. Each change is a log entry, replayed like any
other."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from ec2cards.model.events import BURY, FORGET, SUSPEND, UNBURY, UNSUSPEND
from ec2cards.model.states import CardState, Phase
from ec2cards.scheduling.days import next_day_at
from ec2cards.storage.store import Store


def needed(event: str, state: CardState, now: datetime) -> bool:
    """Whether the change would change anything (nothing is logged when it would not)."""
    if event == SUSPEND:
        return not state.suspended
    if event == UNSUSPEND:
        return state.suspended
    if event == FORGET:
        return state.phase is not Phase.NEW
    if event == BURY:
        return state.buried_until is None or state.buried_until <= now
    if event == UNBURY:
        return state.buried_until is not None and state.buried_until > now
    return True


def change(
    store: Store, keys: Iterable[str], event: str, now: datetime, cutoff_hour: int
) -> tuple[list[str], list[str]]:
    """Apply `event` to each card; returns (changed keys, keys left as they were)."""
    value = next_day_at(now, cutoff_hour).isoformat() if event == BURY else None
    done: list[str] = []
    unchanged: list[str] = []
    for key in keys:
        if needed(event, store.cards.state(key), now):
            store.log.record(key, event, now, value)
            done.append(key)
        else:
            unchanged.append(key)
    return done, unchanged


def leeches(store: Store) -> list[str]:
    """Keys of the cards suspended as leeches."""
    return sorted(
        key for key, state in store.cards.states().items() if state.leech and state.suspended
    )
