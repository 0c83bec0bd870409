"""Finding deck files (bundled, the user's own, paths given) and loading them all, every
problem reported and deck ids kept unique."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ec2cards.config.paths import bundled_decks_dir, user_decks_dir
from ec2cards.errors import Problem, UsageError

if TYPE_CHECKING:
    from ec2cards.model.decks import Deck

DECK_SUFFIXES = (".yaml", ".yml")


class DeckSource(NamedTuple):
    """A deck file to load, and whether it came with ec2cards."""

    path: Path
    bundled: bool = False


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
    from ec2cards.files import special_kind

    sources: list[DeckSource] = []
    for path in paths:
        if path.is_dir():
            sources.extend(DeckSource(p) for p in deck_files(path))
        elif not path.exists():
            raise UsageError(f"{path}: no such deck file or folder")
        elif kind := special_kind(path):
            raise UsageError(f"{path}: is {kind}, not a deck file; give a deck file or a folder")
        else:
            sources.append(DeckSource(path))
    return sources


# Worker processes pay for their start-up (an interpreter and the YAML reader each): below about
# a megabyte of changed YAML, one process parses faster (the bundled decks: 65 ms alone, 70-110 ms
# with two workers; 50,000 cards: 2.4 s alone, 1.15 s with two).
PARALLEL_PARSE_BYTES = 1 << 20


def _parse_into_cache(job: tuple[Path, bool, Path]) -> None:
    from ec2cards.decks.cache import load_deck_cached

    path, bundled, cache = job
    load_deck_cached(path, bundled, cache)


def _warm_cache(
    stale: Sequence[DeckSource], cache: Path, statuses: dict[Path, os.stat_result]
) -> None:
    """Parse changed decks on every core when there are many (a first run, a big import):
    the workers write the cache, which the caller then reads like any other time.

    The workers are spawned, never forked: a fork copies a process whose other threads (Anki's
    network runtime after a sync, a test runner's) may hold locks that the copy then waits on
    for ever."""
    cores = os.cpu_count() or 1
    size = sum(statuses[s.path].st_size for s in stale if s.path in statuses)
    if cores < 2 or len(stale) < 2 or size < PARALLEL_PARSE_BYTES:
        return
    try:
        cache.mkdir(parents=True, exist_ok=True)
        if not os.access(cache, os.W_OK):
            return
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(min(cores, len(stale)), mp_context=context) as pool:
            list(pool.map(_parse_into_cache, [(s.path, s.bundled, cache) for s in stale]))
    except (OSError, ValueError, RuntimeError):
        pass  # no workers to be had: the caller parses one file after another


def load_sources(
    sources: Sequence[DeckSource], cache: Path | None = None
) -> tuple[list[Deck], list[Problem]]:
    """Load every source, report every problem, and reject deck ids used twice."""
    from ec2cards.decks.cache import from_cache, load_deck_cached

    ready: dict[Path, tuple[Deck | None, list[Problem]]] = {}
    statuses: dict[Path, os.stat_result] = {}
    for source in sources:
        with suppress(OSError):
            statuses[source.path] = source.path.stat()
    if cache is not None:
        stale: list[DeckSource] = []
        for source in sources:
            status = statuses.get(source.path)
            cached = from_cache(source.path, source.bundled, cache, status) if status else None
            if cached is None:
                stale.append(source)
            else:
                ready[source.path] = cached
        _warm_cache(stale, cache, statuses)
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
