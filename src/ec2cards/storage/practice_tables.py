"""Practice exams in the database (`store.practice`): a sitting's questions and choices are
written as each is made, so an exam cut short keeps what was answered; the score when it is
submitted."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, NamedTuple

from ec2cards.storage.database import Database, iso


class PastExam(NamedTuple):
    """A sitting as the history lists it: its score, or None for those never submitted."""

    id: int
    started_at: datetime
    selection: str
    minutes: float
    questions: list[dict[str, Any]]  # as `save` was given them
    finished_at: datetime | None
    correct: int | None
    total: int | None
    scaled: int | None
    passed: bool | None


class PracticeExams:
    """The practice tables over the store's one connection."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def start(self, at: datetime, selection: str, minutes: float) -> int:
        with self.db.transaction() as db:
            cursor = db.execute(
                "INSERT INTO practice_exam (started_at, selection, minutes, questions)"
                " VALUES (?, ?, ?, '[]')",
                (iso(at), selection, minutes),
            )
            return int(cursor.lastrowid or 0)

    def save(self, exam_id: int, questions: list[dict[str, Any]]) -> None:
        """The questions with the choices so far: written at each answer."""
        with self.db.transaction() as db:
            db.execute(
                "UPDATE practice_exam SET questions = ? WHERE id = ?",
                (json.dumps(questions), exam_id),
            )

    def finish(
        self, exam_id: int, at: datetime, questions: list[dict[str, Any]], score: tuple[int, ...]
    ) -> None:
        """Submitted: the last choices and the score (correct, total, scaled, passed)."""
        correct, total, scaled, passed = score
        with self.db.transaction() as db:
            db.execute(
                "UPDATE practice_exam SET questions = ?, finished_at = ?, correct = ?, total = ?,"
                " scaled = ?, passed = ? WHERE id = ?",
                (json.dumps(questions), iso(at), correct, total, scaled, passed, exam_id),
            )

    def recent(self, count: int = 20) -> list[PastExam]:
        rows = self.db.connection.execute(
            "SELECT * FROM practice_exam ORDER BY id DESC LIMIT ?", (count,)
        ).fetchall()
        return [_past(row) for row in rows]

    def one(self, exam_id: int) -> PastExam | None:
        row = self.db.connection.execute(
            "SELECT * FROM practice_exam WHERE id = ?", (exam_id,)
        ).fetchone()
        return _past(row) if row else None


def _past(row: tuple[Any, ...]) -> PastExam:
    number, started, selection, minutes, questions, finished, correct, total, scaled, passed = row
    return PastExam(
        number,
        datetime.fromisoformat(started),
        selection,
        float(minutes),
        json.loads(questions),
        datetime.fromisoformat(finished) if finished else None,
        correct,
        total,
        scaled,
        None if passed is None else bool(passed),
    )
