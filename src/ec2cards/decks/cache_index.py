"""The deck cache's files and stamps, import-light: a shell prompt's `ec2cards due` reads the
cached keys and topics of every deck through this module alone."""

from __future__ import annotations

import marshal
import os
import zlib
from pathlib import Path
from typing import NamedTuple

CACHE_VERSION = 6

# cache version, absolute path, size, mtime, ctime, inode, bundled
Stamp = tuple[int, str, int, int, int, int, bool]


class DeckHeader(NamedTuple):
    """A cached deck's own fields."""

    deck_id: str
    title: str
    topic: str
    description: str
    source: str


ProblemRow = tuple[str, int, int, str]  # path, line, column, message


class CachedIndex(NamedTuple):
    """A deck's index file, decoded: its keys and topics (each card's topics as an index into
    the deck's few distinct topic tuples), and its problems (no header: it does not load)."""

    stamp: Stamp
    resolved: Path
    header: DeckHeader | None
    keys: tuple[str, ...]
    topic_sets: tuple[tuple[str, ...], ...]
    topic_ids: tuple[int, ...]
    problems: tuple[ProblemRow, ...]


def cache_dir(home: Path) -> Path:
    return home / "cache" / "decks"


def cache_file(folder: Path, resolved: Path, suffix: str) -> Path:
    # crc32 and adler32 rather than hashlib (slow to import); the file's own stamp holds the full
    # path, so a clash of names could only cost a re-parse, never give another deck's cards.
    data = str(resolved).encode()
    digest = f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}"
    return folder / f"{digest}.{suffix}"


def cache_stamp(
    path: Path, bundled: bool, status: os.stat_result | None = None
) -> tuple[Stamp, Path] | None:
    try:
        status = status or path.stat()
        resolved = Path(os.path.abspath(path))  # no symlink walk: a syscall per folder level
    except OSError:
        return None
    # The change time too: `cp -p`, `rsync -t` and `tar` keep size and mtime, but a file
    # written anew always gets a new ctime, which no tool can set back.
    change = (status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino)
    return (CACHE_VERSION, str(resolved), *change, bundled), resolved


def read_index(
    path: Path, bundled: bool, cache: Path, status: os.stat_result | None = None
) -> CachedIndex | None:
    """The deck's index file, or None when the file changed or has no cache yet."""
    found = cache_stamp(path, bundled, status)
    if found is None:
        return None
    stamp, resolved = found
    try:
        data = marshal.loads(cache_file(cache, resolved, "idx").read_bytes())
        if tuple(data[0]) != stamp:
            return None
        header, keys, topic_sets, topic_ids, problem_rows = data[1:]
        decoded = DeckHeader(*header) if header is not None else None
    except (OSError, ValueError, EOFError, TypeError, IndexError):
        return None  # no cache yet, or an unreadable one: parse the file
    return CachedIndex(stamp, resolved, decoded, keys, topic_sets, topic_ids, problem_rows)
