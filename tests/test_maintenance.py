"""The doctor as a use case (maintenance/doctor.py) and the restore primitive below it
(storage/restoring.py), called directly: what the report says, what it repairs, and that a
restore keeps the file it replaces."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from ec2cards.config.settings import Settings
from ec2cards.errors import StoreError
from ec2cards.maintenance.doctor import examine, listing, restore
from ec2cards.model.ratings import Rating
from ec2cards.scheduling.answer import record_answer
from ec2cards.scheduling.scheduler import Scheduler
from ec2cards.storage.backups import back_up, list_backups
from ec2cards.storage.database import DB_FILE
from ec2cards.storage.migrations import MIGRATIONS
from ec2cards.storage.opening import open_store
from ec2cards.storage.restoring import put_in_place
from ec2cards.storage.store import Store

T0 = datetime(2026, 11, 24, 10, 0, tzinfo=timezone.utc)
SCHEDULER = Scheduler(Settings())


def answered(home: Path, keys: tuple[str, ...], now: datetime = T0) -> None:
    store = open_store(home, now)
    try:
        for key in keys:
            record_answer(store, SCHEDULER, key, Rating.GOOD, now)
    finally:
        store.close()


def reviews_in(path: Path) -> int:
    store = Store.existing(path)
    try:
        return store.stats.review_count()
    finally:
        store.close()


def test_no_database_yet_is_healthy(home: Path) -> None:
    report = examine(home, T0, SCHEDULER)
    assert report.healthy
    assert report.lines == [
        f"database: {home / DB_FILE} does not exist yet (the first study creates it)"
    ]


def test_a_sound_database_is_reported_line_by_line(home: Path) -> None:
    answered(home, ("d/a", "d/b"))
    report = examine(home, T0, SCHEDULER)
    assert report.healthy and not report.advice
    assert report.lines[1:4] == [
        "integrity: ok",
        f"schema: version {len(MIGRATIONS)} (current)",
        "card states: all 2 match the review log (2 reviews)",
    ]
    assert report.lines[4].startswith("backups: none yet in ")


def test_a_cache_that_drifted_is_rebuilt_from_the_log(home: Path) -> None:
    answered(home, ("d/a", "d/b"))
    db = sqlite3.connect(home / DB_FILE)
    db.execute("UPDATE card_state SET stability = 999")
    db.commit()
    db.close()
    report = examine(home, T0, SCHEDULER)
    assert report.healthy
    assert "2 differed from the review log" in report.lines[3]
    assert "rebuilt all 2 from the log" in report.lines[3]
    assert "all 2 match" in examine(home, T0, SCHEDULER).lines[3]


def test_a_newer_schema_is_unhealthy_and_left_alone(home: Path) -> None:
    answered(home, ("d/a",))
    db = sqlite3.connect(home / DB_FILE)
    db.execute("INSERT INTO schema_migrations (version, applied_at) VALUES (99, 'x')")
    db.commit()
    db.close()
    report = examine(home, T0, SCHEDULER)
    assert not report.healthy
    assert "newer ec2cards" in report.advice
    assert report.lines[-1] == "schema: version 99, newer than this ec2cards knows"


def test_listing_without_backups_says_where_they_will_be(home: Path) -> None:
    (line,) = listing(home)
    assert line.startswith("no backups yet in ")


def test_a_restore_puts_the_backup_back_and_keeps_the_replaced_file(home: Path) -> None:
    answered(home, ("d/a",))
    store = open_store(home, T0)
    try:
        backup = back_up(store.db, home, T0, "manual")
    finally:
        store.close()
    answered(home, ("d/b", "d/c"), T0 + timedelta(hours=1))
    later = T0 + timedelta(hours=2)
    lines = restore(home, backup.name, later, SCHEDULER)
    assert (
        lines[0]
        == f"kept the replaced database as {home / 'ec2cards.db.replaced-20261124T120000Z'}"
    )
    assert (
        lines[1] == f"restored {backup.name}: 1 reviews; rebuilt the state of 1 cards from its log"
    )
    assert reviews_in(home / DB_FILE) == 1
    assert reviews_in(home / "ec2cards.db.replaced-20261124T120000Z") == 3
    assert backup.path in [b.path for b in list_backups(home)]


def test_put_in_place_never_overwrites_a_file_set_aside_earlier(home: Path, tmp_path: Path) -> None:
    answered(home, ("d/a",))
    source = tmp_path / "source.db"
    store = Store.existing(home / DB_FILE)
    try:
        store.db.backup_to(source)
    finally:
        store.close()
    first = put_in_place(home, source, T0)
    second = put_in_place(home, source, T0)  # twice in one second
    assert first == home / "ec2cards.db.replaced-20261124T100000Z"
    assert second == home / "ec2cards.db.replaced-20261124T100000Z-2"
    assert first.exists() and second.exists() and source.exists()
    assert not (home / "ec2cards.db.restoring").exists()


def test_put_in_place_into_an_empty_folder_keeps_nothing(home: Path, tmp_path: Path) -> None:
    answered(tmp_path, ("d/a",))
    home.mkdir(parents=True, exist_ok=True)
    assert put_in_place(home, tmp_path / DB_FILE, T0) is None
    assert reviews_in(home / DB_FILE) == 1


def test_a_session_open_during_a_restore_saves_nothing_more_and_says_so(home: Path) -> None:
    """A study session keeps its connection while `doctor --restore` runs in another terminal:
    its next answer must not go into the file set aside. It stops with one line, before any
    other 'saved:', and the restored database has exactly the backup's reviews."""
    answered(home, ("d/a",))
    store = open_store(home, T0)
    try:
        (backup,) = [back_up(store.db, home, T0, "manual")]
    finally:
        store.close()
    session = open_store(home, T0)  # the other terminal's session, still open
    record_answer(session, SCHEDULER, "d/b", Rating.GOOD, T0 + timedelta(minutes=1))
    restore(home, backup.path.name, T0 + timedelta(minutes=2), SCHEDULER)
    with pytest.raises(StoreError, match="was replaced while this command had it open"):
        record_answer(session, SCHEDULER, "d/c", Rating.GOOD, T0 + timedelta(minutes=3))
    session.close()
    assert reviews_in(home / DB_FILE) == 1  # the backup's one review, and no other
    (kept,) = home.glob(f"{DB_FILE}.replaced-*[0-9]Z")
    assert reviews_in(kept) == 2  # what the session saved before the restore, kept aside
    assert backup.path in [b.path for b in list_backups(home)]


