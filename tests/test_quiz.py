"""Quiz: distractors, the typed-answer grader, reproducible quizzes, scripted and JSON use."""

from __future__ import annotations

import itertools
import json
import random
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import invoke, write_deck
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ec2cards.decks.selection import load_collection
from ec2cards.model.cards import Card, CardKind
from ec2cards.model.ratings import Rating
from ec2cards.model.text import normalise
from ec2cards.quiz.distractors import distractors, shape
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
@example(["if", "a", "b", "a a a"], 0)  # a clause opener among names: no three of its form
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
    assert len(wrong) <= min(3, len(usable))
    # Answers of the answer's form (number or not, clause or not) to questions asked alike: none
    # is ruled out at a glance, so three are offered whenever three differ.
    alike = [replace(c, question="Which one is it?", topics=("t",)) for c in pool]
    form = shape(card.answer)[:2]
    peers = {u for c in alike[1:] if shape(c.answer)[:2] == form for u in [answer_form(c.answer)]}
    if len({u for u in peers if u and u != right and right not in u and u not in right}) >= 3:
        assert len(distractors(alike[0], alike, random.Random(seed))) == 3


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


def asked(key: str, question: str, answer: str, topic: str = "t") -> Card:
    return Card(
        deck_id="d",
        card_id=key,
        kind=CardKind.BASIC,
        question=question,
        answer=answer,
        topics=(topic,),
    )


def test_options_have_the_form_of_the_answer() -> None:
    """A name among names, a number among numbers: an option of another form is one a learner
    rules out at a glance, even from the same topic."""
    card = asked("m", "Which HTTP method does IMDSv2 use for a token?", "PUT")
    pool = [
        card,
        asked("a", "Which port does IMDS use?", "80"),
        asked("b", "Why is the hop limit 1?", "That a container cannot reach the token"),
        asked("d", "Which HTTP status says the token expired?", "401 Unauthorized"),
        asked("e", "Which HTTP method reads metadata?", "GET", topic="other"),
        asked("f", "Which HTTP method removes a tag?", "DELETE", topic="other"),
        asked("g", "Which HTTP method was IMDSv1 limited to?", "HEAD", topic="other"),
    ]
    assert set(distractors(card, pool, random.Random(3))) == {"GET", "DELETE", "HEAD"}


def test_answers_of_the_quizs_other_cards_are_not_given_away() -> None:
    card = asked("x", "Which EBS volume type is the cheapest HDD?", "sc1")
    pool = [card] + [
        asked(k, f"Which EBS volume type is {what}?", k)
        for k, what in [("gp3", "general"), ("io2", "fast"), ("st1", "HDD"), ("gp2", "old")]
    ]
    wrong = distractors(card, pool, random.Random(1), given_away={"d/gp3"})
    assert "gp3" not in wrong and len(wrong) == 3


def test_a_card_without_fair_options_is_asked_typed() -> None:
    card = asked("p", "Which HTTP method does IMDSv2 use for a token?", "PUT")
    pool = [
        card,
        asked("a", "How many AZs can a subnet span?", "One"),
        asked("b", "Why does EC2 stop a T2 instance?", "That it ran out of CPU credits"),
        asked("c", "What is the IMDS address?", "169.254.169.254"),
        asked("d", "How long does a Spot warning give?", "Two minutes"),
    ]
    (question,) = build([card], pool, 1, Mode.CHOICE, seed=1)
    assert question.ask is Ask.TYPED and question.expected == "PUT"


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


def cloze_note(note: str, deletions: int) -> list[Card]:
    """The cards of one cloze note: siblings, each showing the others' answers."""
    from ec2cards.model import cloze

    text = " and ".join(f"{{{{c{n}::word{n}}}}}" for n in range(1, deletions + 1))
    return [
        Card(
            "d",
            f"{note}-c{n}",
            CardKind.CLOZE,
            cloze.front(text, n),
            answer=f"word{n}",
            cloze_text=text,
            cloze_number=n,
            topics=("t",),
            group=note,
        )
        for n in range(1, deletions + 1)
    ]


def test_a_quiz_takes_one_card_per_cloze_note_while_there_are_notes_enough() -> None:
    """`quiz --topic virtualization` once asked c3, c2 and c1 of one note: each question showed
    the others' answers. Drawn at random or weakest first, a quiz takes one card per note."""
    cards = [*cloze_note("emulated", 4), *(basic(f"b{i}", f"Answer {i}") for i in range(4))]
    for seed in range(40):
        for weak in (None, {card.key: 0.0 if card.group else 0.9 for card in cards}):
            questions = build(cards, cards, 5, Mode.MIXED, seed=seed, weakness=weak)
            assert len(questions) == 5
            notes = [q.card.siblings for q in questions]
            assert len(set(notes)) == 5, (seed, notes)
    weakest = build(cards, cards, 2, Mode.TYPED, seed=1, weakness={c.key: 0.0 for c in cards})
    assert len({q.card.siblings for q in weakest}) == 2


