"""Putting another database file in place of the one in use, the replaced file (with its WAL)
renamed aside first: a restore never overwrites or deletes a database."""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

from ec2cards.storage.database import DB_FILE
from ec2cards.storage.store import Store

SIDE_FILES = ("", "-wal", "-shm")  # a database and the files SQLite keeps beside it


def put_in_place(home: Path, source: Path, now: datetime) -> Path | None:
    """A fresh copy of the database `source` becomes the one in `home` (the backup itself stays
    as it is); returns where the replaced database was kept, None when there was none."""
    path = home / DB_FILE
    incoming = home / f"{DB_FILE}.restoring"
    copy = Store.existing(source)
    try:
        copy.db.backup_to(incoming)  # a self-contained copy, written beside and renamed
    finally:
        copy.close()
    kept = _set_aside(home, now) if path.exists() else None
    os.replace(incoming, path)
    return kept


def _set_aside(home: Path, now: datetime) -> Path:
    """Rename the database and its side files to a name stamped with `now`, never over an
    earlier one."""
    stamp = now.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    kept = home / f"{DB_FILE}.replaced-{stamp}"
    number = 1
    while any((home / f"{kept.name}{suffix}").exists() for suffix in SIDE_FILES):
        number += 1  # restored twice in one second: never overwrite the earlier one
        kept = home / f"{DB_FILE}.replaced-{stamp}-{number}"
    for suffix in SIDE_FILES:  # the WAL belongs to its database: move them together
        side = home / f"{DB_FILE}{suffix}"
        if side.exists():
            os.replace(side, home / f"{kept.name}{suffix}")
    return kept
