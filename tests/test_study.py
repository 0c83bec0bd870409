"""Study: queue order, limits, undo, suspend, leeches, coming back later, and the scripted CLI."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from conftest import invoke, write_deck

from ec2cards.config.settings import Settings
from ec2cards.decks.selection import load_collection
from ec2cards.model.ratings import Rating
from ec2cards.model.states import Phase
from ec2cards.scheduling.days import day_start
from ec2cards.storage.store import Store
from ec2cards.study.session import StudySession

T0 = datetime(2026, 11, 24, 10, 0, tzinfo=timezone.utc)
DECK = """deck: tiny
title: Tiny
topic: tiny
cards:
  - id: one
    q: First question?
    a: First answer
    note: A note shown after the answer.
  - id: two
    q: Second question?
    a: Second answer
  - id: three
    kind: choice
    q: Pick the right one
    options: [Right, Wrong, Other]
    answer: Right
  - id: four
    kind: cloze
    text: "The {{c1::kernel}} runs in privileged mode"
"""


def tiny_cards(home: Path) -> list:
    write_deck(home / "decks", "tiny.yaml", DECK)
    return list(load_collection(home).by_id["tiny"].cards)


def session(home: Path, now: datetime = T0, **kwargs: object) -> StudySession:
    store = Store.open(home)
    return StudySession(tiny_cards(home), store, Settings(fuzz=False), now, **kwargs)  # type: ignore[arg-type]


def test_queue_order_learning_then_reviews_then_new(home: Path) -> None:
    s = session(home)
    one, two, three, four = (s.cards[f"tiny/{k}"] for k in ("one", "two", "three", "four-c1"))
    assert s.next_card(T0) == one  # new cards in deck order
    s.answer(one, Rating.EASY, T0)  # -> review in 8 days
    s.answer(s.next_card(T0), Rating.AGAIN, T0)  # two -> learning, due in 1 minute
    assert s.next_card(T0) == three
    later = T0 + timedelta(minutes=2)
    assert s.next_card(later) == two  # learning due now beats new cards
    s.answer(two, Rating.EASY, later)
    # Days later both are due reviews: most overdue first, and both before the new cards.
    week = T0 + timedelta(days=30)
    s2 = StudySession(list(s.cards.values()), s.store, Settings(fuzz=False), week)
    first_due = min((one, two), key=lambda c: s2.state(c).due)
    assert s2.next_card(week) == first_due
    s2.answer(first_due, Rating.GOOD, week)
    assert s2.next_card(week) == ({one, two} - {first_due}).pop()
    assert four.question == "The [...] runs in privileged mode"


def test_new_card_daily_limit_counts_the_local_day(home: Path) -> None:
    s = session(home, new_limit=None)
    s.settings = Settings(fuzz=False, new_per_day=2)
    s = StudySession(list(s.cards.values()), s.store, Settings(fuzz=False, new_per_day=2), T0)
    for _ in range(2):
        s.answer(s.next_card(T0), Rating.EASY, T0)
    assert s.next_card(T0) is None
    same_day = StudySession(
        list(s.cards.values()), s.store, Settings(new_per_day=2), T0 + timedelta(hours=3)
    )
    assert same_day.new_quota == 0
    next_day = T0 + timedelta(days=1)
    fresh = StudySession(list(s.cards.values()), s.store, Settings(new_per_day=2), next_day)
    assert fresh.new_quota == 2


def test_day_start_uses_cutoff_hour() -> None:
    assert day_start(datetime(2026, 11, 24, 3, tzinfo=timezone.utc), 4) == datetime(
        2026, 11, 23, 4, tzinfo=timezone.utc
    )
    assert day_start(datetime(2026, 11, 24, 5, tzinfo=timezone.utc), 4) == datetime(
        2026, 11, 24, 4, tzinfo=timezone.utc
    )


def test_undo_restores_state_and_shows_card_again(home: Path) -> None:
    s = session(home)
    first = s.next_card(T0)
    s.answer(first, Rating.GOOD, T0)
    assert s.summary.studied == 1
    assert s.undo(T0) == first
    assert s.state(first).phase is Phase.NEW
    assert s.summary.studied == 0
    assert s.next_card(T0) == first
    events = [e.event for e in s.store.log.entries()]
    assert events == ["review", "undo"]


def test_undo_never_takes_back_another_sessions_answer(home: Path) -> None:
    """Two terminals: A answers a card Good, B answers it Again, then A presses u. A's undo
    would discard B's answer too: it is refused with one line, both answers count, and A's
    session moves on (its next u reaches the answer before)."""
    from ec2cards.errors import UndoRefused
    from ec2cards.scheduling.replay import replay
    from ec2cards.scheduling.scheduler import Scheduler

    a, b = session(home), session(home)
    first = a.next_card(T0)
    a.answer(first, Rating.GOOD, T0)
    second = a.next_card(T0 + timedelta(seconds=5))
    a.answer(second, Rating.GOOD, T0 + timedelta(seconds=5))
    b.answer(first, Rating.AGAIN, T0 + timedelta(seconds=10))
    a.undo(T0 + timedelta(seconds=15))  # the second card: nothing later on it, so it goes
    with pytest.raises(UndoRefused, match=f"cannot undo: {first.key} was answered again"):
        a.undo(T0 + timedelta(seconds=20))
    live = [e for e in a.store.log.entries(first.key) if e.event == "review"]
    assert [e.rating for e in live] == [Rating.GOOD, Rating.AGAIN]
    states = replay(a.store.log.entries(snapshots=False), Scheduler(Settings(fuzz=False)))
    assert states[first.key].reps == 2 and a.store.cards.state(first.key) == states[first.key]
    assert a.undo(T0 + timedelta(seconds=25)) is None  # the refused answer left the history


def test_an_undo_after_the_other_session_undid_its_own_goes_through(home: Path) -> None:
    a, b = session(home), session(home)
    card = a.next_card(T0)
    a.answer(card, Rating.GOOD, T0)
    b.answer(card, Rating.AGAIN, T0 + timedelta(seconds=10))
    assert b.undo(T0 + timedelta(seconds=12)) == card  # B takes its own back
    assert a.undo(T0 + timedelta(seconds=15)) == card  # then nothing later counts
    assert a.store.cards.state(card.key).phase is Phase.NEW


def test_an_undone_review_comes_back_before_a_due_learning_card(home: Path) -> None:
    s = session(home)
    one, two = s.cards["tiny/one"], s.cards["tiny/two"]
    s.answer(one, Rating.EASY, T0)  # a review card, due in days
    s.answer(two, Rating.AGAIN, T0)  # a learning card, due in a minute
    due = s.state(one).due
    assert due is not None
    s = StudySession(list(s.cards.values()), s.store, Settings(fuzz=False), due)
    assert s.state(two).due is not None and s.state(two).due < due  # learning is due too
    assert s.next_card(due) == two  # learning first
    s.answer(two, Rating.GOOD, due)
    review = s.next_card(due)
    assert review == one
    s.answer(one, Rating.GOOD, due)
    s2_learning = s.state(two)
    assert s2_learning.phase is Phase.LEARNING and s2_learning.due is not None
    later = s2_learning.due  # the learning card is due again when the review is undone
    assert s.undo(later) == one
    assert s.next_card(later) == one


def test_rating_labels_are_the_intervals_answers_save(home: Path) -> None:
    """The interval shown on each key is the one that answer saves, for a review card too
    (fuzz off: with fuzz on the label is also exact, see the scheduling tests)."""
    s = session(home)
    one = s.cards["tiny/one"]
    s.answer(one, Rating.EASY, T0)
    due = s.state(one).due
    assert due is not None
    for rating in Rating:
        again = StudySession(list(s.cards.values()), s.store, Settings(fuzz=False), due)
        shown = again.preview(one, due)[rating]
        saved = again.answer(one, rating, due)
        assert saved.after.due is not None and saved.after.due - due == shown
        again.undo(due)
    assert s.preview(one, due)[Rating.GOOD] > timedelta(days=1)


def test_suspend_hides_card(home: Path) -> None:
    s = session(home)
    first = s.next_card(T0)
    s.suspend(first, T0)
    assert s.next_card(T0) != first
    assert s.store.cards.state(first.key).suspended


def test_scripted_session_end_to_end(home: Path) -> None:
    write_deck(home / "decks", "tiny.yaml", DECK)
    invoke(["config", "fuzz", "false"])
    now = "2026-11-24T10:00:00+00:00"
    # one: reveal, Good; two: reveal, Easy; then quit at the choice card.
    first = invoke(["study", "--deck", "tiny"], now=now, input="\n3\n\n4\nq\n")
    assert first.exit_code == 0, first.output
    out = first.output
    assert "Q: First question?" in out and "A: First answer" in out
    assert "Note: A note shown after the answer." in out
    assert "Rate: 1 Again (1m) · 2 Hard (6m) · 3 Good (10m) · 4 Easy (8d)" in out
    assert "saved: Good · next in 10m" in out and "saved: Easy · next in 8d" in out
    assert "Session done: 2 cards studied, 100% correct" in out
    db = sqlite3.connect(home / "ec2cards.db")
    assert db.execute("SELECT card_key, rating FROM review_log ORDER BY id").fetchall() == [
        ("tiny/one", 3),
        ("tiny/two", 4),
    ]


@pytest.mark.parametrize(("hhmm", "day"), [("23:30", "2026-12-02"), ("03:30", "2026-12-01")])
def test_the_saved_line_says_what_the_key_said_in_the_evening(
    home: Path, hhmm: str, day: str
) -> None:
    """At 23:30 (or 03:30, before the cut-off) Easy's key says 8d; the card falls due at 04:00
    of the 8th study day, some hours less than 8 days away: the saved line says 8d too."""
    write_deck(home / "decks", "tiny.yaml", DECK)
    invoke(["config", "fuzz", "false"])
    result = invoke(
        ["study", "--deck", "tiny"], now=f"2026-11-24T{hhmm}:00+00:00", input="\n4\nq\n"
    )
    assert result.exit_code == 0, result.output
    assert "4 Easy (8d)" in result.output and "saved: Easy · next in 8d" in result.output
    # 03:30 is still the study day of the 23rd: 8 study days on is the 1st.
    assert f"Next card due: in 8d ({day} 04:00)" in result.output  # the summary agrees
    due = invoke(["due", "--deck", "tiny"], now=f"2026-11-24T{hhmm}:00+00:00")
    assert f"next in 8d ({day} 04:00)" in due.output, due.output  # and so does due


def test_scripted_choice_card_suggests_rating(home: Path) -> None:
    write_deck(
        home / "decks",
        "c.yaml",
        DECK.replace("deck: tiny", "deck: c").split("  - id: one")[0]
        + "  - id: three\n    kind: choice\n    q: Pick the right one\n"
        "    options: [Right, Wrong, Other]\n    answer: Right\n",
    )
    result = invoke(["study", "--deck", "c"], now="2026-11-24T10:00:00+00:00", input="")
    shown = [line.split(". ", 1)[1] for line in result.output.splitlines() if line.startswith("  ")]
    wrong = str(shown.index("Wrong") + 1)
    result = invoke(["study", "--deck", "c"], now="2026-11-24T10:00:00+00:00", input=f"{wrong}\n\n")
    assert "Wrong. Expected: Right" in result.output
    assert "saved: Again" in result.output


def test_come_back_days_later_gets_exactly_due_cards(home: Path) -> None:
    write_deck(home / "decks", "tiny.yaml", DECK)
    invoke(["config", "fuzz", "false"])
    day0 = "2026-11-24T10:00:00+00:00"
    # one: Easy (8d); two: Easy (8d); three: choice, right answer, then Easy; four: Good then q.
    result = invoke(["study", "--deck", "tiny"], now=day0, input="\n4\n\n4\n")
    assert result.output.count("saved: Easy") == 2
    nothing = invoke(["study", "--deck", "tiny", "--new", "0"], now="2026-11-30T10:00:00+00:00")
    assert "Nothing due" in nothing.output
    assert "in 2d" in nothing.output  # due 2026-12-02
    due = invoke(
        ["study", "--deck", "tiny", "--new", "0"],
        now="2026-12-02T11:00:00+00:00",
        input="\n3\n\n3\n",
    )
    assert due.output.count("saved: Good") == 2
    assert "Session done: 2 cards studied" in due.output


def test_ahead_studies_cards_due_soonest(home: Path) -> None:
    write_deck(home / "decks", "tiny.yaml", DECK)
    invoke(
        ["study", "--deck", "tiny", "--new", "1"], now="2026-11-24T10:00:00+00:00", input="\n4\n"
    )
    nothing = invoke(["study", "--deck", "tiny", "--new", "0"], now="2026-11-25T10:00:00+00:00")
    assert "Use --ahead" in nothing.output
    ahead = invoke(
        ["study", "--deck", "tiny", "--new", "0", "--ahead", "--limit", "1"],
        now="2026-11-25T10:00:00+00:00",
        input="\n3\n",
    )
    assert "Q: First question?" in ahead.output and "saved: Good" in ahead.output


def test_undo_in_scripted_mode_keeps_undo_entry(home: Path) -> None:
    write_deck(home / "decks", "tiny.yaml", DECK)
    result = invoke(
        ["study", "--deck", "tiny"], now="2026-11-24T10:00:00+00:00", input="\n1\nu\n\n3\nq\n"
    )
    assert result.output.count("Q: First question?") == 2
    db = sqlite3.connect(home / "ec2cards.db")
    rows = db.execute("SELECT event, rating FROM review_log ORDER BY id").fetchall()
    assert rows == [("review", 1), ("undo", None), ("review", 3)]
    assert db.execute("SELECT phase FROM card_state WHERE card_key='tiny/one'").fetchone() == (1,)


def test_history_survives_edits_and_removal(home: Path) -> None:
    path = write_deck(home / "decks", "tiny.yaml", DECK)
    invoke(
        ["study", "--deck", "tiny", "--limit", "2"],
        now="2026-11-24T10:00:00+00:00",
        input="\n4\n\n4\n",
    )
    # Edit the text of an id-carrying card, and punctuation/case of... (both keep their keys).
    path.write_text(DECK.replace("First question?", "The first question, reworded?"))
    store = Store.open(home)
    cards = {c.key for c in load_collection(home).cards}
    assert "tiny/one" in cards and store.cards.state("tiny/one").phase is Phase.REVIEW
    store.close()
    # Remove card two: its history stays, check reports it as an orphan.
    path.write_text(
        DECK.replace("  - id: two\n    q: Second question?\n    a: Second answer\n", "")
    )
    report = invoke(["check"])
    assert report.exit_code == 0
    assert "tiny/two" in report.output and "orphan" in report.output
    path.write_text(DECK)
    assert "orphan" not in invoke(["check"]).output


def test_config_show_and_validate(home: Path) -> None:
    assert "desired_retention = 0.9" in invoke(["config"]).output
    assert invoke(["config", "new_per_day", "5"]).exit_code == 0
    assert "new_per_day = 5" in invoke(["config", "new_per_day"]).output
    assert "new_per_day = 5" in (home / "config.toml").read_text()
    bad = invoke(["config", "desired_retention", "2"])
    assert bad.exit_code == 2 and "between 0.70 and 0.99" in bad.output
    typo = invoke(["config", "new_per_dya", "3"])
    assert typo.exit_code == 2 and "did you mean 'new_per_day'" in typo.output
    steps = invoke(["config", "learning_steps", "1m 5x"])
    assert steps.exit_code == 2 and "'5x' is not a step" in steps.output
    (home / "config.toml").write_text("new_per_day = [\n")
    broken = invoke(["config"])
    assert broken.exit_code == 2 and "config.toml" in broken.output


def test_config_speaks_toml_and_keeps_the_users_comments(home: Path) -> None:
    shown = invoke(["config"]).output
    assert 'learning_steps = ["1m", "10m"]' in shown and "fuzz = true" in shown
    assert "parameters = []" in shown and "('" not in shown and "True" not in shown
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text("# mine\nnew_per_day = 5  # low, for now\n\n# end\n")
    changed = invoke(["config", "relearning_steps", "10m 1h"])
    assert 'relearning_steps = ["10m", "1h"]' in changed.output
    text = (home / "config.toml").read_text()
    assert text.startswith("# mine\nnew_per_day = 5  # low, for now\n")
    assert "# end" in text and 'relearning_steps = ["10m", "1h"]' in text


def test_rebuild_command_matches_cache(home: Path) -> None:
    write_deck(home / "decks", "tiny.yaml", DECK)
    invoke(["study", "--deck", "tiny"], now="2026-11-24T10:00:00+00:00", input="\n2\n\n3\nu\nq\n")
    store = Store.open(home)
    before = store.cards.states()
    store.close()
    result = invoke(["rebuild"])
    assert result.exit_code == 0 and "rebuilt the state of" in result.output
    store = Store.open(home)
    assert store.cards.states() == before
    assert sorted(before) == ["tiny/one", "tiny/two"]


def test_leech_is_suspended_and_reported(home: Path) -> None:
    cards = tiny_cards(home)
    store = Store.open(home)
    settings = Settings(fuzz=False, leech_threshold=1)
    s = StudySession(cards, store, settings, T0)
    one = s.next_card(T0)
    s.answer(one, Rating.EASY, T0)
    later = s.state(one).due
    s = StudySession(cards, store, settings, later)
    assert s.next_card(later) == one
    result = s.answer(one, Rating.AGAIN, later)
    assert result.became_leech and s.state(one).suspended
    summary = s.finish(later)
    assert summary.leeches == [one]
    from ec2cards.terminal.study_lines import summary_text

    assert "Leech suspended: tiny/one" in summary_text(summary, later)
    assert s.next_card(later + timedelta(days=1)) != one


def test_the_session_counts_keep_their_word_through_answers_set_asides_and_undos(
    home: Path,
) -> None:
    """What the header and the summary say (new left today, done, again, time, suspended,
    buried) follows every action and every undo, within the day's new-card limit."""
    s = StudySession(tiny_cards(home), Store.open(home), Settings(fuzz=False, new_per_day=3), T0)
    one, two, three = (s.cards[f"tiny/{k}"] for k in ("one", "two", "three"))
    assert s.remaining(T0) == (3, 0, 0)  # four new cards, three a day
    result = s.answer(one, Rating.AGAIN, T0, duration_ms=1500)
    assert (result.card, result.rating, result.before.phase) == (one, Rating.AGAIN, Phase.NEW)
    assert result.after.phase is Phase.LEARNING and not result.became_leech
    assert s.remaining(T0) == (2, 1, 0)
    s.answer(two, Rating.GOOD, T0, duration_ms=2500)
    assert s.remaining(T0) == (1, 2, 0)
    s.suspend(three, T0)
    assert s.remaining(T0) == (1, 2, 0)  # the fourth card takes the suspended one's place
    assert s.undo(T0) == three  # the suspension taken back: that card comes next
    assert s.next_card(T0) == three
    s.bury(three, T0)
    assert s.undo(T0) == three
    assert s.undo(T0) == two  # the Good answer taken back: two is new again
    assert s.remaining(T0) == (2, 1, 0)
    summary = s.finish(T0)
    assert (summary.studied, summary.again, summary.suspended, summary.buried) == (1, 1, 0, 0)
    assert summary.seconds == 4.0  # time spent stays spent, even on an answer taken back
    assert (summary.new_left, summary.new_limit_reached, summary.new_per_day) == (3, False, 3)
    s.answer(two, Rating.GOOD, T0)
    s.answer(three, Rating.GOOD, T0)
    assert s.remaining(T0).new == 0  # the fourth waits for tomorrow
    ended = s.finish(T0)
    assert (ended.studied, ended.again, ended.new_left, ended.new_limit_reached) == (3, 1, 1, True)
    s.answer(one, Rating.AGAIN, T0 + timedelta(minutes=2))
    assert s.finish(T0).again == 2
    s.undo(T0 + timedelta(minutes=3))  # an Again taken back is no longer counted
    assert (s.finish(T0).studied, s.finish(T0).again) == (3, 1)
    # Two months later the three are reviews due, two a day: answering one leaves one, its
    # undo two again.
    for card in (one, two, three):
        s.answer(card, Rating.EASY, T0 + timedelta(hours=1))
    later = T0 + timedelta(days=60)
    s = StudySession(
        list(s.cards.values()), s.store, Settings(fuzz=False, reviews_per_day=2), later
    )
    assert s.remaining(later) == (1, 0, 2)
    first = s.next_card(later)
    assert first is not None and s.state(first).phase is Phase.REVIEW
    s.answer(first, Rating.GOOD, later)
    assert s.remaining(later) == (1, 0, 1)
    assert s.undo(later) == first
    assert s.remaining(later) == (1, 0, 2)


