"""The append-only review log: answers, suspensions and undos, each appended with the card's
state before and after in one durable transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime
from typing import NamedTuple

from ec2cards.errors import StoreError
from ec2cards.model.ratings import Rating
from ec2cards.model.states import NEW_STATE, CardState, Phase
from ec2cards.storage.card_states import CardStates
from ec2cards.storage.database import iso
from ec2cards.storage.replay import replayed


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


class ReviewLog(CardStates):
    """Writes and reads of the review log; the card-state cache moves with every entry."""

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
