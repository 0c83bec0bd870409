"""The only user of sqlite3: the append-only review log and the card-state cache derived from it.

Every write is one short transaction, committed before the caller moves on, so that a kill -9
loses nothing already answered. WAL mode keeps those commits cheap and lets readers run alongside.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Callable, Container, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import NamedTuple

from ec2cards.errors import StoreError
from ec2cards.model import MATURE_DAYS, NEW_STATE, CardState, Phase, Rating

DB_FILE = "ec2cards.db"
BUSY_TIMEOUT_MS = 10_000

# Numbered migrations: each runs once, in one transaction, and is recorded in schema_migrations.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE review_log (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        card_key     TEXT NOT NULL,
        event        TEXT NOT NULL CHECK (event IN ('review', 'undo', 'suspend', 'unsuspend')),
        rating       INTEGER CHECK (rating BETWEEN 1 AND 4),
        reviewed_at  TEXT NOT NULL,
        duration_ms  INTEGER,
        phase_before INTEGER,
        state_before TEXT,
        state_after  TEXT,
        undoes       INTEGER REFERENCES review_log(id)
    );
    CREATE INDEX review_log_card ON review_log(card_key, id);
    CREATE INDEX review_log_time ON review_log(reviewed_at);
    CREATE UNIQUE INDEX review_log_undoes ON review_log(undoes) WHERE undoes IS NOT NULL;
    CREATE TABLE card_state (
        card_key    TEXT PRIMARY KEY,
        phase       INTEGER NOT NULL,
        due         TEXT,
        step        INTEGER,
        stability   REAL,
        difficulty  REAL,
        last_review TEXT,
        reps        INTEGER NOT NULL DEFAULT 0,
        lapses      INTEGER NOT NULL DEFAULT 0,
        suspended   INTEGER NOT NULL DEFAULT 0,
        leech       INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX card_state_due ON card_state(suspended, due);
    """,
    """
    CREATE TABLE quiz (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        started_at  TEXT NOT NULL,
        finished_at TEXT,
        mode        TEXT NOT NULL,
        selection   TEXT NOT NULL,
        score       INTEGER NOT NULL DEFAULT 0,
        total       INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE quiz_answer (
        quiz_id  INTEGER NOT NULL REFERENCES quiz(id),
        number   INTEGER NOT NULL,
        card_key TEXT NOT NULL,
        topic    TEXT NOT NULL,
        kind     TEXT NOT NULL,
        given    TEXT NOT NULL,
        expected TEXT NOT NULL,
        correct  INTEGER NOT NULL,
        score    REAL NOT NULL,
        PRIMARY KEY (quiz_id, number)
    );
    """,
    # 3: queries that scale: the study queue by phase and due; statistics from an index alone.
    """
    CREATE INDEX card_state_queue ON card_state(suspended, phase, due, card_key);
    ALTER TABLE review_log ADD COLUMN interval_days REAL;
    UPDATE review_log SET interval_days = julianday(json_extract(state_before, '$.due'))
        - julianday(json_extract(state_before, '$.last_review'))
        WHERE event = 'review' AND phase_before = 2;
    CREATE INDEX review_log_stats
        ON review_log(reviewed_at, event, phase_before, rating, interval_days);
    """,
    # 4: a token that changes whenever a card becomes known (answered or suspended) or stops
    # being known, in the same transaction: it names the known set, so a copy of that set kept
    # beside the database is used only while the token still matches.
    """
    CREATE TABLE known_token (token TEXT NOT NULL);
    INSERT INTO known_token VALUES (lower(hex(randomblob(8))));
    CREATE TRIGGER known_insert AFTER INSERT ON card_state
        WHEN NEW.phase > 0 OR NEW.suspended = 1
        BEGIN UPDATE known_token SET token = lower(hex(randomblob(8))); END;
    CREATE TRIGGER known_update AFTER UPDATE OF phase, suspended ON card_state
        WHEN (OLD.phase > 0 OR OLD.suspended = 1) IS NOT (NEW.phase > 0 OR NEW.suspended = 1)
        BEGIN UPDATE known_token SET token = lower(hex(randomblob(8))); END;
    CREATE TRIGGER known_delete AFTER DELETE ON card_state
        WHEN OLD.phase > 0 OR OLD.suspended = 1
        BEGIN UPDATE known_token SET token = lower(hex(randomblob(8))); END;
    """,
)


