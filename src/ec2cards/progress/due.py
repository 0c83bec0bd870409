"""The counts `ec2cards due` prints, kept apart from stats so a shell prompt imports little."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple

from ec2cards.scheduling.days import day_start

if TYPE_CHECKING:
    from typing import TypedDict

    from ec2cards.storage.store import Store

    class DueJson(TypedDict):
        """`due --json`."""

        due_now: int
        due_today: int
        new_available: int
        next_due: str | None


class Due(NamedTuple):
    due_now: int
    due_today: int
    new_available: int
    next_due: datetime | None

    def to_json(self) -> DueJson:
        return {
            "due_now": self.due_now,
            "due_today": self.due_today,
            "new_available": self.new_available,
            "next_due": self.next_due.isoformat() if self.next_due else None,
        }


def due_counts(
    keys: set[str], store: Store, cutoff_hour: int, new_per_day: int, now: datetime
) -> Due:
    """What `ec2cards due` prints for the cards with these keys: cheap enough for a shell
    prompt, as it reads only the cards due today and the keys of known cards, whatever the
    size of the history. Only the store's known, queue and stats repositories are read (their
    modules load on first use)."""
    known = store.known.keys()
    unseen = keys.difference(known)
    end_of_day = day_start(now, cutoff_hour) + timedelta(days=1)
    # When every card with history is among the selected ones (no orphans, no filter), SQL
    # can count on its own, without a membership test per due card.
    wanted = None if len(keys) - len(unseen) == len(known) else keys
    due_now, due_today = store.queue.due_counts(wanted, now, end_of_day)
    next_due = store.queue.next_due(keys, after=now)
    new_done, _ = store.stats.counts_since(day_start(now, cutoff_hour))
    new_available = min(len(unseen), max(0, new_per_day - new_done))
    return Due(due_now, due_today, new_available, next_due)
