"""The counts `ec2cards due` prints, kept apart from stats so a shell prompt imports little."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple

from ec2cards.scheduling.days import day_start

if TYPE_CHECKING:  # a Protocol class costs a shell prompt's start; only the type checker needs it
    from collections.abc import Container, Iterator
    from typing import Protocol

    class DueQueries(Protocol):
        """What `due` asks of the store (the store, or a lighter one of the same parts)."""

        def known_keys(self) -> list[str]: ...
        def due_counts(
            self, wanted: Container[str] | None, now: datetime, end: datetime
        ) -> tuple[int, int]: ...
        def by_due(self, after: datetime | None = None) -> Iterator[tuple[str, datetime]]: ...
        def counts_since(self, start: datetime) -> tuple[int, int]: ...


class Due(NamedTuple):
    due_now: int
    due_today: int
    new_available: int
    next_due: datetime | None


def due_counts(
    keys: set[str], store: DueQueries, cutoff_hour: int, new_per_day: int, now: datetime
) -> Due:
    """What `ec2cards due` prints for the cards with these keys: cheap enough for a shell
    prompt, as it reads only the cards due today and the keys of known cards, whatever the
    size of the history."""
    known = store.known_keys()
    unseen = keys.difference(known)
    end_of_day = day_start(now, cutoff_hour) + timedelta(days=1)
    # When every card with history is among the selected ones (no orphans, no filter), SQL
    # can count on its own, without a membership test per due card.
    wanted = None if len(keys) - len(unseen) == len(known) else keys
    due_now, due_today = store.due_counts(wanted, now, end_of_day)
    next_due = next((due for key, due in store.by_due(after=now) if key in keys), None)
    new_done, _ = store.counts_since(day_start(now, cutoff_hour))
    new_available = min(len(unseen), max(0, new_per_day - new_done))
    return Due(due_now, due_today, new_available, next_due)
