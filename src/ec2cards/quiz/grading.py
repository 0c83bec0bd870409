"""Grading a quiz reply, whatever the question: a pure function of the question and the reply."""

from __future__ import annotations

from dataclasses import dataclass, replace

from ec2cards.model.choices import Graded, grade_choice, grade_order, parse_numbers
from ec2cards.quiz.questions import Ask, Question
from ec2cards.quiz.typed import grade_typed


@dataclass(frozen=True)
class Result:
    question: Question
    given: str
    correct: bool
    score: float
    exact: bool = True
    close: bool = False
    seconds: float = 0.0
    note: str = ""  # the grader's word: a typo read through, 2 of 3 items, a hedge
    overruled: bool = False  # judged wrong, and the learner said it was right

    @property
    def can_overrule(self) -> bool:
        """A typed reply judged wrong may have been right in words the grader did not know."""
        return not self.correct and self.question.ask in (Ask.TYPED, Ask.CLOZE)

    def overrule(self) -> Result:
        return replace(self, correct=True, score=1.0, exact=False, overruled=True)


def grade(question: Question, given: str, seconds: float = 0.0) -> Result | None:
    """Grade a reply; None when it can't be read as an answer (e.g. 'x' to a choice question)."""
    ask = question.ask
    if ask in (Ask.CHOICE, Ask.ORDER):
        picked = parse_numbers(given, len(question.options))
        if picked is None and ask is Ask.CHOICE:
            picked = _option_named(question, given)
        if picked is None:
            return None
        if ask is Ask.CHOICE:
            if question.card.kind.chooses:
                graded: Graded = grade_choice(question.card, list(question.options), picked)
            else:
                right = question.options[picked[0]] == question.expected and len(picked) == 1
                graded = Graded(right, float(right), question.expected, question.options[picked[0]])
        else:
            if len(picked) != len(question.options):
                return None
            graded = grade_order(question.card, list(question.options), picked)
        return Result(question, graded.given, graded.correct, graded.score, seconds=seconds)
    if ask is Ask.FLIP:
        answer = given.strip().lower()
        if answer not in ("y", "yes", "n", "no"):
            return None
        right = answer.startswith("y")
        return Result(question, given.strip(), right, float(right), seconds=seconds)
    typed = grade_typed(given, question.accepted or (question.expected,))
    return Result(
        question,
        given.strip(),
        typed.correct,
        typed.score,
        typed.exact,
        typed.close,
        seconds,
        typed.note,
    )


def _option_named(question: Question, given: str) -> list[int] | None:
    """A choice answered with an option's text ('Spot' for 'Spot Instances'): the one option
    the reply names, read as typed answers are."""
    named = [
        index
        for index, option in enumerate(question.options)
        if grade_typed(given, (option,)).correct
    ]
    return named if len(named) == 1 else None
