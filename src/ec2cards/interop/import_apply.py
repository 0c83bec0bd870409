"""Carrying out an import plan, all or nothing: the imported history is replayed into card
states and logged in one database transaction, inside which the deck files are moved into
place and the media files copied; if anything fails, files and media are put back as they were.

The states are computed exactly as a replay of the log computes them (`replay.reviewed` for
reviews, `changed` for a forget), so `rebuild` and `doctor` find the same states later.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ec2cards.errors import Ec2CardsError
from ec2cards.files import atomic_write
from ec2cards.interop.import_media import copy_media, remove_media
from ec2cards.interop.importer import DeckChange, ImportPlan
from ec2cards.model.events import FORGET
from ec2cards.model.states import NEW_STATE, CardState
from ec2cards.scheduling.replay import merge_in

if TYPE_CHECKING:
    from ec2cards.scheduling.scheduler import Scheduler
    from ec2cards.storage.review_log import ReviewEntry
    from ec2cards.storage.store import Store


@dataclass(frozen=True)
class ImportReport:
    plan: ImportPlan
    reviews: int  # reviews written to the log
    reviewed_cards: int
    older: int  # reviews not newer than the card's log (already imported)
    suspended: int
    forgets: int = 0  # resets logged, where Anki's memory of a card starts anew
    media: int = 0  # media files copied
    events: int = 0  # other card events an ec2cards package carries (suspend, bury, due dates)


def _swap_in(changes: Sequence[DeckChange]) -> list[DeckChange]:
    """Move every new text into place; on any failure put back what was already moved."""
    done: list[DeckChange] = []
    try:
        for change in changes:
            if change.text is not None:
                atomic_write(change.path, change.text)
                done.append(change)
    except BaseException:
        restore(done)
        raise
    return done


def restore(done: Sequence[DeckChange]) -> None:
    """Undo `_swap_in`: originals rewritten, new files removed (best effort, never raising)."""
    for change in reversed(done):
        try:
            if change.original is None:
                change.path.unlink(missing_ok=True)
            else:
                atomic_write(change.path, change.original)
        except (OSError, Ec2CardsError):
            pass  # nothing better to do; the error that brought us here is raised next


def apply_import(
    plan: ImportPlan, store: Store, scheduler: Scheduler, now: datetime
) -> ImportReport:
    """Merge the imported history into the log by the one rule, time order, log it, move the
    deck files into place and copy the media, all in one transaction. An event the log already
    holds (the same kind, rating and millisecond) is not doubled; any other is merged in where
    it falls in time, even when it is older than the card's last entry here."""
    from ec2cards.storage.review_log import ReviewEntry

    entries: list[ReviewEntry] = []
    finals: dict[str, CardState] = {}
    older = 0
    # Anki drew these cards' fuzz from their card ids: their replay draws it from them too.
    seeds = dict(store.cards.numbers())
    scheduler.numbers = seeds
    numbers: dict[str, int] = {}
    for key, items in plan.history.items():
        history = store.log.entries(key, snapshots=False)
        held = {(e.event, e.rating, _ms(e.reviewed_at)) for e in history}
        arriving = []
        for item in items:
            if (item.event, item.rating, _ms(item.at)) in held:
                older += item.event == "review"
                continue
            arriving.append(
                ReviewEntry(
                    key,
                    item.rating,
                    item.at,
                    item.duration_ms,
                    NEW_STATE,
                    NEW_STATE,
                    item.event,
                    item.value,
                    item.zone,
                )
            )
        if arriving:
            anki_card = next((item.anki_card for item in items if item.anki_card), None)
            if anki_card is not None:
                numbers[key] = seeds[key] = anki_card
            merged, finals[key] = merge_in(key, history, arriving, scheduler)
            entries.extend(merged)
    suspensions = [
        (key, now) for key in sorted(plan.suspended) if not store.cards.state(key).suspended
    ]
    done: list[DeckChange] = []
    made: list[Path] = []

    def move_files() -> None:  # inside the import's transaction, as the numbers are
        store.cards.put_numbers(store.db.connection, numbers)
        done.extend(_swap_in(plan.changes))
        made.extend(copy_media(plan.media))

    try:
        written = store.log.import_history(entries, finals, suspensions, before_commit=move_files)
    except BaseException:
        remove_media(made)
        restore(done)
        raise
    reviews = [entry for entry in entries if entry.event == "review"]
    forgets = sum(entry.event == FORGET for entry in entries)
    events = len(entries) - len(reviews) - forgets
    cards = len({entry.card_key for entry in reviews})
    logged = written - forgets - events
    return ImportReport(plan, logged, cards, older, len(suspensions), forgets, len(made), events)


def _ms(moment: datetime) -> int:
    """A moment to the millisecond, as Anki's review ids hold it."""
    return int(moment.timestamp() * 1000)
