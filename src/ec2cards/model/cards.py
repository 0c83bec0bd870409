"""Cards: what one reviewable card holds, and its kinds. Plain data, no I/O."""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any


class CardKind(str, Enum):
    """What a card asks for, and so how it is shown and graded."""

    BASIC = "basic"
    CLOZE = "cloze"
    CHOICE = "choice"
    ORDER = "order"
    SCENARIO = "scenario"  # an exam's question: a situation, options, why each is right or not

    @property
    def chooses(self) -> bool:
        """Answered by picking options (a choice card, or a scenario)."""
        return self in (CardKind.CHOICE, CardKind.SCENARIO)


def infer_kind(keys: Container[str]) -> CardKind:
    """The kind of a card written without `kind:`, from the keys it has; basic by default.
    One rule for the loader and for code that writes deck entries."""
    if "text" in keys and "q" not in keys:
        return CardKind.CLOZE
    if "options" in keys:
        return CardKind.CHOICE
    if "items" in keys:
        return CardKind.ORDER
    return CardKind.BASIC


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
    group: str = ""  # cards of one group are siblings (a cloze's deletions; an Anki note's)
    explain: tuple[str, ...] = ()  # a scenario's word on each option, in the options' order
    tests: tuple[str, ...] = ()  # a scenario's recall cards: the keys of the facts it needs

    @property
    def key(self) -> str:
        """The card's key in the review log: stable across edits of its text."""
        return f"{self.deck_id}/{self.card_id}"

    @property
    def siblings(self) -> str:
        """What the card's siblings share: shown one a day, so one never answers another."""
        return f"{self.deck_id}/{self.group}" if self.group else self.key

    @property
    def topic(self) -> str:
        return self.topics[0] if self.topics else ""

    def to_row(self) -> CardRow:
        """Plain values only, so that decks can be cached with marshal (fast to load)."""
        return (
            self.deck_id,
            self.card_id,
            self.kind.value,
            self.question,
            self.answer,
            self.accept,
            self.cloze_text,
            self.cloze_number,
            self.options,
            self.correct,
            self.items,
            self.topics,
            self.tags,
            self.source,
            self.note,
            str(self.path) if self.path is not None else "",
            self.line,
            self.position,
            self.group,
            self.explain,
            self.tests,
        )

    @classmethod
    def from_row(cls, row: CardRow) -> Card:
        return cls(
            row[0],
            row[1],
            CardKind(row[2]),
            row[3],
            row[4],
            row[5],
            row[6],
            row[7],
            row[8],
            row[9],
            row[10],
            row[11],
            row[12],
            row[13],
            row[14],
            Path(row[15]) if row[15] else None,
            row[16],
            row[17],
            row[18],
            tuple(row[19]) if len(row) > 19 else (),
            tuple(row[20]) if len(row) > 20 else (),
        )


CardRow = tuple[Any, ...]
ROW_DECK, ROW_CARD, ROW_TOPICS, ROW_GROUP = 0, 1, 11, 18


def card_number(key: str) -> int:
    """A card's number: a stable positive integer from its key (below 2**53). Its fuzz is
    seeded with this number plus its review count, as Anki seeds a card's fuzz with its id."""
    import hashlib

    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=6).digest(), "big") + 1
