"""Card actions made in Anki read as log events, with a scratch Anki collection as the phone's
copy (no server): what each of Anki's own card actions leaves behind, and the events ec2cards
makes of it. Also the event rule for Anki's Set Due Date and the summary's words."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from anki import consts
from anki.collection import Collection
from conftest import memory_store
from test_unit_sync import DECK, NOW, load

from ec2cards.model.events import FORGET, SET_DUE, changed, due_value, forget_value
from ec2cards.model.ratings import Rating
from ec2cards.model.states import NEW_STATE, CardState, Phase
from ec2cards.scheduling.days import day_starting, next_day_at
from ec2cards.sync.actions import HELD, card_actions, held_as, held_in
from ec2cards.sync.content import apply_content
from ec2cards.sync.shadow import Shadow
from ec2cards.sync.status import SyncSummary
from ec2cards.terminal.sync_lines import sync_summary


@pytest.fixture
def col(tmp_path: Path) -> Iterator[Any]:
    collection = Collection(str(tmp_path / "phone.anki2"))
    collection.set_config("fsrs", True)
    yield collection
    collection.close()


def test_the_queues_kept_are_ankis_suspended_and_buried_ones() -> None:
    assert held_as(consts.QUEUE_TYPE_SUSPENDED) == "s"
    assert held_as(consts.QUEUE_TYPE_SIBLING_BURIED) == "b"
    assert held_as(consts.QUEUE_TYPE_MANUALLY_BURIED) == "b"
    for queue in (
        consts.QUEUE_TYPE_NEW,
        consts.QUEUE_TYPE_LRN,
        consts.QUEUE_TYPE_REV,
        consts.QUEUE_TYPE_DAY_LEARN_RELEARN,
        consts.QUEUE_TYPE_PREVIEW,
    ):
        assert held_as(queue) is None


def test_each_card_action_made_in_anki_becomes_one_event_at_its_time(
    col: Any, tmp_path: Path
) -> None:
    store = memory_store()
    shadow = Shadow(col)
    apply_content(shadow, load(tmp_path / "ec2.yaml", DECK), None)
    ids = {key: card.card_id for key, card in shadow.cards().items()}
    marks = {HELD: json.dumps(held_in(shadow))}  # what a sync left: nothing suspended
    for key in ("ec2/layers-c2", "ec2/layers-c2", "ec2/layers-c1"):  # answered in Anki
        card = col.get_card(ids[key])
        card.start_timer()
        col.sched.answerCard(card, 4 if key.endswith("c2") else 3)
    col.sched.suspend_cards([ids["ec2/nitro"]])
    col.sched.bury_cards([ids["ec2/slowest"]])
    col.sched.set_due_date([ids["ec2/layers-c2"]], "5")
    col.sched.schedule_cards_as_new([ids["ec2/layers-c1"]], reset_counts=True)
    now = datetime.now(timezone.utc)
    days = shadow.days(4)

    # (Rows made here wait with usn -1; a sync's pull gives them the server's.)
    found = card_actions(store, shadow, days, marks, -1, 0, now)
    events = {key: [(e.event, e.value) for e in entries] for key, entries in found.items()}
    rows = dict(col.db.all("SELECT cid, max(id) FROM revlog GROUP BY cid"))
    mod = datetime.fromtimestamp(col.get_card(ids["ec2/slowest"]).mod, tz=timezone.utc)
    assert events["ec2/nitro"] == [("suspend", None)]
    assert events["ec2/slowest"] == [("bury", next_day_at(mod, 4).isoformat())]
    assert events["ec2/layers-c1"] == [("forget", forget_value(reset_counts=True))]
    ((event, value),) = events["ec2/layers-c2"]
    due = day_starting(days.today_date + timedelta(days=5), 4)
    assert (event, json.loads(value or "")) == (
        "set_due",
        {
            "due": due.isoformat(),
            "interval_days": col.get_card(ids["ec2/layers-c2"]).ivl,
            "review": True,
        },
    )
    # Each at its time: a revlog row's own, or the card's modification.
    revlog_at = datetime.fromtimestamp(rows[ids["ec2/layers-c2"]] / 1000, tz=timezone.utc)
    assert found["ec2/layers-c2"][0].at == revlog_at
    assert found["ec2/slowest"][0].at == mod

    # The next sync's mark holds what the shadow holds: unsuspending is the only news.
    marks = {HELD: json.dumps(held_in(shadow))}
    col.sched.unsuspend_cards([ids["ec2/nitro"]])
    found = card_actions(store, shadow, days, marks, 0, 0, now)
    assert {key: [e.event for e in entries] for key, entries in found.items()} == {
        "ec2/nitro": ["unsuspend"]
    }


def test_a_burial_already_over_is_no_action(col: Any, tmp_path: Path) -> None:
    shadow = Shadow(col)
    apply_content(shadow, load(tmp_path / "ec2.yaml", DECK), None)
    col.sched.bury_cards([shadow.cards()["ec2/nitro"].card_id])
    later = datetime.now(timezone.utc) + timedelta(days=2)
    assert card_actions(memory_store(), shadow, shadow.days(4), {HELD: "{}"}, 0, 0, later) == {}


def test_before_any_sync_kept_the_mark_the_cards_held_here_count_as_held(
    col: Any, tmp_path: Path
) -> None:
    """A database of an older version: the shadow holds what ec2cards held at its last sync."""
    store = memory_store()
    shadow = Shadow(col)
    apply_content(shadow, load(tmp_path / "ec2.yaml", DECK), None)
    nitro = shadow.cards()["ec2/nitro"].card_id
    col.sched.suspend_cards([nitro])
    store.log.record("ec2/nitro", "suspend", NOW)
    assert card_actions(store, shadow, shadow.days(4), {}, 0, 0, NOW) == {}


def test_ankis_set_due_date_makes_a_card_a_review_card() -> None:
    due = NOW + timedelta(days=3)
    anki = due_value(due, 3, review=True)
    learning = CardState(Phase.LEARNING, due=NOW, steps_left=1, stability=2.0, difficulty=5.0)
    for state in (learning, CardState(Phase.RELEARNING, due=NOW, steps_left=1, interval_days=9)):
        after = changed(SET_DUE, state, anki)
        assert (after.phase, after.due, after.interval_days, after.steps_left) == (
            Phase.REVIEW,
            due,
            3,
            0,
        )
    # A new card becomes a review card without memory, as in Anki; a due date kept through a
    # change of settings leaves a new card new, as before.
    assert changed(SET_DUE, NEW_STATE, due_value(due, 0, review=True)).phase is Phase.REVIEW
    assert changed(SET_DUE, NEW_STATE, due_value(due, 0, kept=True)) == NEW_STATE
    assert changed(SET_DUE, learning, due_value(due, 3)).phase is Phase.LEARNING


def test_a_new_card_given_a_due_date_in_anki_answers_as_in_anki(col: Any) -> None:
    from ec2cards.config.settings import Settings
    from ec2cards.scheduling.scheduler import Scheduler

    note = col.new_note(col.models.by_name("Basic"))
    note["Front"] = "q"
    col.add_note(note, 1)
    (cid,) = col.find_cards("")
    col.sched.set_due_date([cid], "0")
    card = col.get_card(cid)
    card.start_timer()
    col.sched.answerCard(card, 3)
    anki = col.get_card(cid)
    now = datetime.now(timezone.utc)
    given = changed(SET_DUE, NEW_STATE, due_value(now, 0, review=True))
    ours = Scheduler(Settings()).review(given, Rating.GOOD, now, "ec2/q")
    assert (ours.phase, ours.interval_days) == (Phase.REVIEW, anki.ivl)
    assert ours.stability == pytest.approx(anki.memory_state.stability, rel=1e-4)
    assert ours.difficulty == pytest.approx(anki.memory_state.difficulty, rel=1e-4)


def test_the_summary_says_which_card_actions_came_and_went() -> None:
    report = SyncSummary(
        "AnkiWeb",
        actions_pulled={"suspend": 2, "set_due": 1, "forget": 1},
        actions_pushed={"bury": 1},
    )
    assert "card actions: 2 suspended, 1 forgotten, 1 due date set in Anki; 1 buried here" in (
        sync_summary(report)
    )
    quiet = sync_summary(SyncSummary("AnkiWeb"))
    assert not any(line.startswith("card actions") for line in quiet)
    many = sync_summary(SyncSummary("AnkiWeb", actions_pulled={"set_due": 2}))
    assert "card actions: 2 due dates set in Anki" in many


def test_a_forget_keeps_the_counts_unless_anki_reset_them() -> None:
    answered = CardState(Phase.REVIEW, due=NOW, interval_days=9, stability=9.0, reps=5, lapses=2)
    kept = changed(FORGET, answered)
    assert (kept.phase, kept.reps, kept.lapses, kept.stability) == (Phase.NEW, 5, 2, None)
    reset = changed(FORGET, answered, forget_value(reset_counts=True))
    assert (reset.phase, reset.reps, reset.lapses) == (Phase.NEW, 0, 0)
    assert forget_value(reset_counts=False) is None


def test_the_card_actions_made_here_are_counted_once_and_not_a_kept_due_date() -> None:
    store = memory_store()
    store.log.record("ec2/a", "suspend", NOW)
    mark = store.sync.last_log_id()
    store.log.record("ec2/a", "unsuspend", NOW + timedelta(seconds=1))
    store.log.record("ec2/b", "bury", NOW, (NOW + timedelta(days=1)).isoformat())
    bury_id = store.sync.last_log_id()
    store.log.record("ec2/c", "set_due", NOW, due_value(NOW, 3, kept=True))
    store.log.undo(bury_id, NOW + timedelta(seconds=2), lambda key, entry: NEW_STATE)
    assert store.sync.actions_since(0) == {"suspend": 1, "unsuspend": 1}
    assert store.sync.actions_since(mark) == {"unsuspend": 1}


def test_an_action_that_changes_nothing_where_it_falls_in_time_is_not_logged(
    col: Any, tmp_path: Path
) -> None:
    from ec2cards.config.settings import Settings
    from ec2cards.storage.review_log import ReviewEntry
    from ec2cards.sync.reviews import take_in

    store = memory_store()
    shadow = Shadow(col)
    apply_content(shadow, load(tmp_path / "ec2.yaml", DECK), None)
    store.log.record("ec2/nitro", "suspend", NOW)

    def came(event: str, at: datetime) -> dict[str, list[ReviewEntry]]:
        return {
            "ec2/nitro": [ReviewEntry("ec2/nitro", None, at, None, NEW_STATE, NEW_STATE, event)]
        }

    # Suspended in Anki too, a minute later: nothing to take in.
    taken = take_in(store, shadow, Settings(), 0, 0, came("suspend", NOW + timedelta(minutes=1)))
    assert taken.actions == {} and len(store.log.entries("ec2/nitro")) == 1
    # Unsuspended in Anki an hour before the suspend here, when it was not suspended: nothing
    # then either, and the suspend here stands.
    taken = take_in(store, shadow, Settings(), 0, 0, came("unsuspend", NOW - timedelta(hours=1)))
    assert taken.actions == {} and store.cards.state("ec2/nitro").suspended
    # Unsuspended an hour after: taken in, the card is unsuspended.
    taken = take_in(store, shadow, Settings(), 0, 0, came("unsuspend", NOW + timedelta(hours=1)))
    assert taken.actions == {"unsuspend": 1} and not store.cards.state("ec2/nitro").suspended
    assert [e.event for e in store.log.entries("ec2/nitro")] == ["suspend", "unsuspend"]
