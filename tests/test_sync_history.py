"""Sync's history kept whole, against Anki's own sync server with a second Anki collection as
the phone (the harness of `test_sync.py`): answers to cards that left the decks before the
phone synced, answers undone after a sync, and cards adopted from an earlier export, whose
fuzz both sides draw from the card's Anki id.

What is expected comes from Anki: the phone's cards, revlog and memory states as Anki's library
reads and computes them; what ec2cards shows is read as a user reads it."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from conftest import memory_store, venv_bin
from test_sync import MINE, Server, card, due_of, ec2, log_in, phone, server, study, synced

from ec2cards.config.settings import Settings
from ec2cards.model.cards import card_number
from ec2cards.model.ratings import Rating
from ec2cards.model.states import NEW_STATE, Phase
from ec2cards.scheduling.answer import record_answer
from ec2cards.scheduling.replay import differing
from ec2cards.scheduling.scheduler import Scheduler

__all__ = ["phone", "server"]  # the fixtures, shared with test_sync.py


def test_an_anki_card_id_is_remembered_and_one_of_its_own_numbers_the_card() -> None:
    store = memory_store()
    own, adopted = card_number("d/a"), 1_700_000_000_123
    assert store.sync.remember_cards({"d/a": own, "d/b": adopted}) == {"d/b"}
    assert store.cards.numbers() == {"d/b": adopted}  # only the card whose id is not its key's
    assert store.sync.remember_cards({"d/a": own, "d/b": adopted}) == set()  # nothing new
    assert store.sync.keys_of_cards([own, adopted, 7]) == {own: "d/a", adopted: "d/b"}
    assert store.sync.remember_cards({"d/b": card_number("d/b")}) == {"d/b"}  # made anew
    assert store.cards.numbers() == {}
    assert store.sync.keys_of_cards([adopted]) == {adopted: "d/b"}  # the old id still leads home


def test_a_card_with_an_anki_id_of_its_own_is_scheduled_and_replayed_from_it() -> None:
    """Answers and the replay draw the fuzz from the Anki id: what Anki's scheduler, seeded
    with that id, gives (the server test holds this to Anki itself)."""
    store = memory_store()
    settings = Settings()
    now = datetime(2026, 3, 12, 9, 30, tzinfo=timezone.utc)
    adopted = next(n for n in range(1_700_000_000_000, 1_700_000_001_000) if _differs(n, now))
    store.sync.remember_cards({"d/b": adopted})
    _, _, after = record_answer(store, Scheduler(settings), "d/b", Rating.EASY, now)
    expected = Scheduler(settings).options(NEW_STATE, now, "d/b", number=adopted)[Rating.EASY]
    assert after == expected.state and after.phase is Phase.REVIEW
    assert differing(store, Scheduler(settings)) == []  # the replay draws the same


def _differs(number: int, now: datetime) -> bool:
    """Whether this Anki id gives card d/b another Easy interval than its key's number."""
    scheduler = Scheduler(Settings())
    by_id = scheduler.options(NEW_STATE, now, "d/b", number=number)[Rating.EASY].state
    by_key = scheduler.options(NEW_STATE, now, "d/b")[Rating.EASY].state
    return by_id.due != by_key.due


