"""The domain model: decks, cards and ratings. Plain data, no I/O."""

from __future__ import annotations

import bisect
import functools
from collections.abc import Callable, Container, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum, IntEnum
from pathlib import Path
from typing import Any, overload


class CardKind(str, Enum):
    """What a card asks for, and so how it is shown and graded."""

    BASIC = "basic"
    CLOZE = "cloze"
    CHOICE = "choice"
    ORDER = "order"


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
        )


CardRow = tuple[Any, ...]
ROW_DECK, ROW_CARD, ROW_TOPICS = 0, 1, 11


class _LazyCards(Sequence[Card]):
    """Indexing and slicing shared by the lazy card sequences: a subclass only says how to
    make the card at a non-negative index."""

    def _card(self, index: int) -> Card:
        raise NotImplementedError

    @overload
    def __getitem__(self, index: int) -> Card: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Card]: ...
    def __getitem__(self, index: int | slice) -> Card | Sequence[Card]:
        if isinstance(index, slice):
            return [self._card(i) for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._card(index)


class CardList(_LazyCards):
    """A deck's cards kept as plain rows and made into Card objects only when touched.

    Building 50,000 Card objects costs far more than a command's whole start-up budget, while the
    commands that matter (decks, due, the first card of a study session) need keys and topics;
    so keys and topics may be given on their own, with the rows loaded only when a card is."""

    def __init__(
        self,
        rows: Sequence[CardRow] | None = None,
        cards: Sequence[Card] | None = None,
        keys: Sequence[str] | None = None,
        topic_sets: Sequence[tuple[str, ...]] | None = None,
        topic_ids: Sequence[int] | None = None,
        load_rows: Callable[[], Sequence[CardRow]] | None = None,
    ) -> None:
        self._rows = tuple(rows) if rows is not None else None
        self._load_rows = load_rows
        self._made: dict[int, Card] = dict(enumerate(cards)) if cards is not None else {}
        self._positions: dict[str, int] | None = None
        if keys is not None:
            self.keys = keys
        if topic_sets is None or topic_ids is None:
            # Each card's topics as an index into the deck's few distinct topic tuples.
            table: dict[tuple[str, ...], int] = {}
            topic_ids = [table.setdefault(row[ROW_TOPICS], len(table)) for row in self.rows]
            topic_sets = tuple(table)
        self.topic_sets = tuple(topic_sets)
        self.topic_ids = topic_ids

    @classmethod
    def of(cls, cards: Sequence[Card]) -> CardList:
        if isinstance(cards, CardList):
            return cards
        return cls([card.to_row() for card in cards], cards)

    @property
    def rows(self) -> tuple[CardRow, ...]:
        if self._rows is None:
            assert self._load_rows is not None
            self._rows = tuple(self._load_rows())
        return self._rows

    def __len__(self) -> int:
        return len(self.topic_ids)

    def _card(self, index: int) -> Card:
        card = self._made.get(index)
        if card is None:
            card = self._made[index] = Card.from_row(self.rows[index])
        return card

    def key(self, index: int) -> str:
        return self.keys[index]

    @functools.cached_property
    def keys(self) -> Sequence[str]:
        return [f"{row[ROW_DECK]}/{row[ROW_CARD]}" for row in self.rows]

    def position(self, key: str) -> int | None:
        """Where the card with this key is in the deck, or None; the deck's key index is built
        on first use, so a session touching a few decks pays only for those."""
        if self._positions is None:
            self._positions = {k: i for i, k in enumerate(self.keys)}
        return self._positions.get(key)

    def topics(self, index: int) -> tuple[str, ...]:
        return self.topic_sets[self.topic_ids[index]]

    def topic_counts(self) -> dict[str, int]:
        """Cards per topic, counted per distinct topic tuple rather than per card."""
        from collections import Counter

        counts: dict[str, int] = {}
        for set_index, number in Counter(self.topic_ids).items():
            for topic in self.topic_sets[set_index]:
                counts[topic] = counts.get(topic, 0) + number
        return counts

    def __eq__(self, other: object) -> bool:
        if isinstance(other, CardList):
            return self.rows == other.rows
        if isinstance(other, Sequence):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]


