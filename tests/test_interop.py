"""Import and export against Anki's own library: real collections in, real packages out.

The `anki` package (PyPI, a test-only dependency) builds a collection with Basic, reversed,
type-in and Cloze notes, an image and some reviews, and exports it in every format Anki writes.
ec2cards imports those; Anki imports what ec2cards exports.
"""

from __future__ import annotations

import io
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from anki.collection import Collection as AnkiCollection
from anki.collection import (
    ExportAnkiPackageOptions,
    ImportAnkiPackageOptions,
    ImportAnkiPackageRequest,
    ImportCsvRequest,
)
from conftest import ROOT, invoke, write_deck
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ec2cards.config.file import load_settings
from ec2cards.config.settings import Settings
from ec2cards.decks.format import load_deck
from ec2cards.interop.anki_notes import anki_card_id
from ec2cards.interop.csv_notes import read_notes, write_notes
from ec2cards.interop.export_notes import build_notes
from ec2cards.model.cards import Card, CardKind
from ec2cards.model.decks import Deck
from ec2cards.model.ratings import Rating
from ec2cards.model.states import NEW_STATE
from ec2cards.scheduling.answer import record_answer
from ec2cards.scheduling.replay import rebuild, replay
from ec2cards.scheduling.scheduler import Scheduler
from ec2cards.storage.review_log import ReviewLog
from ec2cards.storage.store import Store

NOW = "2026-11-24T10:00:00+00:00"
LATER = "2026-11-25T10:00:00+00:00"
REVIEWS_FROM = datetime(2026, 9, 1, 9, 0, tzinfo=timezone.utc)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@dataclass
class AnkiFiles:
    """Files Anki wrote, and what their collection held."""

    folder: Path
    files: dict[str, Path] = field(default_factory=dict)
    cards: dict[str, tuple[str, str]] = field(default_factory=dict)  # ec2cards id -> (deck, kind)
    reviews: dict[str, list[tuple[datetime, int]]] = field(default_factory=dict)  # id -> log
    suspended: set[str] = field(default_factory=set)
    guids: dict[str, str] = field(default_factory=dict)  # note name -> guid


def _expected_id(guid: str, ord_: int, cloze: bool) -> str:
    base = anki_card_id(guid)
    if cloze:
        return f"{base}-c{ord_ + 1}"
    return base if ord_ == 0 else f"{base}-{ord_ + 1}"


