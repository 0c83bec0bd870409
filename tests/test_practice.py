"""Practice exams: scoring as the exam scores (no partial credit, unanswered is wrong, 100-1000
with 720 to pass), the time limit, line mode, JSON, history, and --record bringing the recall
cards behind a missed scenario forward."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from conftest import invoke, write_deck

from ec2cards.decks.format import load_deck
from ec2cards.practice.exam import (
    PracticeQuestion,
    Sitting,
    build_exam,
    parse_choice,
    scaled_score,
    score,
)
from ec2cards.practice.session import STOP, sit

NOW = "2026-11-24T10:00:00+00:00"

DECK = """\
deck: lab
title: Lab
topic: storage
cards:
  - id: multi
    q: Which EBS volume types support Multi-Attach?
    a: io1 and io2
  - id: shared
    kind: scenario
    q: Three instances in one AZ must write to one block volume. Which needs the LEAST effort?
    options: [An io2 volume with Multi-Attach, A gp3 volume each, Instance store, An S3 bucket]
    answer: An io2 volume with Multi-Attach
    explain:
      An io2 volume with Multi-Attach: "Right: io2 attaches to up to 16 Nitro instances."
      A gp3 volume each: "Wrong: no Multi-Attach."
      Instance store: "Wrong: ephemeral, per instance."
      An S3 bucket: "Wrong: object storage."
    tests: [lab/multi]
  - id: two
    kind: scenario
    q: Which two keep an Elastic IP address? Choose TWO.
    options: [Stop and start, Reboot, Terminate, Hibernate and resume, Release]
    answers: [Stop and start, Reboot]
    explain:
      Stop and start: "Right: an EIP stays associated."
      Reboot: "Right: nothing changes."
      Terminate: "Wrong: it is disassociated."
      Hibernate and resume: "Wrong here: asked are the two plain ones."
      Release: "Wrong: it is gone."
