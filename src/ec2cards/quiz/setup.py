"""What a quiz asks: its mode, its cards (the selection, or the ones missed last time with
`--retry`) and its questions, drawn as `quiz` draws them."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from ec2cards.errors import UsageError
from ec2cards.quiz.history import last_mode, missed_last_time
from ec2cards.quiz.questions import Mode, Question, build, parse_mode, weakness

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from ec2cards.decks.selection import Selection
    from ec2cards.model.cards import Card
    from ec2cards.scheduling.scheduler import Scheduler
    from ec2cards.storage.store import Store


class QuizPlan(NamedTuple):
    mode: Mode
    questions: list[Question]


def plan_quiz(
    selection: Selection,
    store: Store,
    scheduler: Scheduler,
    now: datetime,
    *,
    count: int,
    mode: str | None,
    seed: int,
    weakest: bool,
    retry: bool,
) -> QuizPlan:
    """The quiz's questions: `count` of the selection's cards (the weakest first with
    `weakest`), or every card missed in the last quiz, in its order and (unless `mode` says
    otherwise) its mode, with `retry`."""
    quiz_mode = parse_mode(mode or (last_mode(store) if retry else Mode.MIXED.value))
    if not selection.cards:
        raise UsageError(f"no cards in {selection.describe()}")
    cards: Sequence[Card] = selection.cards
    if retry:
        cards = missed_last_time(store, cards)
        count = len(cards)
    questions = build(
        cards,
        selection.collection.cards,
        count,
        quiz_mode,
        seed,
        weakness(cards, store, scheduler, now) if weakest else None,
        day=now.date().isoformat(),
        keep_order=retry,
        topics=selection.topics,
    )
    return QuizPlan(quiz_mode, questions)
