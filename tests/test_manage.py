"""Daily use: finding and managing cards (cards, suspend, unsuspend, forget, bury, edit),
siblings kept apart, and what the study screen says."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

from conftest import invoke, replayed, write_deck

from ec2cards.storage.store import Store

NOW = "2026-11-24T10:00:00+00:00"
LATER = "2026-11-24T10:20:00+00:00"
TOMORROW = "2026-11-25T10:00:00+00:00"
DECK = """deck: mine
title: Mine
topic: net
cards:
  - id: eni
    q: What does ENI stand for?
    a: Elastic Network Interface
    tags: [acronyms]
  - id: az
    q: What is an AZ?
    a: An Availability Zone
  - id: parts
    kind: cloze
    text: "An {{c1::AMI}} holds a {{c2::root volume}} snapshot and {{c3::launch permissions}}."
  - id: pick
    kind: choice
    q: Which is stateful?
    options: [Security group, Network ACL]
    answer: Security group
"""


def deck(home: Path) -> Path:
    return write_deck(home / "decks", "mine.yaml", DECK)


def listed(*args: str, now: str = LATER) -> list[dict[str, Any]]:
    result: Any = invoke(["cards", "--deck", "mine", *args, "--json"], now=now)
    assert result.exit_code == 0, result.output
    return list(json.loads(result.stdout))


def study(answers: str, now: str = NOW, *args: str) -> Any:
    result: Any = invoke(["study", "--deck", "mine", *args], input=answers + "q\n", now=now)
    assert result.exit_code == 0, result.output
    return result


def test_cards_finds_by_text_state_and_sorts(home: Path) -> None:
    deck(home)
    everything = listed()
    assert [c["key"] for c in everything] == [
        "mine/eni",
        "mine/az",
        "mine/parts-c1",
        "mine/parts-c2",
        "mine/parts-c3",
        "mine/pick",
    ]
    first = everything[0]
    assert {"key", "deck", "topics", "kind", "state", "due", "stability", "difficulty"} <= set(
        first
    ) and {"lapses", "question"} <= set(first)
    assert [c["key"] for c in listed("network interface")] == ["mine/eni"]  # case aside
    assert [c["key"] for c in listed("acronyms")] == ["mine/eni"]  # tags too
    study("\n1\n\n4\n")  # eni: Again (learning); az: Easy (review)
    assert [c["key"] for c in listed("--state", "learning")] == ["mine/eni"]
    assert [c["key"] for c in listed("--state", "review")] == ["mine/az"]
    assert [c["key"] for c in listed("--state", "due")] == ["mine/eni"]
    assert [c["key"] for c in listed("--sort", "due")][:2] == ["mine/eni", "mine/az"]
    plain: Any = invoke(["cards", "--deck", "mine", "--state", "new"], now=LATER)
    lines = plain.stdout.splitlines()
    assert lines[0].split() == ["CARD", "STATE", "DUE", "LAPSES", "QUESTION"]
    assert lines[-1] == "4 cards" and all(" new " in line for line in lines[1:-1])
    bad: Any = invoke(["cards", "--state", "sleeping"], now=LATER)
    assert bad.exit_code == 2 and "unknown state 'sleeping'" in bad.output


def test_suspend_unsuspend_forget_and_bury_are_logged_and_replayed(home: Path) -> None:
    deck(home)
    study("\n4\n\n4\n")
    result: Any = invoke(["suspend", "mine/eni", "az"], now=LATER)
    assert result.exit_code == 0
    assert "suspended 2 cards: mine/eni, mine/az" in result.output
    assert {c["key"] for c in listed("--state", "suspended")} == {"mine/eni", "mine/az"}
    again: Any = invoke(["suspend", "eni"], now=LATER)
    assert "already suspended: mine/eni" in again.output
    assert "unsuspended 1 card: mine/az" in invoke(["unsuspend", "az"], now=LATER).output  # type: ignore[attr-defined]
    forgot: Any = invoke(["forget", "az"], now=LATER)
    assert "reset 1 card: mine/az" in forgot.output
    assert [c["state"] for c in listed("az")] == ["new"]
    card: Any = json.loads(invoke(["card", "az", "--json"], now=LATER).stdout)  # type: ignore[attr-defined]
    assert [r["event"] for r in card["reviews"]] == ["review", "suspend", "unsuspend", "forget"]
    buried: Any = invoke(["bury", "az"], now=LATER)
    assert "buried until tomorrow 1 card: mine/az" in buried.output
    assert [c["key"] for c in listed("--state", "buried")] == ["mine/az"]
    assert listed("--state", "buried", now=TOMORROW) == []
    store = Store.open(home)
    assert replayed(store) == store.cards.states()
    store.close()
    missing: Any = invoke(["forget", "mine/nope"], now=LATER)
    assert missing.exit_code == 2 and "no card 'mine/nope'" in missing.output


def test_unsuspend_leeches(home: Path) -> None:
    deck(home)
    (home / "config.toml").write_text("leech_threshold = 1\n")
    study("\n4\n")
    lapse: Any = invoke(
        ["study", "--deck", "mine"], input="\n1\nq\n", now="2026-12-20T10:00:00+00:00"
    )
    assert "leech" in lapse.output.lower()
    assert [c["key"] for c in listed("--state", "leech")] == ["mine/eni"]
    result: Any = invoke(["unsuspend", "--leeches"], now=LATER)
    assert "unsuspended 1 card: mine/eni" in result.output
    assert listed("--state", "leech") == []
    none: Any = invoke(["unsuspend", "--leeches"], now=LATER)
    assert "no leeches" in none.output


def test_a_buried_card_waits_until_tomorrow(home: Path) -> None:
    deck(home)
    invoke(["bury", "eni"], now=NOW)
    today = study("\n3\n")
    assert "What does ENI stand for?" not in today.output
    tomorrow = study("\n3\n", TOMORROW)
    assert "What does ENI stand for?" in tomorrow.output


def test_b_buries_in_study_and_u_takes_it_back(home: Path) -> None:
    deck(home)
    result = study("b\nu\n\n3\n")
    out = result.output
    assert "buried until tomorrow (u undoes)" in out and "undone:" in out
    assert out.count("What does ENI stand for?") == 2  # back after the undo
    assert "saved: Good" in out


def test_siblings_never_share_a_day(home: Path) -> None:
    deck(home)
    out = study("\n3\n" * 6, NOW, "--new", "6").output
    asked = [line for line in out.splitlines() if line.startswith("Q: An ")]
    assert len(asked) == 1  # one deletion of the cloze today ...
    tomorrow = study("\n3\n" * 8, TOMORROW, "--new", "6").output
    # ... another tomorrow; the first one's own learning steps still come back the same day.
    assert len([line for line in tomorrow.splitlines() if line.startswith("Q: An ")]) == 1
    (home / "config.toml").write_text("bury_siblings = false\n")
    together = study("\n3\n" * 3, "2026-11-26T10:00:00+00:00", "--new", "6").output
    assert len([line for line in together.splitlines() if line.startswith("Q: An ")]) >= 1


def test_edit_opens_the_editor_at_the_card_line_and_checks_the_file(
    home: Path, tmp_path: Path
) -> None:
    deck(home)
    record = tmp_path / "args"
    editor = tmp_path / "editor.sh"
    editor.write_text(f'#!/bin/sh\necho "$@" > {record}\n')
    editor.chmod(editor.stat().st_mode | stat.S_IEXEC)
    os.environ["EDITOR"] = str(editor)
    try:
        result: Any = invoke(["edit", "az"], now=LATER)
        assert result.exit_code == 0, result.output
        assert record.read_text().split() == ["+9", str(home / "decks" / "mine.yaml")]
        assert "ok:" in result.output and "checks" in result.output
        editor.write_text('#!/bin/sh\nprintf "  - q: broken\\n" >> "$2"\n')
        broken: Any = invoke(["edit", "az"], now=LATER)
        assert "has problems now; fix them: ec2cards edit az" in broken.output
        bundled: Any = invoke(["edit", "virtualization/kernel-privileged-mode"], now=LATER)
        assert bundled.exit_code == 2
        assert "read-only" in bundled.output and "ec2cards export --deck" in bundled.output
    finally:
        del os.environ["EDITOR"]


def test_the_session_summary_says_why_new_cards_wait(home: Path) -> None:
    deck(home)
    (home / "config.toml").write_text("new_per_day = 2\n")
    out = study("\n3\n" * 2).output
    assert "4 new cards wait: today's limit of 2 new cards (shared by all decks) is reached" in out
    empty: Any = invoke(["study", "--deck", "mine"], input="q\n", now=NOW)
    assert "0% correct" not in empty.output


def test_line_mode_header_counts_by_queue_and_names_deck_and_topic_once(home: Path) -> None:
    write_deck(home / "decks", "same.yaml", DECK.replace("deck: mine", "deck: net"))
    out: Any = invoke(["study", "--deck", "net"], input="\n1\nq\n", now=NOW)
    assert "[0 done · 6 new · 0 learning · 0 to review] net · basic" in out.output
    assert "[1 done · 5 new · 1 learning · 0 to review] net · basic" in out.output


def test_a_broken_deck_is_listed_as_broken_and_edit_opens_it_at_the_error(
    home: Path, tmp_path: Path
) -> None:
    """A ': ' inside an unquoted question: `decks` lists the deck as broken with its first
    error and the fix, `--json` too, and `edit DECK` opens the file at that line."""
    broken = DECK.replace("deck: mine", "deck: notes").replace("What is an AZ?", "Why: an AZ?")
    assert "Why: an AZ?" in broken
    path = write_deck(home / "decks", "notes.yaml", broken)
    line = broken.splitlines().index(next(x for x in broken.splitlines() if "Why: an AZ?" in x))
    listed: Any = invoke(["decks"])
    assert listed.exit_code == 0
    row = next(x for x in listed.output.splitlines() if x.startswith("notes "))
    assert "BROKEN: YAML syntax error" in row
    fix = "a ': ' inside a text needs the whole text in quotes"
    assert f"broken: {path}:{line + 1}:" in listed.output and fix in listed.output
    assert "fix it: ec2cards edit notes" in listed.output
    (entry,) = [d for d in json.loads(invoke(["decks", "--json"]).stdout) if d["id"] == "notes"]
    assert entry["cards"] == 0 and entry["error"].startswith(f"{path}:{line + 1}:")

    record = tmp_path / "args"
    editor = tmp_path / "editor.sh"
    editor.write_text(f'#!/bin/sh\necho "$@" > {record}\n')
    editor.chmod(editor.stat().st_mode | stat.S_IEXEC)
    os.environ["EDITOR"] = str(editor)
    try:
        result: Any = invoke(["edit", "notes"], now=LATER)
        assert record.read_text().split() == [f"+{line + 1}", str(path)]
        assert "has problems now; fix them: ec2cards edit notes" in result.output
        record.unlink()
        by_card: Any = invoke(["edit", "notes/az"], now=LATER)  # a card of the broken deck
        assert record.read_text().split() == [f"+{line + 1}", str(path)], by_card.output
    finally:
        del os.environ["EDITOR"]
