"""The counts `ec2cards due` prints, kept apart from stats so a shell prompt imports little."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import NamedTuple

from ec2cards.config.settings import Settings
from ec2cards.model.card_lists import card_keys
from ec2cards.model.cards import Card
from ec2cards.scheduling.days import day_start
from ec2cards.storage.store import Store


class Due(NamedTuple):
    due_now: int
    due_today: int
    new_available: int
    next_due: datetime | None


def due_counts(cards: Sequence[Card], store: Store, settings: Settings, now: datetime) -> Due:
    """What `ec2cards due` prints: cheap enough for a shell prompt, as it reads only the
    cards due today and the keys of known cards, whatever the size of the history."""
    keys = set(card_keys(cards))
    known = store.known_keys()
    unseen = keys.difference(known)
    end_of_day = day_start(now, settings.day_cutoff_hour) + timedelta(days=1)
    # When every card with history is among the selected ones (no orphans, no filter), SQL
    # can count on its own, without a membership test per due card.
    wanted = None if len(keys) - len(unseen) == len(known) else keys
    due_now, due_today = store.due_counts(wanted, now, end_of_day)
    next_due = next((due for key, due in store.by_due(after=now) if key in keys), None)
    new_done, _ = store.counts_since(day_start(now, settings.day_cutoff_hour))
    new_available = min(len(unseen), max(0, settings.new_per_day - new_done))
    return Due(due_now, due_today, new_available, next_due)
