"""The database file: opening it (never changing a file it must refuse), durable
transactions, the schema version and migrations, SQLite's backup and integrity checks.

Every write is one short transaction, committed before the caller moves on, so that a kill -9
loses nothing already answered. WAL mode keeps those commits cheap and lets readers run alongside.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import datetime, timezone
from pathlib import Path

from ec2cards.errors import StoreError
from ec2cards.files import WriteError, atomic_path
from ec2cards.storage import failures, migrations
from ec2cards.storage.failures import damaged, explain

DB_FILE = "ec2cards.db"
# What SQLite raises when a read outside a transaction fails (a damaged page): named here so
# that code above storage can name it without importing sqlite3.
DatabaseError = sqlite3.Error


def iso(moment: datetime) -> str:
    """UTC ISO-8601 with a fixed width, so that text order is time order in SQL."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


class Database:
    """One SQLite connection to the database file (or to memory, in tests), held by the
    store's repositories: each of them reads and writes through it."""

    def __init__(self, connection: sqlite3.Connection, path: Path | None = None) -> None:
        self.connection = connection
        self.path = path
        self.identity = _identity(path)  # the file opened, to notice it being replaced
        self.companions: tuple[Identity, Identity] | None = None  # its -wal and -shm, once held
        self.read_only = False  # opened by `reading`: a folder nobody here can write to

    @classmethod
    def connect(cls, home: Path) -> Database:
        """Open (or create) the database file in `home` without changing its schema: a newer,
        damaged or unwritable file is refused with a StoreError and left exactly as it is.
        `migrate` brings an older one up to date (see `storage.opening` for the backups)."""
        path = home / DB_FILE
        try:
            home.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(
                f"{home}: cannot use this as the data folder ({error.strerror or error});"
                " make it a folder you can write to, or set EC2CARDS_HOME to one"
            ) from error
        timeout = failures.BUSY_TIMEOUT_MS
        try:
            connection = sqlite3.connect(path, timeout=timeout / 1000, isolation_level=None)
        except sqlite3.Error as error:
            raise explain(error, path) from error
        database = cls(connection, path)
        try:
            database._prepare()
        except BaseException:
            connection.close()
            raise
        return database

    @classmethod
    def reading(cls, home: Path) -> Database:
        """The database of a data folder nobody here can write to, for commands that only
        read: opened read-only, as it is (an empty one in memory when the folder has none).
        Its WAL is read when SQLite can; else the file alone (`immutable`), which is all that
        a folder nobody writes to holds once the last writer closed it."""
        path = home / DB_FILE
        if not path.is_file():
            empty = cls(sqlite3.connect(":memory:", isolation_level=None))
            empty.migrate()
            empty.read_only = True
            return empty
        uri = path.resolve().as_uri()
        for options in ("mode=ro", "mode=ro&immutable=1"):
            try:
                connection = sqlite3.connect(f"{uri}?{options}", uri=True, isolation_level=None)
                connection.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
            except sqlite3.Error as error:
                last = error
                continue
            database = cls(connection, path)
            database.read_only = True
            return database
        raise explain(last, path) from last

    @classmethod
    def existing(cls, path: Path) -> Database:
        """An existing database file exactly as it is: read-only, never migrated or backed up
        (for checking a damaged file, or reading a backup)."""
        if not path.is_file():
            raise StoreError(f"{path}: no such database file")
        try:
            connection = sqlite3.connect(
                f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None
            )
            connection.execute(f"PRAGMA busy_timeout = {failures.BUSY_TIMEOUT_MS}")
        except sqlite3.Error as error:
            raise explain(error, path) from error
        return cls(connection, path)

    def _prepare(self) -> None:
        try:
            self.connection.execute(f"PRAGMA busy_timeout = {failures.BUSY_TIMEOUT_MS}")
            self._refuse_newer(self.schema_version())  # before anything is written
            if self.path is not None:
                self._enter_wal()
                # Fold the WAL back into the database rarely (about 40 MB) and on close, not
                # every 1000 pages: a checkpoint in the middle of a session is an answer's
                # worst-case latency.
                self.connection.execute("PRAGMA wal_autocheckpoint = 10000")
            # FULL: a commit survives power loss, not only a process kill.
            self.connection.execute("PRAGMA synchronous = FULL")
            self.connection.execute("PRAGMA foreign_keys = ON")
        except sqlite3.Error as error:
            raise explain(error, self.path) from error

    def _enter_wal(self) -> None:
        """Switch the file to WAL, waiting for another ec2cards that is creating it too.

        On a new file the switch turns a read lock into a write lock, and SQLite refuses that at
        once rather than invoke the busy timeout (two such upgrades would deadlock). So a busy
        refusal is retried here until the same timeout; once another process has switched the
        file, the retry finds it in WAL already and has nothing to do.
        """
        deadline = time.monotonic() + failures.BUSY_TIMEOUT_MS / 1000
        while True:
            try:
                self.connection.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as error:
                if not failures.busy(error) or time.monotonic() >= deadline:
                    raise
                time.sleep(0.005)

    def close(self) -> None:
        """Checkpoint what this session wrote (never blocking on another one), then close."""
        try:
            if self.path is not None:
                self.connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
        except sqlite3.Error:
            pass  # a busy or read-only database keeps its WAL: nothing is lost
        self.connection.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT: short, durable, and safe with a second process writing.

        Any SQLite failure (busy past the timeout, read-only, disk full, damage) rolls the whole
        transaction back and becomes one StoreError that says what to do.
        """
        try:
            self.connection.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            raise explain(error, self.path) from error
        if self.identity is not None and _identity(self.path) != self.identity:
            # A restore in another terminal put another file at this path: this connection
            # still writes the one set aside, where nothing more may go unnoticed.
            with suppress(sqlite3.Error):
                self.connection.execute("ROLLBACK")
            raise StoreError(
                f"{self.path} was replaced while this command had it open (a restore in another"
                " terminal?); nothing more was saved here, and what was saved before is in the"
                " file set aside beside it; run the command again"
            )
        self._check_companions()
        try:
            yield self.connection
            self.connection.execute("COMMIT")
        except BaseException as error:
            if self.connection.in_transaction:
                with suppress(sqlite3.Error):  # SQLite may have rolled back already
                    self.connection.execute("ROLLBACK")
            if isinstance(error, sqlite3.Error):
                raise explain(error, self.path) from error
            raise

    def _check_companions(self) -> None:
        """Refuse to write when the -wal or -shm file this connection holds was deleted or
        replaced (someone wiped them while the command ran): SQLite would write the answer
        into a file nobody reads again, and two sessions would no longer see each other's
        locks. While a connection is open SQLite never removes them itself, so their identity
        holds from the first write on. Called inside BEGIN IMMEDIATE; two stats, no I/O."""
        if self.path is None:
            return
        found = (_identity(_beside(self.path, "-wal")), _identity(_beside(self.path, "-shm")))
        if self.companions is None:
            if None not in found:  # WAL mode, and this connection has both open now
                self.companions = found
            return
        if found != self.companions:
            with suppress(sqlite3.Error):
                self.connection.execute("ROLLBACK")
            raise StoreError(
                f"{self.path}-wal or -shm was deleted or replaced while this command had the"
                " database open; nothing more was saved; run the command again, and never"
                " delete those files while ec2cards runs"
            )

    @contextmanager
    def read_snapshot(self) -> Iterator[sqlite3.Connection]:
        """BEGIN (deferred) ... COMMIT: several reads that see one moment of the database."""
        if self.connection.in_transaction:  # already inside one: it is the snapshot
            yield self.connection
            return
        self.connection.execute("BEGIN")
        try:
            yield self.connection
        finally:
            with suppress(sqlite3.Error):
                self.connection.execute("COMMIT")

    # -- schema --------------------------------------------------------------------------------

    def schema_version(self) -> int:
        row = self.connection.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name='schema_migrations'"
        ).fetchone()
        if row is None:
            return 0
        (version,) = self.connection.execute(
            "SELECT COALESCE(MAX(version), 0) FROM schema_migrations"
        ).fetchone()
        return int(version)

    def migrations_pending(self) -> bool:
        """Whether an existing database is older than this ec2cards (a new one is not)."""
        return 0 < self.schema_version() < len(migrations.MIGRATIONS)

    def _refuse_newer(self, current: int) -> None:
        MIGRATIONS = migrations.MIGRATIONS
        if current > len(MIGRATIONS):
            raise StoreError(
                f"{self.path}: this database was written by a newer ec2cards (schema {current},"
                f" this one knows {len(MIGRATIONS)}); it is left untouched: upgrade ec2cards"
                " (pip install --upgrade ec2cards) to use it"
            )

    def migrate(self) -> None:
        MIGRATIONS = migrations.MIGRATIONS
        current = self.schema_version()
        self._refuse_newer(current)
        for version in range(current + 1, len(MIGRATIONS) + 1):
            with self.transaction() as db:
                if self.schema_version() >= version:
                    continue  # another ec2cards opened the file at the same moment and did it
                db.execute(
                    "CREATE TABLE IF NOT EXISTS schema_migrations"
                    " (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
                )
                for statement in migrations.statements(MIGRATIONS[version - 1]):
                    db.execute(statement)
                # When it ran is the database's own fact: SQLite's clock, not EC2CARDS_NOW.
                db.execute(
                    "INSERT INTO schema_migrations"
                    " VALUES (?, strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'))",
                    (version,),
                )

    # -- safety: backups and checks (the policy lives in backups.py and doctor.py) -------------

    def backup_to(self, target: Path) -> None:
        """A consistent copy of the whole database through SQLite's backup API, even while another
        ec2cards writes. It is written beside `target` and renamed into place, so a crash or a
        full disk never leaves half a backup under that name."""
        try:
            with atomic_path(target) as partial:
                copy = sqlite3.connect(partial, isolation_level=None)
                try:
                    self.connection.backup(copy)
                    copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
                finally:
                    copy.close()
        except (OSError, sqlite3.Error, WriteError) as error:
            if isinstance(error, WriteError):
                reason: object = error.reason
            else:
                reason = (
                    explain(error, None) if isinstance(error, sqlite3.Error) else error.strerror
                )
            raise StoreError(
                f"{target}: could not back up the database ({reason}); nothing was changed"
            ) from error

    def integrity_problems(self, quick: bool = False, limit: int = 20) -> list[str]:
        """What SQLite's integrity check finds wrong with the file (empty when it is sound)."""
        pragma = "quick_check" if quick else "integrity_check"
        try:
            rows = self.connection.execute(f"PRAGMA {pragma}({int(limit)})").fetchall()
        except sqlite3.DatabaseError as error:
            if damaged(error):
                return [str(error)]
            raise explain(error, self.path) from error  # busy or unreadable: not a finding
        found = [str(row[0]) for row in rows]
        if found == ["ok"]:
            return []
        # A row may hold several findings under a "*** in database main ***" heading: one each.
        lines = (line.strip() for row in found for line in row.splitlines())
        return [line for line in lines if line and not line.startswith("***")] or found

    def pending_tasks(self) -> list[str]:
        """Work a migration left for the next command (e.g. 'replay' under a new scheduler)."""
        return [row[0] for row in self.connection.execute("SELECT task FROM maintenance")]

    def add_task(self, task: str) -> None:
        """Leave work for the next command, done by this one unless it is killed first."""
        with self.transaction() as db:
            db.execute("INSERT OR IGNORE INTO maintenance VALUES (?)", (task,))

    def finish_task(self, task: str) -> None:
        with self.transaction() as db:
            db.execute("DELETE FROM maintenance WHERE task = ?", (task,))


Identity = tuple[int, int] | None


def _beside(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _identity(path: Path | None) -> Identity:
    """The file at `path` (device and inode), None for memory or when nothing is there."""
    if path is None:
        return None
    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_dev, status.st_ino
