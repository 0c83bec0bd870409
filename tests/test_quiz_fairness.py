"""Fair quizzes: overruling the grader, cloze alternatives, retrying what was missed, a past
quiz shown again, options in a new order each day, multi-answer choices that say how many."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from conftest import invoke, venv_bin, write_deck

from ec2cards.decks.selection import load_collection
from ec2cards.model.cards import CardKind
from ec2cards.quiz.grading import grade
from ec2cards.quiz.questions import Ask, Mode, build
from ec2cards.study.loop import shown_items
from ec2cards.terminal.quiz_lines import instruction

NOW = "2026-11-24T10:00:00+00:00"
DECK = """deck: fair
title: Fair quiz
topic: fair
cards:
  - id: kernel
    q: Which part of the OS runs in privileged mode?
    a: The kernel
  - id: iops
    kind: cloze
    text: "An io2 Block Express volume delivers up to {{c1::256,000}} IOPS."
  - id: nitro
    kind: cloze
    text: "EC2's current hypervisor is the {{c1::Nitro}} Hypervisor."
    accept: {c1: [Nitro System, AWS Nitro]}
  - id: tenancy
    kind: choice
    q: Which tenancy options run on hardware no other AWS account shares?
    options: [Dedicated Instances, Dedicated Hosts, Default (shared) tenancy, Spot Instances]
    answer: [Dedicated Instances, Dedicated Hosts]
  - id: spot
    kind: choice
    q: Which purchase option uses spare EC2 capacity at a discount?
    options: [On-Demand Instances, Spot Instances, Reserved Instances, Savings Plans]
    answer: Spot Instances
"""


@pytest.fixture
def fair(home: Path) -> Path:
    write_deck(home / "decks", "fair.yaml", DECK)
    return home


def quiz(*args: str, input: str) -> object:
    return invoke(["quiz", "--deck", "fair", *args], now=NOW, input=input)


def answers(home: Path) -> list[tuple[str, int, int, str]]:
    db = sqlite3.connect(home / "ec2cards.db")
    return db.execute(
        "SELECT card_key, correct, overruled, given FROM quiz_answer ORDER BY quiz_id, number"
    ).fetchall()


def test_a_wrong_verdict_overruled_in_line_mode_counts_and_is_recorded_good(fair: Path) -> None:
    # Two typed questions (seeded); both answered with something the grader cannot know.
    result = quiz(
        "--mode",
        "typed",
        "--count",
        "2",
        "--seed",
        "3",
        "--record",
        input="ring zero code\n!right\nnot sure\n\n",
    )
    assert "Counted right (overruled)." in result.output
    assert "Score: 1/2 (50%)" in result.output and "1 overruled" in result.output
    rows = answers(fair)
    assert [(correct, overruled) for _, correct, overruled, _ in rows] == [(1, 1), (0, 0)]
    # As a review the overruled answer is Good: its Again is undone, the log keeps both.
    db = sqlite3.connect(fair / "ec2cards.db")
    first = rows[0][0]
    events = db.execute(
        "SELECT event, rating FROM review_log WHERE card_key = ? ORDER BY id", (first,)
    ).fetchall()
    assert events == [("review", 1), ("undo", None), ("review", 3)]
    shown = invoke(["quiz", "--history", "1"])
    assert "right (overruled)" in shown.output and "ring zero code" in shown.output
    listed = json.loads(invoke(["quiz", "--history", "1", "--json"]).stdout)
    assert [q["overruled"] for q in listed["questions"]] == [True, False]


def test_the_last_answer_can_be_overruled_and_nothing_else_can(fair: Path) -> None:
    result = quiz(
        "--mode", "typed", "--count", "1", "--seed", "3", input="ring zero code\n!right\n"
    )
    assert "1 overruled" in result.output
    # A right answer, or a line with no wrong answer before it, overrules nothing.
    again = quiz("--mode", "typed", "--count", "2", "--seed", "3", input="!right\n")
    assert "overruled" not in again.output.split("Score:")[-1]
    assert answers(fair)[1:] == [(answers(fair)[1][0], 0, 0, "!right")]


def test_cloze_alternatives_and_numbers_read_as_a_person_would(fair: Path) -> None:
    collection = load_collection(fair)
    cards = [c for c in collection.cards if c.deck_id == "fair" and c.kind is CardKind.CLOZE]
    questions = {q.card.key.split("-c")[0]: q for q in build(cards, cards, 2, Mode.TYPED, seed=1)}
    nitro, iops = questions["fair/nitro"], questions["fair/iops"]
    for reply in ("Nitro", "nitro system", "AWS Nitro"):
        assert grade(nitro, reply).correct, reply  # type: ignore[union-attr]
    assert not grade(nitro, "Xen").correct  # type: ignore[union-attr]
    for reply in ("256000", "256 000", "256,000"):
        assert grade(iops, reply).correct, reply  # type: ignore[union-attr]
    for reply in ("25600", "2560000", "64000"):
        assert not grade(iops, reply).correct, reply  # type: ignore[union-attr]


PLAIN = """deck: plain
title: Plain questions
topic: plain
cards:
  - {id: one, q: What does ENI stand for?, a: Elastic Network Interface}
  - {id: two, q: What does AZ stand for?, a: Availability Zone}
  - {id: three, q: What does EBS stand for?, a: Elastic Block Store}
  - {id: four, q: What does AMI stand for?, a: Amazon Machine Image}
