"""The deck cache's files and stamps, import-light: a shell prompt's `ec2cards due` reads the
cached keys and topics of every deck through this module alone."""

from __future__ import annotations

import marshal
import os
import zlib
from pathlib import Path
from typing import Any

CACHE_VERSION = 4

Stamp = tuple[int, str, int, int, bool]  # cache version, absolute path, size, mtime, bundled


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
    return (CACHE_VERSION, str(resolved), status.st_size, status.st_mtime_ns, bundled), resolved


def read_index(
    path: Path, bundled: bool, cache: Path, status: os.stat_result | None = None
) -> tuple[Stamp, Path, tuple[Any, ...]] | None:
    """(stamp, resolved path, (header, keys, topic sets, topic ids, problems)) from the
    deck's index file, or None when the file changed or has no cache yet."""
    found = cache_stamp(path, bundled, status)
    if found is None:
        return None
    stamp, resolved = found
    try:
        data = marshal.loads(cache_file(cache, resolved, "idx").read_bytes())
        if tuple(data[0]) != stamp:
            return None
        header, keys, topic_sets, topic_ids, problem_rows = data[1:]
    except (OSError, ValueError, EOFError, TypeError, IndexError):
        return None  # no cache yet, or an unreadable one: parse the file
    return stamp, resolved, (header, keys, topic_sets, topic_ids, problem_rows)
