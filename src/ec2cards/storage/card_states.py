"""The card-state cache: each card's current state, derived from the review log and kept in a
table so that a session needs no replay to start."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime

from ec2cards.model.states import NEW_STATE, CardState, Phase
from ec2cards.storage.database import Database, iso

_COLUMNS = (
    "phase",
    "due",
    "steps_left",
    "interval_days",
    "stability",
    "difficulty",
    "last_review",
    "reps",
    "lapses",
    "suspended",
    "leech",
    "buried_until",
)


def _time(value: object) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else None


class CardStates(Database):
    _STATE_COLUMNS = ", ".join(_COLUMNS)
    _UPSERT = ", ".join(f"{c} = excluded.{c}" for c in _COLUMNS)

    @staticmethod
    def _state_from_row(row: tuple[object, ...]) -> CardState:
        (
            phase,
            due,
            steps_left,
            interval_days,
            stability,
            difficulty,
            last_review,
            reps,
            lapses,
            suspended,
            leech,
            buried_until,
        ) = row
        return CardState(
            phase=Phase(int(phase)),  # type: ignore[call-overload]
            due=_time(due),
            steps_left=int(steps_left or 0),  # type: ignore[call-overload]
            interval_days=int(interval_days or 0),  # type: ignore[call-overload]
            stability=stability,  # type: ignore[arg-type]
            difficulty=difficulty,  # type: ignore[arg-type]
            last_review=_time(last_review),
            reps=int(reps),  # type: ignore[call-overload]
            lapses=int(lapses),  # type: ignore[call-overload]
            suspended=bool(suspended),
            leech=bool(leech),
            buried_until=_time(buried_until),
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
            # An upsert, not INSERT OR REPLACE: a replace is a delete and an insert, which would
            # fire the known-set triggers for every answer, not only when a card becomes known.
            f"INSERT INTO card_state (card_key, {self._STATE_COLUMNS})"
            f" VALUES (?{', ?' * len(_COLUMNS)})"
            f" ON CONFLICT(card_key) DO UPDATE SET {self._UPSERT}",
            (
                key,
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
            ),
        )

    def replace_states(
        self,
        states: Mapping[str, CardState],
        done: str | None = None,
        before_replacing: Callable[[sqlite3.Connection], None] | None = None,
    ) -> int:
        """Make the cache exactly these states (a replay of the log), in one transaction; a
        maintenance task (`done`) that asked for it is marked done in the same one, and
        `before_replacing` may append to the log in it too."""
        with self.transaction() as db:
            if before_replacing is not None:
                before_replacing(db)
            db.execute("DELETE FROM card_state")
            for key, state in states.items():
                self._put_state(db, key, state)
            if done is not None:
                db.execute("DELETE FROM maintenance WHERE task = ?", (done,))
        return len(states)