@pytest.fixture(scope="module")
def anki(tmp_path_factory: pytest.TempPathFactory) -> AnkiFiles:
    folder = tmp_path_factory.mktemp("anki")
    made = AnkiFiles(folder)
    path = str(folder / "collection.anki2")
    col = AnkiCollection(path)
    basics = col.decks.id("AWS::EC2 Basics")
    network = col.decks.id("Networking")
    assert basics is not None and network is not None
    image = col.media.write_data("diagram.png", PNG)

    def add(name: str, notetype: str, fields: list[str], deck: int, tags: list[str]) -> None:
        note = col.new_note(col.models.by_name(notetype))  # type: ignore[arg-type]
        for index, value in enumerate(fields):
            note.fields[index] = value
        note.tags = tags
        col.add_note(note, deck)  # type: ignore[arg-type]
        made.guids[name] = note.guid

    def card_ids(name: str) -> list[int]:
        return list(
            col.db.list(
                "SELECT c.id FROM cards c JOIN notes n ON c.nid = n.id WHERE n.guid = ?"
                " ORDER BY c.ord",
                made.guids[name],
            )
        )

    add("basic", "Basic", ["What is <b>EC2</b>?", "Elastic Compute<br>Cloud"], basics, ["aws"])
    add("reversed", "Basic (and reversed card)", ["AMI", "Amazon Machine Image"], basics, [])
    add("typed", "Basic (type in the answer)", ["Port of SSH?", "22"], basics, ["topic::ports"])
    add(
        "cloze",
        "Cloze",
        ["An {{c1::EBS}} volume is {{c2::block::kind}} storage", "Not <i>object</i> storage"],
        basics,
        [],
    )
    add("picture", "Basic", [f'Which layer? <img src="{image}">', "The hypervisor"], basics, [])
    add("vpc", "Basic", ["What is a VPC?", "A virtual network"], network, [])

    # Reviews through Anki's scheduler, then moved to fixed times in the past (deterministic).
    eases = {"basic": [3, 3, 1, 3], "reversed": [3, 4]}
    for name, answers in eases.items():
        for card_id in card_ids(name):
            for ease in answers:
                card = col.get_card(card_id)
                card.start_timer()
                col.sched.answerCard(card, ease)  # type: ignore[arg-type]
    col.sched.suspend_cards(card_ids("vpc"))  # type: ignore[arg-type]
    for number, (review_id,) in enumerate(col.db.all("SELECT id FROM revlog ORDER BY id")):
        moved = REVIEWS_FROM + timedelta(days=number, minutes=number)
        col.db.execute(
            "UPDATE revlog SET id = ? WHERE id = ?", int(moved.timestamp() * 1000), review_id
        )
    for card_id in col.find_cards(""):
        card = col.get_card(card_id)
        note = card.note()
        cloze = note.note_type()["type"] == 1  # type: ignore[index]
        ec2_id = _expected_id(note.guid, card.ord, cloze)
        made.cards[ec2_id] = (col.decks.name(card.did), "cloze" if cloze else "basic")
        made.reviews[ec2_id] = [
            (datetime.fromtimestamp(rid / 1000, tz=timezone.utc), ease)
            for rid, ease in col.db.all(
                "SELECT id, ease FROM revlog WHERE cid = ? ORDER BY id", card_id
            )
        ]
        if card.queue == -1:
            made.suspended.add(ec2_id)

    def package(name: str, legacy: bool) -> None:
        made.files[name] = folder / name
        options = ExportAnkiPackageOptions(
            with_scheduling=True, with_deck_configs=False, with_media=True, legacy=legacy
        )
        col.export_anki_package(out_path=str(folder / name), options=options, limit=None)

    package("current.apkg", legacy=False)
    package("legacy.apkg", legacy=True)
    made.files["notes.txt"] = folder / "notes.txt"
    col.export_note_csv(
        out_path=str(folder / "notes.txt"),
        limit=None,
        with_html=True,
        with_tags=True,
        with_deck=False,
        with_notetype=False,
        with_guid=False,
    )
    made.files["columns.txt"] = folder / "columns.txt"
    col.export_note_csv(
        out_path=str(folder / "columns.txt"),
        limit=None,
        with_html=False,
        with_tags=True,
        with_deck=True,
        with_notetype=True,
        with_guid=True,
    )
    for name, legacy in (("current.colpkg", False), ("legacy.colpkg", True)):
        made.files[name] = folder / name
        col.export_collection_package(str(folder / name), include_media=True, legacy=legacy)
        col = AnkiCollection(path)
    # Later: one note more and one review more, exported again.
    add("later", "Basic", ["What is an ENI?", "An elastic network interface"], network, [])
    card = col.get_card(card_ids("basic")[0])  # type: ignore[arg-type]
    card.start_timer()
    col.sched.answerCard(card, 3)
    late = REVIEWS_FROM + timedelta(days=60)
    (last_id,) = col.db.first("SELECT MAX(id) FROM revlog")
    col.db.execute("UPDATE revlog SET id = ? WHERE id = ?", int(late.timestamp() * 1000), last_id)
    package("later.apkg", legacy=False)
    col.close()
    return made


def cards_of(home: Path) -> dict[str, Card]:
    found: dict[str, Card] = {}
    for path in sorted((home / "decks").glob("*.yaml")):
        deck, problems = load_deck(path)
        assert problems == [] and deck is not None, problems
        found.update({card.key: card for card in deck.cards})
    return found


def log_rows(home: Path) -> list[tuple[str, str, int | None, str]]:
    db = sqlite3.connect(home / "ec2cards.db")
    try:
        return db.execute(
            "SELECT card_key, event, rating, reviewed_at FROM review_log ORDER BY id"
        ).fetchall()
    finally:
        db.close()


def nothing_written(home: Path) -> bool:
    decks = home / "decks"
    return not (home / "ec2cards.db").exists() and (not decks.exists() or not any(decks.iterdir()))


# -- Anki packages in ------------------------------------------------------------------------------


