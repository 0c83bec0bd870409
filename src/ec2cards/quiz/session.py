"""The quiz session: asks questions through a frontend, saves each answer at once (as a review
too, when recorded), keeps the score."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Protocol

from ec2cards.errors import UndoRefused
from ec2cards.model.ratings import Rating
from ec2cards.quiz.grading import Result, grade
from ec2cards.quiz.questions import Ask, Question
from ec2cards.quiz.scorecard import Scorecard
from ec2cards.scheduling.answer import record_answer
from ec2cards.scheduling.scheduler import Scheduler
from ec2cards.storage.store import Store

FAST_SECONDS = 8.0


OVERRULE_LINE = "!right"  # in line mode, instead of the next answer: "I was right"
QUIT_LINE = "q"  # instead of an answer: end the quiz here, with its scorecard


class QuizFrontend(Protocol):
    def ask(self, question: Question, number: int, total: int) -> str | None: ...
    def not_understood(self, question: Question, given: str) -> None: ...
    def feedback(self, result: Result) -> None: ...
    def offer_overrule(self, result: Result, last: bool) -> bool: ...
    def overruled(self, result: Result, note: str | None = None) -> None: ...


class QuizSaver(Protocol):
    def __call__(self, number: int, result: Result, at: datetime) -> None: ...
    def overrule(self, number: int, result: Result, at: datetime) -> str | None: ...


def rating_for(result: Result) -> Rating:
    """How a recorded quiz answer counts as a review: wrong Again; right Good, or Easy when fast
    and typed exactly; overruled (the learner was right after all) Good."""
    if not result.correct:
        return Rating.AGAIN
    typed = result.question.ask in (Ask.TYPED, Ask.CLOZE)
    if typed and result.exact and not result.overruled and result.seconds < FAST_SECONDS:
        return Rating.EASY
    return Rating.GOOD


def run_quiz(
    questions: Sequence[Question],
    frontend: QuizFrontend,
    clock: Callable[[], datetime],
    save: QuizSaver,
) -> Scorecard:
    """Ask every question until the end, end of input or `q`; each answer is saved as it is
    given; an empty answer is "don't know".
    After a typed answer judged wrong the learner may overrule the verdict: at once (a key on
    the screen), or in line mode with the line `!right` in place of the next answer."""
    card = Scorecard()
    started = time.monotonic()

    def overrule(number: int) -> None:
        result = card.results[number - 1].overrule()
        card.results[number - 1] = result
        frontend.overruled(result, save.overrule(number, result, clock()))

    try:
        for number, question in enumerate(questions, 1):
            asked = time.monotonic()
            while True:
                given = frontend.ask(question, number, len(questions))
                if given is None or given.strip().lower() == QUIT_LINE:
                    raise EOFError
                previous = card.results[-1] if card.results else None
                if given.strip().lower() == OVERRULE_LINE and previous and previous.can_overrule:
                    overrule(number - 1)
                    continue
                result = grade(question, given, time.monotonic() - asked)
                if result is not None:
                    break
                frontend.not_understood(question, given)
            save(number, result, clock())
            card.results.append(result)
            frontend.feedback(result)
            last = number == len(questions)
            if result.can_overrule and frontend.offer_overrule(result, last):
                overrule(number)
    except (EOFError, KeyboardInterrupt):
        pass  # the scorecard covers what was answered; each answer is already saved
    card.seconds = time.monotonic() - started
    return card


class QuizRecorder:
    """Saves each answer of one quiz as it is given; with a scheduler (`--record`), each answer
    is also a review: wrong Again, right Good, or Easy when typed exactly and fast."""

    def __init__(self, store: Store, quiz_id: int, scheduler: Scheduler | None = None) -> None:
        self.store = store
        self.quiz_id = quiz_id
        self.scheduler = scheduler
        self.reviews: dict[int, int] = {}  # question number → its review's log entry

    @classmethod
    def start(
        cls,
        store: Store,
        now: datetime,
        mode: str,
        selection: str,
        scheduler: Scheduler | None = None,
    ) -> QuizRecorder:
        return cls(store, store.quizzes.start(now, mode, selection), scheduler)

    def __call__(self, number: int, result: Result, at: datetime) -> None:
        question = result.question
        self.store.quizzes.record_answer(
            self.quiz_id,
            number,
            question.card.key,
            question.topic,
            question.ask.value,
            result.given,
            question.expected,
            result.correct,
            result.score,
            at,
            result.note,
            round(result.seconds, 1),
        )
        if self.scheduler is not None:
            entry, _, _ = record_answer(
                self.store,
                self.scheduler,
                question.card.key,
                rating_for(result),
                at,
                int(result.seconds * 1000),
            )
            self.reviews[number] = entry

    def overrule(self, number: int, result: Result, at: datetime) -> str | None:
        """Count the answer right; as a review, its Again is undone (the log keeps both) and
        the answer saved as Good. When the card has changed since in another session, the
        Again stays (undoing it would take that change back too): the line that says so."""
        self.store.quizzes.overrule(self.quiz_id, number, at)
        entry = self.reviews.pop(number, None)
        if self.scheduler is not None and entry is not None:
            from ec2cards.scheduling.replay import restorer

            try:
                self.store.log.undo(entry, at, restorer(self.store, self.scheduler))
            except UndoRefused as refused:
                return f"{refused} (the review stays Again)"
            self.reviews[number] = record_answer(
                self.store,
                self.scheduler,
                result.question.card.key,
                rating_for(result),
                at,
                int(result.seconds * 1000),
            )[0]
        return None
