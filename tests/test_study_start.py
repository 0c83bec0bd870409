"""How a study session starts (`study/start.py`): the new-card share of the daily limit,
`--new N`, or an exam plan (`scheduling/exam.py`, `plan_for`), on a store in memory."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

from conftest import memory_store, write_deck

from ec2cards.config.settings import Settings
from ec2cards.decks.selection import select
from ec2cards.model.ratings import Rating
from ec2cards.scheduling.answer import record_answer
from ec2cards.scheduling.exam import plan_for
from ec2cards.scheduling.scheduler import Scheduler
from ec2cards.study.start import start_session

NOW = datetime(2026, 11, 24, 10, tzinfo=timezone.utc)
DECK = "deck: d\ntitle: D\ntopic: t\ncards:\n" + "".join(
    f"  - id: c{i}\n    q: Question {i}?\n    a: Answer {i}\n" for i in range(40)
)


def test_an_exam_sets_todays_new_cards_from_its_plan(home: Path) -> None:
    write_deck(home / "decks", "d.yaml", DECK)
    selection = select(home, ["d"])
    store = memory_store()
    settings = Settings()
    record_answer(store, Scheduler(settings), "d/c0", Rating.GOOD, NOW)  # one new card today
    exam = date(2026, 11, 30)
    plan = plan_for(selection.cards, store, settings, NOW, exam)
    assert plan.unseen == 39 and plan.new_today > 0
    started = start_session(selection, store, settings, NOW, exam=exam)
    assert started.exam_new == plan.new_today
    assert started.session.new_quota == plan.new_today
    plain = start_session(selection, store, settings, NOW)
    assert plain.exam_new is None and plain.session.new_quota != plan.new_today
    asked = start_session(selection, store, settings, NOW, new=3, exam=exam)
    assert asked.exam_new is None and asked.session.new_quota == 3  # --new wins
