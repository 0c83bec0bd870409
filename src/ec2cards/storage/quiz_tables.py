"""Quizzes and their answers, saved one answer at a time."""

from __future__ import annotations

from datetime import datetime

from ec2cards.storage.database import Database, iso


class QuizTables(Database):
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