def test_current_apkg_comes_in_with_cards_history_and_suspensions(
    home: Path, anki: AnkiFiles
) -> None:
    result = invoke(["import", str(anki.files["current.apkg"])], now=NOW)
    assert result.exit_code == 0, result.output
    assert "warning:" not in result.output
    assert f"copied 1 media file (images, sounds) into {home / 'media'}" in result.output
    assert (home / "media" / "diagram.png").read_bytes() == PNG
    cards = cards_of(home)
    expected = {
        ("aws-ec2-basics" if deck == "AWS::EC2 Basics" else "networking-anki") + "/" + card_id
        for card_id, (deck, _kind) in anki.cards.items()
    }
    assert set(cards) == expected  # every Anki card, and nothing else
    base = {name: anki_card_id(guid) for name, guid in anki.guids.items()}
    basic = cards[f"aws-ec2-basics/{base['basic']}"]
    assert (basic.question, basic.answer) == ("What is **EC2**?", "Elastic Compute\\\nCloud")
    assert basic.tags == ("aws",) and basic.source == "Anki deck 'AWS::EC2 Basics'"
    forward = cards[f"aws-ec2-basics/{base['reversed']}"]
    backward = cards[f"aws-ec2-basics/{base['reversed']}-2"]
    assert (forward.question, forward.answer) == ("AMI", "Amazon Machine Image")
    assert (backward.question, backward.answer) == ("Amazon Machine Image", "AMI")
    typed = cards[f"aws-ec2-basics/{base['typed']}"]
    assert (typed.question, typed.answer, typed.topics) == (
        "Port of SSH?",
        "22",
        ("ec2-basics", "ports"),
    )
    c1, c2 = (cards[f"aws-ec2-basics/{base['cloze']}-c{n}"] for n in (1, 2))
    assert (c1.kind, c1.answer, c2.answer) == (CardKind.CLOZE, "EBS", "block")
    assert "[kind]" in c2.question and c1.note == "Not *object* storage"
    assert (
        cards[f"aws-ec2-basics/{base['picture']}"].question == "Which layer? [image: diagram.png]"
    )
    vpc_key = f"networking-anki/{base['vpc']}"  # not the bundled 'networking' deck
    assert cards[vpc_key].topics == ("networking",)

    # The review log holds Anki's reviews, at Anki's times, with Anki's ratings.
    rows = log_rows(home)
    reviews = [r for r in rows if r[1] == "review"]
    expected_reviews = sum(len(v) for v in anki.reviews.values())
    assert len(reviews) == expected_reviews > 0
    store = Store.open(home)
    # Anki drew each card's fuzz from its card id: the replay draws it from the same.
    numbers = store.cards.numbers()
    answered = {f"aws-ec2-basics/{card_id}" for card_id, history in anki.reviews.items() if history}
    assert answered and set(numbers) >= answered
    scheduler = Scheduler(Settings(), numbers=numbers)
    try:
        for card_id, history in anki.reviews.items():
            if not history:
                continue
            key = f"aws-ec2-basics/{card_id}"
            logged = [e for e in store.log.entries(key) if e.event == "review"]
            assert [(e.reviewed_at, int(e.rating or 0)) for e in logged] == history
            # FSRS state carries over: the same as answering those ratings at those times.
            state = NEW_STATE
            for at, ease in history:
                state = scheduler.review(state, Rating(ease), at, key)
            assert store.cards.state(key) == state
            assert state.reps == len(history) and state.last_review == history[-1][0]
        assert store.cards.state(vpc_key).suspended
        before = store.cards.states()
        rebuild(store, Scheduler(Settings()))
        assert store.cards.states() == before  # the log alone gives the same schedule
    finally:
        store.close()


