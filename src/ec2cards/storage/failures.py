"""SQLite failures as one line a user can act on: what happened, to which file, what to do."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from ec2cards.errors import StoreError

BUSY_TIMEOUT_MS = 10_000  # how long a write waits for another ec2cards before giving up


def _writable(path: Path) -> bool:
    folder = path.parent
    return os.access(folder, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))


def _nearly_full(path: Path) -> bool:
    try:
        import shutil  # only when a write failed

        return shutil.disk_usage(path.parent).free < 1024 * 1024
    except OSError:
        return False


def damaged(error: sqlite3.Error) -> bool:
    """Whether SQLite says the file itself is broken (rather than busy, full or unreadable)."""
    name = str(getattr(error, "sqlite_errorname", "") or "")
    lowered = str(error).lower()
    return name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or any(
        word in lowered for word in ("malformed", "not a database", "corrupt")
    )


def busy(error: sqlite3.Error) -> bool:
    """Whether SQLite refused because another connection holds a lock (worth waiting for)."""
    name = str(getattr(error, "sqlite_errorname", "") or "")
    lowered = str(error).lower()
    return (
        name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED"))
        or "locked" in lowered
        or "busy" in lowered
    )


def explain(error: sqlite3.Error, path: Path | None) -> StoreError:
    """A SQLite failure as one line a user can act on: what happened, to which file, what to do."""
    prefix = f"{path}: " if path is not None else ""
    name = str(getattr(error, "sqlite_errorname", "") or "")
    text = str(error)
    lowered = text.lower()
    if busy(error):
        return StoreError(
            f"{prefix}the database is busy: another ec2cards has been writing to it for over"
            f" {BUSY_TIMEOUT_MS / 1000:g} s, so this change was not saved (everything before it"
            " is); finish the other session and run this again"
        )
    # A full disk shows as SQLITE_FULL, or as an I/O error growing the WAL index (IOERR_SHMSIZE).
    full = name == "SQLITE_FULL" or "disk is full" in lowered
    if full or (name.startswith("SQLITE_IOERR") and path is not None and _nearly_full(path)):
        return StoreError(
            f"{prefix}the disk is full, so the last change was not saved (everything saved"
            " before it is safe); free some space and run this again"
        )
    if damaged(error):
        return StoreError(
            f"{prefix}the database is damaged ({text}) and is left as it is; run"
            " 'ec2cards doctor' to check it and 'ec2cards doctor --list' to see backups"
        )
    if (
        name.startswith("SQLITE_READONLY")
        or "readonly" in lowered
        or (path is not None and name.startswith("SQLITE_CANTOPEN") and not _writable(path))
    ):
        folder = path.parent if path is not None else "the data folder"
        return StoreError(
            f"{folder}: the data folder is read-only, and ec2cards keeps its review log there;"
            " make it writable, or set EC2CARDS_HOME to a folder you can write to"
        )
    if name.startswith("SQLITE_CANTOPEN") or "unable to open" in lowered:
        return StoreError(
            f"{prefix}cannot open the database ({text}); check that its folder exists and is"
            " yours, or set EC2CARDS_HOME to another folder"
        )
    if name.startswith("SQLITE_IOERR") or "i/o error" in lowered:
        return StoreError(
            f"{prefix}the disk reported an error ({text}), so the last change was not saved;"
            " check the disk, then run 'ec2cards doctor'"
        )
    return StoreError(f"{prefix}database error: {text}")


def as_store_error(error: BaseException) -> StoreError | None:
    """The one-line StoreError for a stray sqlite3 error (for the CLI, which imports no sqlite3)."""
    return explain(error, None) if isinstance(error, sqlite3.Error) else None