"""


def questions(tmp_path: Path, seed: int = 1) -> list[PracticeQuestion]:
    deck, problems = load_deck(write_deck(tmp_path, "lab.yaml", DECK))
    assert deck is not None, problems
    return build_exam(deck.cards, None, seed, "lab")


def test_only_exactly_the_right_options_score_and_no_answer_is_wrong(tmp_path: Path) -> None:
    asked = questions(tmp_path)
    assert len(asked) == 2  # the recall card is not asked
    two = next(q for q in asked if q.choose == 2)
    one = next(q for q in asked if q.choose == 1)
    sitting = Sitting(asked, 4.0)
    number = asked.index(two)
    (a, b) = sorted(two.right)
    for chosen, counted in (
        (frozenset({a}), False),  # half of a multiple response: no credit
        (frozenset({a, b}), True),
        (None, False),  # unanswered
    ):
        sitting.chosen[number] = chosen
        assert sitting.correct(number) is counted
    sitting.chosen[asked.index(one)] = one.right
    sitting.chosen[number] = frozenset({a})
    result = score(sitting)
    assert (result.correct, result.total, result.scaled, result.passed) == (1, 2, 550, False)
    assert result.by_topic == {"storage": (1, 2)}  # by each card's topic, its deck's
    assert [scaled_score(n, 65) for n in (0, 45, 65)] == [100, 723, 1000]
    assert scaled_score(45, 65) >= 720 > scaled_score(44, 65)


def test_a_reply_names_as_many_options_as_asked(tmp_path: Path) -> None:
    two = next(q for q in questions(tmp_path) if q.choose == 2)
    assert parse_choice("1 4", two) == frozenset({0, 3})
    assert parse_choice("1,4", two) == frozenset({0, 3})
    assert parse_choice("  ", two) is None
    assert parse_choice("1", two) == "choose 2"
    assert parse_choice("9 1", two) == "type option numbers from 1 to 5"


def test_the_same_seed_gives_the_same_exam(tmp_path: Path) -> None:
    first, again = questions(tmp_path, 7), questions(tmp_path, 7)
    assert [(q.card.key, q.order) for q in first] == [(q.card.key, q.order) for q in again]


class Slow:
    """A learner who takes `minutes` over each question and always answers 1."""

    def __init__(self, clock: list[datetime], minutes: float) -> None:
        self.clock, self.minutes, self.asked, self.told = clock, minutes, 0, False

    def ask(self, question: Any, number: int, total: int, left: timedelta) -> frozenset[int]:
        self.asked += 1
        self.clock[0] += timedelta(minutes=self.minutes)
        return frozenset({0} if question.choose == 1 else {0, 1})

    def time_up(self) -> None:
        self.told = True


def test_when_the_time_runs_out_the_exam_ends_as_it_stands(tmp_path: Path) -> None:
    from conftest import memory_store

    store = memory_store()
    asked = questions(tmp_path)
    clock = [datetime(2026, 11, 24, 10, tzinfo=timezone.utc)]
    learner = Slow(clock, 3)
    sitting = Sitting(asked, 4.0)  # 4 minutes; the first answer comes at 3, the second at 6
    exam_id, started, ended = sit(store, sitting, learner, lambda: clock[0], "lab")
    assert learner.asked == 2 and learner.told
    assert sitting.chosen[0] is not None and sitting.chosen[1] is None  # late: not counted
    assert ended - started == timedelta(minutes=4)
    (saved,) = store.practice.recent()
    assert saved.id == exam_id and saved.finished_at is None  # not submitted yet
    assert saved.questions[0]["chosen"] and not saved.questions[1]["chosen"]


def test_a_stop_ends_the_exam_before_the_last_question(tmp_path: Path) -> None:
    from conftest import memory_store

    class Quits(Slow):
        def ask(self, question: Any, number: int, total: int, left: timedelta) -> Any:
            return STOP

    clock = [datetime(2026, 11, 24, 10, tzinfo=timezone.utc)]
    sitting = Sitting(questions(tmp_path), 10.0)
    sit(memory_store(), sitting, Quits(clock, 1), lambda: clock[0], "lab")
    assert sitting.chosen == [None, None]


def _right_line(result: Any) -> dict[str, Any]:
    return json.loads(result.stdout)


def test_line_mode_json_history_and_record(home: Path) -> None:
    write_deck(home / "decks", "lab.yaml", DECK)
    # The recall card, studied: due in days.
    invoke(["study", "--deck", "lab", "--new", "1"], input="\n4\nq\n", now=NOW)
    later = "2026-11-24T11:00:00+00:00"
    args = ["practice", "--deck", "lab", "--seed", "5", "--json", "--record"]
    first = invoke(args, input="\n\n", now=later)  # both left unanswered
    assert first.exit_code == 0, first.output
    result = _right_line(first)
    assert (result["correct"], result["total"], result["scaled"], result["passed"]) == (
        0,
        2,
        100,
        False,
    )
    assert result["by_topic"] == {"storage": {"correct": 0, "total": 2}}
    shared = next(q for q in result["questions"] if q["card"] == "lab/shared")
    assert shared["chosen"] == [] and shared["tests"] == ["lab/multi"] and not shared["correct"]
    assert len(shared["options"]) == 4 and shared["right"] in ([1], [2], [3], [4])
    # --record: the missed scenario's recall card is due now; each scenario was a review.
    assert result["brought_forward"] == ["lab/multi"]
    card = json.loads(invoke(["card", "lab/multi", "--json"], now=later).stdout)
    assert datetime.fromisoformat(card["due"]) <= datetime.fromisoformat(later)
    scenario = json.loads(invoke(["card", "lab/shared", "--json"], now=later).stdout)
    assert scenario["reps"] == 1
    # Right answers, in line mode: the options' order comes from the seed.
    right = {q["card"]: " ".join(map(str, q["right"])) for q in result["questions"]}
    order = [q["card"] for q in result["questions"]]
    replies = "".join(right[key] + "\n" for key in order)
    second = invoke(["practice", "--deck", "lab", "--seed", "5"], input=replies, now=later)
    assert "Practice exam: 2 of 2 right (100%) · scaled score 1000 (720 to pass) · PASS" in (
        second.output
    )
    assert "Choose TWO" in second.output and "Right: io2 attaches" in second.output
    listed = invoke(["practice", "--history"], now=later)
    lines = listed.output.strip().splitlines()
    assert lines[0].startswith("#2 ") and "2/2  1000  PASS" in lines[0]
    assert lines[1].startswith("#1 ") and "0/2  100  FAIL" in lines[1]
    one = invoke(["practice", "--history", "1"], now=later)
    assert "✗ 1. lab/" in one.output and "you chose: no answer" in one.output


@pytest.mark.parametrize("args", [["--deck", "lab", "--count", "0"], ["--topic", "nothing"]])
def test_practice_refuses_what_it_cannot_ask_in_one_line(home: Path, args: list[str]) -> None:
    write_deck(home / "decks", "lab.yaml", DECK)
    result = invoke(["practice", *args], input="", now=NOW)
    assert result.exit_code == 2
    assert result.output.count("error:") == 1


def test_a_deck_without_scenarios_says_where_they_are(home: Path) -> None:
    result = invoke(["practice", "--deck", "virtualization"], input="", now=NOW)
    assert result.exit_code == 2 and "no scenario in" in result.output


def test_stats_and_plan_show_the_latest_practice_score_per_topic(home: Path) -> None:
    write_deck(home / "decks", "lab.yaml", DECK)
    later = "2026-11-24T11:00:00+00:00"
    assert "Practice exams" not in invoke(["stats", "--deck", "lab"], now=later).output
    invoke(["practice", "--deck", "lab", "--seed", "5"], input="\n\n", now=NOW)  # none right
    stats = invoke(["stats", "--deck", "lab"], now=later)
    assert "Practice exams (latest per topic, 720 to pass):" in stats.output
    assert "storage   100  below pass  0/2 right, 2026-11-24" in stats.output
    data = json.loads(invoke(["stats", "--deck", "lab", "--json"], now=later).stdout)
    assert data["practice"][0] | {"taken_at": ""} == {
        "topic": "storage",
        "scaled": 100,
        "correct": 0,
        "total": 2,
        "passed": False,
        "taken_at": "",
    }
    plan = invoke(["plan", "--exam", "2027-01-10", "--deck", "lab"], now=later)
    assert "storage   100  below pass" in plan.output


def test_the_screen_takes_no_more_picks_than_the_question_asks(tmp_path: Path) -> None:
    from ec2cards.terminal.practice_screen import RichPracticeFrontend

    asked = questions(tmp_path)
    number = next(n for n, q in enumerate(asked) if q.choose == 2)
    sitting = Sitting(asked, 4.0)
    screen = RichPracticeFrontend()
    saved: list[int] = []
    for key in ("1", "2", "3"):  # a third pick is refused
        screen._on_question(key, sitting, number, 0, lambda: saved.append(1))
    assert sitting.chosen[number] == frozenset({0, 1})
    screen._on_question("1", sitting, number, 0, lambda: saved.append(1))  # takes one back
    screen._on_question("3", sitting, number, 0, lambda: saved.append(1))
    assert sitting.chosen[number] == frozenset({1, 2}) and len(saved) == 5


def test_from_a_script_a_reply_that_cannot_be_read_leaves_only_its_question_unanswered(
    home: Path,
) -> None:
    """One line per question: '2 3' for a one-answer question is not taken, and the next line
    still answers the next question."""
    write_deck(home / "decks", "lab.yaml", DECK)
    probe = invoke(["practice", "--deck", "lab", "--seed", "5", "--json"], input="\n\n", now=NOW)
    order = json.loads(probe.stdout)["questions"]
    replies = []
    for question in order:
        right = " ".join(map(str, question["right"]))
        replies.append("1 2 3" if len(question["right"]) == 1 else right)
    script = "\n".join(replies) + "\n"
    result = invoke(["practice", "--deck", "lab", "--seed", "5", "--json"], input=script, now=NOW)
    answered = json.loads(result.stdout)["questions"]
    single = next(q for q in answered if len(q["right"]) == 1)
    double = next(q for q in answered if len(q["right"]) == 2)
    assert single["chosen"] == [] and double["correct"] is True
    assert "left unanswered" in result.stderr