@pytest.mark.parametrize("name", ["legacy.apkg", "current.colpkg", "legacy.colpkg"])
def test_every_anki_format_gives_the_same_decks(
    home: Path, tmp_path: Path, anki: AnkiFiles, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    assert invoke(["import", str(anki.files["current.apkg"])], now=NOW).exit_code == 0
    reference = (cards_of(home), log_rows(home))
    other = tmp_path / "other"
    monkeypatch.setenv("EC2CARDS_HOME", str(other))
    result = invoke(["import", str(anki.files[name])], now=NOW)
    assert result.exit_code == 0, result.output
    found = cards_of(other)
    strip = {k: (c.kind, c.question, c.answer, c.topics, c.tags, c.note) for k, c in found.items()}
    want = {
        k: (c.kind, c.question, c.answer, c.topics, c.tags, c.note) for k, c in reference[0].items()
    }
    assert strip == want
    assert log_rows(other) == reference[1]


def test_importing_again_adds_nothing_and_later_exports_add_only_the_new(
    home: Path, anki: AnkiFiles
) -> None:
    assert invoke(["import", str(anki.files["current.apkg"])], now=NOW).exit_code == 0
    files = {p.name: p.read_bytes() for p in (home / "decks").iterdir()}
    rows = log_rows(home)
    again = invoke(["import", str(anki.files["current.apkg"])], now=NOW)
    assert again.exit_code == 0
    assert "deck 'aws-ec2-basics': 7 cards, all already there" in again.output
    reviews = sum(len(v) for v in anki.reviews.values())
    assert f"{reviews} reviews already in the review log" in again.output
    assert {p.name: p.read_bytes() for p in (home / "decks").iterdir()} == files
    assert log_rows(home) == rows
    later = invoke(["import", str(anki.files["later.apkg"])], now=NOW)
    assert later.exit_code == 0, later.output
    assert "added 1 card to deck 'networking-anki'" in later.output
    assert "1 were already there" in later.output
    assert "imported 1 review of 1 card" in later.output
    networking = (home / "decks" / "networking-anki.yaml").read_bytes()
    assert networking.startswith(files["networking-anki.yaml"])
    assert b"What is an ENI?" in networking
    assert (home / "decks" / "aws-ec2-basics.yaml").read_bytes() == files["aws-ec2-basics.yaml"]
    assert log_rows(home)[: len(rows)] == rows and len(log_rows(home)) == len(rows) + 1


def test_deck_and_topic_options_gather_everything_in_one_deck(home: Path, anki: AnkiFiles) -> None:
    result = invoke(
        ["import", str(anki.files["current.apkg"]), "--deck", "from-anki", "--topic", "aws"],
        now=NOW,
    )
    assert result.exit_code == 0, result.output
    cards = cards_of(home)
    assert len(cards) == len(anki.cards) and all(k.startswith("from-anki/") for k in cards)
    vpc = cards[f"from-anki/{anki_card_id(anki.guids['vpc'])}"]
    assert vpc.topics == ("aws", "networking")  # the Anki deck it came from stays a topic
    assert {r[0].split("/")[0] for r in log_rows(home)} == {"from-anki"}
    deck, _ = load_deck(home / "decks" / "from-anki.yaml")
    assert deck is not None and (deck.title, deck.topic) == ("From anki", "aws")


def test_csv_then_apkg_of_the_same_notes_does_not_duplicate(home: Path, anki: AnkiFiles) -> None:
    first = invoke(["import", str(anki.files["columns.txt"])], now=NOW)
    assert first.exit_code == 0, first.output
    cards = cards_of(home)
    assert len(cards) == len(anki.cards)  # guid, note type and deck columns: reversed gives two
    base = anki_card_id(anki.guids["reversed"])
    assert cards[f"aws-ec2-basics/{base}-2"].question == "Amazon Machine Image"
    assert cards[f"aws-ec2-basics/{anki_card_id(anki.guids['typed'])}"].topics[1:] == ("ports",)
    second = invoke(["import", str(anki.files["current.apkg"])], now=NOW)
    assert second.exit_code == 0, second.output
    assert "deck 'aws-ec2-basics': 7 cards, all already there" in second.output
    assert "added" not in second.output and "imported" in second.output


def test_plain_notes_with_html_and_a_tags_column(home: Path, anki: AnkiFiles) -> None:
    result = invoke(["import", str(anki.files["notes.txt"]), "--deck", "notes"], now=NOW)
    assert result.exit_code == 0, result.output
    text = (home / "decks" / "notes.yaml").read_text()
    again = invoke(["import", str(anki.files["notes.txt"]), "--deck", "notes"], now=NOW)
    assert "all already there" in again.output  # no GUIDs: ids come from the text
    assert (home / "decks" / "notes.yaml").read_text() == text
    cards = {c.question: c for c in cards_of(home).values()}
    assert cards["What is **EC2**?"].answer == "Elastic Compute\\\nCloud"  # a hard line break
    assert cards["What is **EC2**?"].tags == ("aws",)
    assert cards["An [...] volume is block storage"].note == "Not *object* storage"
    assert "1 media file named by cards but not in the imported files" in result.output


# -- bad input: one line, nothing written -------------------------------------------------------


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def bad_inputs(folder: Path) -> list[tuple[list[str], str]]:
    folder.mkdir(exist_ok=True)
    text = folder / "text.apkg"
    text.write_text("just text")
    bad_yaml = write_deck(
        folder, "bad.yaml", "deck: bad\ntitle: B\ntopic: x\ncards:\n  - q: only\n"
    )
    clash = write_deck(
        folder, "clash.yaml", "deck: virtualization\ntitle: V\ntopic: v\ncards:\n  - {q: a, a: b}\n"
    )
    headers = folder / "headers.txt"
    headers.write_text("#separator:tab\n#html:true\n")
    one_column = folder / "one.txt"
    one_column.write_text("just one field\nper line\n")
    weird = folder / "notes.docx"
    weird.write_text("x")
    return [
        ([str(text)], "text.apkg: not a zip file, so not an Anki package"),
        (
            [str(_zip(folder / "empty.apkg", {"hello.txt": b"hi"}))],
            "no Anki collection inside",
        ),
        (
            [str(_zip(folder / "garbage.apkg", {"collection.anki2": b"garbage" * 200}))],
            "not a readable Anki collection",
        ),
        (
            [str(_zip(folder / "garbage.colpkg", {"collection.anki21b": b"not zstd"}))],
            "the collection is damaged",
        ),
        ([str(bad_yaml)], "bad.yaml:5:5: basic card has no 'a'"),
        ([str(clash)], "deck id 'virtualization' is already used by a deck that comes with"),
        ([str(headers)], "no notes in the file"),
        ([str(one_column)], "cannot tell how fields are separated"),
        ([str(weird)], "cannot import a '.docx' file"),
        ([str(folder / "missing.apkg")], "no such file or folder"),
        ([str(clash), "--deck", "Not A Slug"], "must be a slug"),
    ]


def test_bad_input_gets_one_line_and_writes_nothing(home: Path, tmp_path: Path) -> None:
    for args, message in bad_inputs(tmp_path / "in"):
        result = invoke(["import", *args], now=NOW)
        assert result.exit_code in (1, 2), (args, result.output)
        assert message in result.output, (args, result.output)
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), result.output
        assert nothing_written(home), args


