"""What a command works on: the collection, and the cards chosen by --deck and --topic.

`keys_from_cache` answers a shell prompt's `due` with the same choice from the deck cache's
index alone, so the model's card and deck modules load only when a command needs them."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence, Set
from pathlib import Path
from typing import TYPE_CHECKING

from ec2cards.decks.cache_index import cache_dir, read_index
from ec2cards.decks.sources import (
    DECK_SUFFIXES,
    deck_files,
    default_sources,
    load_sources,
    sources_for_paths,
)
from ec2cards.errors import DeckError, Ec2CardsError, Problem, UsageError

if TYPE_CHECKING:
    from ec2cards.model.card_lists import CardList, CardView
    from ec2cards.model.decks import Collection, Deck


def looks_like_path(value: str) -> bool:
    return "/" in value or "\\" in value or value.endswith(DECK_SUFFIXES) or Path(value).exists()


class Selection:
    """The collection and the cards a command was asked to work on (listed on first use)."""

    def __init__(
        self, collection: Collection, deck_ids: tuple[str, ...] = (), topics: tuple[str, ...] = ()
    ) -> None:
        self.collection = collection
        self.deck_ids = deck_ids
        self.topics = topics

    @functools.cached_property
    def cards(self) -> CardView:
        from ec2cards.model.card_lists import CardList, CardView

        wanted = set(self.topics)
        segments: list[tuple[CardList, list[int] | None]] = []
        for deck in self.collection.decks:
            if self.deck_ids and deck.deck_id not in self.deck_ids:
                continue
            cards = CardList.of(deck.cards)
            segments.append((cards, picked(cards.topic_sets, cards.topic_ids, wanted)))
        return CardView(segments)

    def describe(self) -> str:
        parts = []
        if self.deck_ids:
            parts.append(", ".join(self.deck_ids))
        if self.topics:
            parts.append("topic " + ", ".join(self.topics))
        return " · ".join(parts) if parts else "all decks"


def picked(
    topic_sets: Sequence[tuple[str, ...]], topic_ids: Sequence[int], wanted: Set[str]
) -> list[int] | None:
    """Which of a deck's cards `--topic` chooses: the positions of those with one of the
    `wanted` topics (each card's topics given as an index into the deck's topic sets), or
    None when no topic is asked for (every card)."""
    if not wanted:
        return None
    matching = [not wanted.isdisjoint(topics) for topics in topic_sets]
    return [position for position, topic in enumerate(topic_ids) if matching[topic]]


def keys_from_cache(
    home: Path, deck_args: Sequence[str] = (), topics: Sequence[str] = ()
) -> set[str] | None:
    """The keys of the cards `select` would choose, read from the deck cache's index files
    alone (no deck is loaded), or None when the cache cannot say: a deck not cached yet or
    with problems, a deck id used twice, a deck given by its path, an unknown deck or topic.
    `select` then loads, decides and explains."""
    if any(looks_like_path(value) for value in deck_args):
        return None
    wanted_decks = set(deck_args)
    wanted_topics = set(topics)
    seen_decks: set[str] = set()
    seen_topics: set[str] = set()
    keys: set[str] = set()
    cache = cache_dir(home)
    for source in default_sources(home):
        found = read_index(source.path, source.bundled, cache)
        if found is None or found.header is None or found.problems:
            return None
        deck_id = found.header.deck_id
        if deck_id in seen_decks:
            return None
        seen_decks.add(deck_id)
        for topic_set in found.topic_sets:
            seen_topics.update(topic_set)
        if wanted_decks and deck_id not in wanted_decks:
            continue
        positions = picked(found.topic_sets, found.topic_ids, wanted_topics)
        if positions is None:
            keys.update(found.keys)
        else:
            keys.update(found.keys[position] for position in positions)
    if not wanted_decks <= seen_decks or not wanted_topics <= seen_topics:
        return None
    return keys


def load_collection(home: Path, extra: Sequence[Path] = ()) -> Collection:
    """Every deck ec2cards can find plus `extra` paths. A deck found by itself that does not
    load is skipped (the collection lists it, for a warning): one broken deck of the user's
    never stops the others. A deck file the user named (`extra`) must load: a DeckError
    otherwise. A named folder is like the data folder: its broken files are skipped."""
    from ec2cards.model.decks import Collection, Skipped

    named = sources_for_paths(extra)
    decks, problems = load_sources(default_sources(home) + named, cache_dir(home))
    wanted = {_resolved(path) for path in extra if not path.is_dir()}
    strict = [p for p in problems if _resolved(p.path) in wanted]
    if strict:
        raise DeckError(strict)
    by_path: dict[Path, list[Problem]] = {}
    for problem in sorted(problems, key=lambda p: (str(p.path), p.line, p.column)):
        by_path.setdefault(problem.path, []).append(problem)
    skipped = [
        Skipped(
            path,
            found[0].line,
            found[0].column,
            found[0].message,
            len(found),
            deck_id_written(path),
        )
        for path, found in by_path.items()
    ]
    return Collection.of(decks, skipped)


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path


def deck_id_written(path: Path) -> str | None:
    """The deck id a broken file's `deck:` line names, if it can be read: its cards' history
    is not orphaned, only waiting for the file to load again."""
    try:
        with path.open("rb") as handle:
            head = handle.read(65536).decode("utf-8", errors="replace")
    except OSError:
        return None
    match = re.search(r"^deck:[ \t]*[\"']?([a-z0-9][a-z0-9-]*)", head, re.MULTILINE)
    return match.group(1) if match else None


def select(home: Path, deck_args: Sequence[str] = (), topics: Sequence[str] = ()) -> Selection:
    """Resolve `--deck` (ids or paths) and `--topic` options to cards, with helpful errors."""
    from ec2cards.model.wording import did_you_mean

    paths = [Path(value) for value in deck_args if looks_like_path(value)]
    collection = load_collection(home, paths)
    path_ids: dict[str, Deck] = {}
    if paths:  # resolving every deck's path costs a syscall per folder level: only when asked
        expanded = _expand(paths)
        path_ids = {d.deck_id: d for d in collection.decks if d.path.resolve() in expanded}
    deck_ids: list[str] = []
    for value in deck_args:
        if looks_like_path(value):
            expanded = _expand([Path(value)])
            found = [d.deck_id for d in path_ids.values() if d.path.resolve() in expanded]
            if not found:  # else "no deck" would read as "every deck"
                raise UsageError(_no_deck_in(Path(value)))
            deck_ids.extend(found)
        elif value in collection.by_id:
            deck_ids.append(value)
        else:
            broken = next((s for s in collection.skipped if s.deck_id == value), None)
            if broken is not None:
                raise Ec2CardsError(
                    f"deck '{value}' does not load: {broken.located()}; fix it"
                    f" ('ec2cards check {broken.path}' shows every problem)"
                )
            known = sorted(collection.by_id)
            hint = did_you_mean(value, known) or "known decks: " + ", ".join(known)
            raise UsageError(f"unknown deck '{value}' ({hint})")
    if topics:
        known_topics = collection.topic_counts()
        for topic in topics:
            if topic not in known_topics:
                hint = did_you_mean(topic, known_topics)
                hint = f"{hint} " if hint else ""
                raise UsageError(
                    f"unknown topic '{topic}' ({hint}known topics: {', '.join(known_topics)})"
                )
    return Selection(collection, tuple(dict.fromkeys(deck_ids)), tuple(topics))


def _no_deck_in(folder: Path) -> str:
    """Why a folder named with --deck gives no deck: it has no deck file, or none loads."""
    if deck_files(folder):
        return f"{folder}: none of its deck files loads; 'ec2cards check {folder}' shows why"
    return f"{folder}: no deck file in this folder (deck files end in .yaml or .yml)"


def _expand(paths: Sequence[Path]) -> set[Path]:
    result: set[Path] = set()
    for path in paths:
        if path.is_dir():
            result.update(p.resolve() for p in deck_files(path))
        else:
            result.add(path.resolve())
    return result