def test_a_quiz_longer_than_its_notes_never_asks_siblings_back_to_back() -> None:
    cards = [*cloze_note("emulated", 3), *cloze_note("para", 2), basic("alone", "Alone")]
    for seed in range(40):
        for weak in (None, {card.key: 0.5 for card in cards}):
            questions = build(cards, cards, len(cards), Mode.MIXED, seed=seed, weakness=weak)
            assert sorted(q.card.key for q in questions) == sorted(c.key for c in cards)
            notes = [q.card.siblings for q in questions]
            assert all(a != b for a, b in itertools.pairwise(notes)), (seed, notes)


def test_each_kind_of_question_is_graded_with_its_time_and_reply() -> None:
    """The grader's result for a basic card asked as choice and as flip: the verdict, the score,
    the reply as given and the seconds it took, which decide the rating a quiz records."""
    card = basic("k", "Nitro")
    choice = Question(card, Ask.CHOICE, "Q k?", ("Xen", "Nitro", "KVM", "QEMU"), expected="Nitro")
    right = grade(choice, "2", 3.5)
    assert right is not None and right.correct and right.score == 1.0
    assert (right.question, right.given, right.seconds) == (choice, "Nitro", 3.5)
    wrong = grade(choice, "1", 4.0)
    assert wrong is not None and not wrong.correct and wrong.score == 0.0 and wrong.given == "Xen"
    assert not wrong.can_overrule  # options are not a typed reply the grader misread
    flip = Question(card, Ask.FLIP, "Q k?", expected="Nitro")
    for reply, verdict in (("y", True), ("Yes", True), (" n ", False), ("no", False)):
        result = grade(flip, reply, 2.0)
        assert result is not None, reply
        assert (result.correct, result.score, result.given, result.seconds) == (
            verdict,
            float(verdict),
            reply.strip(),
            2.0,
        )
    assert grade(flip, "maybe") is None


def test_an_overruled_answer_counts_in_full() -> None:
    wrong = typed_result("kernel", "hypervisor", 2.0)
    assert wrong.can_overrule
    overruled = wrong.overrule()
    assert (overruled.correct, overruled.score, overruled.exact, overruled.overruled) == (
        True,
        1.0,
        False,
        True,
    )
    assert (overruled.given, overruled.seconds) == ("kernel", 2.0)


def test_an_overrule_keeps_the_again_when_the_card_was_answered_since(home: Path) -> None:
    """Overruling a recorded quiz answer undoes its Again; when the card was answered since in
    another session, that undo would take the other answer back too: the quiz counts the reply
    right, the log keeps both answers, and one line says why."""
    from datetime import datetime, timedelta, timezone

    from conftest import memory_store

    from ec2cards.config.settings import Settings
    from ec2cards.quiz.session import QuizRecorder
    from ec2cards.scheduling.answer import record_answer
    from ec2cards.scheduling.scheduler import Scheduler

    t0 = datetime(2026, 11, 24, 10, 0, tzinfo=timezone.utc)
    store, scheduler = memory_store(), Scheduler(Settings(fuzz=False))
    recorder = QuizRecorder.start(store, t0, "typed", "all decks", scheduler)
    wrong = typed_result("kernel", "hypervisor", 2.0)
    recorder(1, wrong, t0)
    record_answer(store, scheduler, "d/k", Rating.GOOD, t0 + timedelta(minutes=1))  # elsewhere
    note = recorder.overrule(1, wrong.overrule(), t0 + timedelta(minutes=2))
    assert note is not None and "cannot undo: d/k was answered again" in note
    assert "stays Again" in note
    ratings = [e.rating for e in store.log.entries("d/k") if e.event == "review"]
    assert ratings == [Rating.AGAIN, Rating.GOOD]
    (answer,) = store.quizzes.answers(recorder.quiz_id)
    assert answer.overruled and answer.correct

    recorder(2, wrong, t0 + timedelta(minutes=3))  # nothing after it: overruled as before
    assert recorder.overrule(2, wrong.overrule(), t0 + timedelta(minutes=4)) is None
    ratings = [e.rating for e in store.log.entries("d/k") if e.event == "review"]
    assert ratings == [Rating.AGAIN, Rating.GOOD, Rating.AGAIN, Rating.GOOD]


def test_no_option_of_a_quiz_is_the_answer_to_another_of_its_questions() -> None:
    types = ["gp2", "gp3", "io1", "io2", "st1", "sc1", "standard", "magnetic"]
    cards = [asked(t, f"Which EBS volume type is number {i}?", t) for i, t in enumerate(types)]
    for seed in range(20):
        questions = build(cards, cards, 4, Mode.CHOICE, seed=seed)
        answers = {q.expected for q in questions}
        for question in questions:
            assert question.ask is Ask.CHOICE
            assert set(question.options) & answers == {question.expected}, seed