def _cut_short(home: Path, after_set_aside: bool) -> Path:
    """The files a restore killed midway leaves: the whole copy as INCOMING, and, when killed
    after the live database moved (its WAL not yet), the database set aside."""
    from ec2cards.storage.restoring import INCOMING

    answered(home, ("d/a", "d/b"))
    store = open_store(home, T0)
    backup = back_up(store.db, home, T0, "manual")
    record_answer(store, SCHEDULER, "d/c", Rating.GOOD, T0 + timedelta(minutes=1))
    store.close()
    (home / INCOMING).write_bytes(backup.path.read_bytes())
    if after_set_aside:
        kept = home / f"{DB_FILE}.replaced-20261124T100500Z"
        (home / DB_FILE).rename(kept)
        (home / f"{DB_FILE}-wal").write_bytes(b"")  # left behind by the kill
    return backup.path


def test_a_restore_killed_after_the_database_moved_is_finished_by_the_next_command(
    home: Path,
) -> None:
    """Never a silently empty database: the next command puts the backup in place, moves
    the WAL left behind to the file set aside, and says so."""
    from conftest import invoke

    _cut_short(home, after_set_aside=True)
    result: Any = invoke(["due"], now=T0.isoformat())
    assert result.exit_code == 0, result.output
    assert "warning: finished a restore that was cut short: the backup is in place" in (
        result.stderr
    )
    assert reviews_in(home / DB_FILE) == 2  # the backup's, not an empty new database
    kept = home / f"{DB_FILE}.replaced-20261124T100500Z"
    assert reviews_in(kept) == 3 and (home / f"{kept.name}-wal").exists()
    assert not (home / f"{DB_FILE}.restoring").exists()


def test_a_restore_killed_before_the_database_moved_is_taken_back(home: Path) -> None:
    from conftest import invoke

    _cut_short(home, after_set_aside=False)
    result: Any = invoke(["due"], now=T0.isoformat())
    assert result.exit_code == 0, result.output
    assert "a restore was cut short before it changed anything" in result.stderr
    assert reviews_in(home / DB_FILE) == 3  # as it was
    assert not (home / f"{DB_FILE}.restoring").exists()
