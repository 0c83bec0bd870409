"""A practice exam on the Rich screen, as an exam's screen works: the question's number and a
countdown in the header, a key per option (Space picks the option under the cursor), f flags,
←/→ or p/n move between questions, and a review of answered, unanswered and flagged questions
before submitting. Nothing says right or wrong until the end; when the time runs out the exam
is submitted as it stands."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial
from pathlib import Path

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ec2cards.practice.exam import Sitting
from ec2cards.terminal import keys
from ec2cards.terminal.markdown import markdown
from ec2cards.terminal.practice_lines import NUMBER_WORDS, clock_text
from ec2cards.terminal.safe_text import safe
from ec2cards.terminal.wrapping import item_lines

NEXT = {keys.RIGHT, "n", keys.ENTER}
BACK = {keys.LEFT, "p"}


class RichPracticeFrontend:
    """Drives the whole sitting: the learner moves freely between questions."""

    def __init__(self, console: Console | None = None, media: Path | None = None) -> None:
        self.console = console or Console(highlight=False)
        self.media = media
        self.timed_out = False

    def time_up(self) -> None:
        self.timed_out = True

    def sit_exam(
        self,
        sitting: Sitting,
        deadline: datetime,
        clock: Callable[[], datetime],
        save: Callable[[], None],
    ) -> None:
        """Until the learner submits, or the time is up (then the exam stands as it is)."""
        number, cursor, reviewing = 0, 0, False
        while True:
            left = (deadline - clock()).total_seconds()
            if left <= 0:
                self.timed_out = True
                return
            draw = partial(self._draw, sitting, deadline, clock, number, cursor, reviewing)
            draw()
            key = keys.read_key(draw, within=min(1.0, left))
            if key == keys.CTRL_C:
                raise KeyboardInterrupt
            if reviewing:
                if key in ("s", "S"):
                    return
                reviewing, number = self._from_review(key, sitting, number)
                cursor = 0
                continue
            moved = self._on_question(key, sitting, number, cursor, save)
            if moved is None:
                reviewing = True
            else:
                if moved[0] != number:
                    cursor = 0
                number, cursor = moved[0], moved[1]

    def _draw(
        self,
        sitting: Sitting,
        deadline: datetime,
        clock: Callable[[], datetime],
        number: int,
        cursor: int,
        reviewing: bool,
    ) -> None:
        remaining = max((deadline - clock()).total_seconds(), 0)
        if reviewing:
            self._draw_review(sitting, number, remaining)
        else:
            self._draw_question(sitting, number, cursor, remaining)

    # -- keys --------------------------------------------------------------------------------

    def _on_question(
        self, key: str, sitting: Sitting, number: int, cursor: int, save: Callable[[], None]
    ) -> tuple[int, int] | None:
        """What a key does on a question: (question, cursor) after it, or None for the review."""
        question = sitting.questions[number]
        options = len(question.order)
        last = len(sitting.questions) - 1
        if key.isdigit() and 1 <= int(key) <= options:
            cursor = int(key) - 1
            key = keys.SPACE
        if key == keys.SPACE:
            chosen = set(sitting.chosen[number] or ())
            if question.choose == 1:
                chosen = {cursor}
            elif cursor in chosen or len(chosen) < question.choose:
                chosen ^= {cursor}  # never more picks than the question asks for
            sitting.chosen[number] = frozenset(chosen) or None
            save()
        elif key in (keys.UP, "k"):
            cursor = (cursor - 1) % options
        elif key in (keys.DOWN, "j"):
            cursor = (cursor + 1) % options
        elif key in ("f", "F"):
            sitting.flagged[number] = not sitting.flagged[number]
            save()
        elif key in NEXT:
            return None if number == last else (number + 1, 0)
        elif key in BACK:
            return (max(number - 1, 0), 0)
        elif key in ("r", "q", keys.CTRL_D, keys.ESCAPE):
            return None
        return number, cursor

    def _from_review(self, key: str, sitting: Sitting, number: int) -> tuple[bool, int]:
        """What a key does on the review list: (still reviewing, the question to show)."""
        if key in BACK or key in ("r", keys.ESCAPE):
            return False, number
        if key in ("u", "U"):  # the first unanswered question
            open_ = [n for n, chosen in enumerate(sitting.chosen) if chosen is None]
            return (True, number) if not open_ else (False, open_[0])
        if key in ("f", "F"):  # the first flagged question
            flagged = [n for n, flag in enumerate(sitting.flagged) if flag]
            return (True, number) if not flagged else (False, flagged[0])
        if key in ("1", "g"):  # back to the start
            return False, 0
        return True, number

    # -- drawing -----------------------------------------------------------------------------

    def _header(self, sitting: Sitting, number: int | None, remaining: float) -> Text:
        total = len(sitting.questions)
        where = f"{number + 1}/{total}" if number is not None else f"review · {total} questions"
        countdown = clock_text_seconds(remaining)
        line = Text.assemble(
            ("ec2cards practice", "bold cyan"),
            "  ",
            (where, "bold"),
            "  ",
            (f"⏱ {countdown} left", "bold red" if remaining < 300 else "bold"),
        )
        if number is not None and sitting.flagged[number]:
            line.append("  ⚑ flagged", style="yellow")
        return line

    def _draw_question(self, sitting: Sitting, number: int, cursor: int, remaining: float) -> None:
        question = sitting.questions[number]
        chosen = sitting.chosen[number] or frozenset()
        many = question.choose > 1
        grid = Table.grid(padding=(0, 1))
        for position, option in enumerate(question.options):
            picked = position in chosen
            box = ("[x]" if picked else "[ ]") if many else ("(•)" if picked else "( )")
            style = "reverse" if position == cursor else ""
            grid.add_row(
                Text(f"{position + 1}.", style="bold"),
                Text(box, style=style),
                markdown(option, media=self.media),
            )
        title = safe(question.card.topic, 60, one_line=True)
        if many:
            title += f" · Choose {NUMBER_WORDS.get(question.choose, str(question.choose))}"
        parts: list[RenderableType] = [markdown(question.card.question, media=self.media), grid]
        panel = Panel(Group(*parts), title=title, title_align="left", border_style="cyan")
        help_items = [
            f"1-{len(question.order)} choose",
            "↑↓ Space pick",
            "f flag",
            "← p back",
            "→ n next",
            "r review and submit",
        ]
        self._show(self._header(sitting, number, remaining), panel, help_items)

    def _draw_review(self, sitting: Sitting, number: int, remaining: float) -> None:
        answered = sum(chosen is not None for chosen in sitting.chosen)
        flagged = sum(sitting.flagged)
        marks = []
        for position, chosen in enumerate(sitting.chosen):
            sign = "✓" if chosen is not None else "·"
            flag = "⚑" if sitting.flagged[position] else ""
            marks.append(Text(f"{position + 1:>3} {sign}{flag}", style="yellow" if flag else ""))
        counts = [
            f"{answered} answered ✓",
            f"{len(sitting.chosen) - answered} unanswered · (counted wrong)",
            f"{flagged} flagged ⚑",
        ]
        body = Text.assemble(
            item_lines(counts, self.console.width - 4),
            "\n\n",
            item_lines(marks, self.console.width - 4, separator="  "),
        )
        panel = Panel(body, title="review", title_align="left", border_style="magenta")
        help_items = ["s submit", "u first unanswered", "f first flagged", "g first question"]
        help_items.append("← back")
        self._show(self._header(sitting, None, remaining), panel, help_items)

    def _show(self, header: Text, panel: Panel, help_items: list[str]) -> None:
        self.console.clear()
        self.console.print(header)
        self.console.print(panel)
        self.console.print(item_lines(help_items, self.console.width, style="dim"))


def clock_text_seconds(seconds: float) -> str:
    from datetime import timedelta

    return clock_text(timedelta(seconds=seconds))
