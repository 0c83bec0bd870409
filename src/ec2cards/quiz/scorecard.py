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

        score: float
        total: int
        partly: int
        percent: float
        seconds: float
        by_topic: dict[str, dict[str, float]]
        questions: list[QuestionJson]


@dataclass
class Scorecard:
    results: list[Result] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def score(self) -> float:
        """Right answers count 1, a partly right one its share (2 of 3 items: 0.67)."""
        return round(sum(r.score for r in self.results), 2)

    @property
    def partly(self) -> int:
        """How many answers earned partial credit."""
        return sum(1 for r in self.results if not r.correct and r.score > 0)

    @property
    def total(self) -> int:
        return len(self.results)

    @property
    def percent(self) -> float:
        return round(100.0 * self.score / self.total, 1) if self.total else 0.0

    def by_topic(self) -> dict[str, dict[str, float]]:
        topics: dict[str, dict[str, float]] = {}
        for result in self.results:
            entry = topics.setdefault(result.question.topic, {"score": 0, "total": 0})
            entry["score"] += result.score
            entry["total"] += 1
        for entry in topics.values():
            entry["score"] = round(entry["score"], 2)
            entry["percent"] = round(100.0 * entry["score"] / entry["total"], 1)
        return dict(sorted(topics.items()))

    def missed(self) -> list[Result]:
        return [r for r in self.results if not r.correct]

    def to_json(self) -> ScorecardJson:
        return {
            "score": self.score,
            "total": self.total,
            "partly": self.partly,
            "percent": self.percent,
            "seconds": round(self.seconds, 1),
            "by_topic": self.by_topic(),
            "questions": [
                {
                    "card": r.question.card.key,
                    "kind": r.question.ask.value,
                    "topic": r.question.topic,
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


def points(score: float) -> str:
    """A score as people write it: 7, 7.5, 7.67."""
    return f"{score:.2f}".rstrip("0").rstrip(".")


def past_quiz_line(quiz: PastQuiz) -> str:
    """One past quiz (as the store lists them) in a line: when, score, mode, what, per topic."""
    topics = ", ".join(f"{t} {points(v.score)}/{v.total}" for t, v in quiz.by_topic.items())
    when = quiz.started_at[:16].replace("T", " ")
    return (
        f"#{quiz.id:<4} {when}  {points(quiz.score)}/{quiz.total} ({quiz.percent:.0f}%)"
        f"  {quiz.mode}"
        f"  {quiz.selection}  [{topics}]"
    )
