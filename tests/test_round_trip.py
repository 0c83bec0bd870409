"""Moving to another machine: `export` to an .apkg, `import` into a fresh data folder.

Cards are studied here (scripted study at a fixed EC2CARDS_NOW, whose answers share one
millisecond, and answers at times between milliseconds), reset, suspended and undone; the
package must bring every card back as it was (its state, its deck's title, its kind and text),
and Anki's own library must see the same history and memory in it.
"""

from __future__ import annotations

import dataclasses
import json
import math
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from conftest import invoke, write_deck

from ec2cards.config.file import load_settings
from ec2cards.decks.format import load_deck
from ec2cards.interop.anki_notes import card_key
from ec2cards.model.cards import Card, CardKind
from ec2cards.model.decks import Deck
from ec2cards.model.ratings import Rating
from ec2cards.model.states import NEW_STATE, CardState, Phase
from ec2cards.scheduling.answer import record_answer
from ec2cards.scheduling.days import study_day
from ec2cards.scheduling.scheduler import Scheduler
from ec2cards.storage.store import Store

IAM = """\
deck: iam-basics
title: IAM basics
topic: iam
description: Users, roles and the policies that bind them.
source: AWS IAM user guide
cards:
  - id: root
    q: Who can close an **AWS account**?
    a: The root user
    accept: [root, account owner]
    note: Keep its keys locked away.
    topics: [security]
    tags: [exam, hard one]
  - id: sts
    kind: cloze
    text: "A role is assumed through {{c1::STS}} and named by an {{c2::ARN::identifier}}."
    source: My notes
  - id: attach
    kind: choice
    q: Which policies attach to a user?
    options: [Identity-based, Resource-based, Service control]
    answer: [Identity-based]
  - id: one-answer
    kind: choice
    q: Which principal has no credentials of its own?
    options: [Role, User]
    answer: Role
    group: principals
  - id: evaluation
    kind: order
    q: Order the policy evaluation
    items: [explicit deny, explicit allow, implicit deny]
  - id: least-privilege
    kind: scenario
    q: A Lambda function must read one S3 bucket. Which grant needs the LEAST privilege?
    options:
      - A role with s3:GetObject on that bucket
      - The AmazonS3FullAccess policy
      - An IAM user's keys
      - A bucket policy open to everyone
    answer: A role with s3:GetObject on that bucket
    explain:
      A role with s3:GetObject on that bucket: "Right: only the action and bucket it needs."
      The AmazonS3FullAccess policy: "Wrong: every bucket, every action."
      An IAM user's keys: "Wrong: long-lived keys in code."
      A bucket policy open to everyone: "Wrong: the whole world may read it."
"""
START = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)
NOW = "2026-11-24T10:00:00+00:00"
ANSWERS = {  # day, minutes into it, rating; each at a time between two milliseconds
    "iam-basics/root": [(0, 0, 3), (0, 11, 3), (2, 0, 3), (9, 0, 1), (9, 12, 3)],
    "iam-basics/sts-c1": [(0, 1, 4), (6, 0, 3)],
    "iam-basics/sts-c2": [(0, 2, 2), (0, 9, 3), (1, 0, 3), (5, 0, 4)],
    "iam-basics/attach": [(1, 3, 3), (1, 15, 3), (4, 0, 2)],
    "iam-basics/one-answer": [(3, 0, 1), (3, 2, 3)],
}


def study(home: Path) -> None:
    """Study the way a person does: answers here and there, a reset, a suspension, an undo.
    The deck's answers were given on a trip to California: they count their study days there
    (the data folder then moves to a machine on UTC)."""
    write_deck(home / "decks", "iam.yaml", IAM)
    store = Store.open(home)
    scheduler = Scheduler(load_settings(home), ZoneInfo("America/Los_Angeles"))
    try:
        for key, answers in ANSWERS.items():
            for day, minutes, rating in answers:
                at = START + timedelta(days=day, minutes=minutes, microseconds=123_456)
                record_answer(store, scheduler, key, Rating(rating), at, 4_200)
    finally:
        store.close()
    scripted = "\n3\n\n3\n\n3\nq\n"  # three answers in one millisecond
    on = "2026-11-20T10:00:00+00:00"
    done = invoke(["study", "--deck", "virtualization", "--new", "3"], scripted, on)
    assert done.output.count("saved: Good") == 3, done.output
    undone = invoke(["study", "--deck", "networking", "--new", "1"], "\n1\nu\nq\n", on)
    assert "no cards studied" in undone.output, undone.output
    assert invoke(["forget", "iam-basics/sts-c1"], now="2026-11-21T08:00:00+00:00").exit_code == 0
    store = Store.open(home)
    again = datetime(2026, 11, 21, 8, 30, tzinfo=timezone.utc)
    record_answer(store, scheduler, "iam-basics/sts-c1", Rating.GOOD, again)
    store.close()
    assert invoke(["suspend", "iam-basics/attach"], now="2026-11-22T08:00:00+00:00").exit_code == 0
    assert invoke(["suspend", "iam-basics/root"], now="2026-11-22T08:00:00+00:00").exit_code == 0
    assert invoke(["unsuspend", "iam-basics/root"], now="2026-11-23T08:00:00+00:00").exit_code == 0
    assert invoke(["bury", "iam-basics/sts-c2"], now="2026-11-24T09:00:00+00:00").exit_code == 0


