"""Find deck files and load them through a cache; the collection and a command's selection.

A deck file is parsed (deckformat) only when it is new or changed: otherwise its keys and topics
come from a marshal cache in the data folder, and its card rows when a card is first shown.
"""

from __future__ import annotations

import functools
import marshal
import os
import zlib
from collections.abc import Callable, Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from ec2cards.errors import DeckError, Problem, UsageError
from ec2cards.model import CardList, CardRow, CardView, Collection, Deck
from ec2cards.paths import bundled_decks_dir, user_decks_dir

DECK_SUFFIXES = (".yaml", ".yml")


class DeckSource(NamedTuple):
    """A deck file to load, and whether it came with ec2cards."""

    path: Path
    bundled: bool = False


CACHE_VERSION = 3


def cache_dir(home: Path) -> Path:
    return home / "cache" / "decks"


def _cache_file(folder: Path, resolved: Path, suffix: str) -> Path:
    # crc32 and adler32 rather than hashlib (slow to import); the file's own stamp holds the full
    # path, so a clash of names could only cost a re-parse, never give another deck's cards.
    data = str(resolved).encode()
    digest = f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}"
    return folder / f"{digest}.{suffix}"


def _write_atomic(path: Path, data: bytes) -> None:
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def _rows_loader(
    cache: Path, resolved: Path, stamp: tuple[object, ...]
) -> Callable[[], Sequence[CardRow]]:
    def load() -> Sequence[CardRow]:
        path = _cache_file(cache, resolved, "rows")
        data = marshal.loads(path.read_bytes())
        if tuple(data[0]) != stamp:
            raise DeckError([Problem(path, 1, 1, "the deck cache changed while in use; run again")])
        rows: Sequence[CardRow] = data[1]
        return rows

    return load


Stamp = tuple[int, str, int, int, bool]  # cache version, absolute path, size, mtime, bundled


def _cache_stamp(
    path: Path, bundled: bool, status: os.stat_result | None = None
) -> tuple[Stamp, Path] | None:
    try:
        status = status or path.stat()
        resolved = Path(os.path.abspath(path))  # no symlink walk: a syscall per folder level
    except OSError:
        return None
    return (CACHE_VERSION, str(resolved), status.st_size, status.st_mtime_ns, bundled), resolved


def _from_cache(
    path: Path, bundled: bool, cache: Path, status: os.stat_result | None = None
) -> tuple[Deck | None, list[Problem]] | None:
    """The deck as its cache holds it, or None when the file changed or has no cache yet."""
    found = _cache_stamp(path, bundled, status)
    if found is None:
        return None
    stamp, resolved = found
    try:
        data = marshal.loads(_cache_file(cache, resolved, "idx").read_bytes())
        if tuple(data[0]) != stamp:
            return None
        header, keys, topic_sets, topic_ids, problem_rows = data[1:]
    except (OSError, ValueError, EOFError, TypeError, IndexError):
        return None  # no cache yet, or an unreadable one: parse the file
    problems = [Problem(Path(p), line, col, msg) for p, line, col, msg in problem_rows]
    if header is None:
        return None, problems
    deck_id, title, topic, description, source = header
    cards = CardList(
        keys=keys,
        topic_sets=topic_sets,
        topic_ids=topic_ids,
        load_rows=_rows_loader(cache, resolved, stamp),
    )
    return Deck(deck_id, title, topic, path, cards, description, source, bundled), problems


def load_deck(path: Path, bundled: bool = False) -> tuple[Deck | None, list[Problem]]:
    from ec2cards.deckformat import load_deck as parse  # only when a file must be read

    return parse(path, bundled)


def load_deck_cached(
    path: Path, bundled: bool, cache: Path | None
) -> tuple[Deck | None, list[Problem]]:
    """Like load_deck, but a deck file whose path, size and mtime are unchanged is read back
    from a marshal cache in the data folder: no YAML parsing, and only keys and topics up
    front (an index file); the full card rows are read when a card is first looked at."""
    if cache is None:
        return load_deck(path, bundled)
    cached = _from_cache(path, bundled, cache)
    if cached is not None:
        return cached
    found = _cache_stamp(path, bundled)
    if found is None:
        return load_deck(path, bundled)
    stamp, resolved = found
    index_file = _cache_file(cache, resolved, "idx")
    rows_file = _cache_file(cache, resolved, "rows")
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
            _write_atomic(rows_file, marshal.dumps((stamp, cards.rows)))
        _write_atomic(index_file, marshal.dumps(index))
    except (OSError, ValueError):
        pass  # a read-only data folder only costs speed
    return deck, problems


def deck_files(folder: Path) -> list[Path]:
    """The deck files of a folder, by name. A directory scan tells files from folders without
    a stat per entry."""
    try:
        with os.scandir(folder) as entries:
            names = sorted(
                entry.name
                for entry in entries
                if os.path.splitext(entry.name)[1] in DECK_SUFFIXES and entry.is_file()
            )
    except (FileNotFoundError, NotADirectoryError):
        return []
    return [folder / name for name in names]


def default_sources(home: Path) -> list[DeckSource]:
    """Bundled decks first, then the user's own."""
    bundled = [DeckSource(p, bundled=True) for p in deck_files(bundled_decks_dir())]
    return bundled + [DeckSource(p) for p in deck_files(user_decks_dir(home))]


def sources_for_paths(paths: Iterable[Path]) -> list[DeckSource]:
    """Deck files named on the command line: files, or folders of deck files."""
    sources: list[DeckSource] = []
    for path in paths:
        if path.is_dir():
            sources.extend(DeckSource(p) for p in deck_files(path))
        elif path.exists():
            sources.append(DeckSource(path))
        else:
            raise UsageError(f"{path}: no such deck file or folder")
    return sources