def test_a_bad_file_among_good_ones_stops_the_whole_import(
    home: Path, tmp_path: Path, anki: AnkiFiles
) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "a.apkg").write_bytes(anki.files["current.apkg"].read_bytes())
    (folder / "b.apkg").write_text("not a package")
    result = invoke(["import", str(folder)], now=NOW)
    assert result.exit_code == 1 and "b.apkg: not a zip file" in result.output
    assert nothing_written(home)


def test_new_cards_for_a_bundled_deck_are_refused(home: Path, anki: AnkiFiles) -> None:
    result = invoke(["import", str(anki.files["current.apkg"]), "--deck", "virtualization"])
    assert result.exit_code == 1
    assert "comes with ec2cards and takes no new cards" in result.output
    assert nothing_written(home)


def test_a_failing_database_write_leaves_no_deck_file(
    home: Path, anki: AnkiFiles, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ec2cards.errors import StoreError

    original = ReviewLog.import_history

    def failing(self: ReviewLog, reviews, states, suspensions=(), before_commit=None) -> int:  # type: ignore[no-untyped-def]
        def then_fail() -> None:
            assert before_commit is not None
            before_commit()
            assert any((home / "decks").iterdir())  # the files were in place ...
            raise StoreError("disk full")

        return original(self, reviews, states, suspensions, then_fail)

    monkeypatch.setattr(ReviewLog, "import_history", failing)
    result = invoke(["import", str(anki.files["current.apkg"])], now=NOW)
    assert result.exit_code == 1 and "disk full" in result.output
    assert not any((home / "decks").iterdir())  # ... and are gone again
    assert log_rows(home) == []


# -- YAML decks in and out ---------------------------------------------------------------------

FRIEND = """\
# A friend's deck: comments must survive the copy.
deck: friend
title: Friend's deck
topic: friends
cards:
  - id: one
    q: First?
    a: One
  - kind: cloze
    text: "A {{c1::second}} card"   # inline comment
"""


def test_yaml_deck_is_checked_then_copied_as_written(home: Path, tmp_path: Path) -> None:
    source = write_deck(tmp_path, "friend.yaml", FRIEND)
    result = invoke(["import", str(source)])
    assert result.exit_code == 0, result.output
    assert (home / "decks" / "friend.yaml").read_text() == FRIEND
    again = invoke(["import", str(source)])
    assert again.exit_code == 0 and "already there" in again.output
    assert sorted(p.name for p in (home / "decks").iterdir()) == ["friend.yaml"]
    renamed = invoke(["import", str(source), "--deck", "friend-copy", "--topic", "mates"])
    assert renamed.exit_code == 0, renamed.output
    copy = (home / "decks" / "friend-2.yaml").read_text()
    assert copy == FRIEND.replace("deck: friend\n", "deck: friend-copy\n").replace(
        "topic: friends", "topic: mates"
    )
    assert invoke(["check"]).exit_code == 0


def test_a_yaml_deck_with_a_taken_id_and_other_text_is_refused_not_dropped(
    home: Path, tmp_path: Path
) -> None:
    """A copy of a bundled deck is all already there; the same ids with other text are not:
    one line says what to do, nothing is dropped silently, and --deck imports the cards."""
    from ec2cards.config.paths import bundled_decks_dir

    original = (bundled_decks_dir() / "10-virtualization.yaml").read_text(encoding="utf-8")
    same = write_deck(tmp_path, "same.yaml", original)
    assert "31 cards, all already there" in invoke(["import", str(same)]).output  # type: ignore[attr-defined]
    start = original.index("    q:")
    changed = (
        original[:start] + "    q: My own question?\n" + original[original.index("\n", start) + 1 :]
    )
    mine = write_deck(tmp_path, "mine.yaml", changed)
    result: Any = invoke(["import", str(mine)])
    assert result.exit_code == 1
    assert result.output == (
        f"error: {mine}: deck id 'virtualization' is already used by a deck that comes with"
        " ec2cards, with other text for 1 card (kernel-privileged-mode); nothing imported"
        " (import it under another id with --deck NEW-ID)\n"
    )
    assert not (home / "decks").exists() or not any((home / "decks").iterdir())
    renamed: Any = invoke(["import", str(mine), "--deck", "my-virtualization"])
    assert renamed.exit_code == 0, renamed.output
    cards = {card.key: card for card in cards_of(home).values()}
    assert cards["my-virtualization/kernel-privileged-mode"].question == "My own question?"


def test_yaml_export_of_a_whole_deck_is_the_file_and_of_a_part_is_a_valid_deck(
    home: Path, tmp_path: Path
) -> None:
    write_deck(home / "decks", "friend.yaml", FRIEND)
    whole = tmp_path / "whole.yaml"
    assert invoke(["export", "--deck", "friend", "-o", str(whole)]).exit_code == 0
    assert whole.read_text() == FRIEND
    part = tmp_path / "part.yaml"
    result = invoke(["export", "--deck", "friend", "--deck", "virtualization", "-o", str(part)])
    assert result.exit_code == 0, result.output
    deck, problems = load_deck(part)
    assert problems == [] and deck is not None and deck.deck_id == "part"
    bundled, _ = load_deck(ROOT / "decks" / "10-virtualization.yaml")
    friend, _ = load_deck(home / "decks" / "friend.yaml")
    assert bundled is not None and friend is not None
    want = [*bundled.cards, *friend.cards]
    assert [c.card_id for c in deck.cards] == [c.card_id for c in want]
    assert [(c.question, c.answer, c.note) for c in deck.cards] == [
        (c.question, c.answer, c.note) for c in want
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "x.pdf"], "cannot tell the format from 'x.pdf'"),
        (["-o", "x.apkg", "--format", "docx"], "unknown format 'docx'"),
        (["-o", "x.apkg", "--deck", "nope"], "unknown deck 'nope'"),
        (["-o", "{home}/decks/copy.yaml", "--deck", "friend"], "in your decks folder"),
    ],
)
def test_bad_exports_are_one_line(home: Path, args: list[str], message: str) -> None:
    write_deck(home / "decks", "friend.yaml", FRIEND)
    result = invoke(["export", *(a.replace("{home}", str(home)) for a in args)])
    assert result.exit_code == 2 and message in result.output, result.output
    assert len(result.output.strip().splitlines()) == 1
    assert [p.name for p in (home / "decks").iterdir()] == ["friend.yaml"]


