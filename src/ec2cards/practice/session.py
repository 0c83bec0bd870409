"""Sitting a practice exam: each question asked in turn until the last or until the time is
up, every choice saved as it is made, then the score; with `record`, each scenario counts as
a review, and a missed one brings the recall cards it tests forward to today."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol, runtime_checkable

from ec2cards.practice.exam import PracticeQuestion, Score, Sitting, score
from ec2cards.scheduling.scheduler import Scheduler
from ec2cards.storage.store import Store

STOP = "stop"  # the learner ended the exam before the last question (q, end of input)


class PracticeFrontend(Protocol):
    def ask(
        self, question: PracticeQuestion, number: int, total: int, left: timedelta
    ) -> frozenset[int] | str | None:
        """The options chosen (positions from 0), None for no answer, or STOP."""
        ...

    def time_up(self) -> None: ...


@runtime_checkable
class ExamScreen(Protocol):
    """A screen that moves freely between questions and drives the sitting itself, until
    the learner submits or the time is up; `save` keeps the choices made so far."""

    def sit_exam(
        self,
        sitting: Sitting,
        deadline: datetime,
        clock: Callable[[], datetime],
        save: Callable[[], None],
    ) -> None: ...


@dataclass(frozen=True)
class Submitted:
    exam_id: int
    sitting: Sitting
    score: Score
    minutes_used: float
    brought_forward: list[str]  # recall cards made due now by missed scenarios (--record)


def questions_json(sitting: Sitting) -> list[dict[str, Any]]:
    """Each question as `--json` and the history give it: the card, its topic, the options in
    the order shown, what was chosen and what is right (positions from 1), flagged, tests."""
    return [
        {
            "card": question.card.key,
            "topic": question.card.topic,
            "options": question.options,
            "chosen": sorted(n + 1 for n in chosen) if chosen is not None else [],
            "right": sorted(n + 1 for n in question.right),
            "correct": sitting.correct(number),
            "flagged": sitting.flagged[number],
            "tests": list(question.card.tests),
        }
        for number, (question, chosen) in enumerate(
            zip(sitting.questions, sitting.chosen, strict=True)
        )
    ]


def sit(
    store: Store,
    sitting: Sitting,
    frontend: PracticeFrontend | ExamScreen,
    clock: Callable[[], datetime],
    selection: str,
) -> tuple[int, datetime, datetime]:
    """Ask every question until the last, a stop or the end of the time; each choice saved as
    it is made. Returns the exam's id, when it started and when it ended."""
    started = clock()
    exam_id = store.practice.start(started, selection, sitting.minutes)
    deadline = started + timedelta(minutes=sitting.minutes)

    def save() -> None:
        store.practice.save(exam_id, questions_json(sitting))

    if isinstance(frontend, ExamScreen):
        frontend.sit_exam(sitting, deadline, clock, save)
        return exam_id, started, min(clock(), deadline)
    total = len(sitting.questions)
    for number, question in enumerate(sitting.questions):
        if clock() >= deadline:
            frontend.time_up()
            break
        reply = frontend.ask(question, number, total, deadline - clock())
        if reply == STOP:
            break
        if clock() > deadline:  # answered after the time ran out: not counted
            frontend.time_up()
            break
        sitting.chosen[number] = reply if isinstance(reply, frozenset) else None
        save()
    return exam_id, started, min(clock(), deadline)


def submit(
    store: Store,
    scheduler: Scheduler | None,
    sitting: Sitting,
    exam_id: int,
    times: tuple[datetime, datetime],
    recorded_at: datetime | None = None,
) -> Submitted:
    """Score the sitting and keep it; with a scheduler (`--record`), each scenario counts as a
    review (Good when right, Again when not) and a missed one brings its recall cards forward,
    at `recorded_at` (the command's time; by default when the exam ended)."""
    started, ended = times
    result = score(sitting)
    store.practice.finish(
        exam_id,
        ended,
        questions_json(sitting),
        (result.correct, result.total, result.scaled, int(result.passed)),
    )
    brought: list[str] = []
    if scheduler is not None:
        brought = _record(store, scheduler, sitting, recorded_at or ended)
    minutes = (ended - started).total_seconds() / 60
    return Submitted(exam_id, sitting, result, minutes, brought)


def _record(store: Store, scheduler: Scheduler, sitting: Sitting, now: datetime) -> list[str]:
    from ec2cards.model.events import SET_DUE, due_value
    from ec2cards.model.ratings import Rating
    from ec2cards.model.states import Phase
    from ec2cards.scheduling.answer import record_answer

    brought: list[str] = []
    for number, question in enumerate(sitting.questions):
        right = sitting.correct(number)
        rating = Rating.GOOD if right else Rating.AGAIN
        record_answer(store, scheduler, question.card.key, rating, now)
        if right:
            continue
        for key in question.card.tests:
            state = store.cards.state(key)
            waiting = state.phase is not Phase.NEW and not state.suspended
            if waiting and state.due is not None and state.due > now and key not in brought:
                store.log.record(key, SET_DUE, now, due_value(now, state.interval_days))
                brought.append(key)
    return brought