"""


def test_retry_asks_again_only_what_was_missed(home: Path) -> None:
    write_deck(home / "decks", "plain.yaml", PLAIN)
    args = ["quiz", "--deck", "plain", "--mode", "typed", "--count", "4", "--seed", "3"]
    plain = [c for c in load_collection(home).cards if c.deck_id == "plain"]
    order = [q.card for q in build(plain, plain, 4, Mode.TYPED, seed=3)]
    replies = [order[0].answer, "x", order[2].answer, "z", ""]
    first = invoke(args, now=NOW, input="\n".join(replies) + "\n")
    missed = [key for key, correct, _, _ in answers(home) if not correct]
    assert missed == [order[1].key, order[3].key] and "Score: 2/4" in first.output
    retry = invoke(["quiz", "--retry"], now=NOW, input="\n\n\n")
    asked = [line.split("]")[0] for line in retry.output.splitlines() if line.startswith("[")]
    assert asked == ["[1/2", "[2/2"]
    assert "typed" in retry.output  # asked as before
    assert [key for key, *_ in answers(home)[4:]] == missed
    right = f"{order[1].answer}\n{order[3].answer}\n"
    assert "Score: 2/2" in invoke(["quiz", "--retry"], now=NOW, input=right).output
    nothing = invoke(["quiz", "--retry"], now=NOW, input="")
    assert nothing.exit_code != 0 and "nothing to retry" in nothing.output


def test_retry_and_history_say_what_is_wrong(fair: Path) -> None:
    none_yet = invoke(["quiz", "--retry"], now=NOW)
    assert none_yet.exit_code != 0 and "no quiz to retry" in none_yet.output
    unknown = invoke(["quiz", "--history", "7"], now=NOW)
    assert unknown.exit_code != 0 and "no quiz #7" in unknown.output
    loose = invoke(["quiz", "7"], now=NOW)
    assert loose.exit_code != 0 and "--history 7" in loose.output


def test_options_change_order_between_days_and_stay_put_within_one(fair: Path) -> None:
    cards = [c for c in load_collection(fair).cards if c.kind is CardKind.CHOICE]
    assert len(cards) > 10  # the bundled decks' choice cards too, two options or more
    days = [f"2026-12-{day:02d}" for day in range(1, 15)]
    for card in cards:
        orders = {tuple(shown_items(card, day)) for day in days}
        assert len(orders) > 1, card.key
        assert shown_items(card, days[0]) == shown_items(card, days[0])
        quizzes = {build([card], [card], 1, Mode.CHOICE, seed=1, day=d)[0].options for d in days}
        assert len(quizzes) > 1


def test_a_multi_answer_choice_says_how_many_and_a_typed_choice_takes_option_text(
    fair: Path,
) -> None:
    both = [c for c in load_collection(fair).cards if c.card_id == "tenancy"]
    question = build(both, both, 1, Mode.CHOICE, seed=1)[0]
    assert instruction(question).startswith("Pick 2:")
    picked = [i + 1 for i, o in enumerate(question.options) if o.startswith("Dedicated")]
    assert grade(question, " ".join(map(str, picked))).correct  # type: ignore[union-attr]
    assert not grade(question, str(picked[0])).correct  # type: ignore[union-attr]
    cards = [c for c in load_collection(fair).cards if c.card_id == "spot"]
    question = build(cards, cards, 1, Mode.CHOICE, seed=1, day="2026-11-24")[0]
    assert question.ask is Ask.CHOICE
    named = grade(question, "spot")
    assert named is not None and named.correct
    other = grade(question, "savings plans")
    assert other is not None and not other.correct
    assert grade(question, "instances") is None  # names more than one option: not understood
    typed = build(cards, cards, 1, Mode.TYPED, seed=1)[0]
    assert typed.ask is Ask.TYPED
    assert grade(typed, "spot instance").correct  # type: ignore[union-attr]


needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


@needs_tmux
def test_overrule_and_cloze_alternatives_in_a_real_terminal(fair: Path) -> None:
    from test_terminal import Tmux

    typed_only = DECK.split("  - id: tenancy")[0].replace("deck: fair", "deck: typed")
    write_deck(fair / "decks", "fair.yaml", typed_only)
    env = {"EC2CARDS_HOME": str(fair), "EC2CARDS_NOW": NOW, "TZ": "UTC", "TERM": "xterm-256color"}
    command = f"{venv_bin('ec2cards')} quiz --deck typed --mode typed --count 3 --seed 11"
    session = Tmux(f"ec2fair{os.getpid()}", command, env)
    try:
        replies = {
            "hypervisor is the": "nitro system",  # a cloze alternative from the deck
            "IOPS": "256 000",
            "privileged mode": "ring zero code",  # wrong to the grader: overruled
        }
        for number in (1, 2, 3):
            screen = session.wait_for(f"{number}/3 · fair")
            question = screen[screen.rindex(f"{number}/3 · fair") :].replace("\n", " ")
            reply = next(r for hint, r in replies.items() if hint in question)
            session.keys(reply, "Enter")
            if reply == "ring zero code":
                session.wait_for("o: I was right")
                session.keys("o")
                session.wait_for("Counted right (overruled).")
        screen = session.wait_for("EXITED-0")
    finally:
        session.close()
    assert "Score: 3/3 (100%)" in screen and "1 overruled" in screen
    assert sum(overruled for *_, overruled, _ in answers(fair)) == 1


def test_study_says_how_many_options_to_pick(home: Path) -> None:
    choices = "  - id: tenancy" + DECK.split("  - id: tenancy")[1]
    write_deck(
        home / "decks", "pick.yaml", "deck: pick\ntitle: Pick\ntopic: pick\ncards:\n" + choices
    )
    out = invoke(["study", "--deck", "pick"], now=NOW, input="1 2\n3\n1\n").output
    assert "Your answer (pick 2: their option numbers" in out  # tenancy: two right options
    assert "Your answer (option number;" in out  # spot: one
