"""The Rich study screen: one card at a time, single key presses, intervals on the rating keys."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from ec2cards.model.cards import Card, CardKind
from ec2cards.model.choices import Graded
from ec2cards.model.ratings import Rating
from ec2cards.study.loop import BURY, EDIT, QUIT, REVEAL, SUSPEND, UNDO, Progress
from ec2cards.study.session import AnswerResult, Summary
from ec2cards.terminal import keys
from ec2cards.terminal.markdown import markdown
from ec2cards.terminal.safe_text import safe
from ec2cards.terminal.study_lines import (
    answer_text,
    card_title,
    progress_text,
    question_text,
    summary_text,
)
from ec2cards.terminal.timefmt import format_interval
from ec2cards.terminal.wrapping import item_lines, word_lines

RATING_STYLE = {
    Rating.AGAIN: "bold red",
    Rating.HARD: "bold yellow",
    Rating.GOOD: "bold green",
    Rating.EASY: "bold cyan",
}
ACTION_KEYS = {
    "q": QUIT,
    keys.CTRL_C: QUIT,
    keys.CTRL_D: QUIT,
    "u": UNDO,
    "s": SUSPEND,
    "b": BURY,
    "e": EDIT,
}


class RichFrontend:
    def __init__(self, console: Console | None = None, media: Path | None = None) -> None:
        self.console = console or Console(highlight=False)
        self.media = media  # the media folder, for placeholders shown as paths
        self.status = ""
        self.body: list[RenderableType] = []
        self.source = ""  # printed below the card, broken at spaces only: a URL stays copyable
        self.header: RenderableType = Text("")

    # -- drawing -------------------------------------------------------------------------------

    def _draw(self, footer: RenderableType | None = None) -> None:
        self.console.clear()
        self.console.print(self.header)
        for part in self.body:
            self.console.print(part)
        if self.source:
            for line in word_lines(self.source, self.console.width):
                self.console.print(Text(line, style="dim"), soft_wrap=True)
        if self.status:
            self.console.print(Text(self.status, style="dim italic"))
        if footer is not None:
            self.console.print(footer)

    def question(self, card: Card, shown: list[str], progress: Progress) -> None:
        total = progress.done + progress.left.total
        bar = ProgressBar(total=max(total, 1), completed=progress.done, width=20)
        grid = Table.grid(padding=(0, 1))
        grid.add_row(
            Text("ec2cards", style="bold cyan"),
            Text(safe(progress.title, 200, one_line=True), style="magenta"),
            bar,
        )
        self.header = Group(grid, Text(progress_text(progress), style="dim"))
        title = Text(card_title(card), style="dim")
        parts: list[RenderableType] = [markdown(question_text(card), media=self.media)]
        if shown:
            options = Table.grid(padding=(0, 1))
            for number, item in enumerate(shown, 1):
                options.add_row(Text(f"{number}.", style="bold"), markdown(item, media=self.media))
            parts.append(options)
        self.body = [Panel(Group(*parts), title=title, title_align="left", border_style="cyan")]
        self.source = ""

    def _drawn(self, footer: Callable[[], RenderableType]) -> Callable[[], None]:
        """Draw the screen with this footer, and return what draws it again (at the terminal's
        new width, when it is resized while a key is awaited)."""

        def draw() -> None:
            self._draw(footer())

        draw()
        return draw

    def read_reveal(self) -> str:
        redraw = self._drawn(
            lambda: self._keys(
                ["Space/Enter answer", "s suspend", "b bury", "e edit", "u undo", "q quit"]
            )
        )
        while True:
            key = keys.read_key(redraw)
            if key in (keys.SPACE, keys.ENTER):
                self.status = ""
                return REVEAL
            if key in ACTION_KEYS:
                self.status = ""
                return ACTION_KEYS[key]

    def read_selection(self, card: Card, shown: list[str]) -> list[int] | str:
        single = card.kind.chooses and len(card.correct) == 1
        typed = ""
        while True:
            if single:
                hint = [f"press 1-{len(shown)}", "s suspend", "b bury", "u undo", "q quit"]
            elif card.kind.chooses:
                hint = [f"pick {len(card.correct)}: type their numbers, Enter to answer", "q quit"]
            else:
                hint = ["type the item numbers in the right order, Enter to answer", "q quit"]
            redraw = self._drawn(partial(self._typed, typed, hint))
            key = keys.read_key(redraw)
            if key in ACTION_KEYS and not (key in ("u", "s", "b", "e", "q") and typed):
                return ACTION_KEYS[key]
            if key.isdigit() and 1 <= int(key) <= len(shown):
                if single:
                    return [int(key) - 1]
                typed += key
            elif key == keys.BACKSPACE:
                typed = typed[:-1]
            elif key == keys.ENTER and typed:
                picked = [int(ch) - 1 for ch in typed]
                if card.kind.chooses or len(picked) == len(shown):
                    return picked
                self.status = f"put all {len(shown)} items in order"

    def graded(self, card: Card, graded: Graded) -> None:
        if graded.correct:
            verdict = Text("✓ Right", style="bold green")
        else:
            verdict = Text.assemble(
                ("✗ Wrong", "bold red"),
                f" ({graded.score:.0%} in place)" if card.kind is CardKind.ORDER else "",
                " — you said: ",
                safe(graded.given),
            )
        self.body.append(verdict)

    def answer(
        self, card: Card, intervals: dict[Rating, timedelta], suggested: Rating | None
    ) -> None:
        self.status = ""  # what was said of the previous card is done with
        parts: list[RenderableType] = [markdown(answer_text(card), media=self.media)]
        if card.note:
            parts.append(
                markdown(card.note, style="italic", media=self.media)
            )  # Markdown, as card text is
        if card.source:
            self.source = "Source: " + safe(card.source, one_line=True)
        self.body.append(
            Panel(Group(*parts), title="answer", title_align="left", border_style="green")
        )
        self.intervals = intervals

    def _typed(self, typed: str, hint: list[str]) -> Text:
        return Text.assemble((f"Your answer: {typed}", "bold"), "\n", self._keys(hint))

    def _keys(self, items: list[str]) -> Text:
        """Key help, broken between whole `key action` items when the terminal is narrow."""
        return item_lines(items, self.console.width, style="dim")

    def _rating_bar(self, suggested: Rating | None) -> Text:
        labels = [
            Text(
                f" {rating.value} {rating.label} · {format_interval(self.intervals[rating])} ",
                style=RATING_STYLE[rating] + (" reverse" if rating == suggested else ""),
            )
            for rating in Rating
        ]
        hint = ["Enter = suggested"] if suggested else []
        return Text.assemble(
            item_lines(labels, self.console.width, separator="  "),
            "\n",
            self._keys([*hint, "u undo", "s suspend", "b bury", "e edit", "q quit"]),
        )

    def read_rating(self, suggested: Rating | None) -> Rating | str:
        redraw = self._drawn(lambda: self._rating_bar(suggested))
        while True:
            key = keys.read_key(redraw)
            if key in ("1", "2", "3", "4"):
                return Rating(int(key))
            if key in (keys.ENTER, keys.SPACE) and suggested is not None:
                return suggested
            if key in ACTION_KEYS:
                return ACTION_KEYS[key]

    def saved(self, result: AnswerResult, interval: timedelta) -> None:
        self.status = f"saved: {result.rating.label} · next in {format_interval(interval)}"
        if result.became_leech:
            self.status += " · leech: suspended after too many lapses"

    def notice(self, message: str) -> None:
        self.status = message

    def summary(self, summary: Summary, now: datetime) -> None:
        self.console.clear()
        self.console.print(
            Panel(Text(summary_text(summary, now)), title="ec2cards · session", border_style="cyan")
        )