def statements(script: str) -> list[str]:
    """A migration's SQL statements; a trigger's body holds semicolons of its own, so a piece
    ends a statement only where SQLite says the statement is complete."""
    found: list[str] = []
    pending = ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n;"):
                found.append(pending.strip())
            pending = ""
    return found


def iso(moment: datetime) -> str:
    """UTC ISO-8601 with a fixed width, so that text order is time order in SQL."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


def _writable(path: Path) -> bool:
    folder = path.parent
    return os.access(folder, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))


def _nearly_full(path: Path) -> bool:
    try:
        return shutil.disk_usage(path.parent).free < 1024 * 1024
    except OSError:
        return False


def _damaged(error: sqlite3.Error) -> bool:
    """Whether SQLite says the file itself is broken (rather than busy, full or unreadable)."""
    name = str(getattr(error, "sqlite_errorname", "") or "")
    lowered = str(error).lower()
    return name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or any(
        word in lowered for word in ("malformed", "not a database", "corrupt")
    )


def explain(error: sqlite3.Error, path: Path | None) -> StoreError:
    """A SQLite failure as one line a user can act on: what happened, to which file, what to do."""
    prefix = f"{path}: " if path is not None else ""
    name = str(getattr(error, "sqlite_errorname", "") or "")
    text = str(error)
    lowered = text.lower()
    busy = name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED"))
    if busy or "locked" in lowered or "busy" in lowered:
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
    if _damaged(error):
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


def replayed(entries: Iterable[LogEntry]) -> dict[str, CardState]:
    """Card states from log entries applied in order: the source of truth the cache must equal."""
    states: dict[str, CardState] = {}
    before_of: dict[int, CardState] = {}
    for entry in entries:
        current = states.get(entry.card_key, NEW_STATE)
        before_of[entry.id] = current
        if entry.event == "review" and entry.state_after is not None:
            states[entry.card_key] = entry.state_after
        elif entry.event in ("suspend", "unsuspend"):
            suspended = entry.event == "suspend"
            states[entry.card_key] = replace(
                current, suspended=suspended, leech=current.leech and suspended
            )
        elif entry.event == "undo" and entry.undoes is not None:
            states[entry.card_key] = before_of.get(entry.undoes, NEW_STATE)
    return states


def as_store_error(error: BaseException) -> StoreError | None:
    """The one-line StoreError for a stray sqlite3 error (for the CLI, which imports no sqlite3)."""
    return explain(error, None) if isinstance(error, sqlite3.Error) else None


class LogEntry(NamedTuple):
    id: int
    card_key: str
    event: str
    rating: Rating | None
    reviewed_at: datetime
    duration_ms: int | None
    state_before: CardState | None
    state_after: CardState | None
    undoes: int | None


def interval_days(before: CardState) -> float | None:
    """The interval a review card was scheduled with (young < 21 days <= mature), kept in the
    log so that retention statistics need no JSON parsing."""
    if before.phase is not Phase.REVIEW or before.due is None or before.last_review is None:
        return None
    return (before.due - before.last_review).total_seconds() / 86400


class ReviewEntry(NamedTuple):
    """One review to append in bulk (imports, benchmarks): the state before and after it."""

    card_key: str
    rating: Rating
    at: datetime
    duration_ms: int | None
    before: CardState
    after: CardState


def _state_json(state: CardState) -> str:
    """A state as the log stores it. json is imported here: most start-ups never write."""
    import json

    return json.dumps(state.to_dict())


def _state_from_json(text: str) -> CardState:
    import json

    return CardState.from_dict(json.loads(text))


class Store:
    """One SQLite file in the data folder. Open it with Store.open(home)."""

    def __init__(self, connection: sqlite3.Connection, path: Path | None = None) -> None:
        self.connection = connection
        self.path = path

    @classmethod
    def open(cls, home: Path, now: datetime | None = None) -> Store:
        """Open (or create) the database in `home`, migrating it if it is older.

        A copy goes to `home/backups` before any migration and, when `now` is given, on the first
        open of each day (see backup.py). A damaged, newer or unwritable file is refused with a
        StoreError and left exactly as it is.
        """
        path = home / DB_FILE
        try:
            home.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(
                f"{home}: cannot use this as the data folder ({error.strerror or error});"
                " make it a folder you can write to, or set EC2CARDS_HOME to one"
            ) from error
        try:
            connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        except sqlite3.Error as error:
            raise explain(error, path) from error
        store = cls(connection, path)
        try:
            store._prepare(now)
        except BaseException:
            connection.close()
            raise
        return store

    @classmethod
    def existing(cls, path: Path) -> Store:
        """An existing database file exactly as it is: read-only, never migrated or backed up
        (for checking a damaged file, or reading a backup)."""
        if not path.is_file():
            raise StoreError(f"{path}: no such database file")
        try:
            connection = sqlite3.connect(
                f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None
            )
            connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        except sqlite3.Error as error:
            raise explain(error, path) from error
        return cls(connection, path)

    def _prepare(self, now: datetime | None = None) -> None:
        from ec2cards import backup

        try:
            self.connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            current = self.schema_version()
            self._refuse_newer(current)  # before anything is written: the file stays as it was
            if self.path is not None:
                self.connection.execute("PRAGMA journal_mode = WAL")
                # Fold the WAL back into the database rarely (about 40 MB) and on close, not
                # every 1000 pages: a checkpoint in the middle of a session is an answer's
                # worst-case latency.
                self.connection.execute("PRAGMA wal_autocheckpoint = 10000")
            # FULL: a commit survives power loss, not only a process kill.
            self.connection.execute("PRAGMA synchronous = FULL")
            self.connection.execute("PRAGMA foreign_keys = ON")
            if self.path is not None and 0 < current < len(MIGRATIONS):
                moment = now or datetime.now(timezone.utc)
                backup.before_migration(self, self.path.parent, moment, len(MIGRATIONS))
            self.migrate()
            if self.path is not None and now is not None and current > 0:
                backup.daily(self, self.path.parent, now)
        except sqlite3.Error as error:
            raise explain(error, self.path) from error

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

    def _refuse_newer(self, current: int) -> None:
        if current > len(MIGRATIONS):
            raise StoreError(
                f"{self.path}: this database was written by a newer ec2cards (schema {current},"
                f" this one knows {len(MIGRATIONS)}); it is left untouched: upgrade ec2cards"
                " (pip install --upgrade ec2cards) to use it"
            )

    def migrate(self) -> None:
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
                for statement in statements(MIGRATIONS[version - 1]):
                    db.execute(statement)
                db.execute(
                    "INSERT INTO schema_migrations VALUES (?, ?)",
                    (version, iso(datetime.now(timezone.utc))),
                )

    # -- safety: backups and checks (the policy lives in backup.py and doctor.py) ---------------

    def backup_to(self, target: Path) -> None:
        """A consistent copy of the whole database through SQLite's backup API, even while another
        ec2cards writes. It is written beside `target` and renamed into place, so a crash or a
        full disk never leaves half a backup under that name."""
        partial = target.with_name(f"{target.name}.partial-{os.getpid()}")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            partial.unlink(missing_ok=True)
            copy = sqlite3.connect(partial, isolation_level=None)
            try:
                self.connection.backup(copy)
                copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            finally:
                copy.close()
            os.replace(partial, target)
        except (OSError, sqlite3.Error) as error:
            with suppress(OSError):
                partial.unlink()
            reason = explain(error, None) if isinstance(error, sqlite3.Error) else error.strerror
            raise StoreError(
                f"{target}: could not back up the database ({reason}); nothing was changed"
            ) from error

    def integrity_problems(self, quick: bool = False, limit: int = 20) -> list[str]:
        """What SQLite's integrity check finds wrong with the file (empty when it is sound)."""
        pragma = "quick_check" if quick else "integrity_check"
        try:
            rows = self.connection.execute(f"PRAGMA {pragma}({int(limit)})").fetchall()
        except sqlite3.DatabaseError as error:
            if _damaged(error):
                return [str(error)]
            raise explain(error, self.path) from error  # busy or unreadable: not a finding
        found = [str(row[0]) for row in rows]
        return [] if found == ["ok"] else found

    # -- card state ----------------------------------------------------------------------------

    @staticmethod
    def _state_from_row(row: tuple[object, ...]) -> CardState:
        phase, due, step, stability, difficulty, last_review, reps, lapses, suspended, leech = row
        return CardState(
            phase=Phase(int(phase)),  # type: ignore[call-overload]
            due=datetime.fromisoformat(due) if isinstance(due, str) else None,
            step=step,  # type: ignore[arg-type]
            stability=stability,  # type: ignore[arg-type]
            difficulty=difficulty,  # type: ignore[arg-type]
            last_review=datetime.fromisoformat(last_review)
            if isinstance(last_review, str)
            else None,
            reps=int(reps),  # type: ignore[call-overload]
            lapses=int(lapses),  # type: ignore[call-overload]
            suspended=bool(suspended),
            leech=bool(leech),
        )

    _STATE_COLUMNS = (
        "phase, due, step, stability, difficulty, last_review, reps, lapses, suspended, leech"
    )
    _UPSERT = ", ".join(f"{c} = excluded.{c}" for c in _STATE_COLUMNS.split(", "))

    def states(self, keys: Iterable[str] | None = None) -> dict[str, CardState]:
        """Cached states by card key; cards never answered are absent (they are new)."""
        rows = self.connection.execute(f"SELECT card_key, {self._STATE_COLUMNS} FROM card_state")
        wanted = set(keys) if keys is not None else None
        return {
            row[0]: self._state_from_row(row[1:])
            for row in rows
            if wanted is None or row[0] in wanted
        }

    def known_keys(self) -> list[str]:
        """Keys of cards that are not new to the queue: answered at least once, or suspended;
        each once. A list: callers take it from their own key sets, cheaper than making a set
        of it first.

        Read as one joined string (keys are slugs, never holding the separator), and kept in
        the data folder's cache under the database's known-set token: while no card has become
        known or new since, the next start-up reads that copy instead of 50,000 index entries."""
        joined = self._known_joined()
        return joined.split("\x1f") if joined else []

    def _known_cache(self) -> Path | None:
        return self.path.parent / "cache" / "known-keys" if self.path is not None else None

    def _known_joined(self) -> str:
        import marshal

        cache = self._known_cache()
        (token,) = self.connection.execute("SELECT token FROM known_token").fetchone()
        if cache is not None:
            with suppress(OSError, ValueError, EOFError, TypeError):
                cached_token, joined = marshal.loads(cache.read_bytes())
                if cached_token == token and isinstance(joined, str):
                    return joined
        with self.read_snapshot():  # the token and the keys from one moment
            (token,) = self.connection.execute("SELECT token FROM known_token").fetchone()
            (joined,) = self.connection.execute(
                "SELECT group_concat(card_key, char(31)) FROM card_state"
                " WHERE phase > 0 OR suspended = 1"
            ).fetchone()
        if cache is not None:
            with suppress(OSError):  # a read-only data folder only costs speed
                cache.parent.mkdir(parents=True, exist_ok=True)
                partial = cache.with_name(f"{cache.name}.{os.getpid()}.tmp")
                partial.write_bytes(marshal.dumps((token, joined or "")))
                os.replace(partial, cache)
        return str(joined or "")

    def learning_queue(self, wanted: Container[str]) -> list[tuple[datetime, str]]:
        """(due, key) of the unsuspended (re)learning cards among `wanted`, soonest first.
        Sorted here: with two phases, ORDER BY would lead SQLite off the queue index."""
        return sorted(self._queue("phase IN (1, 3)", (), wanted, None))

    def due_reviews(
        self, before: datetime, wanted: Container[str], limit: int
    ) -> list[tuple[datetime, str]]:
        """(due, key) of the `limit` most overdue reviews among `wanted` due before `before`,
        soonest first."""
        if limit <= 0:
            return []
        return self._queue("phase = 2 AND due < ?", (iso(before),), wanted, limit)

    def _queue(
        self, where: str, params: tuple[object, ...], wanted: Container[str], limit: int | None
    ) -> list[tuple[datetime, str]]:
        """Keys and due times only, read along the queue index and stopped early: a study
        session loads a card's whole state when it draws the card, so its start costs the
        same whatever the size of the collection or the backlog."""
        order = " ORDER BY due" if limit is not None else ""
        cursor = self.connection.execute(
            f"SELECT card_key, due FROM card_state WHERE suspended = 0 AND {where}{order}", params
        )
        parse = datetime.fromisoformat
        if limit is None:
            return [(parse(due), key) for key, due in cursor if key in wanted]
        found: list[tuple[datetime, str]] = []
        for key, due in cursor:
            if key in wanted:
                found.append((parse(due), key))
                if len(found) >= limit:
                    break
        cursor.close()
        return found

    def due_counts(
        self, wanted: Container[str] | None, now: datetime, end: datetime
    ) -> tuple[int, int]:
        """(due now, due before `end`) among `wanted` cards (None: all), comparing ISO text."""
        if wanted is None:
            row = self.connection.execute(
                "SELECT SUM(due <= ?), COUNT(*) FROM card_state"
                " WHERE suspended = 0 AND phase IN (1, 2, 3) AND due < ?",  # an index range each
                (iso(now), iso(end)),
            ).fetchone()
            return int(row[0] or 0), int(row[1] or 0)
        now_text = iso(now)
        due_now = due_today = 0
        for key, due in self.connection.execute(
            "SELECT card_key, due FROM card_state"
            " WHERE suspended = 0 AND phase IN (1, 2, 3) AND due < ?",
            (iso(end),),
        ):
            if key in wanted:
                due_today += 1
                due_now += due <= now_text
        return due_now, due_today

    def by_due(self, after: datetime | None = None) -> Iterator[tuple[str, datetime]]:
        """(key, due) of reviewed, unsuspended cards, soonest first; read lazily."""
        # `+phase`: the phase test must not pick the index, or SQLite sorts every reviewed card
        # instead of walking the (suspended, due) index and stopping at the first wanted one.
        query = "SELECT card_key, due FROM card_state WHERE suspended = 0 AND +phase > 0"
        params: tuple[object, ...] = ()
        if after is not None:
            query += " AND due > ?"
            params = (iso(after),)
        for key, due in self.connection.execute(query + " ORDER BY due", params):
            yield key, datetime.fromisoformat(due)

    def card_keys(self) -> list[str]:
        """Every card key the log knows."""
        return [row[0] for row in self.connection.execute("SELECT card_key FROM card_state")]

    def state(self, key: str) -> CardState:
        row = self.connection.execute(
            f"SELECT {self._STATE_COLUMNS} FROM card_state WHERE card_key = ?", (key,)
        ).fetchone()
        return self._state_from_row(row) if row else NEW_STATE

    def _put_state(self, db: sqlite3.Connection, key: str, state: CardState) -> None:
        db.execute(
            # An upsert, not INSERT OR REPLACE: a replace is a delete and an insert, which would
            # fire the known-set triggers for every answer, not only when a card becomes known.
            f"INSERT INTO card_state (card_key, {self._STATE_COLUMNS})"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            f" ON CONFLICT(card_key) DO UPDATE SET {self._UPSERT}",
            (
                key,
                int(state.phase),
                iso(state.due) if state.due else None,
                state.step,
                state.stability,
                state.difficulty,
                iso(state.last_review) if state.last_review else None,
                state.reps,
                state.lapses,
                int(state.suspended),
                int(state.leech),
            ),
        )

    # -- the log -------------------------------------------------------------------------------

    def _append(
        self,
        db: sqlite3.Connection,
        key: str,
        event: str,
        at: datetime,
        before: CardState,
        after: CardState,
        rating: Rating | None = None,
        duration_ms: int | None = None,
        undoes: int | None = None,
    ) -> int:
        cursor = db.execute(
            "INSERT INTO review_log (card_key, event, rating, reviewed_at, duration_ms,"
            " phase_before, state_before, state_after, undoes, interval_days)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                key,
                event,
                int(rating) if rating is not None else None,
                iso(at),
                duration_ms,
                int(before.phase),
                _state_json(before),
                _state_json(after),
                undoes,
                interval_days(before) if event == "review" else None,
            ),
        )
        self._put_state(db, key, after)
        return int(cursor.lastrowid or 0)

    def review(
        self,
        key: str,
        rating: Rating,
        at: datetime,
        schedule: Callable[[CardState], CardState],
        duration_ms: int | None = None,
    ) -> tuple[int, CardState, CardState]:
        """Read the card's state, schedule it and append the review, all in one transaction:
        a second session answering the same card schedules from this answer, never from a
        stale copy. Returns (log id, state before, state after)."""
        with self.transaction() as db:
            before = self.state(key)
            after = schedule(before)
            entry = self._append(db, key, "review", at, before, after, rating, duration_ms)
            return entry, before, after

    def append_reviews(self, entries: Iterable[ReviewEntry]) -> int:
        """Append many reviews in one transaction (all or nothing); the cache takes each card's
        last state. Returns how many were written."""
        count = 0
        with self.transaction() as db:
            last: dict[str, CardState] = {}
            rows = []
            for entry in entries:
                rows.append(
                    (
                        entry.card_key,
                        "review",
                        int(entry.rating),
                        iso(entry.at),
                        entry.duration_ms,
                        int(entry.before.phase),
                        _state_json(entry.before),
                        _state_json(entry.after),
                        None,
                        interval_days(entry.before),
                    )
                )
                last[entry.card_key] = entry.after
                count += 1
            db.executemany(
                "INSERT INTO review_log (card_key, event, rating, reviewed_at, duration_ms,"
                " phase_before, state_before, state_after, undoes, interval_days)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
            for key, state in last.items():
                self._put_state(db, key, state)
        return count

    def import_history(
        self,
        reviews: Iterable[ReviewEntry],
        suspensions: Iterable[tuple[str, datetime]] = (),
        before_commit: Callable[[], None] | None = None,
    ) -> int:
        """Another program's review history (an Anki import) in one transaction: the reviews,
        then the cards it had suspended, then `before_commit` (the importer moves its deck files
        into place there), so a failure anywhere leaves neither history nor files half-written.
        Returns how many reviews were written."""
        count = 0
        with self.transaction() as db:
            for entry in reviews:
                self._append(
                    db,
                    entry.card_key,
                    "review",
                    entry.at,
                    entry.before,
                    entry.after,
                    entry.rating,
                    entry.duration_ms,
                )
                count += 1
            for key, at in suspensions:
                before = self.state(key)
                if not before.suspended:
                    self._append(db, key, "suspend", at, before, replace(before, suspended=True))
            if before_commit is not None:
                before_commit()
        return count

    def last_event_times(self, keys: Iterable[str]) -> dict[str, datetime]:
        """Each card's latest log entry time: an import adds only the reviews newer than that."""
        wanted = set(keys)
        rows = self.connection.execute(
            "SELECT card_key, MAX(reviewed_at) FROM review_log GROUP BY card_key"
        )
        return {key: datetime.fromisoformat(at) for key, at in rows if key in wanted}

    def record_suspend(self, key: str, at: datetime, suspended: bool = True) -> CardState:
        with self.transaction() as db:
            before = self.state(key)
            after = replace(before, suspended=suspended, leech=before.leech and suspended)
            self._append(db, key, "suspend" if suspended else "unsuspend", at, before, after)
            return after

    def record_undo(self, entry_id: int, at: datetime) -> tuple[str, CardState]:
        """Undo a review or suspension: the card gets its earlier state back; the log keeps both."""
        with self.transaction() as db:
            row = db.execute(
                "SELECT card_key, event, state_before FROM review_log WHERE id = ?", (entry_id,)
            ).fetchone()
            if row is None or row[1] == "undo":
                raise StoreError(f"nothing to undo for log entry {entry_id}")
            if db.execute("SELECT 1 FROM review_log WHERE undoes = ?", (entry_id,)).fetchone():
                raise StoreError(f"log entry {entry_id} is already undone")
            key = str(row[0])
            # The state before that entry as the log replays it, not as the answering session
            # had it in memory: another session may have answered the card in between.
            earlier = (e for e in self.entries(key) if e.id < entry_id)
            restored = replayed(earlier).get(key, NEW_STATE)
            current = self.state(key)
            self._append(db, key, "undo", at, current, restored, undoes=entry_id)
            return key, restored

    def entries(self, key: str | None = None) -> list[LogEntry]:
        query = (
            "SELECT id, card_key, event, rating, reviewed_at, duration_ms, state_before,"
            " state_after, undoes FROM review_log"
        )
        params: tuple[object, ...] = ()
        if key is not None:
            query += " WHERE card_key = ?"
            params = (key,)
        return [
            LogEntry(
                id=row[0],
                card_key=row[1],
                event=row[2],
                rating=Rating(row[3]) if row[3] is not None else None,
                reviewed_at=datetime.fromisoformat(row[4]),
                duration_ms=row[5],
                state_before=_state_from_json(row[6]) if row[6] else None,
                state_after=_state_from_json(row[7]) if row[7] else None,
                undoes=row[8],
            )
            for row in self.connection.execute(query + " ORDER BY id", params)
        ]

    # -- replay --------------------------------------------------------------------------------

    def replay(self) -> dict[str, CardState]:
        """Card states as the log says they are: each entry applied in order."""
        return replayed(self.entries())

    def rebuild(self) -> int:
        """Replace the card-state cache with a replay of the log; returns the number of cards."""
        states = self.replay()
        with self.transaction() as db:
            db.execute("DELETE FROM card_state")
            for key, state in states.items():
                self._put_state(db, key, state)
        return len(states)

    # -- quizzes -------------------------------------------------------------------------------

    def start_quiz(self, at: datetime, mode: str, selection: str) -> int:
        with self.transaction() as db:
            cursor = db.execute(
                "INSERT INTO quiz (started_at, mode, selection) VALUES (?, ?, ?)",
                (iso(at), mode, selection),
            )
            return int(cursor.lastrowid or 0)

    def record_quiz_answer(
        self,
        quiz_id: int,
        number: int,
        card_key: str,
        topic: str,
        kind: str,
        given: str,
        expected: str,
        correct: bool,
        score: float,
        at: datetime,
    ) -> None:
        """One answered question, and the quiz's running total, in one transaction."""
        with self.transaction() as db:
            db.execute(
                "INSERT INTO quiz_answer VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (quiz_id, number, card_key, topic, kind, given, expected, int(correct), score),
            )
            db.execute(
                "UPDATE quiz SET score = score + ?, total = total + 1, finished_at = ?"
                " WHERE id = ?",
                (int(correct), iso(at), quiz_id),
            )

    def quiz_history(self, limit: int = 20) -> list[dict[str, object]]:
        """Past quizzes, newest first, with their per-topic scores."""
        quizzes = self.connection.execute(
            "SELECT id, started_at, mode, selection, score, total FROM quiz WHERE total > 0"
            " ORDER BY id DESC LIMIT ?",
            (limit,),
        ).fetchall()
        history: list[dict[str, object]] = []
        for quiz_id, started, mode, selection, score, total in quizzes:
            topics = {
                topic: {"score": int(right), "total": int(count)}
                for topic, right, count in self.connection.execute(
                    "SELECT topic, SUM(correct), COUNT(*) FROM quiz_answer WHERE quiz_id = ?"
                    " GROUP BY topic ORDER BY topic",
                    (quiz_id,),
                )
            }
            history.append(
                {
                    "id": quiz_id,
                    "started_at": started,
                    "mode": mode,
                    "selection": selection,
                    "score": score,
                    "total": total,
                    "percent": round(100.0 * score / total, 1) if total else 0.0,
                    "by_topic": topics,
                }
            )
        return history

    # -- statistics ----------------------------------------------------------------------------

    # Reviews not taken back by an undo (undone ids are few: one small list, not a probe a row).
    _LIVE_REVIEWS = (
        "FROM review_log r WHERE event = 'review'"
        " AND r.id NOT IN (SELECT undoes FROM review_log WHERE undoes IS NOT NULL)"
    )

    def review_count(self) -> int:
        (count,) = self.connection.execute(f"SELECT COUNT(*) {self._LIVE_REVIEWS}").fetchone()
        return int(count)

    def reviews_per_day(
        self, since: datetime, shift: timedelta
    ) -> dict[date, tuple[int, int, int, int, int]]:
        """Per study day (a UTC time moved by `shift`, the local UTC offset minus the day
        cut-off): live reviews, and of those of review cards: all, passed (not Again), young
        (interval < MATURE_DAYS) and young passed. One grouped pass over a covering index."""
        epoch_day = 2440588  # the Julian day number of 1970-01-01
        rows = self.connection.execute(
            "SELECT CAST(julianday(reviewed_at) + ? AS INTEGER) AS day, COUNT(*),"
            " SUM(phase_before = 2), SUM(phase_before = 2 AND rating > 1),"
            " SUM(phase_before = 2 AND interval_days < ?),"
            " SUM(phase_before = 2 AND interval_days < ? AND rating > 1)"
            f" {self._LIVE_REVIEWS} AND reviewed_at >= ? GROUP BY day",
            (shift.total_seconds() / 86400 + 0.5, MATURE_DAYS, MATURE_DAYS, iso(since)),
        )
        return {
            date(1970, 1, 1) + timedelta(days=int(day) - epoch_day): (
                int(total),
                int(review or 0),
                int(passed or 0),
                int(young or 0),
                int(young_passed or 0),
            )
            for day, total, review, passed, young, young_passed in rows
        }

    def stat_rows(
        self, now: datetime, shift: timedelta
    ) -> Iterator[tuple[str, int, int, int, int, float | None, int | None, str | None]]:
        """Per card: key, phase, suspended, leech, lapses, stability, whole days since the last
        review, and the study day it is due: what statistics need, with no datetime parsing."""
        modifier = f"{int(shift.total_seconds())} seconds"
        yield from self.connection.execute(
            "SELECT card_key, phase, suspended, leech, lapses, stability,"
            " CAST(julianday(?) - julianday(last_review) AS INTEGER), date(due, ?)"
            " FROM card_state",
            (iso(now), modifier),
        )

    def review_days(self, shift: timedelta) -> Iterator[tuple[str, int, int, int]]:
        """(card key, rating, study-day number, epoch milliseconds) of live reviews, card by
        card in time order, read lazily: what the optimizer needs, and no datetime per review."""
        modifier = f"{int(shift.total_seconds())} seconds"
        yield from self.connection.execute(
            "SELECT card_key, rating, CAST(julianday(date(reviewed_at, ?)) AS INTEGER),"
            " CAST((julianday(reviewed_at) - 2440587.5) * 86400000 AS INTEGER)"
            f" {self._LIVE_REVIEWS} ORDER BY card_key, reviewed_at",
            (modifier,),
        )

    # -- daily counts --------------------------------------------------------------------------

    def counts_since(self, start: datetime) -> tuple[int, int]:
        """(new cards introduced, reviews of known cards) since `start`, undone answers excluded."""
        row = self.connection.execute(
            "SELECT"
            " COUNT(DISTINCT CASE WHEN phase_before = 0 THEN card_key END),"
            " SUM(CASE WHEN phase_before = 2 THEN 1 ELSE 0 END)"
            " FROM review_log r WHERE event = 'review' AND reviewed_at >= ?"
            " AND NOT EXISTS (SELECT 1 FROM review_log u WHERE u.undoes = r.id)",
            (iso(start),),
        ).fetchone()
        return int(row[0] or 0), int(row[1] or 0)
