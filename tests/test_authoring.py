"""`ec2cards deck new` and `ec2cards add`: a template that loads, cards appended as text only."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, invoke, venv_bin, write_deck
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ec2cards.decks.adding import Draft, find_deck, plan_add
from ec2cards.decks.entries import append_entries, check_text
from ec2cards.decks.format import load_deck
from ec2cards.model.cards import CardKind

NOW = "2026-11-24T10:00:00+00:00"

# A deck written by hand: comments everywhere, odd spacing, a key after the cards.
HAND_WRITTEN = """\
# My notes on IAM -- keep this comment!
deck: mine
title: "Mine: IAM"     # a trailing comment
topic: iam
cards:
    # first section, indented by four
    -   id: first
        q: What does IAM stand for?
        a: Identity and Access Management   # expanded

    -   q: Is IAM global or regional?
        a: Global
        accept: [global service]

    # a comment after the last card
source: "AWS IAM user guide"
"""


def deck_text(home: Path, name: str = "mine") -> str:
    return (home / "decks" / f"{name}.yaml").read_text(encoding="utf-8")


# -- deck new ----------------------------------------------------------------------------------


def test_deck_new_writes_a_commented_template_that_studies_at_once(home: Path) -> None:
    result = invoke(["deck", "new", "aws-iam", "--topic", "iam", "--title", "IAM: basics"])
    assert result.exit_code == 0, result.output
    path = home / "decks" / "aws-iam.yaml"
    assert f"created {path}" in result.output
    text = path.read_text()
    assert text.count("\n#") >= 5  # commented
    for kind in ("kind: cloze", "kind: choice", "kind: order", "q:", "a:", "accept:", "source:"):
        assert kind in text
    deck, problems = load_deck(path)
    assert problems == [] and deck is not None
    assert deck.deck_id == "aws-iam" and deck.topic == "iam" and deck.title == "IAM: basics"
    assert {card.kind for card in deck.cards} == set(CardKind)
    assert invoke(["check"]).exit_code == 0
    studied = invoke(["study", "--deck", "aws-iam"], input="\n3\nq\n", now=NOW)
    assert studied.exit_code == 0, studied.output
    assert "Which command adds a card" in studied.output


def test_deck_new_refuses_to_overwrite_or_reuse_an_id(home: Path) -> None:
    assert invoke(["deck", "new", "mine"]).exit_code == 0
    before = deck_text(home)
    again = invoke(["deck", "new", "mine", "--title", "Other"])
    assert again.exit_code == 2 and "already exists; nothing written" in again.output
    assert deck_text(home) == before
    bundled = invoke(["deck", "new", "virtualization"])
    assert bundled.exit_code == 2
    assert "deck id 'virtualization' is already used by a bundled deck" in bundled.output
    assert not (home / "decks" / "virtualization.yaml").exists()
    # A user deck whose file has another name still owns its id.
    write_deck(home / "decks", "other-file.yaml", HAND_WRITTEN.replace("deck: mine", "deck: x1"))
    clash = invoke(["deck", "new", "x1"])
    assert clash.exit_code == 2 and "other-file.yaml" in clash.output
    bad = invoke(["deck", "new", "My Deck"])
    assert bad.exit_code == 2 and "must be a slug" in bad.output and "'my-deck'" in bad.output
    assert bad.output.count("error:") == 1


# -- add, non-interactive --------------------------------------------------------------------------


def test_add_appends_without_touching_the_rest_of_the_file(home: Path) -> None:
    path = write_deck(home / "decks", "mine.yaml", HAND_WRITTEN)
    result = invoke(
        [
            *("add", "--deck", "mine", "--q", "Which IAM entity has no password?", "--a", "A role"),
            *("--accept", "role", "--accept", "an IAM role", "--topic", "security"),
            *("--note", "Roles hand out temporary credentials.", "--tag", "entities"),
        ]
    )
    assert result.exit_code == 0, result.output
    new = path.read_text()
    inserted = (
        "\n"
        "    - id: which-iam-entity-has-no-password\n"  # written, so a reworded card keeps it
        "      q: Which IAM entity has no password?\n"
        "      a: A role\n"
        "      accept: [role, an IAM role]\n"
        "      note: Roles hand out temporary credentials.\n"
        "      topics: [security]\n"
        "      tags: [entities]\n"
    )
    assert inserted in new
    assert new.replace(inserted, "", 1) == HAND_WRITTEN  # nothing else changed, byte for byte
    deck, problems = load_deck(path)
    assert problems == [] and deck is not None
    card = deck.cards[-1]
    assert card.question == "Which IAM entity has no password?"
    assert card.accept == ("role", "an IAM role") and card.topics == ("iam", "security")
    assert card.source == "AWS IAM user guide"  # the deck's default, from the key after the cards
    assert f"at {path}:{card.line}" in result.output


def test_add_every_kind_from_options(home: Path) -> None:
    path = write_deck(home / "decks", "mine.yaml", HAND_WRITTEN)
    runs = [
        ["--text", "An IAM {{c1::role}} has no {{c2::long-term::what?}} keys"],  # cloze, by --text
        [
            *("--kind", "choice", "--q", "Which service is global?"),
            *("--option", "IAM", "--option", "EC2", "--option", "EBS", "--answer", "1"),
        ],
        [
            *("--kind", "choice", "--q", "Which are storage?", "--option", "EBS"),
            *("--option", "S3", "--option", "IAM", "--answer", "EBS", "--answer", "2"),
        ],
        [
            *("--kind", "order", "--q", "Order the policy evaluation", "--item", "Explicit deny"),
            *("--item", "Explicit allow", "--item", "Implicit deny"),
        ],
    ]
    for extra in runs:
        result = invoke(["add", "--deck", "mine", *extra])
        assert result.exit_code == 0, result.output
    deck, problems = load_deck(path)
    assert problems == [] and deck is not None
    by_kind = {card.kind: card for card in deck.cards}
    cloze = [c for c in deck.cards if c.kind is CardKind.CLOZE]
    assert [c.answer for c in cloze] == ["role", "long-term"]
    choices = [c for c in deck.cards if c.kind is CardKind.CHOICE]
    assert choices[0].correct == ("IAM",) and choices[1].correct == ("EBS", "S3")
    assert by_kind[CardKind.ORDER].items == ("Explicit deny", "Explicit allow", "Implicit deny")
    assert path.read_text().startswith(HAND_WRITTEN.split("    # a comment after")[0])
    assert invoke(["check"]).exit_code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--deck", "virtualization", "--q", "x?", "--a", "y"], "ec2cards deck new NAME"),
        (
            ["--deck", str(ROOT / "decks" / "10-virtualization.yaml"), "--q", "x?", "--a", "y"],
            "comes with ec2cards and is not changed by add",
        ),
        (["--deck", "mine", "--q", "What does IAM stand for?", "--a", "x"], "already has a card"),
        (["--deck", "mine", "--kind", "cloze", "--text", "no deletion"], "no deletion"),
        (["--deck", "mine", "--kind", "cloze", "--text", "bad {{c1:x}}"], "no deletion"),
        (
            ["--deck", "mine", "--kind", "cloze", "--text", "a {{c1::b} c {{c2::d::e}}"],
            "c1 is not closed before the next {{ opens",
        ),
        (
            [
                "--deck",
                "mine",
                "--kind",
                "choice",
                "--q",
                "p?",
                "--option",
                "a",
                "--option",
                "b",
                "--answer",
                "c",
            ],
            "'c' is not one of the options",
        ),
        (
            [
                "--deck",
                "mine",
                "--kind",
                "choice",
                "--q",
                "p?",
                "--option",
                "a",
                "--option",
                "A!",
                "--answer",
                "a",
            ],
            "options must all differ",
        ),
        (["--deck", "mine", "--kind", "order", "--q", "o?", "--item", "one"], "at least two"),
        (["--deck", "mine", "--kind", "flash", "--q", "x?", "--a", "y"], "unknown kind 'flash'"),
        (["--deck", "mien", "--q", "x?", "--a", "y"], "did you mean 'mine'?"),
        (["--deck", "mine", "--q", "x?", "--a", "y", "--topic", "Not Slug"], "must be a slug"),
        (["--deck", "mine", "--q", "x?", "--a", "y", "--id", "Bad Id"], "must be a slug"),
        (["--deck", "mine", "--q", "x?", "--a", "y", "--id", "first"], "already has a card"),
    ],
)
def test_add_refuses_bad_cards_in_one_line_and_writes_nothing(
    home: Path, args: list[str], message: str
) -> None:
    path = write_deck(home / "decks", "mine.yaml", HAND_WRITTEN)
    result = invoke(["add", *args])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert result.output.count("error:") == 1
    assert path.read_text() == HAND_WRITTEN
    assert sorted(p.name for p in path.parent.iterdir()) == ["mine.yaml"]


def test_add_needs_a_deck_of_ones_own(home: Path) -> None:
    none = invoke(["add", "--q", "x?", "--a", "y"])
    assert none.exit_code == 2 and "ec2cards deck new NAME" in none.output
    write_deck(home / "decks", "mine.yaml", HAND_WRITTEN)
    only = invoke(["add", "--q", "Only deck?", "--answer", "Used"])  # no --deck needed
    assert only.exit_code == 0 and "to deck 'mine'" in only.output
    assert "a: Used" in deck_text(home)  # --answer of a basic card is its answer
    write_deck(home / "decks", "two.yaml", HAND_WRITTEN.replace("deck: mine", "deck: two"))
    several = invoke(["add", "--q", "Which?", "--a", "x"])
    assert several.exit_code == 2 and "choose one with --deck (mine, two)" in several.output


def test_add_to_a_deck_file_given_by_path(tmp_path: Path) -> None:
    path = write_deck(tmp_path, "friend.yaml", HAND_WRITTEN)
    result = invoke(["add", "--deck", str(path), "--q", "By path?", "--a", "Yes"])
    assert result.exit_code == 0, result.output
    assert path.read_text().endswith(
        "    - id: by-path\n      q: By path?\n      a: 'Yes'\nsource: \"AWS IAM user guide\"\n"
    )


def test_add_keeps_windows_line_endings(home: Path) -> None:
    crlf = HAND_WRITTEN.replace("\n", "\r\n")
    path = home / "decks" / "mine.yaml"
    path.parent.mkdir(parents=True)
    path.write_bytes(crlf.encode())
    assert invoke(["add", "--q", "CRLF kept?", "--a", "Kept"]).exit_code == 0
    raw = path.read_bytes()
    assert b"    - id: crlf-kept\r\n      q: CRLF kept?\r\n      a: Kept\r\n" in raw
    assert b"\n" not in raw.replace(b"\r\n", b"")


def test_failed_write_leaves_the_deck_as_it_was(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_deck(home / "decks", "mine.yaml", HAND_WRITTEN)

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("ec2cards.files.os.replace", broken_replace)
    result = invoke(["add", "--q", "Will it fit?", "--a", "No"])
    assert result.exit_code == 1
    assert "cannot write (No space left on device); nothing changed" in result.output
    assert path.read_text() == HAND_WRITTEN
    assert [p.name for p in path.parent.iterdir()] == ["mine.yaml"]  # no temp file left


def test_a_card_appended_after_flow_or_missing_cards_is_refused(home: Path) -> None:
    flow = "deck: f\ntitle: F\ntopic: f\ncards: [{q: a?, a: b}]\n"
    write_deck(home / "decks", "f.yaml", flow)
    result = invoke(["add", "--deck", "f", "--q", "x?", "--a", "y"])
    assert result.exit_code == 2 and "not a block list" in result.output
    assert deck_text(home, "f") == flow


# -- add, interactive ------------------------------------------------------------------------------


def test_add_asks_for_each_field_validates_and_previews(home: Path) -> None:
    path = write_deck(home / "decks", "mine.yaml", HAND_WRITTEN)
    answers = [
        "",  # empty question: asked again
        "What does IAM stand for?",  # already in the deck: asked again
        "Which IAM entity is for a person?",
        "A user",
        "user; IAM user",  # alternatives
        "Bad Topic",  # not a slug: asked again
        "security",
        "",  # source: the deck's
        "One person or application.",  # note
        "y",  # confirm
    ]
    result = invoke(["add"], input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "✗ the question is empty" in out
    assert "✗ the deck already has a card with this question" in out
    assert "✗ a topic must be a slug" in out
    assert "Which IAM entity is for a person?" in out and "also accepted: user, IAM user" in out
    assert "source: AWS IAM user guide" in out  # the preview shows the card as it will be
    assert "added 1 card" in out
    deck, _ = load_deck(path)
    assert deck is not None
    card = deck.cards[-1]
    assert (card.answer, card.accept, card.topics) == (
        "A user",
        ("user", "IAM user"),
        ("iam", "security"),
    )
    assert card.note == "One person or application."


def test_add_choice_interactively(home: Path) -> None:
    path = write_deck(home / "decks", "mine.yaml", HAND_WRITTEN)
    answers = ["Which is regional?", "IAM", "IAM", "EC2", "", "5", "2", "", "", "", ""]
    result = invoke(["add", "--kind", "choice"], input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert "'IAM' is already in the list" in result.output
    assert "there is no option 5" in result.output
    deck, _ = load_deck(path)
    assert deck is not None and deck.cards[-1].correct == ("EC2",)


def test_add_can_be_declined_or_cut_short(home: Path) -> None:
    path = write_deck(home / "decks", "mine.yaml", HAND_WRITTEN)
    declined = invoke(["add"], input="New?\nYes\n\n\n\n\nn\n")
    assert declined.exit_code == 0 and "nothing added" in declined.output
    cut = invoke(["add"], input="Half a card?\n")
    assert cut.exit_code == 2
    assert "input ended before the card was complete; nothing added" in cut.output
    assert path.read_text() == HAND_WRITTEN


# -- the YAML a card becomes -----------------------------------------------------------------------

TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff")
    | st.sampled_from(
        [
            "\n",
            "\r",
            "\u2028",
            "\u2029",
            "\x85",
            "\t",
            ":",
            "#",
            "'",
            '"',
            "-",
            " ",
            "[",
            "|",
            ">",
            "&",
            "*",
            "{",
        ]
    ),
    min_size=1,
    max_size=40,
).filter(lambda s: s.strip() and "{{" not in s and not any(ord(c) > 0xFFFF for c in s))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(question=TEXT, answer=TEXT, alternatives=st.lists(TEXT, max_size=3))
def test_any_text_survives_the_trip_into_yaml_and_back(
    question: str, answer: str, alternatives: list[str]
) -> None:
    path = Path("/virtual/mine.yaml")
    text = append_entries(
        HAND_WRITTEN,
        [{"q": question.strip(), "a": answer.strip(), "accept": [a.strip() for a in alternatives]}],
        path,
    )
    deck, problems = check_text(text, path)
    assert problems == [], (text, problems)
    card = deck.cards[-1]
    assert card.question == question.strip() and card.answer == answer.strip()
    assert list(card.accept) == [a.strip() for a in alternatives]
    assert text.startswith(HAND_WRITTEN.split("source:")[0])


def test_line_and_paragraph_separators_are_saved_and_read_back_as_typed(home: Path) -> None:
    """U+2028, U+2029, U+0085 and a lone CR are line breaks to YAML, which a quoted scalar
    folds into spaces: they are written as escapes, so the card reads back as it was typed."""
    write_deck(home / "decks", "mine.yaml", HAND_WRITTEN)
    question = "Two lines\u2028in one\x85field?"
    answer = "A\u2029B\r\nC"
    result = invoke(["add", "--deck", "mine", "--q", question, "--a", answer])
    assert result.exit_code == 0, result.output
    deck, problems = load_deck(home / "decks" / "mine.yaml")
    assert problems == [] and deck is not None
    assert (deck.cards[-1].question, deck.cards[-1].answer) == (question, answer)
    assert deck_text(home).startswith(HAND_WRITTEN.split("source:")[0])


def test_plan_add_reports_the_new_cards_without_writing(home: Path) -> None:
    path = write_deck(home / "decks", "mine.yaml", HAND_WRITTEN)
    deck = find_deck(home, "mine")
    plan = plan_add(deck, Draft(kind=CardKind.CLOZE, text="A {{c1::policy}} is {{c2::JSON}}"))
    assert [card.card_id[-3:] for card in plan.cards] == ["-c1", "-c2"]
    assert path.read_text() == HAND_WRITTEN


# -- a real terminal ---------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_add_in_a_real_terminal(home: Path) -> None:
    from test_terminal import Tmux

    path = write_deck(home / "decks", "mine.yaml", HAND_WRITTEN)
    env = {"EC2CARDS_HOME": str(home), "TZ": "UTC", "TERM": "xterm-256color"}
    session = Tmux(f"ec2add{os.getpid()}", f"{venv_bin('ec2cards')} add --kind cloze", env)
    try:
        session.wait_for("Text:")
        session.keys("no deletion here", "Enter")
        session.wait_for("✗ no deletion")
        session.keys("A {{c1::role}} is assumed", "Enter")
        session.wait_for("Topics besides 'iam'")
        session.keys("Enter")
        session.wait_for("Source")
        session.keys("Enter")
        session.wait_for("Note shown after the answer")
        session.keys("Enter")
        screen = session.wait_for("Add it to")
        assert "A [...] is assumed" in screen  # the question side
        assert "answer:" in screen and "A role is assumed" in screen  # the answer side
        session.keys("Enter")
        screen = session.wait_for("EXITED-0")
        assert "added 1 card" in screen
    finally:
        session.close()
    deck, problems = load_deck(path)
    assert problems == [] and deck is not None
    assert deck.cards[-1].cloze_text == "A {{c1::role}} is assumed"


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux not installed")
def test_ctrl_c_in_add_says_cancelled_and_writes_nothing(home: Path) -> None:
    from test_terminal import Tmux

    path = write_deck(home / "decks", "mine.yaml", HAND_WRITTEN)
    env = {"EC2CARDS_HOME": str(home), "TZ": "UTC", "TERM": "xterm-256color"}
    session = Tmux(f"ec2addc{os.getpid()}", f"{venv_bin('ec2cards')} add", env)
    try:
        session.wait_for("Question:")
        session.keys("C-c")
        screen = session.wait_for("EXITED-130")
        lines = screen.splitlines()
        assert "error: cancelled; nothing added" in lines
        assert not any("input ended" in line for line in lines)
    finally:
        session.close()
    assert path.read_text() == HAND_WRITTEN


def test_add_writes_an_id_so_a_reworded_card_keeps_its_history(home: Path) -> None:
    import json

    first = "  - id: first\n    q: First?\n    a: one\n"
    path = write_deck(home / "decks", "m.yaml", f"deck: m\ntitle: M\ntopic: m\ncards:\n{first}")
    for question in ("What does IAM stand for?!", "What does IAM stand for, again?"):
        assert invoke(["add", "--deck", "m", "--q", question, "--a", "x"]).exit_code == 0
    cloze = "{{c1::IAM}} is global, not {{c2::regional::scope}}"
    assert invoke(["add", "--deck", "m", "--kind", "cloze", "--text", cloze]).exit_code == 0
    text = path.read_text()
    assert "- id: what-does-iam-stand-for\n" in text
    assert "- id: what-does-iam-stand-for-again\n" in text
    assert "- id: iam-is-global-not-regional\n" in text
    studied = invoke(["study", "--deck", "m", "--new", "2"], input="\n3\n\n3\nq\n", now=NOW)
    assert "Q: What does IAM stand for?!" in studied.output and "saved: Good" in studied.output
    path.write_text(text.replace("What does IAM stand for?!", "IAM is short for what?"))
    assert invoke(["check"]).exit_code == 0  # no orphan: the card kept its key
    page = invoke(["card", "m/what-does-iam-stand-for", "--json"], now=NOW)
    assert page.exit_code == 0, page.output
    shown = json.loads(page.output)
    assert shown["question"] == "IAM is short for what?" and shown["reps"] == 1


REWORDED = (
    "deck: m\ntitle: M\ntopic: m\ncards:\n  - q: {q}\n    a: Identity and Access Management\n"
)


def test_a_card_reworded_without_an_id_is_named_and_relinked(home: Path) -> None:
    """A hand-written card without an id, studied, then reworded: its history is in no deck.
    check and study name the card it looks like; relink moves the history there."""
    import json

    from ec2cards.decks.naming import derived_card_id

    path = write_deck(home / "decks", "m.yaml", REWORDED.format(q="What does IAM stand for?"))
    studied = invoke(["study", "--deck", "m"], input="\n3\n\n3\nq\n", now=NOW)
    assert studied.output.count("saved: Good") == 2, studied.output
    (before,) = json.loads(invoke(["cards", "--deck", "m", "--json"], now=NOW).stdout)
    path.write_text(REWORDED.format(q="What does the acronym IAM stand for?"))
    old = "m/" + derived_card_id(CardKind.BASIC, "What does IAM stand for?")
    new = "m/" + derived_card_id(CardKind.BASIC, "What does the acronym IAM stand for?")
    hint = f"`ec2cards relink {old} {new}`"
    checked = invoke(["check"])
    assert checked.exit_code == 0 and hint in checked.output, checked.output
    assert f"{old} has a history but no card; it looks like {new}" in checked.output
    later = "2026-11-24T10:30:00+00:00"
    again = invoke(["study", "--deck", "m"], input="q\n", now=later)
    assert hint in again.output, again.output  # said when the session ends

    assert invoke(["relink", old, "m/nothing"]).exit_code == 2  # no such card
    moved = invoke(["relink", old, new], now=later)
    assert moved.exit_code == 0, moved.output
    assert f"moved 2 reviews of {old} to {new}" in moved.output
    page = json.loads(invoke(["card", new, "--json"], now=later).output)
    assert page["reps"] == 2 and len(page["reviews"]) == 2
    assert page["due"] == before["due"]  # the same fuzz: the interval it was shown stays
    assert "ok: nothing lost" in invoke(["doctor"], now=later).output
    assert "relink" not in invoke(["check"]).output
    gone = invoke(["relink", old, new], now=later)
    assert gone.exit_code == 2 and "has no history to move" in gone.output


def test_relink_joins_two_histories_in_time_order(home: Path) -> None:
    from ec2cards.decks.naming import derived_card_id

    path = write_deck(home / "decks", "m.yaml", REWORDED.format(q="What does IAM stand for?"))
    invoke(["study", "--deck", "m"], input="\n3\n\nq\n", now=NOW)  # one Good, then stop
    path.write_text(REWORDED.format(q="IAM stands for what?"))
    old = "m/" + derived_card_id(CardKind.BASIC, "What does IAM stand for?")
    new = "m/" + derived_card_id(CardKind.BASIC, "IAM stands for what?")
    invoke(["study", "--deck", "m"], input="\n1\nq\n", now="2026-11-24T11:00:00+00:00")
    still = invoke(["relink", new, old])
    assert still.exit_code == 2 and "is a card in your decks" in still.output
    moved = invoke(["relink", old, new], now="2026-11-24T11:05:00+00:00")
    assert "moved 1 review" in moved.output, moved.output
    assert "ok: nothing lost" in invoke(["doctor"], now="2026-11-24T11:05:00+00:00").output
    import sqlite3

    db = sqlite3.connect(home / "ec2cards.db")
    rows = db.execute("SELECT rating FROM review_log WHERE card_key = ? ORDER BY id", (new,))
    assert [r for (r,) in rows] == [3, 1]
    (reps,) = db.execute("SELECT reps FROM card_state WHERE card_key = ?", (new,)).fetchone()
    assert reps == 2


def test_add_writes_a_scenario_with_a_reason_for_each_option(home: Path) -> None:
    invoke(["deck", "new", "mine"])
    args = [
        *("add", "--deck", "mine", "--kind", "scenario"),
        *("--q", "Which is cheapest for a steady load over three years?"),
        *("--option", "On-Demand", "--option", "Spot", "--option", "Reserved Instances"),
        *("--option", "Dedicated Hosts", "--answer", "3"),
    ]
    reasons = ["Wrong: full price", "Wrong: interrupted", "Right: the discount", "Wrong: more"]
    short = invoke([*args, "--explain", reasons[0]])
    assert short.exit_code == 2
    assert "give one --explain per option, in their order" in short.output
    assert "(4 options, 1 reason)" in short.output
    done = invoke(
        [*args, *(x for r in reasons for x in ("--explain", r)), "--tests", "mine/example-basic"]
    )
    assert done.exit_code == 0, done.output
    deck = find_deck(home, "mine")
    card = next(c for c in deck.cards if c.kind is CardKind.SCENARIO and "steady" in c.question)
    assert card.correct == ("Reserved Instances",) and card.explain[2] == "Right: the discount"
    assert card.tests == ("mine/example-basic",)
    assert invoke(["check"]).exit_code == 0


def test_relink_keeps_the_interval_the_card_was_shown(home: Path) -> None:
    import json

    from ec2cards.decks.naming import derived_card_id

    path = write_deck(home / "decks", "m.yaml", REWORDED.format(q="What does IAM stand for?"))
    shown = invoke(["study", "--deck", "m"], input="\n3\nq\n", now=NOW).output
    (before,) = json.loads(invoke(["cards", "--deck", "m", "--json"], now=NOW).stdout)
    path.write_text(REWORDED.format(q="Which words make the acronym IAM?"))
    old = "m/" + derived_card_id(CardKind.BASIC, "What does IAM stand for?")
    new = "m/" + derived_card_id(CardKind.BASIC, "Which words make the acronym IAM?")
    assert invoke(["relink", old, new], now=NOW).exit_code == 0
    page = json.loads(invoke(["card", new, "--json"], now=NOW).stdout)
    assert page["due"] == before["due"], shown
    assert "ok: nothing lost" in invoke(["doctor"], now=NOW).output
