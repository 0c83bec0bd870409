"""One exception family: the CLI turns any of these into one line and an exit code."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple


class Ec2CardsError(Exception):
    """A problem the user can fix; its message is the whole story, shown without a traceback."""

    exit_code = 1


class UsageError(Ec2CardsError):
    """Bad arguments: an unknown topic, deck or setting."""

    exit_code = 2


class Cancelled(Ec2CardsError):
    """The user stopped it (Ctrl-C); nothing was written."""

    exit_code = 130


class StoreError(Ec2CardsError):
    """The database cannot be opened, read or written."""


class UndoRefused(Ec2CardsError):
    """An answer that cannot be taken back: something later happened to its card (another
    session answered it, say), and undoing would discard that too."""


class Problem(NamedTuple):
    """One problem in a deck file, located by 1-based line and column."""

    path: Path
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


class DeckError(Ec2CardsError):
    """Every problem found in one or more deck files, reported together."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (str(p.path), p.line, p.column))
        first = str(self.problems[0]) if self.problems else "invalid deck"
        more = len(self.problems) - 1
        suffix = f" (and {more} more; run 'ec2cards check' to see them all)" if more else ""
        super().__init__(first + suffix)
