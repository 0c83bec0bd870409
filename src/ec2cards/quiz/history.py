"""Past quizzes: the list, one quiz with its questions (`quiz --history [N]`), and what a
`--retry` asks again (the questions missed in the last quiz)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from ec2cards.errors import UsageError

if TYPE_CHECKING:
    from ec2cards.model.cards import Card
    from ec2cards.storage.quiz_tables import PastAnswer, PastQuiz
    from ec2cards.storage.store import Store


class OneQuiz(NamedTuple):
    """A past quiz and its questions in the order they were asked."""

    quiz: PastQuiz
    answers: list[PastAnswer]

    def to_json(self) -> dict[str, object]:
        return {**self.quiz.to_json(), "questions": [answer.to_json() for answer in self.answers]}


def recent_quizzes(store: Store, limit: int = 20) -> list[PastQuiz]:
    """The latest quizzes with an answer, newest first."""
    return store.quizzes.history(limit=limit)


def one_quiz(store: Store, number: int) -> OneQuiz:
    """Quiz `number` with its questions; a UsageError when there is no such quiz."""
    found = store.quizzes.history(limit=1, only=number)
    if not found:
        raise UsageError(f"no quiz #{number} (ec2cards quiz --history lists them)")
    return OneQuiz(found[0], store.quizzes.answers(number))


def last_mode(store: Store) -> str:
    """The mode of the last quiz (a retry asks as it did), or "mixed" when there is none."""
    last = store.quizzes.last_id()
    past = store.quizzes.history(limit=1, only=last) if last is not None else []
    return past[0].mode if past else "mixed"


def missed_last_time(store: Store, cards: Sequence[Card]) -> list[Card]:
    """The cards of `cards` missed in the last quiz, in the order they were asked; a
    UsageError saying why when there is nothing to retry."""
    last = store.quizzes.last_id()
    if last is None:
        raise UsageError("no quiz to retry yet: start one with ec2cards quiz")
    by_key = {card.key: card for card in cards}
    missed = [a.card for a in store.quizzes.answers(last) if not a.correct]
    found = [by_key[key] for key in dict.fromkeys(missed) if key in by_key]
    if not missed:
        raise UsageError(f"nothing to retry: quiz #{last} had no missed question")
    if not found:
        raise UsageError(f"the questions missed in quiz #{last} are not in this selection")
    return found
