"""Options several commands share, declared once so they read the same everywhere."""

from typing import Annotated

import typer

from ec2cards.cli import completion

DeckOption = Annotated[
    list[str] | None,
    typer.Option(
        "--deck",
        "-d",
        help="Deck id, or path to a deck file or folder (repeatable).",
        autocompletion=completion.deck_ids,
    ),
]
TopicOption = Annotated[
    list[str] | None,
    typer.Option(
        "--topic",
        "-t",
        help="Only cards of this topic (repeatable).",
        autocompletion=completion.topics,
    ),
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
KeyArgument = Annotated[
    str,
    typer.Argument(
        help="The card's key (deck/card-id), or its card id.", autocompletion=completion.card_keys
    ),
]
KeysArgument = Annotated[
    list[str] | None,
    typer.Argument(
        help="Card keys (deck/card-id), or card ids.", autocompletion=completion.card_keys
    ),
]
