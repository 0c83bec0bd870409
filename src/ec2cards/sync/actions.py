"""Card actions made in Anki (suspend, unsuspend, bury, unbury, forget, set due date) as log
events, so that a sync takes them in, in time order with the reviews, instead of setting them
back.

Forget and Set Due Date write a revlog row without a button (type 4, "manual"): a reset when
its factor is 0, else a due date; each becomes an event at its row's time, taken in once by its
id as an answer is. Suspending and burying write no row, only the card's queue and its
modification time: the queues the last sync left (a mark) against the queues that came down
tell what changed, and the change is timed at the card's modification."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

from ec2cards.interop.anki_states import QUEUE_SUSPENDED, REVIEW, AnkiDays, time_of
from ec2cards.model.events import (
    BURY,
    FORGET,
    SET_DUE,
    SUSPEND,
    UNBURY,
    UNSUSPEND,
    due_value,
    forget_value,
)
from ec2cards.model.states import NEW_STATE
from ec2cards.scheduling.days import day_starting, days_later, next_day_at
from ec2cards.storage.review_log import ReviewEntry
from ec2cards.sync.reviews import cards_of
from ec2cards.sync.shadow import Shadow

if TYPE_CHECKING:
    from ec2cards.storage.store import Store

HELD = "held"  # the mark: {card key: "s" suspended or "b" buried} as the last sync left them
SUSPENDED, BURIED = "s", "b"


def held_as(queue: int) -> str | None:
    """A queue's kind as the mark keeps it: suspended (-1), buried (-2 by a sibling's answer,
    -3 by hand), else None."""
    if queue == QUEUE_SUSPENDED:
        return SUSPENDED
    return BURIED if queue < QUEUE_SUSPENDED else None


def held_in(shadow: Shadow) -> dict[str, str]:
    """The mark to keep: ec2cards' cards that the shadow holds suspended or buried."""
    found = {key: held_as(queue) for key, queue in shadow.held().items()}
    return {key: kind for key, kind in found.items() if kind is not None}


def held_before(store: Store, marks: Mapping[str, str], now: datetime) -> dict[str, str]:
    """The cards the last sync left suspended or buried; before any sync kept the mark (a
    database of an older version), the cards ec2cards holds so, which the shadow then holds."""
    if HELD in marks:
        return dict(json.loads(marks[HELD]))
    return {
        key: SUSPENDED if state.suspended else BURIED
        for key, state in store.cards.states().items()
        if state.suspended or (state.buried_until is not None and state.buried_until > now)
    }


def card_actions(
    store: Store,
    shadow: Shadow,
    days: AnkiDays,
    marks: Mapping[str, str],
    since_usn: int,
    sent_up_to: int,
    now: datetime,
) -> dict[str, list[ReviewEntry]]:
    """The card actions made in Anki that came down from the server (rows with usn
    `since_usn` or later; queues against the mark), by card key, as log entries still to be
    placed in time (the merge fills in their states). `sent_up_to`: the last log id the last
    sync sent, 0 after a full download."""
    found: dict[str, list[ReviewEntry]] = {}
    rows = shadow.manual_since(since_usn)
    known = store.sync.known_anki_ids(row.id for row in rows)
    rows = [row for row in rows if row.id not in known]
    before, after = held_before(store, marks, now), held_in(shadow)
    moved = {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}
    rowed = shadow.cards_by_id({row.card_id for row in rows})
    by_id = {card.card_id: key for key, card in rowed.items()}
    cards = cards_of(shadow, moved, False)
    places = shadow.places(set(by_id) | {card.card_id for card in cards.values()})

    def add(key: str, event: str, at: datetime, value: str | None = None) -> None:
        entry = ReviewEntry(key, None, at, None, NEW_STATE, NEW_STATE, event, value)
        found.setdefault(key, []).append(entry)

    for row in rows:
        key = by_id.get(row.card_id)
        if key is None:
            continue
        at, place = time_of(row.id), places[row.card_id]
        if row.factor == 0:  # its counts reset too, if the card shows none since
            cleared = place.last_row == row.id and place.reps == place.lapses == 0
            add(key, FORGET, at, forget_value(reset_counts=True) if cleared else None)
            continue
        if place.last_row == row.id and place.type == REVIEW:  # the card still has that date
            day = days.today_date + timedelta(days=place.due - days.today)
            due = day_starting(day, days.cutoff_hour)
        else:  # answered since: the due date it set is gone from the card
            due = days_later(at, max(row.interval, 1), days.cutoff_hour)
        add(key, SET_DUE, at, due_value(due, row.interval, review=True))
    # A card's modification time is in whole seconds; a change made on what the last sync
    # left was made after what that sync sent, even within its second. (Not after a full
    # download: the server's copy may be older than what the last sync sent.)
    seen = store.sync.synced_times(moved, sent_up_to) if sent_up_to else {}
    for key in sorted(moved):
        card = cards.get(key)
        if card is None:
            continue  # no longer in the shadow
        at = datetime.fromtimestamp(places[card.card_id].mod, tz=timezone.utc)
        at = max(at, seen.get(key, at))
        was, kind = before.get(key), after.get(key)
        if was == SUSPENDED:
            add(key, UNSUSPEND, at)
        elif was == BURIED:
            add(key, UNBURY, at)
        if kind == SUSPENDED:
            add(key, SUSPEND, at)
        elif kind == BURIED:
            until = next_day_at(at, days.cutoff_hour)
            if until > now:  # a burial already over changes nothing
                add(key, BURY, at, until.isoformat())
    return found