PARALLEL_PARSE_MIN = 6


def _parse_into_cache(job: tuple[Path, bool, Path]) -> None:
    path, bundled, cache = job
    load_deck_cached(path, bundled, cache)


def _warm_cache(stale: Sequence[DeckSource], cache: Path) -> None:
    """Parse changed decks on every core when there are many (a first run, a big import):
    the workers write the cache, which the caller then reads like any other time."""
    cores = os.cpu_count() or 1
    if cores < 2 or len(stale) < PARALLEL_PARSE_MIN:
        return
    try:
        cache.mkdir(parents=True, exist_ok=True)
        if not os.access(cache, os.W_OK):
            return
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(min(cores, len(stale)), mp_context=context) as pool:
            list(pool.map(_parse_into_cache, [(s.path, s.bundled, cache) for s in stale]))
    except (OSError, ValueError, RuntimeError):
        pass  # no workers to be had: the caller parses one file after another


def load_sources(
    sources: Sequence[DeckSource], cache: Path | None = None
) -> tuple[list[Deck], list[Problem]]:
    """Load every source, report every problem, and reject deck ids used twice."""
    ready: dict[Path, tuple[Deck | None, list[Problem]]] = {}
    statuses: dict[Path, os.stat_result] = {}
    for source in sources:
        with suppress(OSError):
            statuses[source.path] = source.path.stat()
    if cache is not None:
        stale: list[DeckSource] = []
        for source in sources:
            status = statuses.get(source.path)
            cached = _from_cache(source.path, source.bundled, cache, status) if status else None
            if cached is None:
                stale.append(source)
            else:
                ready[source.path] = cached
        _warm_cache(stale, cache)
    decks: list[Deck] = []
    problems: list[Problem] = []
    first_seen: dict[str, Deck] = {}
    loaded: set[tuple[int, int]] = set()
    for source in sources:
        found_status = statuses.get(source.path)
        # The same file, however it was named, is loaded once.
        if found_status is not None:
            identity = (found_status.st_dev, found_status.st_ino)
        else:
            identity = (-1, len(loaded))
        if identity in loaded:
            continue
        loaded.add(identity)
        deck, found = ready.get(source.path) or load_deck_cached(source.path, source.bundled, cache)
        problems.extend(found)
        if deck is None:
            continue
        other = first_seen.get(deck.deck_id)
        if other is not None:
            problems.append(
                Problem(
                    deck.path,
                    1,
                    1,
                    f"deck id '{deck.deck_id}' is already used by {other.path};"
                    " give this deck another 'deck:' id",
                )
            )
            continue
        first_seen[deck.deck_id] = deck
        decks.append(deck)
    return decks, problems


def looks_like_path(value: str) -> bool:
    return "/" in value or "\\" in value or value.endswith(DECK_SUFFIXES) or Path(value).exists()


@dataclass(frozen=True)
class Selection:
    """The collection and the cards a command was asked to work on (listed on first use)."""

    collection: Collection
    deck_ids: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()

    @functools.cached_property
    def cards(self) -> CardView:
        wanted = set(self.topics)
        segments: list[tuple[CardList, list[int] | None]] = []
        for deck in self.collection.decks:
            if self.deck_ids and deck.deck_id not in self.deck_ids:
                continue
            cards = CardList.of(deck.cards)
            if not wanted:
                segments.append((cards, None))
            else:
                picked = [i for i in range(len(cards)) if not wanted.isdisjoint(cards.topics(i))]
                segments.append((cards, picked))
        return CardView(segments)

    def describe(self) -> str:
        parts = []
        if self.deck_ids:
            parts.append(", ".join(self.deck_ids))
        if self.topics:
            parts.append("topic " + ", ".join(self.topics))
        return " · ".join(parts) if parts else "all decks"


def load_collection(home: Path, extra: Sequence[Path] = ()) -> Collection:
    """Every deck ec2cards can find plus `extra` paths; raises DeckError listing every problem."""
    decks, problems = load_sources(
        default_sources(home) + sources_for_paths(extra), cache_dir(home)
    )
    if problems:
        raise DeckError(problems)
    return Collection.of(decks)


def select(home: Path, deck_args: Sequence[str] = (), topics: Sequence[str] = ()) -> Selection:
    """Resolve `--deck` (ids or paths) and `--topic` options to cards, with helpful errors."""
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
            deck_ids.extend(d.deck_id for d in path_ids.values() if d.path.resolve() in expanded)
        elif value in collection.by_id:
            deck_ids.append(value)
        else:
            known = sorted(collection.by_id)
            from ec2cards.deckformat import close_matches

            close = close_matches(value, known, n=1)
            hint = f"did you mean '{close[0]}'?" if close else "known decks: " + ", ".join(known)
            raise UsageError(f"unknown deck '{value}' ({hint})")
    if topics:
        known_topics = collection.topic_counts()
        for topic in topics:
            if topic not in known_topics:
                from ec2cards.deckformat import close_matches

                close = close_matches(topic, list(known_topics), n=1)
                hint = f"did you mean '{close[0]}'? " if close else ""
                raise UsageError(
                    f"unknown topic '{topic}' ({hint}known topics: {', '.join(known_topics)})"
                )
    return Selection(collection, tuple(dict.fromkeys(deck_ids)), tuple(topics))


def _expand(paths: Sequence[Path]) -> set[Path]:
    result: set[Path] = set()
    for path in paths:
        if path.is_dir():
            result.update(p.resolve() for p in deck_files(path))
        else:
            result.add(path.resolve())
    return result