class CardView(_LazyCards):
    """Some cards of some decks, in deck order, without making Card objects until asked.

    Kept as segments (a deck's list, and which of its cards, or all), so that viewing whole
    decks costs nothing per card."""

    def __init__(self, segments: list[tuple[CardList, list[int] | None]]) -> None:
        self.segments = [(cards, picked) for cards, picked in segments if len(picked or cards)]
        self._starts: list[int] = []
        total = 0
        for cards, picked in self.segments:
            self._starts.append(total)
            total += len(picked) if picked is not None else len(cards)
        self._length = total
        self._by_deck: dict[str, list[int]] | None = None

    def __len__(self) -> int:
        return self._length

    def _locate(self, index: int) -> tuple[CardList, int]:
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError(index)
        segment = bisect.bisect_right(self._starts, index) - 1
        cards, picked = self.segments[segment]
        offset = index - self._starts[segment]
        return cards, picked[offset] if picked is not None else offset

    def _card(self, index: int) -> Card:
        cards, position = self._locate(index)
        return cards[position]

    def __iter__(self) -> Iterator[Card]:
        for cards, picked in self.segments:
            for position in picked if picked is not None else range(len(cards)):
                yield cards[position]

    @property
    def keys(self) -> list[str]:
        keys: list[str] = []
        for cards, picked in self.segments:
            if picked is None:
                keys.extend(cards.keys)
            else:
                keys.extend(cards.keys[i] for i in picked)
        return keys

    def index_of(self, key: str) -> int:
        """The index of the card with this key (a KeyError when the view lacks it), found in
        its own deck: a key starts with its deck id."""
        if self._by_deck is None:
            self._by_deck = {}
            for number, (cards, _) in enumerate(self.segments):
                deck = cards.keys[0].partition("/")[0]
                self._by_deck.setdefault(deck, []).append(number)
        for number in self._by_deck.get(key.partition("/")[0], ()):
            cards, picked = self.segments[number]
            position = cards.position(key)
            if position is None:
                continue
            if picked is None:
                return self._starts[number] + position
            offset = bisect.bisect_left(picked, position)  # picked indexes are ascending
            if offset < len(picked) and picked[offset] == position:
                return self._starts[number] + offset
        raise KeyError(key)

    def topics(self, index: int) -> tuple[str, ...]:
        cards, position = self._locate(index)
        return cards.topics(position)

    def all_topics(self) -> list[tuple[str, ...]]:
        topics: list[tuple[str, ...]] = []
        for cards, picked in self.segments:
            indexes = picked if picked is not None else range(len(cards))
            topics.extend(cards.topics(i) for i in indexes)
        return topics


def card_keys(cards: Sequence[Card]) -> list[str]:
    """Keys of any card sequence; cheap for views and lists that keep rows."""
    if isinstance(cards, CardView):
        return cards.keys
    if isinstance(cards, CardList):
        return list(cards.keys)
    return [card.key for card in cards]


def card_topics(cards: Sequence[Card]) -> list[tuple[str, ...]]:
    if isinstance(cards, CardView):
        return cards.all_topics()
    if isinstance(cards, CardList):
        return [cards.topics(i) for i in range(len(cards))]
    return [card.topics for card in cards]


@dataclass(frozen=True)
class Deck:
    """One YAML deck file, validated."""

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


@dataclass(frozen=True)
class Collection:
    """Every deck found, with lookups the commands need."""

    decks: tuple[Deck, ...] = ()
    by_id: dict[str, Deck] = field(default_factory=dict)

    @classmethod
    def of(cls, decks: list[Deck]) -> Collection:
        return cls(tuple(decks), {deck.deck_id: deck for deck in decks})

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
# A review card is mature once its interval reaches this many days (Anki's line), young before.
MATURE_DAYS = 21
