"""True replay and changes of settings: `rebuild` computes every state anew from the log with the
current settings, a changed setting recomputes memory and moves due dates only when asked,
undo restores by replay, `card KEY` shows a card's page, and load balancing."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from conftest import invoke, replayed, write_deck
from hypothesis import given, settings
from hypothesis import strategies as st

from ec2cards.config.file import load_settings
from ec2cards.config.settings import Settings
from ec2cards.model.ratings import Rating
from ec2cards.model.states import NEW_STATE, Phase
from ec2cards.scheduling.answer import record_answer
from ec2cards.scheduling.fuzz import balanced_days
from ec2cards.scheduling.replay import rebuild, restorer
from ec2cards.scheduling.scheduler import Scheduler
from ec2cards.storage.store import Store

NOW = "2026-11-24T10:00:00+00:00"
LATER = "2026-11-24T10:05:00+00:00"
DECK = "deck: d\ntitle: D\ntopic: t\ncards:\n" + "".join(
    f"  - id: c{i}\n    q: Question {i}?\n    a: Answer {i}\n" for i in range(6)
)


def studied(home: Path, answers: str = "\n4\n" * 6) -> None:
    """Cards answered (by default six new cards Easy: six review cards, due in about a week)."""
    write_deck(home / "decks", "d.yaml", DECK)
    result: Any = invoke(["study", "--deck", "d"], input=answers + "q\n", now=NOW)
    assert result.exit_code == 0, result.output
    assert result.output.count("saved:") == answers.count("\n") // 2, result.output


def page(key: str, now: str = LATER) -> dict[str, Any]:
    result: Any = invoke(["card", key, "--json"], now=now)
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.stdout))


def dues(home: Path) -> dict[str, str]:
    return {f"d/c{i}": page(f"d/c{i}")["due"] for i in range(6)}


def test_rebuild_after_a_retention_change_made_by_hand_moves_due_dates(home: Path) -> None:
    studied(home)
    before = dues(home)
    (home / "config.toml").write_text("desired_retention = 0.75\n")  # edited by hand
    result: Any = invoke(["rebuild"], now=LATER)
    assert result.exit_code == 0 and "rebuilt the state of 6 cards" in result.output
    after = dues(home)
    assert all(after[key] > before[key] for key in before)  # lower retention: longer waits


def test_a_setting_changed_with_reschedule_moves_due_dates_at_once(home: Path) -> None:
    studied(home)
    before = dues(home)
    result: Any = invoke(["config", "desired_retention", "0.97", "--reschedule"], now=LATER)
    assert result.exit_code == 0, result.output
    assert "rescheduled 6 cards to the new setting: 6 due dates moved" in result.output
    after = dues(home)
    assert all(after[key] < before[key] for key in before)  # higher retention: sooner


def test_a_setting_changed_without_reschedule_keeps_due_dates_through_a_replay(
    home: Path,
) -> None:
    studied(home)
    before = {key: page(key) for key in (f"d/c{i}" for i in range(6))}
    result: Any = invoke(["config", "desired_retention", "0.97"], now=LATER)  # not asked: keep
    assert result.exit_code == 0, result.output
    assert "recomputed the memory of 6 cards; their due dates stay" in result.output
    assert dues(home) == {key: info["due"] for key, info in before.items()}
    # The log keeps them, so a replay (rebuild, doctor) keeps them too.
    assert invoke(["rebuild"], now=LATER).exit_code == 0  # type: ignore[attr-defined]
    assert dues(home) == {key: info["due"] for key, info in before.items()}
    doctor: Any = invoke(["doctor"], now=LATER)
    assert "card states: all 6 match the review log" in doctor.output
    events = page("d/c0")["reviews"]
    assert [e["event"] for e in events] == ["review", "set_due"]
    # Answered again, a card follows the new setting.
    week = "2026-12-05T10:00:00+00:00"
    invoke(["study", "--deck", "d"], input="\n3\nq\n", now=week)
    store = Store.open(home)
    assert replayed(store, load_settings(home)) == store.cards.states()
    store.close()


def test_new_parameters_recompute_memory_and_reschedule_only_when_asked(home: Path) -> None:
    studied(home)
    before = page("d/c0")
    defaults = Scheduler(Settings()).parameters

    def parameters(first: tuple[float, ...]) -> str:
        return " ".join(str(p) for p in [*first, *defaults[4:]])

    kept: Any = invoke(
        ["config", "parameters", parameters((0.8, 1.6, 4.0, 10.0)), "--no-reschedule"], now=LATER
    )
    assert kept.exit_code == 0, kept.output
    after = page("d/c0")
    assert after["stability"] != before["stability"]  # memory follows the new parameters ...
    assert after["due"] == before["due"]  # ... the due date stays
    moved: Any = invoke(
        ["config", "parameters", parameters((0.5, 1.0, 2.0, 4.0)), "--reschedule"], now=LATER
    )
    assert moved.exit_code == 0 and "due dates moved" in moved.output
    assert page("d/c0")["due"] < before["due"]  # a weaker memory: sooner


def test_undo_restores_the_state_a_replay_gives(home: Path) -> None:
    store = Store.open(home)
    scheduler = Scheduler(Settings())
    start = datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc)
    record_answer(store, scheduler, "d/a", Rating.GOOD, start)
    before = store.cards.state("d/a")
    entry, _, _ = record_answer(store, scheduler, "d/a", Rating.EASY, start + timedelta(minutes=10))
    key, restored = store.log.undo(entry, start + timedelta(minutes=11), restorer(store, scheduler))
    assert (key, restored) == ("d/a", before) and store.cards.state("d/a") == before
    assert replayed(store) == store.cards.states()
    store.close()


def test_card_page_as_json_and_on_screen(home: Path) -> None:
    studied(home, "\n1\n")  # one card: Again, into learning
    info = page("d/c0")
    assert {"key", "state", "due", "stability", "difficulty", "reviews"} <= set(info)
    assert (info["key"], info["state"], info["deck"], info["line"]) == ("d/c0", "learning", "d", 5)
    assert info["path"].endswith("d.yaml") and info["question"] == "Question 0?"
    (review,) = info["reviews"]
    assert (review["event"], review["rating"], review["state"]) == ("review", "Again", "learning")
    assert datetime.fromisoformat(info["due"]) > datetime.fromisoformat(NOW)
    assert page("c0")["key"] == "d/c0"  # a card id alone, when one deck has it
    screen: Any = invoke(["card", "d/c0"], now=LATER)
    assert "Question 0?" in screen.output and "History" in screen.output
    assert f"{home / 'decks' / 'd.yaml'}:5" in screen.output
    missing: Any = invoke(["card", "d/c9"], now=LATER)
    assert missing.exit_code == 2 and "no card 'd/c9'" in missing.output
    assert "did you mean" in missing.output


def test_a_card_removed_from_its_deck_keeps_its_page(home: Path) -> None:
    studied(home, "\n3\n")
    write_deck(
        home / "decks",
        "d.yaml",
        DECK.replace("  - id: c0\n    q: Question 0?\n    a: Answer 0\n", ""),
    )
    result: Any = invoke(["card", "d/c0"], now=LATER)
    assert result.exit_code == 0 and "in no deck any more; its history is kept" in result.output
    assert page("d/c0")["reviews"][0]["rating"] == "Good"


def test_balancing_picks_the_lightly_loaded_day_and_skips_an_easy_day() -> None:
    loads = {day: 10 for day in range(1, 40)}
    loads[20] = 0

    def load(day: int) -> int:
        return loads[day]

    chosen = [balanced_days(i / 200, 20.0, 1, 36500, load, lambda d: 1.0) for i in range(200)]
    assert chosen.count(20) > 180  # the empty day, nearly always
    no_twenty = [
        balanced_days(i / 200, 20.0, 1, 36500, load, lambda d: float(d != 20)) for i in range(200)
    ]
    assert 20 not in no_twenty and len(set(no_twenty)) > 3  # an easy day is avoided


def test_with_balancing_on_labels_still_keep_their_word(home: Path) -> None:
    """Balanced days are read from the cache when a card is shown and when it is answered:
    the label is still what the answer saves, and a replay still gives the cache."""
    (home / "decks").mkdir(parents=True)
    (home / "config.toml").write_text("load_balance = true\n")
    studied(home)
    result: Any = invoke(
        ["study", "--deck", "d"], input="\n3\n" * 6 + "q\n", now="2026-12-10T09:00:00+00:00"
    )
    for rate, saved in zip(
        [line for line in result.output.splitlines() if line.startswith("Rate:")],
        [line for line in result.output.splitlines() if line.startswith("saved:")],
        strict=True,
    ):
        shown = rate.split("3 Good (")[1].split(")")[0]
        assert saved == f"saved: Good · next in {shown}", (rate, saved)
    store = Store.open(home)
    assert replayed(store, load_settings(home)) == store.cards.states()
    store.close()


ACTIONS = st.lists(
    st.tuples(st.integers(0, 5), st.sampled_from([1, 2, 3, 4, 0]), st.integers(0, 9 * 24 * 60)),
    max_size=40,
)


@settings(max_examples=25, deadline=None)
@given(ACTIONS, st.booleans())
def test_the_cache_equals_a_replay_with_fuzz_and_balancing(
    actions: list[tuple[int, int, int]], balance: bool
) -> None:
    import tempfile

    chosen = Settings(load_balance=balance, easy_days=(1, 1, 1, 1, 1, 0.5, 0))
    scheduler = Scheduler(chosen)
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(Path(folder))
        now = datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc)
        answered: list[int] = []
        for card, rating, minutes in actions:
            now += timedelta(minutes=minutes)
            if rating == 0 and answered:
                store.log.undo(answered.pop(), now, restorer(store, scheduler))
            elif rating:
                entry, _, _ = record_answer(store, scheduler, f"d/c{card}", Rating(rating), now)
                answered.append(entry)
        assert replayed(store, chosen) == store.cards.states()
        rebuild(store, scheduler)
        assert replayed(store, chosen) == store.cards.states()
        store.close()


def test_migration_to_true_replay_recomputes_every_state(home: Path) -> None:
    """A database from before true replay has its states computed anew on first use."""
    studied(home)
    db = sqlite3.connect(home / "ec2cards.db")
    db.execute("UPDATE card_state SET stability = 99.0, due = '2030-01-01T00:00:00.000000+00:00'")
    db.execute("INSERT INTO maintenance VALUES ('replay')")  # as migration 5 leaves it
    db.commit()
    db.close()
    assert invoke(["due"], now=LATER).exit_code == 0  # type: ignore[attr-defined]
    store = Store.open(home)
    assert store.db.pending_tasks() == []
    assert replayed(store) == store.cards.states()
    assert all(state.stability != 99.0 for state in store.cards.states().values())
    store.close()


def test_state_before_any_review_is_new() -> None:
    scheduler = Scheduler(Settings(fuzz=False))
    options = scheduler.options(NEW_STATE, datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc), "k")
    assert options[Rating.EASY].state.phase is Phase.REVIEW
    assert options[Rating.GOOD].state.phase is Phase.LEARNING
    assert date(2026, 1, 5) < options[Rating.EASY].state.due.date()  # type: ignore[union-attr]