def test_a_choice_is_answered_by_its_text_or_an_unambiguous_start() -> None:
    card = basic("v", "Hardware-assisted virtualization")
    options = (
        "Emulated virtualization",
        "Hardware-assisted virtualization",
        "Para-virtualization",
        "Hardware virtual machine",
    )
    choice = Question(card, Ask.CHOICE, "Q?", options, expected=options[1])
    for reply in ("hardware assisted", "Hardware-assisted virtualization", "hardware-ass", "2"):
        result = grade(choice, reply)
        assert result is not None and result.correct and result.given == options[1], reply
    para = grade(choice, "para")
    assert para is not None and not para.correct and para.given == options[2]
    assert grade(choice, "hardware") is None  # two options start so: not understood
    several = Card(
        deck_id="d", card_id="hdd", kind=CardKind.CHOICE, question="Q?",
        options=("gp3", "st1", "sc1"), correct=("st1", "sc1"),
    )  # fmt: skip
    pick = Question(several, Ask.CHOICE, "Q?", several.options, expected="st1, sc1")
    both = grade(pick, "sc1, st1")
    assert both is not None and both.correct


def test_an_empty_reply_is_dont_know_and_shows_the_answer() -> None:
    from ec2cards.terminal.quiz_lines import feedback_lines

    card = basic("k", "The kernel")
    for ask, options in ((Ask.TYPED, ()), (Ask.CHOICE, ("Xen", "The kernel")), (Ask.FLIP, ())):
        question = Question(card, ask, "Q?", options, expected="The kernel", accepted=("kernel",))
        result = grade(question, "  ")
        assert result is not None and not result.correct and result.unanswered, ask
        assert feedback_lines(result)[0] == "Not answered. The answer: The kernel"
        assert not result.can_overrule and result.note == ""


def test_an_accepted_alternative_still_shows_the_cards_answer() -> None:
    from ec2cards.terminal.quiz_lines import feedback_lines

    card = basic("os", "operating system")
    question = Question(
        card, Ask.TYPED, "Q?", expected="operating system", accepted=("operating system", "kernel")
    )
    own, other = grade(question, "Operating system"), grade(question, "kernel")
    assert own is not None and feedback_lines(own)[0] == "Right!"
    assert other is not None and other.correct and other.alternative
    assert feedback_lines(other)[0] == "Right! The card's answer: operating system"


def test_q_ends_the_quiz_with_the_scorecard_of_what_was_answered(home: Path) -> None:
    write_deck(home / "decks", "q.yaml", DECK)
    args = ["quiz", "--deck", "quizdeck", "--mode", "typed", "--seed", "5", "--json"]
    card = json.loads(invoke(args, now=NOW, input="kernel\nq\nhypervisor\n").stdout)
    assert card["total"] == 1 and card["questions"][0]["given"] == "kernel"


def test_a_card_counts_under_the_topic_the_quiz_was_asked_on() -> None:
    both = replace(basic("a", "Amazon S3"), topics=("amis", "virtualization"))
    own = replace(basic("v", "Nitro"), topics=("virtualization",))
    asked = build([both, own], [both, own], 2, Mode.TYPED, seed=1, topics=("virtualization",))
    assert {q.topic for q in asked} == {"virtualization"}
    plain = build([both], [both], 1, Mode.TYPED, seed=1)
    assert plain[0].topic == "amis"


def test_every_bundled_choice_question_offers_answers_to_its_kind_of_question() -> None:
    """A yes or no, an amount or a reason among answers to another kind of question gives
    itself away ('No; share it with specific accounts instead' for 'What failure does
    replication protect against?'): every option of every bundled choice question answers
    the same kind of question as the card."""
    from ec2cards.quiz.distractors import STRICT_FORMS, question_form

    cards = load_collection(Path("/nonexistent")).cards
    basic_cards = [card for card in cards if card.kind is CardKind.BASIC]
    forms: dict[str, set[str]] = {}  # an answer's kinds of question ('None' answers two)
    for card in basic_cards:
        forms.setdefault(card.answer, set()).add(question_form(card.question))
    offered = 0
    for card in basic_cards:
        options = distractors(card, cards, random.Random(card.key))
        offered += len(options) == 3
        wanted = question_form(card.question)
        for option in options:
            fits = [f for f in forms[option] if f == wanted or not STRICT_FORMS & {f, wanted}]
            assert fits, (card.question, option)
    assert offered > 120  # most basic cards still have three fair options
    assert question_form("Can you make the snapshot public?") == "yes-no"
    assert question_form("When you start it, on which host does it run?") == "thing"
    assert question_form("Up to how many IOPS can a gp2 volume burst?") == "amount"
    assert question_form("How do you change a launch template?") == "action"


@pytest.mark.parametrize("mode", ["typed", "flip", "mixed"])
def test_a_scenario_is_always_asked_with_its_options(home: Path, mode: str) -> None:
    result = invoke(
        ["quiz", "--deck", "storage-exam", "--count", "8", "--mode", mode, "--json"],
        input="\n" * 8,
        now="2026-11-24T10:00:00+00:00",
    )
    assert result.exit_code == 0, result.output
    asked = json.loads(result.stdout)["questions"]
    assert len(asked) == 8 and {row["kind"] for row in asked} == {"choice"}
    assert "Type the answer" not in result.stderr and "Enter shows the answer" not in result.stderr