def states_of(home: Path) -> dict[str, CardState]:
    store = Store.open(home)
    try:
        return store.cards.states()
    finally:
        store.close()


def answers_of(home: Path) -> dict[str, list[tuple[datetime, Rating | None]]]:
    """Each card's answers that count (undone ones left out): their times and ratings."""
    return {
        key: [(at, rating) for event, at, rating in events if event == "review"]
        for key, events in events_of(home).items()
        if any(event == "review" for event, _at, _rating in events)
    }


def events_of(home: Path) -> dict[str, list[tuple[str, datetime, Rating | None]]]:
    """Each card's log events that count (undone ones and undos left out), in time order."""
    store = Store.open(home)
    try:
        entries = store.log.entries(snapshots=False)
    finally:
        store.close()
    undone = {e.undoes for e in entries if e.event == "undo"}
    found: dict[str, list[tuple[str, datetime, Rating | None]]] = {}
    for entry in entries:
        if entry.event != "undo" and entry.id not in undone:
            event = (entry.event, entry.reviewed_at, entry.rating)
            found.setdefault(entry.card_key, []).append(event)
    return {key: sorted(events, key=lambda e: e[1]) for key, events in found.items()}


def own_decks(home: Path) -> dict[str, tuple[Deck, list[Card]]]:
    """The data folder's decks and their cards, without where they were read from."""
    found = {}
    for path in sorted((home / "decks").glob("*.yaml")):
        deck, problems = load_deck(path)
        assert deck is not None and problems == [], problems
        cards = [dataclasses.replace(c, path=None, line=0) for c in deck.cards]
        found[deck.deck_id] = (deck._replace(path=Path(), cards=()), cards)
    return found


def export(home: Path, out: Path, *options: str) -> str:
    result = invoke(["export", "-o", str(out), *options], now=NOW)
    assert result.exit_code == 0, result.output
    return str(result.output)


