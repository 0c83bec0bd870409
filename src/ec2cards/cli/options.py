"""Options several commands share, declared once so they read the same everywhere."""

from __future__ import annotations

from typing import Annotated

import typer

DeckOption = Annotated[
    list[str] | None,
    typer.Option("--deck", "-d", help="Deck id, or path to a deck file or folder (repeatable)."),
]
TopicOption = Annotated[
    list[str] | None, typer.Option("--topic", "-t", help="Only cards of this topic (repeatable).")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
ListOption = list[str] | None
RescheduleOption = Annotated[
    bool | None,
    typer.Option(
        "--reschedule/--no-reschedule",
        help="When a scheduling setting changes: move due dates to it, or keep them"
        " (default: ask in a terminal, else keep).",
    ),
]
