"""The card-state cache: each card's current state, derived from the review log and kept in a
table so that a session needs no replay to start."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import datetime

from ec2cards.model.states import NEW_STATE, CardState, Phase
from ec2cards.storage.database import Database, iso


class CardStates(Database):
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
