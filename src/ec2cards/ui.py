"""Everything drawn with Rich lives here: tables, cards, prompts and summaries."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

    from ec2cards.errors import Problem
    from ec2cards.model import Collection


def console(stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


def show_error(message: str) -> None:
    """One line on stderr: the message is escaped so card text can never inject markup."""
    from rich.text import Text

    line = Text("error: ", style="bold red")
    line.append(message)
    console(stderr=True).print(line, soft_wrap=True)


def show_problems(problems: list[Problem]) -> None:
    out = console()
    for problem in problems:
        out.print(str(problem), markup=False, highlight=False, soft_wrap=True)


def decks_table(collection: Collection) -> None:
    from rich.table import Table

    table = Table(title="Decks", title_justify="left")
    table.add_column("deck", style="bold cyan", no_wrap=True)
    table.add_column("title")
    table.add_column("topics", style="magenta")
    table.add_column("cards", justify="right")
    table.add_column("where", style="dim")
    for deck in collection.decks:
        table.add_row(
            deck.deck_id,
            deck.title,
            ", ".join(deck.topics),
            str(len(deck.cards)),
            "bundled" if deck.bundled else str(deck.path),
        )
    out = console()
    out.print(table)
    out.print(f"{len(collection.decks)} decks, {len(collection.cards)} cards")


def topics_table(counts: dict[str, int]) -> None:
    from rich.table import Table

    table = Table(title="Topics", title_justify="left")
    table.add_column("topic", style="bold magenta", no_wrap=True)
    table.add_column("cards", justify="right")
    for topic, count in counts.items():
        table.add_row(topic, str(count))
    console().print(table)


def plain(message: str) -> None:
    """Text with no markup at all (summaries that tests and scripts read)."""
    sys.stdout.write(message + "\n")
