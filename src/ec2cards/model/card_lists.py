"""Lazy sequences of cards: a deck's cards kept as plain rows, and views over several decks.

Building 50,000 Card objects costs more than a command's whole start-up budget, while the
commands that matter need keys and topics; these sequences make a Card only when one is touched.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Callable, Iterator, Sequence
from typing import overload

from ec2cards.model.cards import ROW_CARD, ROW_DECK, ROW_GROUP, ROW_TOPICS, Card, CardRow


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
        self._groups: dict[str, list[str]] | None = None
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

    def group_keys(self, group: str) -> list[str]:
        """Keys of the cards of a group (siblings), from an index built on first use."""
        if self._groups is None:
            self._groups = {}
            for row in self.rows:
                if row[ROW_GROUP]:
                    self._groups.setdefault(row[ROW_GROUP], []).append(
                        f"{row[ROW_DECK]}/{row[ROW_CARD]}"
                    )
        return self._groups.get(group, [])

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

    def siblings(self, card: Card) -> list[str]:
        """Keys of the other cards of the card's group, in its deck (none for a card alone)."""
        if not card.group:
            return []
        for cards, _ in self.segments:
            if cards.keys and cards.keys[0].partition("/")[0] == card.deck_id:
                return [key for key in cards.group_keys(card.group) if key != card.key]
        return []

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
