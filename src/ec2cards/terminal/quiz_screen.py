"""The quiz in a terminal: a panel per question, typed answers on a prompt line, a scorecard."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ec2cards.quiz.grading import Result
from ec2cards.quiz.questions import Ask, Question
from ec2cards.quiz.scorecard import Scorecard, points
from ec2cards.terminal.listing import clip_words
from ec2cards.terminal.markdown import markdown, rendered_text
from ec2cards.terminal.quiz_lines import HINT, feedback_lines, instruction, scorecard_lines
from ec2cards.terminal.safe_text import safe
from ec2cards.terminal.wrapping import word_lines


class RichQuizFrontend:
    """The quiz in a terminal: a panel per question, typed answers on a prompt line."""

    def __init__(self, console: Console | None = None, media: Path | None = None) -> None:
        self.console = console or Console(highlight=False)
        self.media = media  # the media folder, for placeholders shown as paths
        self._shown: RenderableType = Text("")  # the question on screen, to draw it again

    def ask(self, question: Question, number: int, total: int) -> str | None:
        parts: list[RenderableType] = [markdown(question.prompt, media=self.media)]
        if question.options:
            grid = Table.grid(padding=(0, 1))
            for index, option in enumerate(question.options):
                grid.add_row(
                    Text(f"{index + 1}.", style="bold"), markdown(option, media=self.media)
                )
            parts.append(grid)
        title = Text(f"{number}/{total} · {question.topic} · {question.ask.value}", style="dim")
        panel = Panel(
            Group(*parts),
            title=title,
            title_align="left",
            subtitle=Text(HINT if question.ask is not Ask.FLIP else "q: quit", style="dim"),
            subtitle_align="right",
            border_style="cyan",
        )
        self.console.print()
        self.console.print(panel)
        prompt = Text(instruction(question) + ": ", style="bold")
        self._shown = panel
        try:
            if question.ask is Ask.FLIP:
                return self._flip(question)
            from ec2cards.terminal import keys

            with keys.resizing(lambda: self._redraw(prompt)):
                return self.console.input(prompt)
        except EOFError:
            return None

    def _redraw(self, prompt: Text | None = None) -> None:
        """The question again at the terminal's new width (and its prompt, when one waits)."""
        self.console.clear()
        self.console.print(self._shown)
        if prompt is not None:
            self.console.print(prompt, end="")

    def _flip(self, question: Question) -> str | None:
        """One key shows the answer, one key says whether it was known: y or n (any other key
        waits, q quits)."""
        from ec2cards.terminal import keys

        self.console.print(Text("Any key shows the answer", style="dim"))
        if self._key() in ("q", keys.CTRL_D):
            return None
        self.console.print(
            Panel(markdown(question.expected, media=self.media), border_style="green")
        )
        self.console.print(Text("Did you know it? y/n", style="bold"))
        while True:
            key = self._key().lower()
            if key in ("q", keys.CTRL_D):
                return None
            if key in ("y", "n"):
                return key

    def _key(self) -> str:
        from ec2cards.terminal import keys

        key = keys.read_key(self._redraw)
        if key == keys.CTRL_C:
            raise KeyboardInterrupt
        return key

    def not_understood(self, question: Question, given: str) -> None:
        self.console.print(Text(f"not understood: {given!r}", style="yellow"))

    def feedback(self, result: Result) -> None:
        verdict = "bold green" if result.correct else "bold red"
        for number, line in enumerate(feedback_lines(result)):
            # Broken at spaces to the width; each piece soft-wrapped, so a source URL longer
            # than a line stays one copyable line.
            for piece in word_lines(line, self.console.width):
                self.console.print(Text(piece, style="dim" if number else verdict), soft_wrap=True)

    def offer_overrule(self, result: Result, last: bool) -> bool:
        """One key after a typed answer judged wrong: o says it was right."""
        from ec2cards.terminal import keys

        self.console.print(Text("o: I was right · any other key: go on", style="dim"))
        key = keys.read_key()
        if key == keys.CTRL_C:
            raise KeyboardInterrupt
        return key.lower() == "o"

    def overruled(self, result: Result, note: str | None = None) -> None:
        self.console.print(Text("Counted right (overruled).", style="bold green"))
        if note:
            self.console.print(Text(note, style="yellow"))

    def scorecard(self, card: Scorecard) -> None:
        table = Table(title="Scorecard", title_justify="left")
        table.add_column("topic", style="magenta")
        table.add_column("score", justify="right")
        table.add_column("%", justify="right")
        for topic, entry in card.by_topic().items():
            table.add_row(
                Text(safe(topic, 200, one_line=True)),
                f"{points(entry['score'])}/{entry['total']:.0f}",
                f"{entry['percent']:.0f}",
            )
        self.console.print()
        self.console.print(Text(scorecard_lines(card)[0], style="bold"))
        self.console.print(table)
        missed = card.missed()
        if missed:
            self.console.print(Text("Missed:", style="bold red"))
            width = max(20, self.console.width - 4)
            for result in missed:
                # The question on one line as its box showed it (Markdown rendered, not its
                # marks), cut at a word to fit; the answer whole on the next.
                prompt = clip_words(rendered_text(result.question.prompt, self.media), width)
                self.console.print(Text(f"  {prompt}"), no_wrap=True)
                answer = safe(result.question.expected, one_line=True)
                self.console.print(Text(f"    → {answer}", style="green"), soft_wrap=True)
