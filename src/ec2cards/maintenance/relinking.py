"""`ec2cards relink OLD NEW`: a history in no deck (its card reworded without an `id`, so its
key changed) moved to the card it belongs to, and replayed there."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import NamedTuple

from ec2cards.errors import UsageError
from ec2cards.model.cards import card_number
from ec2cards.model.states import CardState
from ec2cards.scheduling.replay import numbered, replay
from ec2cards.scheduling.scheduler import Scheduler
from ec2cards.storage.relinking import move_history
from ec2cards.storage.store import Store


class Relinked(NamedTuple):
    moved: int  # log entries moved
    reviews: int
    state: CardState  # the card's state, its moved history replayed under its key


def relink(
    store: Store,
    scheduler: Scheduler,
    cards: Collection[str],
    old: str,
    new: str,
    now: datetime,
) -> Relinked:
    """Move `old`'s history to `new` (a key of `cards`, the cards in the decks) and replay it
    there. Refused, with what to do, when `old` is still a card or has no history, or `new` is
    no card. A history `new` has already is joined with the moved one in time order."""
    if old in cards:
        raise UsageError(
            f"{old} is a card in your decks, with its own history; relink moves a history that"
            " is in no deck (`ec2cards check` lists them)"
        )
    if new not in cards:
        raise UsageError(f"no card {new} in your decks; `ec2cards cards` lists the keys")
    history = [e for e in store.log.entries(old, snapshots=False) if e.card_key == old]
    if not history:
        raise UsageError(
            f"{old} has no history to move; `ec2cards check` lists the histories in no deck"
        )
    # The new key's own entries (and those of every card) stay: the one merge rule, time
    # order, joins the two histories.
    here = [e for e in store.log.entries(new, snapshots=False) if e.card_key != old]
    moved = [e._replace(card_key=new) for e in history]
    scheduler = numbered(store, scheduler)
    number = None
    if not any(e.card_key == new for e in here):
        # A card never studied under its new key draws its fuzz as it did under the old one,
        # so its intervals stay those it was shown.
        number = scheduler.numbers.get(old, card_number(old))
        scheduler.numbers = {**scheduler.numbers, new: number}
    state = replay([*moved, *here], scheduler).get(new)
    assert state is not None  # the history holds at least one entry of the card
    count = move_history(store.log, old, new, now, state, number)
    reviews = sum(e.event == "review" for e in history)
    return Relinked(count, reviews, state)