def test_a_fresh_data_folder_gets_every_card_back_as_it_was(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    study(home)
    out = tmp_path / "everything.apkg"
    assert "with their review history" in export(home, out)
    fresh = tmp_path / "fresh"
    monkeypatch.setenv("EC2CARDS_HOME", str(fresh))
    imported = invoke(["import", str(out)], now=NOW)
    assert imported.exit_code == 0, imported.output
    assert "added 7 cards in a new deck 'iam-basics'" in imported.output
    assert "logged 1 reset (forget)" in imported.output
    assert "logged 4 card events (suspensions, burials, due dates)" in imported.output
    assert "suspended" not in imported.output  # the suspension is one of those events

    # The deck and its cards, as the deck file wrote them: title, kinds, text.
    (deck, cards), (deck_back, cards_back) = (
        own_decks(home)["iam-basics"],
        own_decks(fresh)["iam-basics"],
    )
    assert deck_back == deck and deck_back.title == "IAM basics"
    assert cards_back == cards, (home, fresh)
    kinds = [card.kind for card in cards_back]
    assert kinds.count(CardKind.CHOICE) == 2 and {CardKind.ORDER, CardKind.SCENARIO} <= set(kinds)

    # Every card's state, the bundled decks' too; every answer at its very time.
    before, after = states_of(home), states_of(fresh)
    studied = {key for key, state in before.items() if state != NEW_STATE}
    assert len(studied) == 8 and {k for k, s in after.items() if s != NEW_STATE} == studied
    for key, state in before.items():
        back = after.get(key, NEW_STATE)
        assert back.due == state.due, key
        assert (back.phase, back.reps, back.lapses, back.suspended, back.buried_until) == (
            state.phase,
            state.reps,
            state.lapses,
            state.suspended,
            state.buried_until,
        ), key
        if state.stability is not None:
            assert back.stability is not None
            assert math.isclose(back.stability, state.stability, rel_tol=1e-3), key
    assert before["iam-basics/attach"].suspended and before["iam-basics/sts-c2"].buried_until
    assert events_of(fresh) == events_of(home)

    # Importing it again, here or there, adds nothing.
    again = invoke(["import", str(out)], now=NOW)
    assert again.exit_code == 0 and "imported" not in again.output, again.output
    assert states_of(fresh) == after and events_of(fresh) == events_of(home)


def anki_opens(package: Path, folder: Path) -> object:
    """A new Anki collection that imported the package, its scheduling included."""
    pytest.importorskip("anki")
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

    col = Collection(str(folder / "anki.anki2"))
    options = ImportAnkiPackageOptions(with_scheduling=True)
    col.import_anki_package(ImportAnkiPackageRequest(package_path=str(package), options=options))
    return col


ANKI_TYPES = {Phase.NEW: 0, Phase.LEARNING: 1, Phase.REVIEW: 2, Phase.RELEARNING: 3}


def test_anki_sees_every_answer_and_the_memory_of_every_card(home: Path, tmp_path: Path) -> None:
    study(home)
    out = tmp_path / "everything.apkg"
    export(home, out)
    states, answers = states_of(home), answers_of(home)
    day_before = study_day(datetime.now(timezone.utc), 4)
    col: Any = anki_opens(out, tmp_path)
    try:
        day_after, today = study_day(datetime.now(timezone.utc), 4), col.sched.today
        cards = {}
        for cid in col.find_cards(""):
            card = col.get_card(cid)
            note = card.note()
            cloze = note.note_type()["type"] == 1
            cards[card_key(note["ec2cards key"], cloze, card.ord)] = card
        assert {"iam-basics/evaluation", "iam-basics/sts-c2"} <= set(cards)
        for key, state in states.items():
            card = cards[key]
            eases = col.db.list(
                "SELECT ease FROM revlog WHERE cid = ? AND ease > 0 ORDER BY id", card.id
            )
            assert eases == [int(rating or 0) for _at, rating in answers.get(key, [])], key
            assert (card.type, card.reps, card.lapses) == (
                ANKI_TYPES[state.phase],
                state.reps,
                state.lapses,
            ), key
            assert (card.queue == -1) == state.suspended, key
            if state.stability is None or state.difficulty is None:
                assert card.memory_state is None, key
                continue
            assert math.isclose(card.memory_state.stability, state.stability, rel_tol=1e-3), key
            assert math.isclose(card.memory_state.difficulty, state.difficulty, rel_tol=1e-3), key
            if state.phase is Phase.REVIEW and state.due is not None and day_before == day_after:
                assert card.due - today == (study_day(state.due, 4) - day_after).days, key
        resets = col.db.list("SELECT cid FROM revlog WHERE type = 4 AND ease = 0 AND factor = 0")
        assert resets == [cards["iam-basics/sts-c1"].id]
    finally:
        col.close()


def test_without_history_cards_arrive_new_but_as_written(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    study(home)
    out = tmp_path / "cards.apkg"
    assert "review history" not in export(home, out, "--no-history")
    col: Any = anki_opens(out, tmp_path)
    try:
        assert col.db.scalar("SELECT count() FROM revlog") == 0
        assert col.db.scalar("SELECT count() FROM cards WHERE type != 0 OR queue != 0") == 0
    finally:
        col.close()
    fresh = tmp_path / "fresh"
    monkeypatch.setenv("EC2CARDS_HOME", str(fresh))
    imported = invoke(["import", str(out)], now=NOW)
    assert imported.exit_code == 0 and "review" not in imported.output, imported.output
    assert own_decks(fresh) == own_decks(home)
    assert answers_of(fresh) == {}


def test_a_damaged_ec2cards_member_stops_the_import_in_one_line(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_deck(home / "decks", "iam.yaml", IAM)
    out, damaged = tmp_path / "cards.apkg", tmp_path / "damaged.apkg"
    export(home, out, "--deck", "iam-basics")
    with zipfile.ZipFile(out) as source, zipfile.ZipFile(damaged, "w") as target:
        for name in source.namelist():
            broken = json.dumps({"format": 1, "decks": {"iam-basics": {"title": 7}}})
            target.writestr(name, broken if name == "ec2cards.json" else source.read(name))
    fresh = tmp_path / "fresh"
    monkeypatch.setenv("EC2CARDS_HOME", str(fresh))
    result = invoke(["import", str(damaged)], now=NOW)
    assert result.exit_code != 0
    assert f"{damaged}: its ec2cards.json is damaged" in result.output
    assert "Traceback" not in result.output and not (fresh / "decks").exists()
