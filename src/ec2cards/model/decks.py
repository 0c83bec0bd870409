"""Decks and the collection of every deck found."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from ec2cards.model.card_lists import CardList, CardView, card_topics
from ec2cards.model.cards import Card


class Deck(NamedTuple):
    """One YAML deck file, validated. (A NamedTuple: a tenth of a frozen dataclass's cost to
    define, paid by every command's start.)"""

    deck_id: str
    title: str
    topic: str
    path: Path
    cards: Sequence[Card] = ()
    description: str = ""
    source: str = ""
    bundled: bool = False

    @property
    def topics(self) -> tuple[str, ...]:
        seen: dict[str, None] = {self.topic: None}
        distinct = (
            self.cards.topic_sets if isinstance(self.cards, CardList) else card_topics(self.cards)
        )
        for topics in distinct:
            for topic in topics:
                seen.setdefault(topic, None)
        return tuple(seen)


class Skipped(NamedTuple):
    """A deck file that did not load: left out, with its first problem and how many it has."""

    path: Path
    line: int
    column: int
    message: str
    problems: int
    deck_id: str | None  # the id its `deck:` line names, when one can be read

    def located(self) -> str:
        """Where and what its first problem is, and how many more it has."""
        more = f" (and {self.problems - 1} more)" if self.problems > 1 else ""
        return f"{self.path}:{self.line}:{self.column}: {self.message}{more}"


class Collection:
    """Every deck found, with lookups the commands need, and the deck files skipped."""

    def __init__(
        self,
        decks: Sequence[Deck] = (),
        by_id: dict[str, Deck] | None = None,
        skipped: Sequence[Skipped] = (),
    ) -> None:
        self.decks = tuple(decks)
        self.by_id = by_id if by_id is not None else {deck.deck_id: deck for deck in self.decks}
        self.skipped = tuple(skipped)

    @classmethod
    def of(cls, decks: list[Deck], skipped: Sequence[Skipped] = ()) -> Collection:
        return cls(tuple(decks), {deck.deck_id: deck for deck in decks}, skipped)

    @property
    def cards(self) -> CardView:
        """Every card, lazily: Card objects are made only for the cards looked at."""
        return CardView([(CardList.of(deck.cards), None) for deck in self.decks])

    def topic_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for deck in self.decks:
            for topic, number in CardList.of(deck.cards).topic_counts().items():
                counts[topic] = counts.get(topic, 0) + number
        return dict(sorted(counts.items()))
