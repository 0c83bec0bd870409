"""Opening the store as a command does: a copy goes to the backups folder before any migration,
and on the first open of each day, so that nothing a migration or a bad day does is final.

`ready` is the one rule for a store that needs none of that: the full commands skip their
chores by it, and `due`'s fast path answers only when it holds."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from ec2cards.storage import backups, migrations
from ec2cards.storage.database import DB_FILE, Database
from ec2cards.storage.store import Store


def ready(store: Store, home: Path, now: datetime) -> bool:
    """Whether the store in `home` can be used as it is: its schema is this ec2cards' own, no
    migration left maintenance (a replay) to do, and today's backup is made."""
    db = store.db
    return (
        db.schema_version() == len(migrations.MIGRATIONS)
        and not db.pending_tasks()
        and backups.taken_on(home, now.astimezone().date())
    )


def open_store(
    home: Path, now: datetime, *, daily_backup: bool = True, writes: bool = True
) -> Store:
    """The store in `home`, backed up and migrated; a damaged, newer or unwritable file is
    refused with a StoreError and left exactly as it is. `daily_backup` False: only the
    backup before a migration (commands that only read, or repair). A command that only
    reads (`writes` False) gets a read-only store of a data folder it cannot write to, when
    the database needs no migration."""
    from ec2cards.storage.restoring import finish_cut_short

    if not writes and not _writable(home):
        return _reading(home)

    finished = finish_cut_short(home)
    store = Store.connect(home)
    if finished is not None:
        store.notices.append(finished)
    try:
        if not ready(store, home, now):
            _prepare(store, home, now, daily_backup)
    except BaseException:
        store.close()
        raise
    return store


def _prepare(store: Store, home: Path, now: datetime, daily_backup: bool) -> None:
    """The backups and the migration a store that is not `ready` needs (the maintenance a
    migration leaves is the caller's: it needs the scheduler)."""
    db = store.db
    existed = db.schema_version() > 0
    if db.migrations_pending():
        backups.before_migration(db, home, now, len(migrations.MIGRATIONS))
    db.migrate()
    if existed and daily_backup:
        backups.daily(db, home, now)


def _writable(home: Path) -> bool:
    import os

    database = home / DB_FILE
    if not home.exists():
        return os.access(home.parent, os.W_OK)
    return os.access(home, os.W_OK) and (not database.exists() or os.access(database, os.W_OK))


def _reading(home: Path) -> Store:
    """A read-only store of a folder nobody here can write to; one whose database would need
    a migration is refused with the read-only line (it can't be brought up to date here)."""
    from ec2cards.errors import StoreError

    store = Store(Database.reading(home))
    if store.db.migrations_pending():
        store.close()
        raise StoreError(
            f"{home}: the data folder is read-only, and its database was written by an older"
            " ec2cards and must be brought up to date; make the folder writable once, or set"
            " EC2CARDS_HOME to a folder you can write to"
        )
    return store