@pytest.mark.parametrize("remembered", [True, False])
def test_a_phone_answer_to_a_card_removed_meanwhile_is_kept_and_follows_it_back(
    home: Path, server: Server, phone: Any, remembered: bool
) -> None:
    """The terminal answers card a Good and syncs; the phone answers it Again offline; card a
    leaves the deck and the terminal syncs; then the phone syncs. The phone's Again is kept
    under a's key, and when a is back in the deck both sides hold the replay of both answers
    in time order. Without the card's Anki id remembered (a card removed before sync kept
    them), the answer the card had in Anki before says whose it is."""
    user = server.account()
    log_in(home, server, user)
    study("3")  # card a
    synced(sent=1)
    handheld = phone(user)
    handheld.sync()
    handheld.answer("mine/a", 1)  # offline

    deck = home / "decks" / "mine.yaml"
    deck.write_text(MINE.replace("  - id: a\n    q: What is a?\n    a: Alpha\n", ""))
    result = ec2("sync")
    assert result.exit_code == 0 and "1 removed" in result.output, result.output
    if not remembered:
        with sqlite3.connect(home / "ec2cards.db") as db:
            db.execute("DELETE FROM sync_card")
    handheld.sync()  # the removal comes down, the Again goes up
    assert not handheld.has("mine/a")

    result = ec2("sync")
    assert result.exit_code == 0, result.output
    assert "reviews 0 pushed and 1 pulled" in result.output
    assert "1 review of cards no deck has now kept in the log" in result.output
    assert [r["rating"] for r in card("mine/a")["reviews"]] == ["Good", "Again"]

    deck.write_text(MINE)  # card a is back
    result = ec2("sync")
    assert result.exit_code == 0 and "1 added" in result.output, result.output
    handheld.sync()
    cid = handheld.card_id("mine/a")
    assert [ease for _, ease in handheld.reviews("mine/a")] == [3, 1]
    shown = card("mine/a")
    anki = handheld.col.compute_memory_state(cid)  # Anki's replay of both, in time order
    assert shown["stability"] == pytest.approx(anki.stability, rel=1e-3)
    assert shown["difficulty"] == pytest.approx(anki.difficulty, rel=1e-3)
    on_phone = handheld.col.get_card(cid)
    assert on_phone.memory_state.stability == pytest.approx(anki.stability, rel=1e-3)
    assert handheld.due_at("mine/a") == due_of(shown)
    assert on_phone.reps == 2 and on_phone.lapses == shown["lapses"]
    assert synced(sent=0, taken=0)["cards"] == 0


