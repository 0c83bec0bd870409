"""Opening the store as a command does: a copy goes to the backups folder before any migration,
and on the first open of each day, so that nothing a migration or a bad day does is final."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from ec2cards.storage import backups, migrations
from ec2cards.storage.store import Store


def open_store(home: Path, now: datetime, *, daily_backup: bool = True) -> Store:
    """The store in `home`, backed up and migrated; a damaged, newer or unwritable file is
    refused with a StoreError and left exactly as it is. `daily_backup` False: only the
    backup before a migration (commands that only read, or repair)."""
    store = Store.connect(home)
    try:
        existed = store.schema_version() > 0
        if store.migrations_pending():
            backups.before_migration(store, home, now, len(migrations.MIGRATIONS))
        store.migrate()
        if existed and daily_backup:
            backups.daily(store, home, now)
    except BaseException:
        store.close()
        raise
    return store