# -- ec2cards out, into Anki ----------------------------------------------------------------------

EVERY_KIND = """\
deck: mine
title: Mine
topic: mine-topic
source: My notes
cards:
  - id: basic-one
    q: What does `t3` mean?
    a: A **burstable** instance family
    accept: [burstable, T family]
    note: Earns CPU credits when idle.
    topics: [instance-types]
    tags: [exam, hard one]
  - kind: cloze
    text: "EBS volumes live in one {{c1::availability zone}} and snapshots in {{c2::S3::where?}}."
  - id: pick
    kind: choice
    q: Which store survives a stop?
    options: [EBS, Instance store]
    answer: EBS
  - id: sort
    kind: order
    q: Order the instance lifecycle
    items: [pending, running, stopping, stopped]
"""


def anki_import(package: Path, collection: Path) -> tuple[AnkiCollection, object]:
    col = AnkiCollection(str(collection))
    request = ImportAnkiPackageRequest(
        package_path=str(package), options=ImportAnkiPackageOptions(with_scheduling=False)
    )
    return col, col.import_anki_package(request)


def test_apkg_opens_in_anki_with_topic_decks_tags_and_stable_guids(
    home: Path, tmp_path: Path
) -> None:
    path = write_deck(home / "decks", "mine.yaml", EVERY_KIND)
    out = tmp_path / "mine.apkg"
    result = invoke(["export", "--deck", "mine", "--format", "apkg", "-o", str(out)], now=NOW)
    assert result.exit_code == 0, result.output
    assert "exported 5 cards of mine as 4 notes" in result.output
    col, log = anki_import(out, tmp_path / "anki.anki2")
    try:
        assert len(log.log.new) == 4 and col.note_count() == 4 and col.card_count() == 5  # type: ignore[attr-defined]
        notes = {col.get_note(nid).fields[0]: col.get_note(nid) for nid in col.find_notes("")}
        basic = notes["What does <code>t3</code> mean?"]
        assert basic.note_type()["name"] == "Basic (ec2cards)"  # type: ignore[index]
        assert basic["Back"] == "A <strong>burstable</strong> instance family"
        assert basic["Accept"] == "burstable; T family" and basic["Source"] == "My notes"
        assert sorted(basic.tags) == sorted(
            ["topic::mine-topic", "topic::instance-types", "exam", "hard_one"]
        )
        assert col.decks.name(basic.cards()[0].did) == "EC2::mine-topic"
        cloze = next(n for n in notes.values() if n.note_type()["type"] == 1)  # type: ignore[index]
        assert len(cloze.cards()) == 2 and "{{c2::S3::where?}}" in cloze["Text"]
        choice = notes["Which store survives a stop?<ol><li>EBS</li><li>Instance store</li></ol>"]
        assert choice["Back"] == "EBS"
        order = next(n for k, n in notes.items() if k.startswith("Order the instance lifecycle"))
        assert order["Back"] == (
            "<ol><li>pending</li><li>running</li><li>stopping</li><li>stopped</li></ol>"
        )
        guids = {n["ec2cards key"]: n.guid for n in notes.values()}
        assert len(guids) == 4 and {"mine/basic-one", "mine/pick", "mine/sort"} <= set(guids)
    finally:
        col.close()
    # Edit a card, export again later: Anki updates the note instead of adding one.
    path.write_text(EVERY_KIND.replace("A **burstable** instance family", "A burstable family"))
    assert invoke(["export", "--deck", "mine", "-o", str(out)], now=LATER).exit_code == 0
    col, log = anki_import(out, tmp_path / "anki.anki2")
    try:
        assert len(log.log.new) == 0 and len(log.log.updated) == 4  # type: ignore[attr-defined]
        assert col.note_count() == 4
        backs = {col.get_note(n)["Back"] for n in col.find_notes('"note:Basic (ec2cards)"')}
        assert "A burstable family" in backs
        assert {col.get_note(n).guid for n in col.find_notes("")} == set(guids.values())
    finally:
        col.close()