def _live_session(home: Path) -> Any:
    """`ec2cards study --deck mine` in line mode, kept open, as a person at a terminal."""
    return subprocess.Popen(
        [venv_bin("ec2cards"), "study", "--deck", "mine"],
        env={**os.environ, "EC2CARDS_HOME": str(home)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        bufsize=1,
    )


def _type(session: Any, keys: str, until: str) -> str:
    """Type a line into the session and read what it prints up to a line holding `until`."""
    session.stdin.write(keys + "\n")
    session.stdin.flush()
    seen = ""
    for line in session.stdout:
        seen += line
        if until in line:
            return seen
    raise AssertionError(seen)


def test_an_answer_undone_after_a_sync_leaves_the_phone_in_ec2cards_state(
    home: Path, server: Server, phone: Any
) -> None:
    """Card a answered twice long ago and once now, in a session still open; a sync sends all
    three; then the session undoes the third. Anki's sync cannot take a revlog row back (a
    deleted row fails the server's check), so the phone keeps three rows, but after the next
    sync its card is ec2cards' card: memory, due day, last review time; the summary says once
    that Anki's history keeps the undone answer."""
    user = server.account()
    log_in(home, server, user)
    today = datetime.now(timezone.utc)
    study("3", now=today - timedelta(days=70))  # card a: learning
    study("3", now=today - timedelta(days=60))  # card a: 22 days, due long ago
    session = _live_session(home)
    try:
        assert "What is a?" in _type(session, "", "Rating")
        _type(session, "3", "saved:")
        synced(sent=3)
        handheld = phone(user)
        handheld.sync()
        assert [ease for _, ease in handheld.reviews("mine/a")] == [3, 3, 3]
        assert "undone:" in _type(session, "u", "undone:")
        _type(session, "q", "Session done")
    finally:
        session.communicate()
    result = ec2("sync")
    assert result.exit_code == 0, result.output
    assert "Anki's history keeps 1 answer undone here" in result.output
    handheld.sync()

    shown = card("mine/a")
    assert [r["rating"] for r in shown["reviews"] if r["event"] == "review"] == ["Good"] * 3
    assert shown["reps"] == 2 and shown["state"] == "review"
    assert len(handheld.reviews("mine/a")) == 3  # the phone's history keeps the undone row
    on_phone = handheld.col.get_card(handheld.card_id("mine/a"))
    assert on_phone.reps == 2
    assert on_phone.memory_state.stability == pytest.approx(shown["stability"], rel=1e-4)
    assert on_phone.memory_state.difficulty == pytest.approx(shown["difficulty"], rel=1e-4)
    assert handheld.due_at("mine/a") == due_of(shown)
    second = handheld.reviews("mine/a")[1][0]
    assert on_phone.last_review_time == second // 1000  # the last answer that stands
    assert due_of(shown) < today  # due again, as before the undone answer
    result = ec2("sync")  # said once
    assert result.exit_code == 0 and "undone" not in result.output, result.output


def test_cards_adopted_from_an_export_draw_the_fuzz_anki_draws(
    home: Path, tmp_path: Path, server: Server, phone: Any
) -> None:
    """The deck went to the phone as an .apkg before sync was set up: Anki gave its cards ids
    of its own. Sync adopts the notes and their ids; the same answer then gives the same
    interval on both sides, whichever side gives it. The oracle is Anki's scheduler on a
    second phone that answers as the terminal does."""
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    user = server.account()
    log_in(home, server, user)
    package = tmp_path / "mine.apkg"
    assert ec2("export", "--deck", "mine", "--output", str(package)).exit_code == 0
    handheld = phone(user)
    handheld.col.import_anki_package(
        ImportAnkiPackageRequest(package_path=str(package), options=ImportAnkiPackageOptions())
    )
    adopted = {key: handheld.card_id(key) for key in ("mine/a", "mine/b", "mine/c")}
    handheld.sync(upload=True)
    synced()
    handheld.sync()
    assert {key: handheld.card_id(key) for key in adopted} == adopted  # the notes were adopted
    oracle = phone(user)  # Anki answering as the terminal will
    oracle.sync()

    # On the phone: a and c Easy. ec2cards' replay of those answers gives the phone's days.
    for key in ("mine/a", "mine/c"):
        handheld.answer(key, 4)
    handheld.sync()
    synced(taken=2)
    for key in ("mine/a", "mine/c"):
        assert due_of(card(key)) == handheld.due_at(key), key

    # In the terminal: b Easy, as the oracle answers it in Anki.
    oracle.answer("mine/b", 4)
    study("4")
    synced(sent=1)
    handheld.sync()
    assert due_of(card("mine/b")) == oracle.due_at("mine/b") == handheld.due_at("mine/b")
    assert synced(sent=0, taken=0)["cards"] == 0
    doctor = ec2("doctor")  # the cache is the replay, fuzz drawn from the adopted ids
    assert doctor.exit_code == 0 and "card states: all 3 match the review log" in doctor.output


def test_an_answer_given_in_anki_after_an_export_comes_back_with_ankis_interval(
    home: Path, tmp_path: Path
) -> None:
    """The round trip without sync: the deck exported, imported into Anki, answered there,
    exported from Anki with its scheduling and imported here. The review is replayed with the
    fuzz Anki drew from the card's id, so the due day is the one Anki gave."""
    from anki.collection import (
        Collection,
        ExportAnkiPackageOptions,
        ImportAnkiPackageOptions,
        ImportAnkiPackageRequest,
    )
    from conftest import write_deck

    write_deck(home / "decks", "mine.yaml", MINE)
    package = tmp_path / "mine.apkg"
    assert ec2("export", "--deck", "mine", "--output", str(package)).exit_code == 0
    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        col.set_config("fsrs", True)
        col.import_anki_package(
            ImportAnkiPackageRequest(package_path=str(package), options=ImportAnkiPackageOptions())
        )
        due = {}
        for key in ("mine/a", "mine/b", "mine/c"):
            (cid,) = col.find_cards(f'"ec2cards key:{key}"')
            answered = col.get_card(cid)
            answered.start_timer()
            col.sched.answerCard(answered, 4)
            answered = col.get_card(cid)
            days = answered.due - col.sched.today
            due[key] = datetime.fromtimestamp(col.sched.day_cutoff, tz=timezone.utc) + timedelta(
                days=days - 1
            )
        back = tmp_path / "back.apkg"
        options = ExportAnkiPackageOptions(with_scheduling=True, with_deck_configs=True)
        col.export_anki_package(out_path=str(back), options=options, limit=None)
    finally:
        col.close()
    result = ec2("import", str(back))
    assert result.exit_code == 0, result.output
    assert {key: due_of(card(key)) for key in due} == due
