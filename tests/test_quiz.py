"""Quiz: distractors, the typed-answer grader, reproducible quizzes, scripted and JSON use."""

from __future__ import annotations

import json
import random
import sqlite3
from pathlib import Path

import pytest
from conftest import invoke, write_deck
from hypothesis import given, settings
from hypothesis import strategies as st

from ec2cards.decks.selection import load_collection
from ec2cards.model.cards import Card, CardKind
from ec2cards.model.ratings import Rating
from ec2cards.model.text import normalise
from ec2cards.quiz.distractors import distractors
from ec2cards.quiz.grading import Result, grade
from ec2cards.quiz.questions import Ask, Mode, Question, build
from ec2cards.quiz.session import rating_for
from ec2cards.quiz.typed import answer_form, grade_typed

NOW = "2026-11-24T10:00:00+00:00"


@pytest.mark.parametrize(
    ("given", "accepted", "correct", "exact"),
    [
        ("The Kernel", ["the kernel"], True, True),  # case
        ("kernel", ["The kernel"], True, True),  # leading article
        ("  kernel.  ", ["kernel"], True, True),  # whitespace and punctuation
        ("hypervisör", ["hypervisor"], True, True),  # accents
        ("hypervsor", ["hypervisor"], True, False),  # small typo: close enough
        ("paravirtualisation", ["para-virtualization"], True, True),  # spelling and hyphen
        ("SR IOV", ["SR-IOV"], True, True),  # punctuation inside
        ("binary translation", ["Binary translation", "trap and emulate"], True, True),
        ("trap and emulate", ["Binary translation", "trap and emulate"], True, True),  # accept
        ("colonel", ["kernel"], False, False),  # clear miss
        ("hypervisor", ["kernel"], False, False),
        ("", ["kernel"], False, False),  # empty
        ("3000", ["30000"], False, False),  # numbers must match exactly
        ("16 TiB", ["16 TiB"], True, True),
        ("16 TB", ["16 TiB"], True, False),  # unit typo, same number
        ("64 TiB", ["16 TiB"], False, False),
        # Look-alike identifiers are different answers, never a typo of each other.
        ("EBS", ["EFS"], False, False),
        ("EFS", ["EBS"], False, False),
        ("instance store", ["instance-store volume"], True, True),  # the key words
        ("instance store", ["EBS volume"], False, False),
    ],
)
def test_typed_grader(given: str, accepted: list[str], correct: bool, exact: bool) -> None:
    result = grade_typed(given, accepted)
    assert (result.correct, result.exact) == (correct, exact)
    assert result.close == (correct and not exact)


def typed_result(given: str, expected: str, seconds: float) -> Result:
    question = Question(basic("k", expected), Ask.TYPED, "Q k?", expected=expected)
    result = grade(question, given, seconds)
    assert result is not None
    return result


def test_a_recorded_answer_counts_easy_only_when_fast_and_exact() -> None:
    assert rating_for(typed_result("hypervisor", "hypervisor", 2.0)) is Rating.EASY
    close = typed_result("hypervsor", "hypervisor", 2.0)  # right, but only close enough
    assert close.correct and close.close and rating_for(close) is Rating.GOOD
    slow = typed_result("hypervisor", "hypervisor", 30.0)
    assert rating_for(slow) is Rating.GOOD
    assert rating_for(typed_result("kernel", "hypervisor", 2.0)) is Rating.AGAIN


def basic(key: str, answer: str, topic: str = "t", deck: str = "d") -> Card:
    return Card(
        deck_id=deck,
        card_id=key,
        kind=CardKind.BASIC,
        question=f"Q {key}?",
        answer=answer,
        topics=(topic,),
    )


answers = st.text(alphabet="abcdefghij 0123-", min_size=1, max_size=12).filter(
    lambda s: normalise(s) != ""
)


@settings(max_examples=150, deadline=None)
@given(st.lists(answers, min_size=4, max_size=25), st.integers(0, 10_000))
def test_distractors_distinct_never_the_answer(pool_answers: list[str], seed: int) -> None:
    card = basic("target", pool_answers[0])
    pool = [card] + [
        basic(f"c{i}", a, topic=random.Random(i).choice(["t", "u"]))
        for i, a in enumerate(pool_answers[1:])
    ]
    wrong = distractors(card, pool, random.Random(seed))
    right = answer_form(card.answer)
    forms = [answer_form(w) for w in wrong]
    assert len(set(forms)) == len(forms)
    for form in forms:
        assert form != right and right not in form and form not in right
    usable = {answer_form(c.answer) for c in pool[1:]} - {""}
    usable = {u for u in usable if u != right and right not in u and u not in right}
    assert len(wrong) == min(3, len(usable))


def test_distractors_prefer_same_topic() -> None:
    card = basic("x", "Spot", topic="buy")
    pool = [
        card,
        basic("a", "Reserved", "buy"),
        basic("b", "Savings Plan", "buy"),
        basic("c", "On-Demand", "buy"),
        basic("d", "Nitro", "other"),
        basic("e", "Xen", "other"),
    ]
    assert set(distractors(card, pool, random.Random(1))) == {
        "Reserved",
        "Savings Plan",
        "On-Demand",
    }


def test_bundled_basic_cards_get_exactly_three_options() -> None:
    collection = load_collection(Path("/nonexistent"))
    questions = build(collection.cards, collection.cards, 60, Mode.CHOICE, seed=7)
    choice = [q for q in questions if q.ask is Ask.CHOICE and q.card.kind is CardKind.BASIC]
    assert choice
    for question in choice:
        assert len(question.options) == 4
        assert question.options.count(question.card.answer) == 1


