"""Practice results beside recall (`stats`, `plan --exam`): each topic's scaled score in the
latest submitted exam that asked it."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

from ec2cards.practice.exam import PASS_MARK, scaled_score

if TYPE_CHECKING:
    from ec2cards.storage.store import Store


class TopicResult(NamedTuple):
    topic: str
    scaled: int
    correct: int
    total: int
    taken_at: datetime

    @property
    def passed(self) -> bool:
        return self.scaled >= PASS_MARK

    def to_json(self) -> dict[str, object]:
        return {
            "topic": self.topic,
            "scaled": self.scaled,
            "correct": self.correct,
            "total": self.total,
            "passed": self.passed,
            "taken_at": self.taken_at.isoformat(),
        }


def latest_by_topic(store: Store, topics: set[str] | None = None) -> list[TopicResult]:
    """For each topic (of `topics`, when given), its questions in the newest submitted exam
    that asked it, scaled as the exam scales; in topic order."""
    found: dict[str, TopicResult] = {}
    for exam in store.practice.recent(200):
        if exam.finished_at is None:
            continue
        counts: dict[str, list[int]] = {}
        for question in exam.questions:
            right_asked = counts.setdefault(str(question["topic"]), [0, 0])
            right_asked[0] += bool(question["correct"])
            right_asked[1] += 1
        for topic, (right, asked) in counts.items():
            wanted = topics is None or topic in topics
            if wanted and topic not in found:
                found[topic] = TopicResult(
                    topic, scaled_score(right, asked), right, asked, exam.started_at
                )
    return [found[topic] for topic in sorted(found)]