def test_csv_export_imports_into_anki(home: Path, tmp_path: Path) -> None:
    write_deck(home / "decks", "mine.yaml", EVERY_KIND)
    out = tmp_path / "mine.txt"
    assert invoke(["export", "--deck", "mine", "--format", "csv", "-o", str(out)]).exit_code == 0
    col = AnkiCollection(str(tmp_path / "csv.anki2"))
    try:
        metadata = col.get_csv_metadata(str(out), None)
        log = col.import_csv(ImportCsvRequest(path=str(out), metadata=metadata))
        assert len(log.log.new) == 4 and col.note_count() == 4 and col.card_count() == 5
        fronts = {col.get_note(n)["Front"] for n in col.find_notes("note:Basic")}
        assert "What does <code>t3</code> mean?" in fronts
        assert {col.decks.name(d.id) for d in col.decks.all_names_and_ids()} >= {"EC2::mine-topic"}
    finally:
        col.close()


def test_round_trip_through_apkg_keeps_every_card(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_deck(home / "decks", "mine.yaml", EVERY_KIND)
    out = tmp_path / "all.apkg"
    result = invoke(["export", "-o", str(out)], now=NOW)  # bundled decks and mine
    assert result.exit_code == 0, result.output
    before = cards_of(home) | {
        c.key: c
        for path in sorted((ROOT / "decks").glob("*.yaml"))
        for c in (load_deck(path)[0] or Deck("", "", "", path)).cards
    }
    # Into the same data folder: every card is already there.
    again = invoke(["import", str(out)], now=NOW)
    assert again.exit_code == 0 and "added" not in again.output, again.output
    assert [p.name for p in (home / "decks").iterdir()] == ["mine.yaml"]
    # Into an empty one (under another deck id, the bundled decks being there): every card.
    fresh = tmp_path / "fresh"
    monkeypatch.setenv("EC2CARDS_HOME", str(fresh))
    assert invoke(["import", str(out), "--deck", "all"], now=NOW).exit_code == 0
    after = cards_of(fresh)
    assert len(after) == len(before)
    mine = {c.card_id: c for k, c in before.items() if k.startswith("mine/")}
    for card_id, card in mine.items():
        # Every kind comes back as itself, as the deck file wrote it (the package's extras).
        back = after[f"all/{card_id}"]
        got = (back.kind, back.question, back.answer, back.accept, back.note, back.source)
        assert got == (card.kind, card.question, card.answer, card.accept, card.note, card.source)
        assert (back.options, back.correct, back.items) == (card.options, card.correct, card.items)
        assert set(back.topics) >= set(card.topics) and back.tags == card.tags


# -- properties --------------------------------------------------------------------------------

WORD = st.from_regex(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ0-9]{0,7}", fullmatch=True)
PUNCT = st.sampled_from([*".,;:!?'\"()/&<>@%=+-$€", '"quoted"', "a,b", "x\ty"])
LINE = (
    st.lists(st.one_of(WORD, WORD, PUNCT), min_size=1, max_size=6)
    .map(lambda words: " ".join(words))
    .filter(lambda line: line[0].isalpha())
)
TEXT = st.lists(LINE, min_size=1, max_size=3).map("\n".join)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pairs=st.lists(st.tuples(TEXT, TEXT), min_size=1, max_size=5, unique_by=lambda p: p[0]))
def test_plain_text_notes_round_trip(pairs: list[tuple[str, str]]) -> None:
    cards = [
        Card(deck_id="d", card_id=f"c{i}", kind=CardKind.BASIC, question=q, answer=a, topics=("t",))
        for i, (q, a) in enumerate(pairs)
    ]
    buffer = io.StringIO()
    write_notes(build_notes(cards), buffer)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "notes.txt"
        path.write_text(buffer.getvalue(), encoding="utf-8")
        incoming = read_notes(path, datetime(2026, 11, 24, tzinfo=timezone.utc))
    (deck,) = incoming.decks
    assert deck.deck_id == "ec2-t" and deck.topic == "t"
    got = [(_shown(e["q"]), _shown(e["a"])) for e in deck.entries]
    assert got == [(_ws(q), _ws(a)) for q, a in pairs]


def _ws(text: str) -> str:
    """HTML's view of white space: runs of spaces and tabs are one space."""
    return "\n".join(" ".join(line.replace("\t", " ").split()) for line in text.split("\n"))


