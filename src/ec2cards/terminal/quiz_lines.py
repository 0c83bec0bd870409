"""Quiz frontends in plain text: for scripts and pipes, and the base of the Rich one."""

from __future__ import annotations

import sys
from typing import TextIO

from ec2cards.quiz.grading import Result
from ec2cards.quiz.questions import Ask, Question
from ec2cards.quiz.scorecard import Scorecard
from ec2cards.terminal.safe_text import safe

LETTERS = "abcdefghijklmnopqrstuvwxyz"


def instruction(question: Question) -> str:
    return {
        Ask.CHOICE: "Answer with the option number or letter"
        + (" (several: e.g. 1 3)" if len(question.card.correct) > 1 else ""),
        Ask.TYPED: "Type the answer",
        Ask.CLOZE: "Type the missing words",
        Ask.ORDER: "Type the item numbers in the right order, e.g. 3 1 2",
        Ask.FLIP: "Enter shows the answer",
    }[question.ask]


def feedback_lines(result: Result) -> list[str]:
    question = result.question
    lines: list[str] = []
    if result.correct and result.close:
        lines.append(f"Close enough — expected: {safe(question.expected)}")
    elif result.correct:
        lines.append("Right!")
    elif question.ask is Ask.ORDER:
        lines.append(f"Wrong ({result.score:.0%} in place). Expected: {safe(question.expected)}")
    else:
        lines.append(f"Wrong. Expected: {safe(question.expected)}")
    if question.card.note:
        lines.append(f"Note: {safe(question.card.note)}")
    if question.card.source:
        lines.append(f"Source: {safe(question.card.source)}")
    return lines


def scorecard_lines(card: Scorecard) -> list[str]:
    minutes, seconds = divmod(round(card.seconds), 60)
    lines = [f"Score: {card.score}/{card.total} ({card.percent:.0f}%) in {minutes}m {seconds:02d}s"]
    for topic, entry in card.by_topic().items():
        lines.append(
            f"  {topic}: {entry['score']:.0f}/{entry['total']:.0f} ({entry['percent']:.0f}%)"
        )
    missed = card.missed()
    if missed:
        lines.append("Missed:")
        for result in missed:
            lines.append(
                f"  - {safe(result.question.prompt)[:90]} → {safe(result.question.expected)}"
            )
    return lines


class PlainQuizFrontend:
    def __init__(self, stdin: TextIO | None = None, stdout: TextIO | None = None) -> None:
        self.stdin = stdin or sys.stdin
        self.out = stdout or sys.stdout

    def say(self, text: str = "") -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def read(self, prompt: str) -> str | None:
        self.say(prompt)
        line = self.stdin.readline()
        return None if not line else line.rstrip("\r\n")

    def ask(self, question: Question, number: int, total: int) -> str | None:
        card = question.card
        self.say()
        self.say(f"[{number}/{total}] {card.topic} · {question.ask.value}")
        self.say(f"Q: {safe(question.prompt)}")
        for index, option in enumerate(question.options):
            self.say(f"  {index + 1}. ({LETTERS[index]}) {safe(option)}")
        if question.ask is Ask.FLIP:
            if self.read(instruction(question) + ":") is None:
                return None
            self.say(f"A: {safe(question.expected)}")
            return self.read("Did you know it? (y/n):")
        return self.read(instruction(question) + ":")

    def not_understood(self, question: Question, given: str) -> None:
        self.say(f"not understood: {given!r}; {instruction(question).lower()}")

    def feedback(self, result: Result) -> None:
        for line in feedback_lines(result):
            self.say(line)

    def scorecard(self, card: Scorecard) -> None:
        self.say()
        for line in scorecard_lines(card):
            self.say(line)
