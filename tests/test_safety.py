"""Nothing lost, nothing injected (issue 8): two sessions at once, a read-only or full disk, newer
and damaged databases, backups and `ec2cards doctor`, hostile decks, and property-based checks
that the cached card states always equal a replay of the review log."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import console, invoke, memory_store, replayed, venv_bin, write_deck
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ec2cards.config.settings import Settings
from ec2cards.decks.format import load_deck
from ec2cards.decks.safe_yaml import MAX_DECK_BYTES
from ec2cards.errors import StoreError
from ec2cards.model.cards import Card, CardKind
from ec2cards.model.choices import Graded
from ec2cards.model.decks import Deck
from ec2cards.model.ratings import Rating
from ec2cards.model.states import NEW_STATE, Phase
from ec2cards.model.text import normalise
from ec2cards.quiz.questions import Mode, build
from ec2cards.quiz.session import run_quiz
from ec2cards.scheduling.replay import rebuild
from ec2cards.scheduling.scheduler import Scheduler
from ec2cards.storage import failures, migrations
from ec2cards.storage.backups import KEEP, list_backups
from ec2cards.storage.database import Database, iso
from ec2cards.storage.migrations import MIGRATIONS
from ec2cards.storage.store import Store
from ec2cards.study.loop import QUIT, REVEAL, SUSPEND, UNDO, Progress, run
from ec2cards.study.session import AnswerResult, StudySession, Summary
from ec2cards.terminal.safe_text import safe

NOW = "2026-11-24T10:00:00+00:00"
T0 = datetime(2026, 11, 24, 10, 0, tzinfo=timezone.utc)
LIVE_REVIEWS = (
    "SELECT card_key FROM review_log r WHERE event = 'review'"
    " AND NOT EXISTS (SELECT 1 FROM review_log u WHERE u.undoes = r.id)"
)


def many_deck(count: int = 40) -> str:
    return "deck: many\ntitle: Many\ntopic: many\ncards:\n" + "".join(
        f"  - id: c{i}\n    q: Question {i}?\n    a: Answer {i}\n" for i in range(count)
    )


def environment(home: Path, now: str = NOW) -> dict[str, str]:
    return {**os.environ, "EC2CARDS_HOME": str(home), "EC2CARDS_NOW": now, "TZ": "UTC"}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def error_line(output: str) -> str:
    """The one error line of a failed command; there must be exactly one, and no traceback."""
    assert "Traceback" not in output, output
    errors = [line for line in output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, output
    return errors[0]


def assert_sound(path: Path) -> Counter[str]:
    """SQLite finds the file sound and its cache equals a replay of its log; the live reviews."""
    db = sqlite3.connect(path)
    try:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        store = Store(Database(db, path))
        assert replayed(store) == store.cards.states()
        return Counter(key for (key,) in db.execute(LIVE_REVIEWS))
    finally:
        db.close()


class Study:
    """`ec2cards study` on pipes, remembering which card each "saved:" line acknowledged."""

    def __init__(self, env: dict[str, str], *args: str) -> None:
        self.process = subprocess.Popen(
            [venv_bin("ec2cards"), "study", "--new", "100", *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        self.stdin, self.stdout = self.process.stdin, self.process.stdout
        self.card = ""
        self.acknowledged: Counter[str] = Counter()

    def send(self, text: str) -> None:
        self.stdin.write(text)
        self.stdin.flush()

    def read_until(self, marker: str) -> str:
        while marker not in (line := self.stdout.readline()):
            assert line, f"study ended early, waiting for {marker!r}"
            if line.startswith("Q: "):
                self.card = line.removeprefix("Q: ").strip()
        return line

    def answer(self, rating: int = 3) -> None:
        self.send(f"\n{rating}\n")
        self.read_until("saved:")
        self.acknowledged[self.card] += 1

    def quit(self) -> tuple[int, str]:
        """q, then the exit status and stderr."""
        _, errors = self.process.communicate("q\n", timeout=60)
        return self.process.returncode, errors


def keys_of(questions: Counter[str]) -> Counter[str]:
    """'Question 7?' -> 'many/c7'."""
    return Counter(
        {f"many/c{q.removeprefix('Question ').rstrip('?')}": n for q, n in questions.items()}
    )


# -- 2. concurrency ----------------------------------------------------------------------------


def test_two_study_sessions_at_once_both_work(home: Path) -> None:
    """Two terminals on one data folder, their answers interleaved and overlapping in time."""
    write_deck(home / "decks", "many.yaml", many_deck())
    env = environment(home)
    invoke(["due"], now=NOW)  # the database exists before both start
    first, second = Study(env, "--deck", "many"), Study(env, "--deck", "many")
    for _ in range(6):
        first.send("\n3\n")  # both answers in flight at once: both want the write lock
        second.send("\n4\n")
        for study in (first, second):
            study.read_until("saved:")
            study.acknowledged[study.card] += 1
    for study in (first, second):
        code, errors = study.quit()
        assert code == 0, errors
        assert "Traceback" not in errors and "locked" not in errors and not errors.strip()
    logged = assert_sound(home / "ec2cards.db")
    assert logged == keys_of(first.acknowledged + second.acknowledged)


def test_a_session_whose_wal_was_wiped_stops_instead_of_writing_into_it(home: Path) -> None:
    """Deleting -wal and -shm under a running session (SQLite's rule: never) left its later
    answers in a deleted file, lost, while another session wrote a new one. The session now
    notices before its next write and stops with one line; the other session's work stands."""
    session = Database.connect(home)
    session.migrate()
    session.add_task("first")  # the session holds the -wal and -shm from its first write on
    session.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # all in the file itself
    for suffix in ("-wal", "-shm"):
        (home / f"ec2cards.db{suffix}").unlink()
    other = (  # another process: within one, SQLite shares a file's -shm between connections
        "import sys; from pathlib import Path; from ec2cards.storage.database import Database;"
        " d = Database.connect(Path(sys.argv[1])); d.add_task(sys.argv[2]); d.close()"
    )
    for task in ("other", "other again"):
        subprocess.run([sys.executable, "-c", other, str(home), task], check=True, timeout=60)
    with pytest.raises(StoreError) as refused:
        session.add_task("lost")
    assert str(refused.value).startswith(f"{home / 'ec2cards.db'}-wal or -shm was deleted")
    assert "\n" not in str(refused.value)
    session.close()
    again = Database.connect(home)  # the other session's work stands, and nothing is half-done
    assert {"other", "other again"} <= set(again.pending_tasks())
    assert "lost" not in again.pending_tasks()
    again.close()


def test_quiz_while_studying(home: Path) -> None:
    write_deck(home / "decks", "many.yaml", many_deck())
    env = environment(home)
    study = Study(env, "--deck", "many")
    study.answer(3)
    quiz = subprocess.run(
        [
            venv_bin("ec2cards"),
            "quiz",
            "--deck",
            "many",
            "--count",
            "3",
            "--mode",
            "flip",
            "--seed",
            "7",
            "--record",
        ],
        input="\ny\n\nn\n\ny\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert quiz.returncode == 0, quiz.stderr
    assert "Score: 2/3" in quiz.stdout and not quiz.stderr
    study.answer(4)
    code, errors = study.quit()
    assert code == 0 and not errors.strip(), errors
    logged = assert_sound(home / "ec2cards.db")
    assert logged.total() == 2 + 3  # two studied, three recorded quiz answers
    assert set(keys_of(study.acknowledged)) <= set(logged)
    db = sqlite3.connect(home / "ec2cards.db")
    assert db.execute("SELECT score, total FROM quiz").fetchall() == [(2, 3)]
    db.close()


def test_a_new_database_opened_by_four_at_once(home: Path) -> None:
    """The first migrations race: each runs once, whoever gets there first."""
    env = environment(home)
    processes = [
        subprocess.Popen(
            [venv_bin("ec2cards"), "due"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
        )
        for _ in range(4)
    ]
    for process in processes:
        out, errors = process.communicate(timeout=60)
        assert process.returncode == 0, errors
        assert b"new" in out and not errors
    store = Store.existing(home / "ec2cards.db")
    assert store.db.schema_version() == len(MIGRATIONS)
    store.close()


def test_a_new_file_being_created_elsewhere_is_waited_for(home: Path) -> None:
    """Another ec2cards holds the write lock while the new file is still in rollback mode: the
    switch to WAL is refused at once by SQLite (no busy timeout), so opening must wait itself."""
    home.mkdir(parents=True, exist_ok=True)
    other = sqlite3.connect(home / "ec2cards.db", isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")  # e.g. the other process's own switch to WAL
    release = threading.Timer(0.3, lambda: other.execute("ROLLBACK"))
    release.start()
    try:
        store = Store.connect(home)
    finally:
        release.join()
        other.close()
    try:
        assert store.db.connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        store.db.migrate()
        assert store.db.schema_version() == len(MIGRATIONS)
    finally:
        store.close()


def test_a_lock_held_too_long_ends_in_one_line(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_deck(home / "decks", "many.yaml", many_deck(5))
    invoke(["due"], now=NOW)
    monkeypatch.setattr(failures, "BUSY_TIMEOUT_MS", 200)
    blocker = sqlite3.connect(home / "ec2cards.db", isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another writer that never lets go
    try:
        result: Any = invoke(["study", "--deck", "many"], input="\n3\n", now=NOW)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert result.exit_code == 1
    line = error_line(result.output)
    assert "busy" in line and "another ec2cards" in line and "run this again" in line
    assert "saved:" not in result.output
    assert_sound(home / "ec2cards.db")


def test_a_lock_held_briefly_is_waited_for(home: Path) -> None:
    write_deck(home / "decks", "many.yaml", many_deck(5))
    invoke(["due"], now=NOW)
    blocker = sqlite3.connect(home / "ec2cards.db", isolation_level=None, check_same_thread=False)
    blocker.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.3, lambda: blocker.execute("COMMIT"))
    release.start()
    try:
        result: Any = invoke(["study", "--deck", "many"], input="\n3\nq\n", now=NOW)
    finally:
        release.join()
        blocker.close()
    assert result.exit_code == 0, result.output
    assert "saved: Good" in result.output


# -- 3. damaged or odd environments -----------------------------------------------------------


def _run_read_only(
    home: Path, args: list[str], env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """Run ec2cards with `home` read-only: chmod for a normal user; root ignores permissions,
    so for root a read-only bind mount in a private mount namespace."""
    command = [venv_bin("ec2cards"), *args]
    if os.geteuid() != 0:
        paths = [home, *home.rglob("*")]
        modes = {path: path.stat().st_mode for path in paths}
        try:
            for path in paths:
                path.chmod(modes[path] & ~0o222)
            return subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)
        finally:
            for path in paths:
                path.chmod(modes[path])
    if shutil.which("unshare") is None:
        pytest.skip("running as root without unshare: cannot make a folder read-only")
    script = 'mount --bind -o ro "$1" "$1" || exit 99; shift; exec "$@"'
    result = subprocess.run(
        ["unshare", "-m", "sh", "-c", script, "sh", str(home), *command],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    if result.returncode == 99 or "unshare:" in result.stderr:
        pytest.skip("cannot make a read-only mount here")
    return result


def test_read_only_data_folder_is_one_line_and_nothing_changes(home: Path) -> None:
    write_deck(home / "decks", "many.yaml", many_deck(5))
    assert invoke(["study", "--deck", "many"], input="\n3\nq\n", now=NOW).exit_code == 0  # type: ignore[attr-defined]
    before = digest(home / "ec2cards.db")
    env = environment(home, "2026-11-25T10:00:00+00:00")  # a new day: a backup would be due
    for args in (["study", "--deck", "many"], ["quiz", "--count", "2"], ["doctor"]):
        result = _run_read_only(home, args, env)
        assert result.returncode == 1, (args, result.stdout, result.stderr)
        line = error_line(result.stderr)
        assert "read-only" in line and "EC2CARDS_HOME" in line, line
    # Commands that only read work as in a writable folder.
    reading = [["due"], ["stats", "--deck", "many"], ["cards", "--deck", "many"], ["check"]]
    reading += [["plan", "--exam", "2027-01-01", "--deck", "many"], ["quiz", "--history"]]
    reading += [["practice", "--history"]]
    for args in reading:
        result = _run_read_only(home, args, env)
        assert result.returncode == 0, (args, result.stdout, result.stderr)
        assert "error" not in result.stderr, (args, result.stderr)
    due = _run_read_only(home, ["due", "--deck", "many"], env)
    config = _run_read_only(home, ["config", "new_per_day", "5"], env)
    assert config.returncode != 0 and "config.toml" in error_line(config.stderr)
    assert _run_read_only(home, ["decks"], env).returncode == 0  # reading decks needs no writing
    assert digest(home / "ec2cards.db") == before
    assert not list_backups(home)
    writable = invoke(["due", "--deck", "many"], now="2026-11-25T10:00:00+00:00")
    assert due.stdout == writable.stdout  # type: ignore[attr-defined]


def test_disk_full_mid_session_is_one_line_and_loses_nothing(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failing write: the database may not grow by a single page once open."""
    write_deck(home / "decks", "many.yaml", many_deck(40))
    migrate = Database.migrate

    def tiny_disk(db: Database) -> None:
        migrate(db)
        (pages,) = db.connection.execute("PRAGMA page_count").fetchone()
        db.connection.execute(f"PRAGMA max_page_count = {pages}")

    monkeypatch.setattr(Database, "migrate", tiny_disk)
    result: Any = invoke(["study", "--deck", "many"], input="\n3\n" * 40, now=NOW)
    assert result.exit_code == 1
    line = error_line(result.output)
    assert "disk is full" in line and "everything saved before it is safe" in line
    acknowledged = result.output.count("saved: Good")
    assert acknowledged >= 1, result.output
    logged = assert_sound(home / "ec2cards.db")
    assert logged.total() == acknowledged


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MiB tmpfs: a real disk that fills up (root only; skipped elsewhere)."""
    folder = tmp_path / "small"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def test_a_real_disk_filling_up_mid_session(small_disk: Path) -> None:
    home = small_disk / "home"
    write_deck(home / "decks", "many.yaml", many_deck(40))
    env = environment(home)
    study = Study(env, "--deck", "many")
    study.answer(3)
    study.answer(3)
    with contextlib.suppress(OSError), (small_disk / "filler").open("wb", buffering=0) as filler:
        while True:  # fill every last block
            filler.write(b"\0" * 4096)
    study.send("\n3\n" * 20)
    _, errors = study.process.communicate(timeout=60)
    assert study.process.returncode == 1
    assert "disk is full" in error_line(errors)
    (small_disk / "filler").unlink()
    logged = assert_sound(home / "ec2cards.db")
    assert set(keys_of(study.acknowledged)) <= set(logged)
    assert logged.total() >= 2


def test_newer_database_is_refused_and_left_untouched(home: Path) -> None:
    invoke(["study"], input="\n3\nq\n", now=NOW)
    db = sqlite3.connect(home / "ec2cards.db")
    db.execute("INSERT INTO schema_migrations VALUES (99, 'x')")
    db.commit()
    db.close()
    before = digest(home / "ec2cards.db")
    for args in (["study"], ["quiz"], ["stats"], ["due"], ["rebuild"], ["quiz", "--history"]):
        result: Any = invoke(args, input="\n3\n", now="2026-11-25T10:00:00+00:00")
        assert result.exit_code == 1, args
        line = error_line(result.output)
        assert "newer ec2cards (schema 99" in line and "upgrade ec2cards" in line, line
        assert "left untouched" in line
    doctor: Any = invoke(["doctor"], now=NOW)
    assert doctor.exit_code == 1 and "schema: version 99" in doctor.output
    assert "newer ec2cards" in error_line(doctor.output)
    assert digest(home / "ec2cards.db") == before
    assert not list_backups(home)


def _schema_one(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The database an ec2cards of schema 1 left, with one review in it."""
    with monkeypatch.context() as older:
        older.setattr(migrations, "MIGRATIONS", MIGRATIONS[:1])
        Store.open(home).close()
    before, after = NEW_STATE.to_dict(), replace(NEW_STATE, phase=Phase.LEARNING).to_dict()
    db = sqlite3.connect(home / "ec2cards.db")
    db.execute(
        "INSERT INTO review_log (card_key, event, rating, reviewed_at, phase_before,"
        " state_before, state_after) VALUES ('d/c', 'review', 3, ?, 0, ?, ?)",
        (iso(T0), json.dumps(before), json.dumps(after)),
    )
    db.execute("INSERT INTO card_state (card_key, phase) VALUES ('d/c', 1)")
    db.commit()
    db.close()
    assert Store.existing(home / "ec2cards.db").db.schema_version() == 1


@pytest.mark.parametrize("command", [["due"], ["check"], ["stats"]])
def test_backup_before_migration_then_migrate(
    home: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    """Every command that opens an older database backs it up first (`check` too: it asks the
    log which cards have history)."""
    _schema_one(home, monkeypatch)
    result: Any = invoke(command, now=NOW)
    assert result.exit_code == 0, result.output
    (backup,) = list_backups(home)
    assert backup.reason == f"before-v{len(MIGRATIONS)}"
    old = Store.existing(backup.path)
    assert (old.db.schema_version(), old.stats.review_count()) == (1, 1)
    old.close()
    assert assert_sound(home / "ec2cards.db").total() == 1
    assert Store.existing(home / "ec2cards.db").db.schema_version() == len(MIGRATIONS)


def at(moment: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """A moment for the real clock too (backups follow it), in process; returned for `now`."""
    monkeypatch.setattr("ec2cards.cli.clock.wall", lambda: datetime.fromisoformat(moment))
    return moment


def test_a_backup_each_day_and_only_the_last_seven_kept(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = at("2026-11-01T10:00:00+00:00", monkeypatch)
    invoke(["study"], input="\n3\nq\n", now=first)  # creates the database
    assert not list_backups(home)  # nothing to back up yet
    for day in range(2, 12):
        for hour in (10, 18):  # the second open of a day makes no second backup
            moment = at(f"2026-11-{day:02d}T{hour}:00:00+00:00", monkeypatch)
            result: Any = invoke(["due"], now=moment)
            assert result.exit_code == 0, result.output
    backups = list_backups(home)
    assert len(backups) == KEEP
    assert [b.taken_at.day for b in backups] == list(range(11, 11 - KEEP, -1))
    assert {b.reason for b in backups} == {"daily"}
    newest = Store.existing(backups[0].path)
    assert newest.db.integrity_problems() == [] and newest.stats.review_count() == 1
    newest.close()
    assert not list((home / "backups").glob("*.partial-*"))
    assert not list((home / "backups").glob(".*.tmp"))  # no temp file of a backup left


def test_a_look_ahead_with_ec2cards_now_never_prunes_or_shadows_backups(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Eight days of EC2CARDS_NOW ahead make no backup named on those days and prune none of
    the real ones: backups are named, taken and kept by the real clock."""
    today = at("2026-11-24T10:00:00+00:00", monkeypatch)
    invoke(["study"], input="\n3\nq\n", now=today)
    for day in range(1, 7):  # six real days, each with its daily backup
        moment = at(f"2026-11-{24 + day:02d}T10:00:00+00:00", monkeypatch)
        assert invoke(["due"], now=moment).exit_code == 0  # type: ignore[attr-defined]
    real = sorted(b.name for b in list_backups(home))
    assert len(real) == 6
    for ahead in range(1, 9):  # the real clock stays on the 30th; the command looks ahead
        peek = f"2026-12-{ahead:02d}T10:00:00+00:00"
        assert invoke(["due"], now=peek).exit_code == 0  # type: ignore[attr-defined]
    assert sorted(b.name for b in list_backups(home)) == real
    at("2026-12-01T10:00:00+00:00", monkeypatch)  # the real next day: its own backup
    assert invoke(["due"], now="2026-12-01T10:00:00+00:00").exit_code == 0  # type: ignore[attr-defined]
    assert list_backups(home)[0].taken_at.day == 1


def _damage(path: Path) -> None:
    """Overwrite a page in the middle of the file with noise."""
    with path.open("r+b") as handle:
        handle.seek(4096 * 2)
        handle.write(bytes(range(256)) * 16)


@pytest.mark.parametrize("damage", ["noise in a page", "not a database at all"])
def test_damaged_database_is_refused_untouched_and_restorable(
    home: Path, damage: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    invoke(["study"], input="\n3\n\n4\nq\n", now=at("2026-11-24T10:00:00+00:00", monkeypatch))
    invoke(["due"], now=at("2026-11-25T10:00:00+00:00", monkeypatch))  # the daily backup
    (good,) = list_backups(home)
    database = home / "ec2cards.db"
    if damage == "noise in a page":
        _damage(database)
    else:
        database.write_bytes(b"this is not a database " * 200)
    before = digest(database)
    later = at("2026-11-26T10:00:00+00:00", monkeypatch)
    commands = (["study"], ["quiz"], ["stats"], ["due"], ["plan", "--exam", "2027-01-01"])
    for args in (*commands, ["rebuild"], ["cards"], ["card", "virtualization/hypervisor"]):
        result: Any = invoke(args, input="\n3\n", now=later)
        assert result.exit_code == 1, (args, result.output)
        line = error_line(result.output)
        assert "damaged" in line and "ec2cards doctor" in line, line
        assert "***" not in line and len(line) < 300, line  # one finding, not SQLite's report
    assert digest(database) == before
    assert [b.path for b in list_backups(home)] == [good.path]  # a damaged copy never rotates in

    doctor: Any = invoke(["doctor"], now=later)
    assert doctor.exit_code == 1
    assert "integrity: DAMAGED" in doctor.output
    assert f"ec2cards doctor --restore {good.name}" in error_line(doctor.output)
    listing: Any = invoke(["doctor", "--list"], now=later)
    assert listing.exit_code == 0 and f"{good.name}" in listing.output
    assert f"2 reviews, schema {len(MIGRATIONS)}" in listing.output
    assert digest(database) == before

    restored: Any = invoke(["doctor", "--restore", good.name], now=later)
    assert restored.exit_code == 0, restored.output
    (kept,) = home.glob("ec2cards.db.replaced-*[0-9]Z")
    assert digest(kept) == before  # the damaged file is kept, byte for byte
    assert "restored" in restored.output and "2 reviews" in restored.output
    assert assert_sound(database).total() == 2
    assert invoke(["doctor"], now=later).exit_code == 0  # type: ignore[attr-defined]
    again: Any = invoke(["study"], input="\n3\nq\n", now=later)
    assert again.exit_code == 0 and "saved:" in again.output


def test_a_damaged_older_database_is_neither_backed_up_nor_migrated(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _schema_one(home, monkeypatch)
    _damage(home / "ec2cards.db")
    before = digest(home / "ec2cards.db")
    result: Any = invoke(["due"], now=NOW)
    assert result.exit_code == 1 and "damaged" in error_line(result.output)
    assert digest(home / "ec2cards.db") == before
    assert not list_backups(home)


def test_restore_refuses_a_damaged_or_unknown_backup(home: Path, tmp_path: Path) -> None:
    invoke(["study"], input="\n3\nq\n", now=NOW)
    before = digest(home / "ec2cards.db")
    unknown: Any = invoke(["doctor", "--restore", "nope.db"], now=NOW)
    assert unknown.exit_code == 2 and "no such backup" in error_line(unknown.output)
    bad = tmp_path / "bad.db"
    shutil.copy(home / "ec2cards.db", bad)
    _damage(bad)
    damaged: Any = invoke(["doctor", "--restore", str(bad)], now=NOW)
    assert damaged.exit_code == 1 and "damaged too" in error_line(damaged.output)
    both: Any = invoke(["doctor", "--list", "--restore", str(bad)], now=NOW)
    assert both.exit_code == 2
    assert digest(home / "ec2cards.db") == before


def test_doctor_rebuilds_a_cache_that_drifted_from_the_log(home: Path) -> None:
    invoke(["study"], input="\n3\n\n1\n\n4\nq\n", now=NOW)
    db = sqlite3.connect(home / "ec2cards.db")
    db.execute("UPDATE card_state SET stability = 999, reps = 42")
    db.execute("DELETE FROM card_state WHERE rowid = (SELECT MIN(rowid) FROM card_state)")
    db.commit()
    db.close()
    result: Any = invoke(["doctor"], now=NOW)
    assert result.exit_code == 0, result.output
    assert "integrity: ok" in result.output
    assert f"schema: version {len(MIGRATIONS)} (current)" in result.output
    assert "3 differed from the review log" in result.output and "rebuilt all 3" in result.output
    assert assert_sound(home / "ec2cards.db").total() == 3
    clean: Any = invoke(["doctor"], now=NOW)
    assert "card states: all 3 match the review log (3 reviews)" in clean.output


# -- 4. hostile decks ---------------------------------------------------------------------------

MARKUP = "[bold]B[/] [link=http://evil.example]L[/link] [/] [docs](http://evil.example/md)"
ESCAPES = (
    "\x1b]8;;http://evil.example\x07click\x1b]8;;\x07 \x1b[31mRED \x9b2J \u202eevil\u202c \x07"
)
HOSTILE = MARKUP + " " + ESCAPES
SGR = re.compile(r"\x1b\[[0-9;]*m")


def hostile_deck() -> str:
    deck = {
        "deck": "evil",
        "title": "Title " + HOSTILE,
        "topic": "evil",
        "cards": [
            {
                "id": "one",
                "q": "Q " + HOSTILE,
                "a": "A " + HOSTILE,
                "note": "N " + HOSTILE,
                "source": "S " + HOSTILE,
            },
            {
                "id": "two",
                "kind": "choice",
                "q": "Pick " + HOSTILE,
                "options": ["Right " + HOSTILE, "Wrong"],
                "answer": "Right " + HOSTILE,
            },
            {
                "id": "three",
                "kind": "order",
                "q": "Sort " + HOSTILE,
                "items": ["I1 " + HOSTILE, "I2"],
            },
            {"id": "four", "kind": "cloze", "text": "C " + HOSTILE + " {{c1::word}}"},
        ],
    }
    return yaml.safe_dump(deck, allow_unicode=True, width=1000)


def assert_inert(output: str, literal: bool = True) -> None:
    """No deck-made control sequence reached the output; markup, if shown, shown as typed."""
    assert "\x1b]" not in output  # no OSC at all: no hyperlinks, no title changes
    for raw in ("\x07", "\x9b", "\u202e", "\u202c", "\x1b[31mRED"):
        assert raw not in output, repr(raw)
    assert "\x1b" not in SGR.sub("", output)  # only Rich's own colours
    if literal:
        visible = SGR.sub("", output)
        assert "[bold]B[/]" in visible and "[link=http://evil.example]L[/link]" in visible
        assert "\\x1b[31mRED" in visible and "\\u202eevil" in visible


def run_coloured(args: list[str], input: str = "") -> Any:
    """A command as if on a colour terminal (Rich then writes escape codes), 300 columns wide."""
    env = {"EC2CARDS_NOW": NOW, "FORCE_COLOR": "1", "COLUMNS": "300"}
    return CliRunner().invoke(console, args, input=input, env=env, catch_exceptions=False)


def test_deck_text_never_drives_the_terminal_in_any_command(home: Path) -> None:
    write_deck(home / "decks", "evil.yaml", hostile_deck())
    bad = write_deck(
        home / "elsewhere",
        "bad.yaml",
        yaml.safe_dump(
            {"deck": "Bad " + ESCAPES, "title": "t", "topic": "t", "cards": [{"q": "x", "a": "y"}]}
        )
        + f"{ESCAPES!r}: 1\n".replace("'", '"'),
    )
    study = run_coloured(["study", "--deck", "evil"], "\n3\n1\n\n1 2\n\n\n3\nq\n")
    assert study.exit_code == 0, study.output
    assert_inert(study.output)
    assert "Q [bold]B[/]" in study.output and "Source: S [bold]B[/]" in study.output
    quiz = run_coloured(
        ["quiz", "--deck", "evil", "--count", "4", "--seed", "1"], "1\n1 2\nx\nword\n"
    )
    assert quiz.exit_code == 0, quiz.output
    assert_inert(quiz.output)
    assert_inert(run_coloured(["decks"]).output)
    stats = run_coloured(["stats", "--deck", "evil"])  # the hardest cards: those rated Again
    assert stats.exit_code == 0, stats.output
    assert_inert(stats.output, literal=False)
    assert "Pick [bold]B[/] [link=http://evil.example]L[/link]" in SGR.sub("", stats.output)
    assert_inert(run_coloured(["topics"]).output, literal=False)
    assert_inert(run_coloured(["quiz", "--history"]).output, literal=False)
    for args in (["check", str(bad)], ["study", "--deck", str(bad)], ["decks", "--deck", str(bad)]):
        result = run_coloured(args)
        assert result.exit_code == 1, result.output
        assert_inert(result.output, literal=False)
        assert "\\x1b]8;;http://evil.example\\x07" in result.output
    for line in run_coloured(["check", str(bad)]).output.splitlines():
        assert line.startswith(f"{bad}:")  # each problem still one line


class Keys:
    """Key presses for the Rich screen, then 'q' for ever."""

    def __init__(self, *keys: str) -> None:
        self.keys = list(keys)

    def __call__(self, on_resize: object = None) -> str:
        return self.keys.pop(0) if self.keys else "q"


def rich_console() -> Any:
    from rich.console import Console

    return Console(file=io.StringIO(), force_terminal=True, width=300, color_system="truecolor")


def test_rich_study_and_quiz_screens_show_deck_text_literally(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ec2cards.terminal import keys
    from ec2cards.terminal.quiz_screen import RichQuizFrontend
    from ec2cards.terminal.study_screen import RichFrontend

    deck, problems = load_deck(write_deck(home, "evil.yaml", hostile_deck()))
    assert deck is not None and not problems
    cards = list(deck.cards)
    console = rich_console()
    monkeypatch.setattr(
        keys,
        "read_key",
        Keys(keys.SPACE, "3", "1", keys.ENTER, "1", "2", keys.ENTER, keys.ENTER, keys.SPACE, "3"),
    )
    session = StudySession(cards, memory_store(), Settings(fuzz=False), T0)
    summary = run(session, RichFrontend(console), lambda: T0, "evil")
    assert summary.studied == 4
    screen = console.file.getvalue()
    screen = screen.replace("\x1b[2J", "").replace("\x1b[H", "")  # Rich's own clear-screen
    assert_inert(screen)
    assert "Q [bold]B[/]" in SGR.sub("", screen) and "Right [bold]B[/]" in SGR.sub("", screen)
    assert "docs (http://evil.example/md)" in SGR.sub(
        "", screen
    )  # a Markdown link shows its address

    console = rich_console()
    monkeypatch.setattr("sys.stdin", io.StringIO("1\n1 2\nx\nword\n"))
    questions = build(cards, cards, 4, Mode.MIXED, 1, None)
    frontend = RichQuizFrontend(console)
    scorecard = run_quiz(questions, frontend, lambda: T0, lambda *_: None)
    frontend.scorecard(scorecard)
    assert len(scorecard.results) == 4
    assert_inert(console.file.getvalue())


def test_object_tags_are_rejected_and_never_run(home: Path, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    evil = write_deck(
        tmp_path,
        "evil.yaml",
        "deck: evil\ntitle: Evil\ntopic: evil\ncards:\n"
        f"  - q: !!python/object/apply:os.system ['touch {marker}']\n    a: b\n"
        "  - q: !!python/name:os.system\n    a: c\n",
    )
    check: Any = invoke(["check", str(evil)])
    assert check.exit_code == 1
    assert "YAML tag '!!python/object/apply:os.system' is not allowed" in check.output
    assert "YAML tag '!!python/name:os.system' is not allowed" in check.output
    study: Any = invoke(["study", "--deck", str(evil)], now=NOW)
    assert study.exit_code == 1 and "is not allowed: decks are plain data" in error_line(
        study.output
    )
    assert not marker.exists()


def test_bombs_deep_nesting_and_huge_files_are_refused(tmp_path: Path) -> None:
    laughs = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]\n"
        for i in range(9)
    )
    nested = "[" * 200 + "]" * 200  # deeper than a deck needs: refused by our own check
    abyss = "[" * 200_000 + "]" * 200_000  # crashed libyaml's composer (a segfault)
    wide = "[" + "1, " * 500_001 + "]"
    huge = "x" * (MAX_DECK_BYTES + 1)
    cases = {
        "laughs": (laughs, "aliases"),
        "nested": (nested, "nested too deeply"),
        # Refused by our check or by the YAML library's own limit, whichever comes first: the
        # wording may be the library's, so only the file and the refusal are asserted.
        "abyss": (abyss, ""),
        "wide": (wide, "too large (more than 500000 YAML nodes)"),
        "huge": (huge, "decks are limited to"),
    }
    paths = {name: write_deck(tmp_path, f"{name}.yaml", text) for name, (text, _) in cases.items()}
    # In a child process, so that a crash would fail this test rather than end the test run.
    result = subprocess.run(
        [venv_bin("ec2cards"), "check", *map(str, paths.values())],
        capture_output=True,
        text=True,
        env={**os.environ, "EC2CARDS_HOME": str(tmp_path / "home")},
        timeout=60,
    )
    assert result.returncode == 1, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == len(cases)
    for name, (_, message) in cases.items():
        assert any(line.startswith(f"{paths[name]}:") and message in line for line in lines), name


def test_absurdly_long_fields_are_cut_not_crashing(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    word = "x" * 300_000
    deck = {
        "deck": "long",
        "title": "T" * 100_000,
        "topic": "long",
        "cards": [
            {"id": "one", "q": word, "a": "word " * 60_000, "note": "n" * 100_000},
            {
                "id": "two",
                "kind": "choice",
                "q": "pick",
                "options": ["o" * 100_000, "p"],
                "answer": "p",
            },
            {
                "id": "three",
                "kind": "cloze",
                "text": "z" * 100_000 + " {{c1::" + "w" * 100_000 + "}}",
            },
        ],
    }
    write_deck(home / "decks", "long.yaml", yaml.safe_dump(deck, width=10**9))
    commands = [
        (["decks"], ""),
        (["check"], ""),
        (["study", "--deck", "long"], "\n3\n2\n\n\n3\nq\n"),
        (
            ["quiz", "--deck", "long", "--count", "3", "--seed", "2"],
            "2\nx\nw\n",
        ),
        (["stats", "--deck", "long"], ""),
    ]
    for args, text in commands:
        result = run_coloured(args, text)
        assert result.exit_code == 0, (args, result.output[-500:])
        assert len(result.output) < 150_000, args  # 25 decks' rows, each cell cut
        if args[0] in ("study", "quiz"):
            assert "more characters]" in result.output, args
    from ec2cards.terminal import keys
    from ec2cards.terminal.study_screen import RichFrontend

    loaded, _ = load_deck(home / "decks" / "long.yaml")
    assert loaded is not None
    console = rich_console()
    console.width = 80
    monkeypatch.setattr(keys, "read_key", Keys(keys.SPACE, "3", "2", keys.ENTER, keys.SPACE, "3"))
    session = StudySession(list(loaded.cards), memory_store(), Settings(), T0)
    assert run(session, RichFrontend(console), lambda: T0, "long").studied == 3
    assert "more characters]" in console.file.getvalue()


@given(st.text())
def test_safe_text_holds_no_control_character(text: str) -> None:
    import unicodedata

    bidi = set(
        "\u061c\u200e\u200f\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    )
    cleaned = safe(text)
    assert not [c for c in cleaned if unicodedata.category(c) == "Cc" and c not in "\n\t"]
    assert not bidi & set(cleaned)
    assert not [c for c in safe(text, one_line=True) if unicodedata.category(c) == "Cc"]
    if (
        len(text) <= 100
        and not bidi & set(text)
        and all(unicodedata.category(c) != "Cc" or c in "\n\t" for c in text)
    ):
        assert cleaned == text  # ordinary text is shown exactly as written


# -- 5. property-based: decks round-trip; random study keeps cache == replay -------------------

TEXT = (
    st.text(alphabet=st.characters(exclude_categories=("Cs",)), min_size=1, max_size=24)
    .map(str.strip)
    .filter(bool)
)
PLAIN = TEXT.filter(lambda s: not any(mark in s for mark in ("{", "}", "::")))
SLUG = st.from_regex(r"[a-z][a-z0-9-]{0,10}", fullmatch=True)


@st.composite
def deck_data(draw: st.DrawFn) -> dict[str, Any]:
    """Any deck the format allows: every kind, unicode, markup, control characters, options."""
    cards: list[dict[str, Any]] = []
    for card_id in draw(st.lists(SLUG, min_size=1, max_size=6, unique=True)):
        kind = draw(st.sampled_from(list(CardKind)))
        card: dict[str, Any] = {"id": card_id, "kind": kind.value}
        if kind is CardKind.BASIC:
            card |= {"q": draw(TEXT), "a": draw(TEXT)}
            if draw(st.booleans()):
                card["accept"] = draw(st.lists(TEXT, min_size=1, max_size=3))
        elif kind is CardKind.CLOZE:
            numbers = draw(st.lists(st.integers(1, 3), min_size=1, max_size=3))
            card["text"] = (
                " ".join(f"{draw(PLAIN)} {{{{c{n}::{draw(PLAIN)}}}}}" for n in numbers)
                + " "
                + draw(PLAIN)
            )
        elif kind is CardKind.CHOICE:
            options = draw(st.lists(TEXT, min_size=2, max_size=5, unique_by=normalise))
            if len({normalise(o) for o in options}) < len(options) or not all(
                map(normalise, options)
            ):
                options = ["Alpha", "Beta"]
            card |= {"q": draw(TEXT), "options": options}
            card["answer"] = draw(st.lists(st.sampled_from(options), min_size=1, unique=True))
        elif kind is CardKind.SCENARIO:
            options = draw(st.lists(TEXT, min_size=4, max_size=6, unique_by=normalise))
            if len({normalise(o) for o in options}) < len(options) or not all(
                map(normalise, options)
            ):
                options = ["Alpha", "Beta", "Gamma", "Delta"]
            right = draw(st.lists(st.sampled_from(options), min_size=1, max_size=3, unique=True))
            card |= {"q": draw(TEXT), "options": options}
            card |= {"answer": right[0]} if len(right) == 1 else {"answers": right}
            card["explain"] = {option: draw(TEXT) for option in options}
            if draw(st.booleans()):
                card["tests"] = [f"{draw(SLUG)}/{draw(SLUG)}"]
        else:
            card |= {
                "q": draw(TEXT),
                "items": draw(st.lists(TEXT, min_size=2, max_size=5, unique=True)),
            }
        for key in ("note", "source"):
            if draw(st.booleans()):
                card[key] = draw(TEXT)
        if draw(st.booleans()):
            card["tags"] = draw(st.lists(TEXT, max_size=3))
            card["topics"] = draw(st.lists(SLUG, max_size=2))
        cards.append(card)
    data = {"deck": draw(SLUG), "title": draw(TEXT), "topic": draw(SLUG), "cards": cards}
    for key in ("description", "source"):
        if draw(st.booleans()):
            data[key] = draw(TEXT)
    return data


def export(deck: Deck) -> dict[str, Any]:
    """A loaded deck back to YAML data through the exporter's own card entries."""
    from ec2cards.interop.yaml_io import card_entries

    data: dict[str, Any] = {"deck": deck.deck_id, "title": deck.title, "topic": deck.topic}
    data |= {"description": deck.description} if deck.description else {}
    data |= {"source": deck.source} if deck.source else {}
    return data | {"cards": card_entries(deck.cards, deck.topic, deck.source)}


def comparable(deck: Deck) -> tuple[Any, ...]:
    cards = tuple(replace(card, path=None, line=0) for card in deck.cards)
    return (deck.deck_id, deck.title, deck.topic, deck.description, deck.source, cards)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(deck_data())
def test_random_decks_survive_load_export_load(
    tmp_path_factory: pytest.TempPathFactory, data: dict[str, Any]
) -> None:
    folder = tmp_path_factory.mktemp("roundtrip")
    first_path = folder / "first.yaml"
    first_path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    first, problems = load_deck(first_path)
    assert first is not None, problems
    second_path = folder / "second.yaml"
    second_path.write_text(
        yaml.safe_dump(export(first), allow_unicode=True, sort_keys=False), "utf-8"
    )
    second, problems = load_deck(second_path)
    assert second is not None, problems
    assert comparable(second) == comparable(first)


class Killed(BaseException):
    """kill -9 of the session: it stops dead between two of its own steps."""


class Scripted:
    """A study frontend that plays a list of actions; 'kill' stops the session dead."""

    def __init__(self, actions: list[tuple[str, int, int]], clock: list[datetime]) -> None:
        self.actions = actions
        self.clock = clock
        self.rating = 3
        self.acknowledged: list[int] = []

    def _next(self) -> str:
        if not self.actions:
            return QUIT
        action, rating, minutes = self.actions.pop(0)
        self.clock[0] += timedelta(minutes=minutes)
        self.rating = rating
        if action == "kill":
            raise Killed
        return {"answer": REVEAL, "undo": UNDO, "suspend": SUSPEND, "quit": QUIT}[action]

    def question(self, card: Card, shown: list[str], progress: Progress) -> None:
        pass

    def read_reveal(self) -> str:
        return self._next()

    def read_selection(self, card: Card, shown: list[str]) -> list[int] | str:
        action = self._next()
        if action != REVEAL:
            return action
        picked = list(range(len(shown)))
        return picked[self.rating % len(shown) :] + picked[: self.rating % len(shown)]

    def graded(self, card: Card, graded: Graded) -> None:
        pass

    def answer(
        self, card: Card, intervals: dict[Rating, timedelta], suggested: Rating | None
    ) -> None:
        pass

    def read_rating(self, suggested: Rating | None) -> Rating | str:
        return Rating(self.rating)

    def saved(self, result: AnswerResult, interval: timedelta) -> None:
        self.acknowledged.append(result.entry_id)

    def notice(self, message: str) -> None:
        pass

    def summary(self, summary: Summary, now: datetime) -> None:
        pass


STUDY_CARDS = [
    Card("d", "basic", CardKind.BASIC, "q1", "a1", topics=("t",)),
    Card(
        "d",
        "choice",
        CardKind.CHOICE,
        "q2",
        "A",
        options=("A", "B", "C"),
        correct=("A",),
        topics=("t",),
    ),
    Card("d", "order", CardKind.ORDER, "q3", "1 → 2", items=("1", "2"), topics=("t",)),
    Card(
        "d",
        "cloze-c1",
        CardKind.CLOZE,
        "[...] x",
        "w",
        cloze_text="{{c1::w}} x",
        cloze_number=1,
        topics=("t",),
    ),
]
ACTION = st.tuples(
    st.sampled_from(["answer", "answer", "answer", "undo", "suspend", "quit", "kill"]),
    st.integers(1, 4),
    st.one_of(st.integers(0, 30), st.integers(0, 3 * 24 * 60)),
)


@settings(max_examples=80, deadline=None)
@given(st.lists(ACTION, max_size=40))
def test_random_study_sessions_keep_the_cache_equal_to_a_replay(
    actions: list[tuple[str, int, int]],
) -> None:
    """Sessions through the real study loop, one after another on one store, each ended by the
    queue, a quit, or a kill: the cache always equals a replay, and every acknowledged answer is
    in the log."""
    store = memory_store()
    clock = [T0]
    acknowledged: list[int] = []
    for _session in range(12):
        frontend = Scripted(actions, clock)
        session = StudySession(STUDY_CARDS, store, Settings(), clock[0], new_limit=10, ahead=True)
        with contextlib.suppress(Killed):
            run(session, frontend, lambda: clock[0], "property")
        acknowledged += frontend.acknowledged
        assert replayed(store) == store.cards.states()
        logged = {entry.id: entry for entry in store.log.entries()}
        assert all(logged[i].event == "review" for i in acknowledged)
        if not actions:
            break
    cached = store.cards.states()
    rebuild(store, Scheduler(Settings()))
    assert store.cards.states() == cached


def test_only_tests_open_the_store_without_its_backups() -> None:
    """`Store.open` migrates without a backup: it is for tests and tools. Every command opens
    the store through `open_store`, which backs up before a migration."""
    import ast

    from conftest import ROOT

    callers = []
    for path in (ROOT / "src").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "open"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "Store"
            ):
                callers.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert callers == []
