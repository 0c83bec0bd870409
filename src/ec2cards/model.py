"""The domain model: decks, cards and ratings. Plain data, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum, IntEnum
from pathlib import Path
from typing import Any


class CardKind(str, Enum):
    """What a card asks for, and so how it is shown and graded."""

    BASIC = "basic"
    CLOZE = "cloze"
    CHOICE = "choice"
    ORDER = "order"


class Rating(IntEnum):
    """The four answers of a review, numbered as FSRS and Anki number them."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4

    @property
    def label(self) -> str:
        return self.name.capitalize()


@dataclass(frozen=True)
class Card:
    """One reviewable card. A cloze note with c1 and c2 yields two Cards."""

    deck_id: str
    card_id: str
    kind: CardKind
    question: str
    answer: str = ""
    accept: tuple[str, ...] = ()
    cloze_text: str = ""
    cloze_number: int = 0
    options: tuple[str, ...] = ()
    correct: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    source: str = ""
    note: str = ""
    path: Path | None = None
    line: int = 0
    position: int = 0

    @property
    def key(self) -> str:
        """The card's key in the review log: stable across edits of its text."""
        return f"{self.deck_id}/{self.card_id}"

    @property
    def topic(self) -> str:
        return self.topics[0] if self.topics else ""


@dataclass(frozen=True)
class Deck:
    """One YAML deck file, validated."""

    deck_id: str
    title: str
    topic: str
    path: Path
    cards: tuple[Card, ...] = ()
    description: str = ""
    source: str = ""
    bundled: bool = False

    @property
    def topics(self) -> tuple[str, ...]:
        seen: dict[str, None] = {self.topic: None}
        for card in self.cards:
            for topic in card.topics:
                seen.setdefault(topic, None)
        return tuple(seen)


@dataclass(frozen=True)
class Collection:
    """Every deck found, with lookups the commands need."""

    decks: tuple[Deck, ...] = ()
    by_id: dict[str, Deck] = field(default_factory=dict)

    @classmethod
    def of(cls, decks: list[Deck]) -> Collection:
        return cls(tuple(decks), {deck.deck_id: deck for deck in decks})

    @property
    def cards(self) -> list[Card]:
        return [card for deck in self.decks for card in deck.cards]

    def topic_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for card in self.cards:
            for topic in card.topics:
                counts[topic] = counts.get(topic, 0) + 1
        return dict(sorted(counts.items()))


class Phase(IntEnum):
    """Where a card is in its life; the numbers of Learning/Review/Relearning match fsrs.State."""

    NEW = 0
    LEARNING = 1
    REVIEW = 2
    RELEARNING = 3


@dataclass(frozen=True)
class CardState:
    """A card's memory state: what FSRS knows plus our own flags. Cached, rebuilt from the log."""

    phase: Phase = Phase.NEW
    due: datetime | None = None
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    last_review: datetime | None = None
    reps: int = 0
    lapses: int = 0
    suspended: bool = False
    leech: bool = False

    def to_dict(self) -> dict[str, object]:
        return {
            "phase": int(self.phase),
            "due": self.due.isoformat() if self.due else None,
            "step": self.step,
            "stability": self.stability,
            "difficulty": self.difficulty,
            "last_review": self.last_review.isoformat() if self.last_review else None,
            "reps": self.reps,
            "lapses": self.lapses,
            "suspended": self.suspended,
            "leech": self.leech,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CardState:
        def when(value: object) -> datetime | None:
            return datetime.fromisoformat(value) if isinstance(value, str) else None

        return cls(
            phase=Phase(int(data.get("phase", 0))),
            due=when(data.get("due")),
            step=data.get("step"),
            stability=data.get("stability"),
            difficulty=data.get("difficulty"),
            last_review=when(data.get("last_review")),
            reps=int(data.get("reps", 0)),
            lapses=int(data.get("lapses", 0)),
            suspended=bool(data.get("suspended", False)),
            leech=bool(data.get("leech", False)),
        )


NEW_STATE = CardState()
