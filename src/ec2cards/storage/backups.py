"""When and where the database is backed up: before every migration and on the first open of
each day, keeping the newest 7 in <data folder>/backups.

This module is the policy; the copying is Database.backup_to (SQLite's backup API, consistent even
while another ec2cards writes). A damaged database is never backed up: its copy would push the
good ones out of the rotation.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ec2cards.errors import StoreError, UsageError
from ec2cards.files import stale_temps

if TYPE_CHECKING:
    from ec2cards.storage.database import Database

BACKUP_DIR = "backups"
KEEP = 7
NAME_PATTERN = r"^ec2cards-(\d{8}T\d{12})Z-([a-z0-9-]+)\.db$"  # compiled on use: re caches it


class Backup(NamedTuple):
    """One backup file; its name carries when (UTC) and why it was made."""

    path: Path
    taken_at: datetime
    reason: str

    @property
    def name(self) -> str:
        return self.path.name


def backup_dir(home: Path) -> Path:
    return home / BACKUP_DIR


def backup_name(at: datetime, reason: str) -> str:
    """`ec2cards-20261124T100000000000Z-daily.db`: sortable, and says why it exists."""
    stamp = at.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%S%f")
    return f"ec2cards-{stamp}Z-{reason}.db"


def _stamp_time(stamp: str) -> datetime:
    """The UTC time in a backup name (YYYYMMDDTHHMMSSffffff), read by slicing: strptime would
    compile a regex on every start-up that checks for today's backup."""
    year, month, day = int(stamp[0:4]), int(stamp[4:6]), int(stamp[6:8])
    hour, minute, second = int(stamp[9:11]), int(stamp[11:13]), int(stamp[13:15])
    return datetime(year, month, day, hour, minute, second, int(stamp[15:21]), timezone.utc)


def list_backups(home: Path) -> list[Backup]:
    """The backups in the folder, newest first."""
    try:
        entries = list(backup_dir(home).iterdir())
    except OSError:
        return []
    found: list[Backup] = []
    for path in entries:
        match = re.match(NAME_PATTERN, path.name)
        if match and path.is_file():
            found.append(Backup(path, _stamp_time(match.group(1)), match.group(2)))
    return sorted(found, key=lambda b: b.name, reverse=True)


def taken_on(home: Path, day: date) -> bool:
    """Whether a backup was made on this local day."""
    return any(b.taken_at.astimezone().date() == day for b in list_backups(home))


def back_up(db: Database, home: Path, now: datetime, reason: str) -> Backup:
    """Copy the database into the backups folder now, then keep only the newest KEEP."""
    target = backup_dir(home) / backup_name(now, reason)
    db.backup_to(target)
    prune(home, protect=target)
    return Backup(target, now, reason)


def refuse_damaged(db: Database) -> None:
    """A damaged database is neither copied into the rotation nor migrated: left as it is."""
    problems = db.integrity_problems(quick=True)
    if problems:
        raise StoreError(
            f"{db.path}: the database is damaged ({_found(problems)}) and is left as it is; run"
            " 'ec2cards doctor' to check it and 'ec2cards doctor --list' to see backups"
        )


def _found(problems: list[str]) -> str:
    """The first of SQLite's findings, and whether there are more."""
    more = len(problems) - 1
    return problems[0] + ("; and more" if more > 0 else "")


def before_migration(db: Database, home: Path, now: datetime, version: int) -> Backup:
    """Before the schema moves to `version`: a sound database is copied, a damaged one refused."""
    refuse_damaged(db)
    return back_up(db, home, now, f"before-v{version}")


def daily(db: Database, home: Path, now: datetime) -> Backup | None:
    """The first open of a local day backs the database up, if SQLite finds it sound."""
    if taken_on(home, now.astimezone().date()):
        return None
    refuse_damaged(db)
    return back_up(db, home, now, "daily")


def _made(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def prune(home: Path, keep: int = KEEP, protect: Path | None = None) -> list[Path]:
    """Delete all but the `keep` most recently made backups (by file time, so backups named with
    a simulated EC2CARDS_NOW cannot crowd out real ones), and copies a crash left half-made."""
    backups = sorted(list_backups(home), key=lambda b: (_made(b.path), b.name), reverse=True)
    removed: list[Path] = []
    for old in backups[keep:]:
        if old.path == protect:
            continue
        try:
            old.path.unlink()
            removed.append(old.path)
        except OSError:
            pass  # another ec2cards pruned it first, or the folder is read-only: harmless
    for partial in stale_temps(backup_dir(home)):
        try:
            partial.unlink()
            removed.append(partial)
        except OSError:
            pass
    return removed


def find_backup(home: Path, name: str) -> Path:
    """A backup named on the command line: a path, or a file name from `ec2cards doctor --list`."""
    given = Path(name).expanduser()
    if given.is_file():
        return given
    in_folder = backup_dir(home) / name
    if in_folder.is_file():
        return in_folder
    hint = (
        "'ec2cards doctor --list' shows the backups"
        if list_backups(home)
        else f"there are no backups in {backup_dir(home)} yet"
    )
    raise UsageError(f"{name}: no such backup file; {hint}")
