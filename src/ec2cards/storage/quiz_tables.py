"""Quizzes and their answers (`store.quizzes`), saved one answer at a time."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from ec2cards.storage.database import Database, iso


class PastAnswer(NamedTuple):
    """One answered question of a past quiz, as `quiz --history N` shows it."""

    number: int
    card: str
    topic: str
    kind: str
    given: str
    expected: str
    correct: bool
    score: float
    overruled: bool
    verdict: str

    def to_json(self) -> dict[str, object]:
        return self._asdict()


class TopicScore(NamedTuple):
    score: float  # right answers, and partly right ones by their share
    total: int


class PastQuiz(NamedTuple):
    """A past quiz and its score per topic, as `quiz --history` lists it."""

    id: int
    started_at: str
    mode: str
    selection: str
    score: float
    total: int
    by_topic: dict[str, TopicScore]

    @property
    def percent(self) -> float:
        return round(100.0 * self.score / self.total, 1) if self.total else 0.0

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "started_at": self.started_at,
            "mode": self.mode,
            "selection": self.selection,
            "score": self.score,
            "total": self.total,
            "percent": self.percent,
            "by_topic": {topic: entry._asdict() for topic, entry in self.by_topic.items()},
        }


def _whole(score: float) -> float:
    """A score as stored sums: 7 stays 7, 7.5 is 7.5."""
    value = round(float(score or 0.0), 2)
    return int(value) if value.is_integer() else value


class Quizzes:
    """The quiz tables over the store's one connection."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def start(self, at: datetime, mode: str, selection: str) -> int:
        with self.db.transaction() as db:
            cursor = db.execute(
                "INSERT INTO quiz (started_at, mode, selection) VALUES (?, ?, ?)",
                (iso(at), mode, selection),
            )
            return int(cursor.lastrowid or 0)

    def record_answer(
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
        verdict: str = "",
        seconds: float | None = None,
    ) -> None:
        """One answered question, and the quiz's running total, in one transaction."""
        with self.db.transaction() as db:
            db.execute(
                "INSERT INTO quiz_answer (quiz_id, number, card_key, topic, kind, given, expected,"
                " correct, score, verdict, seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    quiz_id,
                    number,
                    card_key,
                    topic,
                    kind,
                    given,
                    expected,
                    int(correct),
                    score,
                    verdict,
                    seconds,
                ),
            )
            db.execute(
                "UPDATE quiz SET score = score + ?, total = total + 1, finished_at = ?"
                " WHERE id = ?",
                (1.0 if correct else score, iso(at), quiz_id),
            )

    def overrule(self, quiz_id: int, number: int, at: datetime) -> bool:
        """The learner says a wrong answer was right: counted right, marked overruled, and
        the quiz's total with it, in one transaction. False when there was nothing to change."""
        with self.db.transaction() as db:
            before = db.execute(
                "SELECT score FROM quiz_answer WHERE quiz_id = ? AND number = ? AND correct = 0",
                (quiz_id, number),
            ).fetchone()
            if before is None:
                return False
            db.execute(
                "UPDATE quiz_answer SET correct = 1, score = 1.0, overruled = 1"
                " WHERE quiz_id = ? AND number = ?",
                (quiz_id, number),
            )
            db.execute(
                "UPDATE quiz SET score = score + ?, finished_at = ? WHERE id = ?",
                (1.0 - float(before[0] or 0.0), iso(at), quiz_id),
            )
            return True

    def answers(self, quiz_id: int) -> list[PastAnswer]:
        """One quiz's questions and answers, in the order they were asked."""
        rows = self.db.connection.execute(
            "SELECT number, card_key, topic, kind, given, expected, correct, score, overruled,"
            " verdict FROM quiz_answer WHERE quiz_id = ? ORDER BY number",
            (quiz_id,),
        )
        return [
            PastAnswer(
                number, card, topic, kind, given, expected, bool(right), score, bool(over), note
            )
            for number, card, topic, kind, given, expected, right, score, over, note in rows
        ]

    def last_id(self) -> int | None:
        """The latest quiz with at least one answer."""
        row = self.db.connection.execute("SELECT MAX(id) FROM quiz WHERE total > 0").fetchone()
        return int(row[0]) if row and row[0] is not None else None

    def history(self, limit: int = 20, only: int | None = None) -> list[PastQuiz]:
        """Past quizzes, newest first, with their per-topic scores (`only`: that quiz alone)."""
        quizzes = self.db.connection.execute(
            "SELECT id, started_at, mode, selection, score, total FROM quiz WHERE total > 0"
            " AND (? IS NULL OR id = ?) ORDER BY id DESC LIMIT ?",
            (only, only, limit),
        ).fetchall()
        return [
            PastQuiz(
                quiz_id, started, mode, selection, _whole(score), total, self._by_topic(quiz_id)
            )
            for quiz_id, started, mode, selection, score, total in quizzes
        ]

    def _by_topic(self, quiz_id: int) -> dict[str, TopicScore]:
        return {
            topic: TopicScore(_whole(right), int(count))
            for topic, right, count in self.db.connection.execute(
                "SELECT topic, SUM(MAX(correct, score)), COUNT(*) FROM quiz_answer"
                " WHERE quiz_id = ? GROUP BY topic ORDER BY topic",
                (quiz_id,),
            )
        }
