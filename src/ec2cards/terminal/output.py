"""Plain output every command shares: errors, deck problems, lines of text, table cells."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from ec2cards.errors import Problem


def console(stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


def show_error(message: str) -> None:
    """One line on stderr: no markup, no control characters, no newline from card text."""
    from rich.text import Text

    from ec2cards.terminal.safe_text import safe

    line = Text("error: ", style="bold red")
    line.append(safe(message, one_line=True))
    console(stderr=True).print(line, soft_wrap=True)


def warn(message: str) -> None:
    """One warning line on stderr (made safe: it may quote deck text)."""
    from ec2cards.terminal.safe_text import safe

    sys.stderr.write("warning: " + safe(message, one_line=True) + "\n")


def show_problems(problems: list[Problem]) -> None:
    """One line per problem; the message may quote deck text, so it is made safe."""
    from rich.text import Text

    from ec2cards.terminal.safe_text import safe

    out = console()
    for problem in problems:
        out.print(Text(safe(str(problem), one_line=True)), soft_wrap=True)


def cell(text: str, limit: int = 200) -> Text:
    """Deck text for a table cell: literal (never markup), safe, and not absurdly long."""
    from rich.text import Text

    from ec2cards.terminal.safe_text import safe

    return Text(safe(text, limit, one_line=True))


def plain(message: str) -> None:
    """Text with no markup at all (summaries that tests and scripts read), made safe."""
    from ec2cards.terminal.safe_text import safe

    sys.stdout.write(safe(message) + "\n")


def show_guide(text: str) -> None:
    """A Markdown guide: rendered on a terminal, as written to a pipe (it is Markdown already)."""
    if not sys.stdout.isatty():
        sys.stdout.write(text)
        return
    from rich.markdown import Markdown

    console().print(Markdown(text, hyperlinks=False))
