"""The card-state cache (`store.cards`): each card's current state, derived from the review log
and kept in a table so that a session needs no replay to start."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import NamedTuple

from ec2cards.model.states import NEW_STATE, CardState, Phase
from ec2cards.storage.database import Database, iso


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value is not None else None


class StateRow(NamedTuple):
    """A card_state row's columns, in the order they are read and written."""

    phase: int
    due: str | None
    steps_left: int | None
    interval_days: int | None
    stability: float | None
    difficulty: float | None
    last_review: str | None
    reps: int
    lapses: int
    suspended: int
    leech: int
    buried_until: str | None

    def state(self) -> CardState:
        return _decoded(*self)

    @classmethod
    def of(cls, state: CardState) -> StateRow:
        return cls(
            int(state.phase),
            iso(state.due) if state.due else None,
            state.steps_left,
            state.interval_days,
            state.stability,
            state.difficulty,
            iso(state.last_review) if state.last_review else None,
            state.reps,
            state.lapses,
            int(state.suspended),
            int(state.leech),
            iso(state.buried_until) if state.buried_until else None,
        )


def _decoded(
    phase: int,
    due: str | None,
    steps_left: int | None,
    interval_days: int | None,
    stability: float | None,
    difficulty: float | None,
    last_review: str | None,
    reps: int,
    lapses: int,
    suspended: int,
    leech: int,
    buried_until: str | None,
) -> CardState:
    """A card_state row's columns (in `StateRow`'s order) as a state: the one decoder, called
    on the row itself (`_decoded(*row)`), which spares a record per card of 50,000."""
    return CardState(
        phase=Phase(phase),
        due=_time(due),
        steps_left=steps_left or 0,
        interval_days=interval_days or 0,
        stability=stability,
        difficulty=difficulty,
        last_review=_time(last_review),
        reps=reps,
        lapses=lapses,
        suspended=bool(suspended),
        leech=bool(leech),
        buried_until=_time(buried_until),
    )


_COLUMNS = ", ".join(StateRow._fields)
_FEW_KEYS = 1000  # up to this many, states(keys) looks each up; beyond, it scans the table
_UPSERT = ", ".join(f"{c} = excluded.{c}" for c in StateRow._fields)


class CardStates:
    """Reads and writes of the card_state table over the store's one connection."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def states(self, keys: Iterable[str] | None = None) -> dict[str, CardState]:
        """Cached states by card key, of these cards or (None) of all; cards never answered
        are absent (they are new). A few keys are looked up by the primary key; for many (a
        selection of the collection), one scan filtered here is cheaper than the list in SQL."""
        query = f"SELECT card_key, {_COLUMNS} FROM card_state"
        if keys is None:
            return {key: _decoded(*row) for key, *row in self.db.connection.execute(query)}
        wanted = keys if isinstance(keys, set | frozenset) else set(keys)
        if len(wanted) > _FEW_KEYS:
            rows = self.db.connection.execute(query)
            return {row[0]: _decoded(*row[1:]) for row in rows if row[0] in wanted}
        import json  # only here: most start-ups never ask for a few cards

        rows = self.db.connection.execute(
            query + " WHERE card_key IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(wanted)),),
        )
        return {key: _decoded(*row) for key, *row in rows}

    def all_keys(self) -> list[str]:
        """Every card key the log knows."""
        return [row[0] for row in self.db.connection.execute("SELECT card_key FROM card_state")]

    def state(self, key: str) -> CardState:
        row = self.db.connection.execute(
            f"SELECT {_COLUMNS} FROM card_state WHERE card_key = ?", (key,)
        ).fetchone()
        return _decoded(*row) if row else NEW_STATE

    def put(self, db: sqlite3.Connection, key: str, state: CardState) -> None:
        """Write one card's state inside the caller's transaction (`db`)."""
        db.execute(
            # An upsert, not INSERT OR REPLACE: a replace is a delete and an insert, which would
            # fire the known-set triggers for every answer, not only when a card becomes known.
            f"INSERT INTO card_state (card_key, {_COLUMNS})"
            f" VALUES (?{', ?' * len(StateRow._fields)})"
            f" ON CONFLICT(card_key) DO UPDATE SET {_UPSERT}",
            (key, *StateRow.of(state)),
        )

    def numbers(self) -> dict[str, int]:
        """Cards whose fuzz is drawn from an Anki card id of their own (adopted from an earlier
        export, or imported with their Anki history), not from their key's number."""
        try:
            return dict(self.db.connection.execute("SELECT card_key, number FROM card_number"))
        except sqlite3.OperationalError:  # a database read as it is, before its migration
            return {}

    def put_numbers(self, db: sqlite3.Connection, numbers: Mapping[str, int]) -> None:
        """The Anki card id each of these cards draws its fuzz from, inside the caller's
        transaction (`db`); a card whose id is its key's own number needs no row."""
        import json

        from ec2cards.model.cards import card_number

        own = [key for key, number in numbers.items() if number == card_number(key)]
        db.execute(
            "DELETE FROM card_number WHERE card_key IN (SELECT value FROM json_each(?))",
            (json.dumps(own),),
        )
        db.executemany(
            "INSERT INTO card_number (card_key, number) VALUES (?, ?)"
            " ON CONFLICT(card_key) DO UPDATE SET number = excluded.number",
            [(key, number) for key, number in numbers.items() if number != card_number(key)],
        )

    def replace_all(
        self,
        states: Mapping[str, CardState],
        done: str | None = None,
        before_replacing: Callable[[sqlite3.Connection], None] | None = None,
    ) -> int:
        """Make the cache exactly these states (a replay of the log), in one transaction; a
        maintenance task (`done`) that asked for it is marked done in the same one, and
        `before_replacing` may append to the log in it too."""
        with self.db.transaction() as db:
            if before_replacing is not None:
                before_replacing(db)
            db.execute("DELETE FROM card_state")
            for key, state in states.items():
                self.put(db, key, state)
            if done is not None:
                db.execute("DELETE FROM maintenance WHERE task = ?", (done,))
        return len(states)
