"""`ec2cards doctor`: is the database sound, does the card-state cache match the review log, and
putting a backup back.

Checking only reads (the file is opened read-only). The one repair it makes by itself is to
rebuild the card-state cache from the log, which is the source of truth. A restore never
overwrites or deletes a database: the file it replaces is renamed aside, with its WAL
(`storage/restoring.py`). This is a use case in words for people, so it lives above storage and
scheduling; storage keeps only the primitives it calls.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ec2cards.errors import StoreError
from ec2cards.maintenance.pending import finish_settings_changes
from ec2cards.scheduling.replay import differing, rebuild
from ec2cards.storage import migrations
from ec2cards.storage.backups import Backup, backup_dir, find_backup, list_backups
from ec2cards.storage.database import DB_FILE
from ec2cards.storage.opening import open_store
from ec2cards.storage.restoring import put_in_place
from ec2cards.storage.store import Store

if TYPE_CHECKING:
    from ec2cards.scheduling.scheduler import Scheduler


@dataclass
class Report:
    """What the doctor found, line by line; `advice` is the one line to end with when unhealthy."""

    lines: list[str] = field(default_factory=list)
    healthy: bool = True
    advice: str = ""


def _restore_hint(home: Path) -> str:
    backups = list_backups(home)
    if not backups:
        return f"there is no backup in {backup_dir(home)} to restore; the file is left as it is"
    return (
        f"restore a backup with: ec2cards doctor --restore {backups[0].name}"
        " (ec2cards doctor --list shows them all); the damaged file is kept beside it"
    )


def examine(
    home: Path, now: datetime, scheduler: Scheduler, wall: datetime | None = None
) -> Report:
    """Integrity, schema version, and cache == replay of the log (with `scheduler`, the current
    settings); rebuilds the cache if not."""
    path = home / DB_FILE
    report = Report()
    if not path.exists():
        report.lines.append(f"database: {path} does not exist yet (the first study creates it)")
        return report
    report.lines.append(f"database: {path} ({path.stat().st_size} bytes)")
    differ: list[str] = []
    cached_count = reviews = version = 0
    current = False
    store = Store.existing(path)
    try:
        problems = store.db.integrity_problems()
        if problems:
            report.lines.append("integrity: DAMAGED: " + "; ".join(problems[:3]))
            report.healthy = False
            report.advice = f"{path}: the database is damaged; {_restore_hint(home)}"
            return report
        report.lines.append("integrity: ok")
        version = store.db.schema_version()
        if version > len(migrations.MIGRATIONS):
            report.lines.append(f"schema: version {version}, newer than this ec2cards knows")
            report.healthy = False
            report.advice = (
                f"{path}: written by a newer ec2cards (schema {version}); it is left untouched:"
                " upgrade ec2cards (pip install --upgrade ec2cards)"
            )
            return report
        if version < len(migrations.MIGRATIONS):
            report.lines.append(
                f"schema: version {version} of {len(migrations.MIGRATIONS)}; it is backed up and"
                " migrated on the next use"
            )
        else:
            report.lines.append(f"schema: version {version} (current)")
        current = version == len(migrations.MIGRATIONS)
        if current:
            differ = differing(store, scheduler)
            cached_count = len(store.cards.states())
            reviews = store.stats.review_count()
    finally:
        store.close()
    if current:
        if differ:
            writable = open_store(home, wall or now)  # backups follow the real clock
            try:
                # A change of settings a killed command left is finished as it was asked
                # (due dates kept or moved), not undone by a plain rebuild.
                finished = finish_settings_changes(writable, home, now)
                if finished is not None and not differing(writable, scheduler):
                    differ = []
                    report.lines.append(
                        f"card states: a change of settings cut short was finished:"
                        f" {finished} cards computed anew"
                    )
                else:
                    rebuilt = rebuild(writable, scheduler)
            finally:
                writable.close()
            if differ:
                report.lines.append(
                    f"card states: {len(differ)} differed from the review log (e.g. {differ[0]});"
                    f" rebuilt all {rebuilt} from the log"
                )
        else:
            report.lines.append(
                f"card states: all {cached_count} match the review log ({reviews} reviews)"
            )
    report.lines.append(_backups_line(home))
    return report


def _backups_line(home: Path) -> str:
    backups = list_backups(home)
    if not backups:
        return f"backups: none yet in {backup_dir(home)} (one is made each day you study)"
    return f"backups: {len(backups)} in {backup_dir(home)}, newest {backups[0].name}"


def describe(backup: Backup) -> str:
    """One line for `--list`: name, size, and what is in it (or why it cannot be read)."""
    size = backup.path.stat().st_size
    try:
        store = Store.existing(backup.path)
        try:
            problems = store.db.integrity_problems(quick=True)
            content = (
                f"DAMAGED ({problems[0]})"
                if problems
                else f"{store.stats.review_count()} reviews, schema {store.db.schema_version()}"
            )
        finally:
            store.close()
    except StoreError as error:
        content = f"unreadable ({error})"
    when = backup.taken_at.astimezone().strftime("%Y-%m-%d %H:%M")
    return f"{backup.name}  {when}  {size // 1024 or 1} KiB  {content}"


def listing(home: Path) -> list[str]:
    backups = list_backups(home)
    if not backups:
        return [f"no backups yet in {backup_dir(home)} (one is made each day you study)"]
    return [describe(b) for b in backups] + [
        f"{len(backups)} backups in {backup_dir(home)}; restore one with:"
        " ec2cards doctor --restore NAME"
    ]


def restore(
    home: Path, name: str, now: datetime, scheduler: Scheduler, wall: datetime | None = None
) -> list[str]:
    """Put a sound backup in place of the database; the replaced file is kept, renamed aside."""
    source = find_backup(home, name)
    check = Store.existing(source)
    try:
        problems = check.db.integrity_problems()
        version = check.db.schema_version() if not problems else 0
        reviews = check.stats.review_count() if not problems and version >= 1 else 0
    finally:
        check.close()
    if problems:
        raise StoreError(
            f"{source}: this backup is damaged too ({problems[0]}); pick another one"
            " (ec2cards doctor --list)"
        )
    if version < 1:
        raise StoreError(f"{source}: this is not an ec2cards database")
    if version > len(migrations.MIGRATIONS):
        raise StoreError(
            f"{source}: written by a newer ec2cards (schema {version}); upgrade ec2cards first"
        )
    lines: list[str] = []
    kept = put_in_place(home, source, wall or now)
    if kept is not None:
        lines.append(f"kept the replaced database as {kept}")
    store = open_store(home, wall or now)  # migrates an older backup, after backing it up
    try:
        rebuilt = rebuild(store, scheduler)
    finally:
        store.close()
    lines.append(
        f"restored {source.name}: {reviews} reviews; rebuilt the state of {rebuilt} cards from"
        " its log"
    )
    return lines
