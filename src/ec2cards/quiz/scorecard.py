"""The scorecard of a quiz: the score, per topic, and what was missed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ec2cards.quiz.grading import Result

if TYPE_CHECKING:
    from typing import TypedDict

    from ec2cards.storage.quiz_tables import PastQuiz

    class QuestionJson(TypedDict):
        card: str
        kind: str
        topic: str
        given: str
        expected: str
        correct: bool
        score: float
        overruled: bool
        verdict: str

    class ScorecardJson(TypedDict):
        """`quiz --json`."""

        score: int
        total: int
        percent: float
        seconds: float
        by_topic: dict[str, dict[str, float]]
        questions: list[QuestionJson]


@dataclass
class Scorecard:
    results: list[Result] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def score(self) -> int:
        return sum(1 for r in self.results if r.correct)

    @property
    def total(self) -> int:
        return len(self.results)

    @property
    def percent(self) -> float:
        return round(100.0 * self.score / self.total, 1) if self.total else 0.0

    def by_topic(self) -> dict[str, dict[str, float]]:
        topics: dict[str, dict[str, float]] = {}
        for result in self.results:
            entry = topics.setdefault(result.question.card.topic, {"score": 0, "total": 0})
            entry["score"] += int(result.correct)
            entry["total"] += 1
        for entry in topics.values():
            entry["percent"] = round(100.0 * entry["score"] / entry["total"], 1)
        return dict(sorted(topics.items()))

    def missed(self) -> list[Result]:
        return [r for r in self.results if not r.correct]

    def to_json(self) -> ScorecardJson:
        return {
            "score": self.score,
            "total": self.total,
            "percent": self.percent,
            "seconds": round(self.seconds, 1),
            "by_topic": self.by_topic(),
            "questions": [
                {
                    "card": r.question.card.key,
                    "kind": r.question.ask.value,
                    "topic": r.question.card.topic,
                    "given": r.given,
                    "expected": r.question.expected,
                    "correct": r.correct,
                    "score": r.score,
                    "overruled": r.overruled,
                    "verdict": r.note,
                }
                for r in self.results
            ],
        }


def past_quiz_line(quiz: PastQuiz) -> str:
    """One past quiz (as the store lists them) in a line: when, score, mode, what, per topic."""
    topics = ", ".join(f"{t} {v.score}/{v.total}" for t, v in quiz.by_topic.items())
    when = quiz.started_at[:16].replace("T", " ")
    return (
        f"#{quiz.id:<4} {when}  {quiz.score}/{quiz.total} ({quiz.percent:.0f}%)  {quiz.mode}"
        f"  {quiz.selection}  [{topics}]"
    )
