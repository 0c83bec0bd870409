"""Past quizzes and what a quiz asks (`quiz/history.py`, `quiz/setup.py`), on a store in memory:
one quiz found by its number however old, the retry's cards and mode, and the quiz plan."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from conftest import memory_store, write_deck

from ec2cards.config.settings import Settings
from ec2cards.decks.selection import select
from ec2cards.errors import UsageError
from ec2cards.quiz.history import last_mode, missed_last_time, one_quiz, recent_quizzes
from ec2cards.quiz.questions import Mode
from ec2cards.quiz.setup import plan_quiz
from ec2cards.scheduling.scheduler import Scheduler
from ec2cards.storage.store import Store

NOW = datetime(2026, 11, 24, 10, tzinfo=timezone.utc)
DECK = "deck: d\ntitle: D\ntopic: t\ncards:\n" + "".join(
    f"  - id: c{i}\n    q: Question {i}?\n    a: Answer {i}\n" for i in range(6)
)


def quiz(store: Store, mode: str, answers: list[tuple[str, bool]], at: datetime = NOW) -> int:
    number = store.quizzes.start(at, mode, "deck d")
    for position, (key, correct) in enumerate(answers, 1):
        store.quizzes.record_answer(
            number, position, key, "t", "typed", "x", "y", correct, float(correct), at
        )
    return number


def test_one_quiz_is_found_by_number_however_old() -> None:
    store = memory_store()
    first = quiz(store, "typed", [("d/c0", False), ("d/c1", True)])
    for day in range(1, 30):
        quiz(store, "mixed", [("d/c2", True)], NOW + timedelta(days=day))
    found = one_quiz(store, first)
    assert found.quiz.id == first and found.quiz.mode == "typed"
    assert [a.card for a in found.answers] == ["d/c0", "d/c1"]
    assert found.to_json()["questions"] == [a.to_json() for a in found.answers]
    assert found.to_json()["score"] == 1
    assert len(recent_quizzes(store)) == 20  # the listing stays the latest twenty
    with pytest.raises(UsageError, match="no quiz #999"):
        one_quiz(store, 999)


def test_a_past_quiz_counts_partial_credit_and_an_overrule_tops_it_up_to_one() -> None:
    from ec2cards.quiz.scorecard import past_quiz_line

    store = memory_store()
    number = store.quizzes.start(NOW, "typed", "deck d")
    for position, (correct, score) in enumerate([(True, 1.0), (False, 0.5), (False, 0.0)], 1):
        store.quizzes.record_answer(
            number, position, f"d/c{position}", "t", "typed", "x", "y", correct, score, NOW
        )
    past = one_quiz(store, number).quiz
    assert (past.score, past.by_topic["t"].score) == (1.5, 1.5)
    assert "1.5/3 (50%)" in past_quiz_line(past) and "t 1.5/3" in past_quiz_line(past)
    assert store.quizzes.overrule(number, 2, NOW)
    assert one_quiz(store, number).quiz.score == 2


def test_the_retry_asks_the_missed_cards_in_order_and_in_the_last_mode(home: Path) -> None:
    write_deck(home / "decks", "d.yaml", DECK)
    selection = select(home, ["d"])
    store = memory_store()
    assert last_mode(store) == "mixed"
    with pytest.raises(UsageError, match="no quiz to retry"):
        missed_last_time(store, selection.cards)
    quiz(store, "flip", [("d/c3", False), ("d/c1", True), ("d/c0", False), ("d/c3", False)])
    assert last_mode(store) == "flip"
    assert [c.key for c in missed_last_time(store, selection.cards)] == ["d/c3", "d/c0"]
    plan = plan_quiz(
        selection,
        store,
        Scheduler(Settings()),
        NOW,
        count=10,
        mode=None,
        seed=1,
        weakest=False,
        retry=True,
    )
    assert plan.mode is Mode.FLIP
    assert [q.card.key for q in plan.questions] == ["d/c3", "d/c0"]
    quiz(store, "typed", [("d/c1", True)])
    with pytest.raises(UsageError, match="had no missed question"):
        missed_last_time(store, selection.cards)
    quiz(store, "typed", [("x/gone", False)])
    with pytest.raises(UsageError, match="not in this selection"):
        missed_last_time(store, selection.cards)


def test_a_plan_draws_count_questions_the_same_for_the_same_seed(home: Path) -> None:
    write_deck(home / "decks", "d.yaml", DECK)
    selection = select(home, ["d"])
    store = memory_store()

    def drawn(seed: int) -> list[str]:
        plan = plan_quiz(
            selection,
            store,
            Scheduler(Settings()),
            NOW,
            count=4,
            mode="typed",
            seed=seed,
            weakest=True,
            retry=False,
        )
        assert plan.mode is Mode.TYPED
        return [q.card.key for q in plan.questions]

    assert len(drawn(7)) == 4 and drawn(7) == drawn(7)
    with pytest.raises(UsageError, match="unknown mode"):
        plan_quiz(
            selection,
            store,
            Scheduler(Settings()),
            NOW,
            count=4,
            mode="nope",
            seed=1,
            weakest=False,
            retry=False,
        )