def _shown(markdown: str) -> str:
    """Imported Markdown as the text it shows: escapes undone, hard line breaks as newlines."""
    import re

    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown.replace("\\\n", "\n"))


def test_written_files_get_ordinary_permissions(home: Path, tmp_path: Path) -> None:
    """Files are written through a private temp file; the result must not stay 0600."""
    import os

    old = os.umask(0o022)
    try:
        target = tmp_path / "out.apkg"
        result = invoke(["export", "--topic", "storage", "-o", str(target)])
        assert result.exit_code == 0, result.output
        assert target.stat().st_mode & 0o777 == 0o644
        yaml_target = tmp_path / "out.yaml"
        yaml_target.write_text("x")
        yaml_target.chmod(0o640)
        assert invoke(["export", "--deck", "storage", "-o", str(yaml_target)]).exit_code == 0
        assert yaml_target.stat().st_mode & 0o777 == 0o640
    finally:
        os.umask(old)


HOSTILE_ROWS = {
    "a review interval of 9e999": [
        "INSERT INTO revlog VALUES (1700000000000, {cid}, 0, 3, 9e999, 0, 2500, 1000, 1)"
    ],
    "note types nested 5,000 deep": ["UPDATE col SET models = '" + "[" * 5000 + "]" * 5000 + "'"],
    "note types of the wrong type": ["UPDATE col SET models = '[1, 2, 3]'"],
    "decks of the wrong type": ["UPDATE col SET decks = '\"decks\"'"],
}


@pytest.mark.parametrize("hostile", HOSTILE_ROWS, ids=list(HOSTILE_ROWS))
def test_a_package_with_values_no_anki_writes_is_one_line(
    home: Path, tmp_path: Path, hostile: str
) -> None:
    """A package is untrusted input: values no Anki writes end in one line naming the file,
    never a bug report, and nothing is imported."""
    import zipfile

    exported = tmp_path / "v.apkg"
    assert invoke(["export", "--deck", "virtualization", "-o", str(exported)]).exit_code == 0  # type: ignore[attr-defined]
    collection = tmp_path / "collection.anki2"
    collection.write_bytes(zipfile.ZipFile(exported).read("collection.anki2"))
    db = sqlite3.connect(collection)
    (cid,) = db.execute("SELECT id FROM cards LIMIT 1").fetchone()
    for statement in HOSTILE_ROWS[hostile]:
        db.execute(statement.format(cid=cid))
    db.commit()
    db.close()
    package = tmp_path / "hostile.apkg"
    with zipfile.ZipFile(package, "w") as archive:
        archive.write(collection, "collection.anki2")
        archive.writestr("media", "{}")
    result: Any = invoke(["import", str(package)])
    lines = result.output.strip().splitlines()
    assert result.exit_code == 1 and len(lines) == 1, result.output
    assert lines[0].startswith(f"error: {package}: the Anki collection holds a value Anki")
    assert not (home / "decks").exists() or not list((home / "decks").iterdir())


def test_a_new_anki_review_older_than_a_review_here_is_merged_in_time(
    home: Path, anki: AnkiFiles
) -> None:
    """Import, study the card here, then import again a package with a review made in Anki
    before that study: the review is new, so it is imported, where it falls in time, and the
    card's state is its whole history replayed in that order (it was dropped as 'already in
    the log' when only reviews newer than the card's last entry counted)."""
    assert invoke(["import", str(anki.files["current.apkg"])], now=NOW).exit_code == 0
    key = f"aws-ec2-basics/{anki_card_id(anki.guids['basic'])}"
    here = REVIEWS_FROM + timedelta(days=70)  # after the later package's review (day 60)
    store = Store.open(home)
    scheduler = Scheduler(load_settings(home))
    record_answer(store, scheduler, key, Rating.GOOD, here)
    store.close()
    later = invoke(["import", str(anki.files["later.apkg"])], now=NOW)
    assert later.exit_code == 0, later.output
    assert "imported 1 review of 1 card" in later.output, later.output
    store = Store.open(home)
    times = [e.reviewed_at for e in store.log.entries(key) if e.event == "review"]
    assert len(times) == len(anki.reviews[key.split("/")[1]]) + 2  # the package's, here, later
    assert sorted(times)[-1] == here and sorted(times)[-2] == REVIEWS_FROM + timedelta(days=60)
    assert store.cards.state(key) == replay(store.log.entries(snapshots=False), scheduler)[key]
    assert store.cards.state(key).last_review == here
    store.close()


def test_export_says_when_it_creates_a_folder(home: Path, tmp_path: Path) -> None:
    target = tmp_path / "new" / "deeper" / "v.apkg"
    first = invoke(["export", "--deck", "virtualization", "-o", str(target)])
    assert first.exit_code == 0 and target.exists()
    assert f"created the folder {tmp_path / 'new'} for it" in first.output
    again = invoke(["export", "--deck", "virtualization", "-o", str(target.with_name("w.apkg"))])
    assert "created the folder" not in again.output
