"""The only user of sqlite3: the append-only review log and the card-state cache derived from it.

Every write is one short transaction, committed before the caller moves on, so that a kill -9
loses nothing already answered. WAL mode keeps those commits cheap and lets readers run alongside.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

from ec2cards.errors import StoreError
from ec2cards.model import NEW_STATE, CardState, Phase, Rating

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
)


def iso(moment: datetime) -> str:
    """UTC ISO-8601 with a fixed width, so that text order is time order in SQL."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


@dataclass(frozen=True)
class LogEntry:
    id: int
    card_key: str
    event: str
    rating: Rating | None
    reviewed_at: datetime
    duration_ms: int | None
    state_before: CardState | None
    state_after: CardState | None
    undoes: int | None


class Store:
    """One SQLite file in the data folder. Open it with Store.open(home)."""

    def __init__(self, connection: sqlite3.Connection, path: Path | None = None) -> None:
        self.connection = connection
        self.path = path

    @classmethod
    def open(cls, home: Path) -> Store:
        path = home / DB_FILE
        try:
            home.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        except (OSError, sqlite3.Error) as error:
            raise StoreError(f"{path}: cannot open the database: {error}") from None
        store = cls(connection, path)
        store._prepare()
        return store

    @classmethod
    def memory(cls) -> Store:
        store = cls(sqlite3.connect(":memory:", isolation_level=None))
        store._prepare()
        return store

    def _prepare(self) -> None:
        try:
            self.connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if self.path is not None:
                self.connection.execute("PRAGMA journal_mode = WAL")
            # FULL: a commit survives power loss, not only a process kill.
            self.connection.execute("PRAGMA synchronous = FULL")
            self.connection.execute("PRAGMA foreign_keys = ON")
            self.migrate()
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{self.path or ':memory:'}: {error}") from None

    def close(self) -> None:
        self.connection.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT: short, durable, and safe with a second process writing."""
        try:
            self.connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            raise StoreError(f"the database is busy or read-only: {error}") from None
        try:
            yield self.connection
        except BaseException:
            self.connection.execute("ROLLBACK")
            raise
        else:
            try:
                self.connection.execute("COMMIT")
            except sqlite3.Error as error:
                self.connection.execute("ROLLBACK")
                raise StoreError(f"could not save to the database: {error}") from None

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

    def migrate(self) -> None:
        current = self.schema_version()
        if current > len(MIGRATIONS):
            raise StoreError(
                f"{self.path}: this database was written by a newer ec2cards (schema {current});"
                " upgrade ec2cards to use it"
            )
        for version in range(current + 1, len(MIGRATIONS) + 1):
            with self.transaction() as db:
                db.execute(
                    "CREATE TABLE IF NOT EXISTS schema_migrations"
                    " (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
                )
                for statement in MIGRATIONS[version - 1].split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute(
                    "INSERT INTO schema_migrations VALUES (?, ?)",
                    (version, iso(datetime.now(timezone.utc))),
                )

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

    def states(self, keys: Iterable[str] | None = None) -> dict[str, CardState]:
        """Cached states by card key; cards never answered are absent (they are new)."""
        rows = self.connection.execute(f"SELECT card_key, {self._STATE_COLUMNS} FROM card_state")
        wanted = set(keys) if keys is not None else None
        return {
            row[0]: self._state_from_row(row[1:])
            for row in rows
            if wanted is None or row[0] in wanted
        }

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
            f"INSERT OR REPLACE INTO card_state (card_key, {self._STATE_COLUMNS})"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
            " phase_before, state_before, state_after, undoes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                key,
                event,
                int(rating) if rating is not None else None,
                iso(at),
                duration_ms,
                int(before.phase),
                json.dumps(before.to_dict()),
                json.dumps(after.to_dict()),
                undoes,
            ),
        )
        self._put_state(db, key, after)
        return int(cursor.lastrowid or 0)

    def record_review(
        self,
        key: str,
        rating: Rating,
        at: datetime,
        before: CardState,
        after: CardState,
        duration_ms: int | None = None,
    ) -> int:
        """Append one review and update the cache in one durable transaction; returns its id."""
        with self.transaction() as db:
            return self._append(db, key, "review", at, before, after, rating, duration_ms)

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
            restored = CardState.from_dict(json.loads(row[2]))
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
                state_before=CardState.from_dict(json.loads(row[6])) if row[6] else None,
                state_after=CardState.from_dict(json.loads(row[7])) if row[7] else None,
                undoes=row[8],
            )
            for row in self.connection.execute(query + " ORDER BY id", params)
        ]

    # -- replay --------------------------------------------------------------------------------

    def replay(self) -> dict[str, CardState]:
        """Card states as the log says they are: each entry applied in order."""
        states: dict[str, CardState] = {}
        before_of: dict[int, CardState] = {}
        for entry in self.entries():
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

    _LIVE_REVIEWS = (
        "FROM review_log r WHERE event = 'review'"
        " AND NOT EXISTS (SELECT 1 FROM review_log u WHERE u.undoes = r.id)"
    )

    def review_count(self) -> int:
        (count,) = self.connection.execute(f"SELECT COUNT(*) {self._LIVE_REVIEWS}").fetchone()
        return int(count)

    def review_times(self, since: datetime | None = None) -> list[datetime]:
        """When each (not undone) review happened, oldest first."""
        query = f"SELECT reviewed_at {self._LIVE_REVIEWS}"
        params: tuple[object, ...] = ()
        if since is not None:
            query += " AND reviewed_at >= ?"
            params = (iso(since),)
        return [
            datetime.fromisoformat(row[0])
            for row in self.connection.execute(query + " ORDER BY reviewed_at", params)
        ]

    def retention(self, since: datetime) -> dict[str, tuple[int, int]]:
        """(reviews, passed) of cards in review since `since`: all, young (< 21 d), mature."""
        row = self.connection.execute(
            "SELECT COUNT(*), SUM(rating > 1),"
            " SUM(ivl < 21), SUM(ivl < 21 AND rating > 1),"
            " SUM(ivl >= 21), SUM(ivl >= 21 AND rating > 1)"
            " FROM (SELECT rating, julianday(json_extract(state_before, '$.due'))"
            " - julianday(json_extract(state_before, '$.last_review')) AS ivl"
            f" {self._LIVE_REVIEWS} AND phase_before = 2 AND reviewed_at >= ?)",
            (iso(since),),
        ).fetchone()
        values = [int(v or 0) for v in row]
        return {
            "all": (values[0], values[1]),
            "young": (values[2], values[3]),
            "mature": (values[4], values[5]),
        }

    def review_history(self) -> list[tuple[str, int, datetime, int | None]]:
        """(card key, rating, time, duration ms) of every live review, in time order."""
        return [
            (row[0], int(row[1]), datetime.fromisoformat(row[2]), row[3])
            for row in self.connection.execute(
                f"SELECT card_key, rating, reviewed_at, duration_ms {self._LIVE_REVIEWS}"
                " ORDER BY reviewed_at, id"
            )
        ]

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