def test_same_seed_same_quiz() -> None:
    cards = load_collection(Path("/nonexistent")).cards
    one = build(cards, cards, 10, Mode.MIXED, seed=42)
    two = build(cards, cards, 10, Mode.MIXED, seed=42)
    three = build(cards, cards, 10, Mode.MIXED, seed=43)
    assert one == two
    assert one != three
    # Every card, so that the few order cards are surely drawn however many cards the decks hold.
    kinds = {q.ask for q in build(cards, cards, len(cards), Mode.MIXED, seed=1)}
    assert {Ask.CHOICE, Ask.TYPED, Ask.CLOZE, Ask.ORDER} <= kinds


def test_grade_choice_order_and_flip() -> None:
    cards = load_collection(Path("/nonexistent")).cards
    order_card = next(c for c in cards if c.kind is CardKind.ORDER)
    question = next(q for q in build([order_card], cards, 1, Mode.MIXED, seed=3))
    right = " ".join(str(question.options.index(item) + 1) for item in order_card.items)
    assert grade(question, right).correct
    assert grade(question, "1") is None  # not all items
    flip = build([order_card], cards, 1, Mode.FLIP, seed=3)[0]
    assert grade(flip, "y").correct and not grade(flip, "n").correct
    assert grade(flip, "maybe") is None


DECK = """deck: quizdeck
title: Quiz deck
topic: qa
cards:
  - id: k
    q: Which part of the OS runs in privileged mode?
    a: The kernel
  - id: h
    q: What emulates hardware for each guest OS?
    a: The hypervisor
  - id: b
    q: What was the emulated-virtualization process called?
    a: Binary translation
  - id: n
    q: What does EC2 enhanced networking use?
    a: SR-IOV
"""


def test_scripted_quiz_eof_json_and_history(home: Path) -> None:
    write_deck(home / "decks", "q.yaml", DECK)
    args = ["quiz", "--deck", "quizdeck", "--mode", "typed", "--seed", "5", "--json"]
    first = invoke(args, now=NOW, input="")
    order = json.loads(first.stdout)
    assert order["total"] == 0  # EOF at once: an empty scorecard, not an error
    # Answer two questions correctly-ish, then EOF.
    result = invoke(args, now=NOW, input="kernel\nhypervsor\n")
    card = json.loads(result.stdout)
    assert card["total"] == 2
    assert set(card) >= {"score", "total", "percent", "by_topic", "questions"}
    assert {"card", "kind", "given", "expected", "correct"} <= set(card["questions"][0])
    assert "Q: " in result.stderr and "Q: " not in result.stdout
    history = invoke(["quiz", "--history", "--json"])
    past = json.loads(history.stdout)
    assert past[0]["total"] == 2 and "qa" in past[0]["by_topic"]
    assert "/2 (" in invoke(["quiz", "--history"]).output


def test_scripted_quiz_text_and_scorecard(home: Path) -> None:
    write_deck(home / "decks", "q.yaml", DECK)
    result = invoke(
        ["quiz", "--deck", "quizdeck", "--mode", "typed", "--count", "4", "--seed", "1"],
        now=NOW,
        input="kernel\nhypervisor\nbinary translation\nsr-iov\n",
    )
    out = result.output
    assert result.exit_code == 0
    assert "Score: " in out and "qa: " in out
    verdicts = [line for line in out.splitlines() if line.startswith(("Right", "Wrong", "Partly"))]
    assert len(verdicts) == 4


def test_quiz_changes_no_schedule_unless_recorded(home: Path) -> None:
    write_deck(home / "decks", "q.yaml", DECK)
    args = ["quiz", "--deck", "quizdeck", "--mode", "flip", "--count", "2", "--seed", "2"]
    invoke(args, now=NOW, input="\ny\n\nn\n")
    db = sqlite3.connect(home / "ec2cards.db")
    assert db.execute("SELECT COUNT(*) FROM review_log").fetchone() == (0,)
    invoke([*args, "--record"], now=NOW, input="\ny\n\nn\n")
    rows = db.execute("SELECT rating FROM review_log ORDER BY id").fetchall()
    assert rows == [(3,), (1,)]
    assert db.execute("SELECT COUNT(*) FROM card_state").fetchone() == (2,)


def test_quiz_errors(home: Path) -> None:
    bad_topic = invoke(["quiz", "--topic", "virtualisation"])
    assert bad_topic.exit_code == 2 and "did you mean 'virtualization'" in bad_topic.output
    bad_mode = invoke(["quiz", "--mode", "oral"])
    assert bad_mode.exit_code == 2 and "unknown mode 'oral'" in bad_mode.output


def test_weakest_draws_new_and_forgotten_cards_first(home: Path) -> None:
    write_deck(home / "decks", "q.yaml", DECK)
    invoke(["study", "--deck", "quizdeck"], now=NOW, input="\n4\n\n4\n\n4\n")  # k, h, b: Easy
    result = invoke(
        [
            "quiz",
            "--deck",
            "quizdeck",
            "--weakest",
            "--count",
            "1",
            "--json",
            "--mode",
            "typed",
            "--seed",
            "3",
        ],
        now="2026-11-26T10:00:00+00:00",
        input="x\n",
    )
    assert json.loads(result.stdout)["questions"][0]["card"] == "quizdeck/n"
