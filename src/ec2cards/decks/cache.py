"""The deck cache: a deck file whose path, size, mtime and ctime are unchanged is read back from
marshal files in the data folder, with no YAML parsing, and only keys and topics up front (an index
file); the full card rows are read when a card is first looked at.

Cache files are replaced atomically but not flushed to disk (`durable=False`): a cache can always
be rebuilt from the decks, and flushing costs about 10 ms a file (measured: 100 files of 150 kB
took 1 s flushed, 60 ms not), a second on a cold load of 50 decks.
"""

from __future__ import annotations

import marshal
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ec2cards.decks.cache_index import cache_file, cache_stamp, read_index
from ec2cards.errors import DeckError, Problem
from ec2cards.files import NotAFileError, WriteError, atomic_write
from ec2cards.model.card_lists import CardList
from ec2cards.model.cards import CardRow
from ec2cards.model.decks import Deck


def _rows_loader(
    cache: Path, resolved: Path, stamp: tuple[object, ...]
) -> Callable[[], Sequence[CardRow]]:
    def load() -> Sequence[CardRow]:
        path = cache_file(cache, resolved, "rows")
        data = marshal.loads(path.read_bytes())
        if tuple(data[0]) != stamp:
            raise DeckError([Problem(path, 1, 1, "the deck cache changed while in use; run again")])
        rows: Sequence[CardRow] = data[1]
        return rows

    return load


def from_cache(
    path: Path, bundled: bool, cache: Path, status: os.stat_result | None = None
) -> tuple[Deck | None, list[Problem]] | None:
    """The deck as its cache holds it, or None when the file changed or has no cache yet."""
    found = read_index(path, bundled, cache, status)
    if found is None:
        return None
    problems = [Problem(Path(p), line, col, msg) for p, line, col, msg in found.problems]
    header = found.header
    if header is None:
        return None, problems
    cards = CardList(
        keys=found.keys,
        topic_sets=found.topic_sets,
        topic_ids=found.topic_ids,
        load_rows=_rows_loader(cache, found.resolved, found.stamp),
    )
    deck = Deck(
        header.deck_id,
        header.title,
        header.topic,
        path,
        cards,
        header.description,
        header.source,
        bundled,
    )
    return deck, problems


def load_deck_cached(
    path: Path, bundled: bool, cache: Path | None
) -> tuple[Deck | None, list[Problem]]:
    """Like load_deck, but a deck file whose path, size, mtime and ctime are unchanged is read back
    from a marshal cache in the data folder: no YAML parsing, and only keys and topics up
    front (an index file); the full card rows are read when a card is first looked at."""
    if cache is not None:
        cached = from_cache(path, bundled, cache)
        if cached is not None:
            return cached
    from ec2cards.decks.format import load_deck  # only when a file must be read

    if cache is None:
        return load_deck(path, bundled)
    found = cache_stamp(path, bundled)
    if found is None:
        return load_deck(path, bundled)
    stamp, resolved = found
    index_file = cache_file(cache, resolved, "idx")
    rows_file = cache_file(cache, resolved, "rows")
    deck, problems = load_deck(path, bundled)
    problem_rows = tuple((str(p.path), p.line, p.column, p.message) for p in problems)
    try:
        cache.mkdir(parents=True, exist_ok=True)
        if deck is None:
            index: Any = (stamp, None, (), (), (), problem_rows)
        else:
            cards = CardList.of(deck.cards)
            table = cards.topic_sets
            topic_ids = list(cards.topic_ids)
            header = (deck.deck_id, deck.title, deck.topic, deck.description, deck.source)
            index = (
                stamp,
                header,
                tuple(cards.keys),
                tuple(table),
                tuple(topic_ids),
                problem_rows,
            )
            atomic_write(rows_file, marshal.dumps((stamp, cards.rows)), durable=False)
        atomic_write(index_file, marshal.dumps(index), durable=False)
    except (OSError, ValueError, WriteError, NotAFileError):
        pass  # a read-only data folder only costs speed
    return deck, problems
