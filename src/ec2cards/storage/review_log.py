"""The append-only review log (`store.log`): answers, changes (suspend, forget, bury, a due
date) and undos, each appended with the card's state before and after in one durable
transaction. The states are a record for people; a replay computes them anew from the
events."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime, tzinfo
from typing import NamedTuple

from ec2cards.errors import StoreError, UndoRefused
from ec2cards.model.events import EVERY_CARD, RESCHEDULE, SET_DUE, SUSPEND, changed
from ec2cards.model.ratings import Rating
from ec2cards.model.states import CardState, Phase
from ec2cards.model.zones import kept_zone, offset_minutes, zone_name
from ec2cards.storage.card_states import CardStates
from ec2cards.storage.database import Database, iso


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
    value: str | None = None
    zone: tzinfo | None = None  # the time zone a review was made in; None before zones were kept


def interval_days(before: CardState) -> float | None:
    """The interval a review card was scheduled with (young < 21 days <= mature), kept in the
    log so that retention statistics need no JSON parsing."""
    return float(before.interval_days) if before.phase is Phase.REVIEW else None


class ReviewEntry(NamedTuple):
    """One review to append in bulk (imports, benchmarks): the state before and after it.
    An import also brings resets (`event` "forget", no rating) and reviews with a `value`
    (one from which Anki started the card's memory: see `replay.sm2_value`)."""

    card_key: str
    rating: Rating | None
    at: datetime
    duration_ms: int | None
    before: CardState
    after: CardState
    event: str = "review"
    value: str | None = None
    zone: tzinfo | None = None  # the time zone the review counts its study days in


ZONE_TASK = "zones"  # what migration 10 asks for: the zone of reviews from before it


def _zone_columns(zone: tzinfo | None, at: datetime) -> tuple[str | None, int | None]:
    """A review's zone as the log keeps it: its database name, and its UTC offset at `at`."""
    if zone is None:
        return None, None
    return zone_name(zone), offset_minutes(zone, at)


def _state_json(state: CardState) -> str:
    """A state as the log stores it. json is imported here: most start-ups never write."""
    import json

    return json.dumps(state.to_dict())


def _state_from_json(text: str) -> CardState:
    import json

    return CardState.from_dict(json.loads(text))


def _entry(
    id: int,
    card_key: str,
    event: str,
    rating: int | None,
    reviewed_at: str,
    duration_ms: int | None,
    state_before: str | None,
    state_after: str | None,
    undoes: int | None,
    value: str | None,
    zone: str | None = None,
    utc_offset: int | None = None,
) -> LogEntry:
    """A review_log row, as `entries` selects it, decoded: here only. (A function of the
    columns, not a row record: a replay reads half a million of them.)"""
    return LogEntry(
        id,
        card_key,
        event,
        Rating(rating) if rating is not None else None,
        datetime.fromisoformat(reviewed_at),
        duration_ms,
        _state_from_json(state_before) if state_before else None,
        _state_from_json(state_after) if state_after else None,
        undoes,
        value,
        kept_zone(zone, utc_offset) if zone or utc_offset is not None else None,
    )


class ReviewLog:
    """Writes and reads of the review log; the card-state cache (`cards`) moves with every
    entry, in the same transaction."""

    def __init__(self, db: Database, cards: CardStates) -> None:
        self.db = db
        self.cards = cards

    def append(
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
        value: str | None = None,
        zone: tzinfo | None = None,
    ) -> int:
        """Append one entry and the card's new state inside the caller's transaction (`db`);
        returns its log id. A review keeps the time zone it was scheduled in (`zone`)."""
        cursor = db.execute(
            "INSERT INTO review_log (card_key, event, rating, reviewed_at, duration_ms,"
            " phase_before, state_before, state_after, undoes, interval_days, value, zone,"
            " utc_offset) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                value,
                *_zone_columns(zone, at),
            ),
        )
        self.cards.put(db, key, after)
        return int(cursor.lastrowid or 0)

    def review(
        self,
        key: str,
        rating: Rating,
        at: datetime,
        schedule: Callable[[CardState], CardState],
        duration_ms: int | None = None,
        zone: tzinfo | None = None,
    ) -> tuple[int, CardState, CardState]:
        """Read the card's state, schedule it and append the review, all in one transaction:
        a second session answering the same card schedules from this answer, never from a
        stale copy. Returns (log id, state before, state after)."""
        with self.db.transaction() as db:
            before = self.cards.state(key)
            after = schedule(before)
            entry = self.append(
                db, key, "review", at, before, after, rating, duration_ms, zone=zone
            )
            return entry, before, after

    def merge(self, entries: Sequence[ReviewEntry], states: Mapping[str, CardState]) -> list[int]:
        """Entries that fall before a card's latest one, appended in one transaction with the
        cards' states after their whole histories replayed in time order (`states`): the
        cache never takes an older entry's state as the card's. Returns the log ids."""
        with self.db.transaction() as db:
            ids = [
                self.append(
                    db,
                    e.card_key,
                    e.event,
                    e.at,
                    e.before,
                    e.after,
                    e.rating,
                    e.duration_ms,
                    value=e.value,
                    zone=e.zone,
                )
                for e in entries
            ]
            for key, state in states.items():
                self.cards.put(db, key, state)
            return ids

    def append_reviews(self, entries: Iterable[ReviewEntry]) -> int:
        """Append many reviews in one transaction (all or nothing); the cache takes each card's
        last state. Returns how many were written."""
        count = 0
        with self.db.transaction() as db:
            last: dict[str, CardState] = {}
            rows = []
            for entry in entries:
                rows.append(
                    (
                        entry.card_key,
                        "review",
                        int(entry.rating) if entry.rating is not None else None,
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
                self.cards.put(db, key, state)
        return count

    def import_history(
        self,
        reviews: Iterable[ReviewEntry],
        states: Mapping[str, CardState],
        suspensions: Iterable[tuple[str, datetime]] = (),
        before_commit: Callable[[], None] | None = None,
    ) -> int:
        """Another program's review history (an Anki import) in one transaction: the reviews,
        each card's state after its merged history (`states`), then the cards it had
        suspended, then `before_commit` (the importer moves its deck files into place there),
        so a failure anywhere leaves neither history nor files half-written. Returns how many
        entries (reviews and resets) were written."""
        count = 0
        with self.db.transaction() as db:
            for entry in reviews:
                self.append(
                    db,
                    entry.card_key,
                    entry.event,
                    entry.at,
                    entry.before,
                    entry.after,
                    entry.rating,
                    entry.duration_ms,
                    value=entry.value,
                    zone=entry.zone,
                )
                count += 1
            for key, state in states.items():  # each card's whole history, in time order
                self.cards.put(db, key, state)
            for key, at in suspensions:
                before = self.cards.state(key)
                if not before.suspended:
                    self.append(db, key, SUSPEND, at, before, changed(SUSPEND, before))
            if before_commit is not None:
                before_commit()
        return count

    def latest_time(self, key: str) -> datetime | None:
        """When the card's latest log entry happened (by its index: a few rows per card)."""
        row = self.db.connection.execute(
            "SELECT MAX(reviewed_at) FROM review_log WHERE card_key = ?", (key,)
        ).fetchone()
        return datetime.fromisoformat(row[0]) if row and row[0] else None

    def last_event_times(self, keys: Iterable[str]) -> dict[str, datetime]:
        """Each card's latest log entry time: an import adds only the reviews newer than that."""
        wanted = set(keys)
        rows = self.db.connection.execute(
            "SELECT card_key, MAX(reviewed_at) FROM review_log GROUP BY card_key"
        )
        return {key: datetime.fromisoformat(at) for key, at in rows if key in wanted}

    def record(
        self, key: str, event: str, at: datetime, value: str | None = None
    ) -> tuple[int, CardState]:
        """Suspend, unsuspend, forget, bury, unbury or set a due date: the change and the new
        state in one durable transaction. Returns (log id, state after)."""
        with self.db.transaction() as db:
            before = self.cards.state(key)
            after = changed(event, before, value)
            return self.append(db, key, event, at, before, after, value=value), after

    def replace_states_keeping_due(
        self,
        states: Mapping[str, CardState],
        kept: Mapping[str, tuple[str, CardState, CardState]],
        at: datetime,
        done: str | None = None,
        rescheduled: bool = False,
        while_locked: Callable[[], None] | None = None,
    ) -> int:
        """Make the cache these states, logging a set_due entry (value, state before, state
        after) for each card in `kept` in the same transaction: the due dates a change of
        settings keeps stay what a replay of the log gives. `rescheduled` logs that every due
        date moved to the new settings (due dates kept before lapse). `while_locked` runs
        inside the transaction once the write lock is held (saving the settings that go with
        these states); if it raises, nothing is written."""

        def log(db: sqlite3.Connection) -> None:
            if rescheduled:
                db.execute(
                    "INSERT INTO review_log (card_key, event, reviewed_at) VALUES (?, ?, ?)",
                    (EVERY_CARD, RESCHEDULE, iso(at)),
                )
            for key, (value, before, after) in kept.items():
                db.execute(
                    "INSERT INTO review_log (card_key, event, reviewed_at, phase_before,"
                    " state_before, state_after, value) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        key,
                        SET_DUE,
                        iso(at),
                        int(before.phase),
                        _state_json(before),
                        _state_json(after),
                        value,
                    ),
                )
            if while_locked is not None:
                while_locked()

        return self.cards.replace_all(states, done, before_replacing=log)

    def undo(
        self, entry_id: int, at: datetime, restore: Callable[[str, int], CardState]
    ) -> tuple[str, CardState]:
        """Undo an answer or a change: the card gets back the state that `restore` replays from
        its log entries before that one; the log keeps both entries. Refused (UndoRefused) when
        a later event on the card still counts, such as another session's answer: undoing
        would take that back too."""
        with self.db.transaction() as db:
            row = db.execute(
                "SELECT card_key, event, reviewed_at FROM review_log WHERE id = ?", (entry_id,)
            ).fetchone()
            if row is None or row[1] == "undo":
                raise StoreError(f"nothing to undo for log entry {entry_id}")
            if db.execute("SELECT 1 FROM review_log WHERE undoes = ?", (entry_id,)).fetchone():
                raise StoreError(f"log entry {entry_id} is already undone")
            key = str(row[0])
            later = db.execute(  # later in time, as replay orders the log
                "SELECT event, reviewed_at FROM review_log WHERE card_key = ?"
                " AND (reviewed_at > ? OR (reviewed_at = ? AND id > ?)) AND event != 'undo'"
                " AND id NOT IN (SELECT undoes FROM review_log WHERE undoes IS NOT NULL)"
                " ORDER BY reviewed_at, id LIMIT 1",
                (key, row[2], row[2], entry_id),
            ).fetchone()
            if later is not None:
                raise UndoRefused(_later_event(key, str(later[0]), str(later[1])))
            restored = restore(key, entry_id)
            current = self.cards.state(key)
            self.append(db, key, "undo", at, current, restored, undoes=entry_id)
            return key, restored

    def keep_zones(self, zone: tzinfo) -> int:
        """Give the reviews logged before zones were kept this zone, the one they were most
        likely made in, and mark the migration's task done, in one transaction; how many."""
        with self.db.transaction() as db:
            rows = db.execute(
                "SELECT id, reviewed_at FROM review_log"
                " WHERE event = 'review' AND utc_offset IS NULL"
            ).fetchall()
            db.executemany(
                "UPDATE review_log SET zone = ?, utc_offset = ? WHERE id = ?",
                [(*_zone_columns(zone, datetime.fromisoformat(at)), id) for id, at in rows],
            )
            db.execute("DELETE FROM maintenance WHERE task = ?", (ZONE_TASK,))
        return len(rows)

    def entries(self, key: str | None = None, *, snapshots: bool = True) -> list[LogEntry]:
        """The log in order, of one card or all; without `snapshots`, the states stored with each
        entry are left unread (a replay needs only the events: it computes the states)."""
        columns = "state_before, state_after" if snapshots else "NULL, NULL"
        query = (
            "SELECT id, card_key, event, rating, reviewed_at, duration_ms,"
            f" {columns}, undoes, value, zone, utc_offset FROM review_log"
        )
        params: tuple[object, ...] = ()
        if key is not None:  # with the entries that concern every card
            query += " WHERE card_key IN (?, ?)"
            params = (key, EVERY_CARD)
        return [_entry(*row) for row in self.db.connection.execute(query + " ORDER BY id", params)]


def _later_event(key: str, event: str, at: str) -> str:
    """Why an undo is refused, in words: what happened to the card since, and when."""
    when = datetime.fromisoformat(at).astimezone().strftime("%H:%M")
    what = "answered" if event == "review" else f"changed ({event})"
    return (
        f"cannot undo: {key} was {what} again at {when}, in another session or command;"
        " that stays, and so does this answer"
    )