def test_an_undone_answer_lets_its_siblings_come_back_today(home: Path) -> None:
    """Siblings wait for another day once one of them is answered; take that answer back and
    they are free again the same day."""
    write_deck(
        home / "decks",
        "sib.yaml",
        "deck: sib\ntitle: S\ntopic: s\ncards:\n"
        "  - id: az\n    kind: cloze\n    text: An {{c1::Availability}} {{c2::Zone}}\n",
    )
    cards = list(load_collection(home).by_id["sib"].cards)
    s = StudySession(cards, Store.open(home), Settings(fuzz=False), T0)
    first = s.next_card(T0)
    assert first is not None
    (other,) = [card for card in cards if card != first]
    s.answer(first, Rating.EASY, T0)
    assert s.next_card(T0) is None  # the other deletion waits for tomorrow
    assert s.undo(T0) == first
    assert s.next_card(T0) == first  # shown again, as after any undo
    s.bury(first, T0)  # and set aside this time: the other is free again today
    assert s.next_card(T0) == other


def test_a_buried_learning_card_is_due_tomorrow_not_now(home: Path) -> None:
    """Answer a new card Good, bury it when it comes back: it waits for the next study day, so
    no header, `due` or summary counts it as due now."""
    write_deck(home / "decks", "tiny.yaml", DECK)
    first = invoke(["study", "--deck", "tiny", "--new", "1"], now=T0.isoformat(), input="\n3\nq\n")
    assert first.exit_code == 0 and "saved: Good" in first.output, first.output
    back = (T0 + timedelta(minutes=11)).isoformat()
    buried = invoke(["study", "--deck", "tiny", "--new", "0"], now=back, input="b\nq\n")
    assert "1 learning" in buried.output and "buried until tomorrow" in buried.output
    assert "3 new cards not yet studied: this session's --new 0." in buried.output
    tomorrow = (day_start(T0, 4) + timedelta(days=1)).astimezone()
    assert f"Next card due: in 18h ({tomorrow:%Y-%m-%d %H:%M})" in buried.output, buried.output
    again = invoke(["study", "--deck", "tiny", "--new", "1"], now=back, input="q\n")
    assert "[0 done · 1 new · 0 learning · 0 to review]" in again.output, again.output
    due = invoke(["due", "--deck", "tiny", "--json"], now=back)
    counts = json.loads(due.output)
    assert counts["due_now"] == 0 and counts["due_today"] == 0, counts


