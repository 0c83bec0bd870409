"""Quiz frontends in plain text: for scripts and pipes, and the base of the Rich one."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from ec2cards.quiz.grading import Result
from ec2cards.quiz.questions import Ask, Question
from ec2cards.quiz.scorecard import Scorecard, points
from ec2cards.quiz.session import OVERRULE_LINE, QUIT_LINE
from ec2cards.terminal.safe_text import safe

if TYPE_CHECKING:
    from ec2cards.storage.quiz_tables import PastAnswer

LETTERS = "abcdefghijklmnopqrstuvwxyz"
HINT = "Enter: don't know · q: quit"


def instruction(question: Question, letters: bool = False) -> str:
    """What to type. Letters are always accepted but named only where the options show them
    (`letters`: line mode prints `1. (a)`); the screen numbers its options, so asks for numbers."""
    numbers = "numbers or letters" if letters else "numbers"
    return {
        Ask.CHOICE: (
            f"Pick {len(question.card.correct)}: type their {numbers}, e.g. 1 3"
            if len(question.card.correct) > 1
            else "Answer with the option "
            + ("number, letter or text" if letters else "number or text")
        ),
        Ask.TYPED: "Type the answer",
        Ask.CLOZE: "Type the missing words",
        Ask.ORDER: "Type the item numbers in the right order, e.g. 3 1 2",
        Ask.FLIP: "Enter shows the answer",
    }[question.ask]


def feedback_lines(result: Result) -> list[str]:
    question = result.question
    lines: list[str] = []
    note = f" ({safe(result.note)})" if result.note else ""
    if result.overruled:
        lines.append(
            f"Counted right: you overruled the grader. Expected: {safe(question.expected)}"
        )
    elif result.correct and (result.close or not result.exact):
        lines.append(f"Right{note} — expected: {safe(question.expected)}")
    elif result.correct and result.alternative:
        lines.append(f"Right! The card's answer: {safe(question.expected)}")
    elif result.correct:
        lines.append("Right!")
    elif result.unanswered:
        lines.append(f"Not answered. The answer: {safe(question.expected)}")
    elif question.ask is Ask.ORDER:
        lines.append(f"Wrong ({result.score:.0%} in place). Expected: {safe(question.expected)}")
    elif result.score > 0:
        lines.append(f"Partly right{note}. Expected: {safe(question.expected)}")
    else:
        lines.append(f"Wrong{note}. Expected: {safe(question.expected)}")
    if question.card.note:
        lines.append(f"Note: {safe(question.card.note)}")
    if question.card.source:
        lines.append(f"Source: {safe(question.card.source)}")
    return lines


def scorecard_lines(card: Scorecard) -> list[str]:
    minutes, seconds = divmod(round(card.seconds), 60)
    overruled = sum(1 for r in card.results if r.overruled)
    partly = f", {card.partly} partly right" if card.partly else ""
    lines = [
        f"Score: {points(card.score)}/{card.total} ({card.percent:.0f}%)"
        f" in {minutes}m {seconds:02d}s{partly}" + (f", {overruled} overruled" if overruled else "")
    ]
    for topic, entry in card.by_topic().items():
        lines.append(
            f"  {topic}: {points(entry['score'])}/{entry['total']:.0f} ({entry['percent']:.0f}%)"
        )
    missed = card.missed()
    if missed:
        lines.append("Missed:")
        for result in missed:
            lines.append(
                f"  - {safe(result.question.prompt)[:90]} → {safe(result.question.expected)}"
            )
    return lines


def past_answer_lines(answers: Sequence[PastAnswer]) -> list[str]:
    """A past quiz's questions: verdict, card and how it was asked, then the reply and the
    answer expected (`quiz --history N`)."""
    lines: list[str] = []
    for answer in answers:
        if answer.overruled:
            verdict = "right (overruled)"
        elif answer.correct:
            verdict = "right"
        elif answer.score > 0:
            verdict = f"partly ({answer.score:.0%})"
        else:
            verdict = "wrong"
        note = f" · {answer.verdict}" if answer.verdict else ""
        lines.append(f"{answer.number:>3}. {verdict}: {answer.card} · {answer.kind}{note}")
        lines.append(f"     you: {safe(answer.given, one_line=True)}")
        lines.append(f"     answer: {safe(answer.expected, one_line=True)}")
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
        self.say()
        self.say(f"[{number}/{total}] {question.topic} · {question.ask.value}")
        if number == 1:
            self.say(f"({HINT})")
        self.say(f"Q: {safe(question.prompt)}")
        for index, option in enumerate(question.options):
            self.say(f"  {index + 1}. ({LETTERS[index]}) {safe(option)}")
        if question.ask is Ask.FLIP:
            shown = self.read(instruction(question) + ":")
            if shown is None or shown.strip().lower() == QUIT_LINE:
                return shown
            self.say(f"A: {safe(question.expected)}")
            return self.read("Did you know it? (y/n):")
        return self.read(instruction(question, letters=True) + ":")

    def not_understood(self, question: Question, given: str) -> None:
        self.say(f"not understood: {given!r}; {instruction(question, letters=True).lower()}")

    def feedback(self, result: Result) -> None:
        for line in feedback_lines(result):
            self.say(line)

    def offer_overrule(self, result: Result, last: bool) -> bool:
        """In line mode the next line may say `!right`; after the last question, one more line
        is read for it (end of input finishes as before)."""
        if not last:
            self.say(f"(if you were right, type {OVERRULE_LINE} as your next answer)")
            return False
        line = self.read(f"If you were right, type {OVERRULE_LINE}; Enter finishes:")
        return line is not None and line.strip().lower() == OVERRULE_LINE

    def overruled(self, result: Result, note: str | None = None) -> None:
        self.say("Counted right (overruled).")
        if note:
            self.say(safe(note))

    def scorecard(self, card: Scorecard) -> None:
        self.say()
        for line in scorecard_lines(card):
            self.say(line)
