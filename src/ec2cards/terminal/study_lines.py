"""The study frontend for scripts and pipes: plain text out, one line in per prompt."""

from __future__ import annotations

import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import TextIO

from ec2cards.model.cards import Card, CardKind
from ec2cards.model.choices import Graded, parse_numbers
from ec2cards.model.ratings import Rating
from ec2cards.model.wording import plural
from ec2cards.study.loop import BURY, EDIT, QUIT, REVEAL, SUSPEND, UNDO, Progress
from ec2cards.study.session import AnswerResult, Summary
from ec2cards.terminal.plain_markdown import plain_markdown
from ec2cards.terminal.safe_text import safe
from ec2cards.terminal.timefmt import describe_due, format_interval

ACTIONS = {
    "q": QUIT,
    "quit": QUIT,
    "u": UNDO,
    "undo": UNDO,
    "s": SUSPEND,
    "suspend": SUSPEND,
    "b": BURY,
    "bury": BURY,
    "e": EDIT,
    "edit": EDIT,
}


def card_title(card: Card) -> str:
    """Where a card comes from, each name once: deck · topic · kind."""
    parts = dict.fromkeys((card.deck_id, card.topic or card.deck_id, card.kind.value))
    return " · ".join(safe(part, 200, one_line=True) for part in parts)


def progress_text(progress: Progress) -> str:
    """Answers so far and what is left today, by queue, as Anki counts it."""
    left = progress.left
    return (
        f"{progress.done} done · {left.new} new · {left.learning} learning"
        f" · {left.review} to review"
    )


def question_text(card: Card) -> str:
    return safe(card.question)


def answer_text(card: Card) -> str:
    if card.kind is CardKind.CLOZE:
        from ec2cards.model import cloze

        return safe(cloze.back(card.cloze_text, card.cloze_number, mark="*"))
    return safe(card.answer)


class PlainFrontend:
    def __init__(
        self,
        stdin: TextIO | None = None,
        stdout: TextIO | None = None,
        media: Path | None = None,
    ) -> None:
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout
        self.media = media  # the media folder, for placeholders shown as paths

    def _say(self, text: str = "") -> None:
        self.stdout.write(text + "\n")
        self.stdout.flush()

    def _read(self, prompt: str) -> str | None:
        self._say(prompt)
        line = self.stdin.readline()
        if not line:
            return None
        return line.rstrip("\r\n").strip()

    def question(self, card: Card, shown: list[str], progress: Progress) -> None:
        self._say()
        self._say(f"[{progress_text(progress)}] {card_title(card)}")
        self._say(f"Q: {plain_markdown(question_text(card), self.media)}")
        for number, item in enumerate(shown, 1):
            self._say(f"  {number}. {safe(plain_markdown(item, self.media))}")

    def read_reveal(self) -> str:
        line = self._read(
            "(Enter shows the answer · s suspend · b bury · e edit · u undo · q quit)"
        )
        if line is None:
            return QUIT
        return ACTIONS.get(line.lower(), REVEAL)

    def read_selection(self, card: Card, shown: list[str]) -> list[int] | str:
        if card.kind is CardKind.ORDER:
            what = "item numbers in order, e.g. 2 1 3"
        elif len(card.correct) > 1:
            what = f"pick {len(card.correct)}: their option numbers, e.g. 1 3"
        else:
            what = "option number"
        while True:
            line = self._read(f"Your answer ({what}; s suspend · b bury · u undo · q quit):")
            if line is None:
                return QUIT
            if line.lower() in ACTIONS:
                return ACTIONS[line.lower()]
            picked = parse_numbers(line, len(shown))
            if picked is not None and (card.kind.chooses or len(picked) == len(shown)):
                return picked
            self._say(f"not understood: {line!r}")

    def graded(self, card: Card, graded: Graded) -> None:
        if graded.correct:
            self._say("Right!")
        elif card.kind is CardKind.ORDER:
            self._say(f"Wrong ({graded.score:.0%} in place). Expected: {safe(graded.expected)}")
        else:
            self._say(f"Wrong. Expected: {safe(graded.expected)}")

    def answer(
        self, card: Card, intervals: dict[Rating, timedelta], suggested: Rating | None
    ) -> None:
        self._say(f"A: {plain_markdown(answer_text(card), self.media)}")
        if card.note:
            self._say(f"Note: {safe(plain_markdown(card.note, self.media))}")
        if card.source:
            self._say(f"Source: {safe(card.source)}")
        labels = " · ".join(
            f"{r.value} {r.label} ({format_interval(intervals[r])})" for r in Rating
        )
        self._say(f"Rate: {labels}")

    def read_rating(self, suggested: Rating | None) -> Rating | str:
        hint = f"Enter = {suggested.label}; " if suggested else ""
        while True:
            line = self._read(f"Rating 1-4 ({hint}u undo · s suspend · b bury · q quit):")
            if line is None:
                return QUIT
            if line == "" and suggested is not None:
                return suggested
            if line in ("1", "2", "3", "4"):
                return Rating(int(line))
            if line.lower() in ACTIONS:
                return ACTIONS[line.lower()]
            self._say(f"not understood: {line!r}; type 1, 2, 3 or 4")

    def saved(self, result: AnswerResult, interval: timedelta) -> None:
        self._say(f"saved: {result.rating.label} · next in {format_interval(interval)}")
        if result.became_leech:
            self._say("This card has lapsed too often: marked a leech and suspended.")

    def notice(self, message: str) -> None:
        self._say(message)

    def summary(self, summary: Summary, now: datetime) -> None:
        self._say()
        self._say(summary_text(summary, now))


def summary_text(summary: Summary, now: datetime) -> str:
    """The end-of-session report, shared by both frontends."""
    minutes, seconds = divmod(round(summary.seconds), 60)
    if summary.studied:
        lines = [
            f"Session done: {plural(summary.studied, 'card')} studied,"
            f" {summary.correct_percent:.0f}% correct, {summary.again} again,"
            f" {minutes}m {seconds:02d}s.",
        ]
    else:
        lines = ["Session done: no cards studied."]
    if summary.suspended:
        lines.append(f"{summary.suspended} suspended.")
    if summary.buried:
        lines.append(f"{summary.buried} buried until tomorrow.")
    for card in summary.leeches:
        lines.append(f"Leech suspended: {card.key} ({safe(card.question[:60])})")
    lines.append(f"Next card due: {describe_due(summary.next_due, now)}.")
    waiting = plural(summary.new_left, "new card")
    if summary.new_left and summary.new_limit_reached and summary.new_limit is not None:
        lines.append(f"{waiting} not yet studied: this session's --new {summary.new_limit}.")
    elif summary.new_left and summary.new_limit_reached:
        lines.append(
            f"{plural(summary.new_left, 'new card waits', 'new cards wait')}: today's limit of"
            f" {plural(summary.new_per_day, 'new card')} (shared by all decks) is reached;"
            " --new N studies more now."
        )
    elif summary.new_left:
        lines.append(f"{waiting} not yet studied.")
    return "\n".join(lines)