def test_undo_says_what_it_took_back(home: Path) -> None:
    """An undone burial or suspension is not called an answer."""
    write_deck(home / "decks", "tiny.yaml", DECK)
    buried = invoke(["study", "--deck", "tiny"], now=T0.isoformat(), input="b\nu\nq\n")
    assert "undone: the card is no longer buried, and comes next" in buried.output, buried.output
    assert "that answer is taken back" not in buried.output
    answered = invoke(["study", "--deck", "tiny"], now=T0.isoformat(), input="\n3\nu\nq\n")
    assert "undone: that answer is taken back, and its card comes next" in answered.output


def test_cards_says_the_due_days_the_keys_said_in_the_evening(home: Path) -> None:
    """At 23:30 Easy says 8d and the card is due at 04:00 eight study days on, 7 days and some
    hours away: `cards` says in 8d too, as `card` and the saved line do."""
    write_deck(home / "decks", "tiny.yaml", DECK)
    invoke(["config", "fuzz", "false"])
    evening = "2026-11-24T23:30:00+00:00"
    studied = invoke(["study", "--deck", "tiny"], now=evening, input="\n4\nq\n")
    assert "saved: Easy · next in 8d" in studied.output
    listed = invoke(["cards", "--deck", "tiny", "--state", "review"], now=evening)
    row = next(line for line in listed.output.splitlines() if line.startswith("tiny/one"))
    assert " in 8d " in row, row
