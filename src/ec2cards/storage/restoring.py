"""Putting another database file in place of the one in use, the replaced file (with its WAL)
renamed aside first: a restore never overwrites or deletes a database."""

from __future__ import annotations

import os
import sqlite3
from contextlib import suppress
from datetime import datetime, timezone
from pathlib import Path

from ec2cards.storage import failures
from ec2cards.storage.database import DB_FILE
from ec2cards.storage.failures import explain
from ec2cards.storage.store import Store

SIDE_FILES = ("", "-wal", "-shm")  # a database and the files SQLite keeps beside it


INCOMING = f"{DB_FILE}.restoring"  # the copy to put in place, whole once it has this name


def put_in_place(home: Path, source: Path, now: datetime) -> Path | None:
    """A fresh copy of the database `source` becomes the one in `home` (the backup itself stays
    as it is); returns where the replaced database was kept, None when there was none.

    The steps, each a rename that `finish_cut_short` completes or takes back after a kill:
    the whole copy appears as INCOMING, the live files move aside (the database first), then
    INCOMING takes the database's name."""
    path = home / DB_FILE
    incoming = home / INCOMING
    copy = Store.existing(source)
    try:
        copy.db.backup_to(incoming)  # a self-contained copy, written beside and renamed
    finally:
        copy.close()
    if not path.exists():
        os.replace(incoming, path)
        return None
    # Hold the live file's write lock while it is moved: a session's answer in flight is
    # committed first, and its next one finds another file at the path and stops there
    # (Database.transaction) instead of writing into the one set aside.
    live = sqlite3.connect(path, timeout=failures.BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    try:
        try:
            live.execute("BEGIN IMMEDIATE")
        except sqlite3.DatabaseError as error:
            if failures.busy(error):
                raise explain(error, path) from error
            # a damaged file: no session can be writing it, and the restore is its repair
        kept = _set_aside(home, now)
        os.replace(incoming, path)
    finally:
        with suppress(sqlite3.Error):
            live.execute("ROLLBACK")
        live.close()
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


def finish_cut_short(home: Path) -> str | None:
    """A restore killed midway, finished or taken back, and the line that says which; None
    when there is none. Run before the database is opened: opening a missing file would make
    a new empty one, with the data left in files no command mentions."""
    incoming = home / INCOMING
    if not incoming.exists():
        return None
    path = home / DB_FILE
    if path.exists():  # killed before the live database moved: as if never begun
        incoming.unlink()
        return (
            "a restore was cut short before it changed anything: the database is as it was;"
            " run 'ec2cards doctor --restore' again"
        )
    kept = max(home.glob(f"{DB_FILE}.replaced-*[0-9Z]"), key=os.path.getmtime, default=None)
    if kept is not None:
        for suffix in SIDE_FILES[1:]:  # the database moved first: its WAL may not have
            side = home / f"{DB_FILE}{suffix}"
            if side.exists() and not (home / f"{kept.name}{suffix}").exists():
                os.replace(side, home / f"{kept.name}{suffix}")
    os.replace(incoming, path)
    where = f"; the replaced database is kept as {kept}" if kept is not None else ""
    return f"finished a restore that was cut short: the backup is in place{where}"
