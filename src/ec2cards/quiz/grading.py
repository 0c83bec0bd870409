"""Grading a quiz reply, whatever the question: a pure function of the question and the reply."""

from __future__ import annotations

from dataclasses import dataclass, replace

from ec2cards.model.choices import Graded, grade_choice, grade_order, parse_numbers
from ec2cards.model.text import normalise
from ec2cards.quiz.answer_text import items
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
    alternative: bool = False  # right by an answer the card accepts besides its own

    @property
    def unanswered(self) -> bool:
        """An empty reply: the learner doesn't know, and is shown the answer."""
        return not self.given.strip()

    @property
    def can_overrule(self) -> bool:
        """A typed reply judged wrong may have been right in words the grader did not know."""
        typed = self.question.ask in (Ask.TYPED, Ask.CLOZE)
        return not self.correct and typed and not self.unanswered

    def overrule(self) -> Result:
        return replace(self, correct=True, score=1.0, exact=False, overruled=True)


def grade(question: Question, given: str, seconds: float = 0.0) -> Result | None:
    """Grade a reply; None when it can't be read as an answer (e.g. 'x' to a choice question).
    An empty reply is 'don't know': wrong, with nothing to say about it."""
    ask = question.ask
    if not given.strip():
        return Result(question, "", False, 0.0, exact=False, seconds=seconds)
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
    typed = grade_typed(given, question.accepted or (question.expected,), *question.context)
    return Result(
        question,
        given.strip(),
        typed.correct,
        typed.score,
        typed.exact,
        typed.close,
        seconds,
        typed.note,
        alternative=typed.alternative,
    )


def _option_named(question: Question, given: str) -> list[int] | None:
    """A choice answered with options' text: each part of the reply ('st1, sc1') the one
    option it names, by the start of its text ('hardware assisted' for 'Hardware-assisted
    virtualization') or read as typed answers are ('Spot' for 'Spot Instances')."""
    parts = [given] if len(question.card.correct) < 2 else items(given)
    picked: list[int] = []
    for part in parts:
        index = _one_option(question.options, part)
        if index is None or index in picked:
            return None
        picked.append(index)
    return picked or None


def _one_option(options: tuple[str, ...], part: str) -> int | None:
    start = _plain(part)
    if len(start) >= 2:
        begun = [i for i, option in enumerate(options) if _plain(option).startswith(start)]
        if len(begun) == 1:
            return begun[0]
    named = [i for i, option in enumerate(options) if grade_typed(part, (option,)).correct]
    return named[0] if len(named) == 1 else None


def _plain(text: str) -> str:
    return normalise(text.replace("-", " "))
