"""One card and managing cards: `card KEY`."""

from __future__ import annotations

from typing import Annotated

import typer

from ec2cards.cli import context
from ec2cards.cli.options import JsonOption
from ec2cards.cli.registry import command


@command("card")
def card_command(
    key: Annotated[str, typer.Argument(help="The card's key (deck/card-id), or its card id.")],
    as_json: JsonOption = False,
) -> None:
    """One card's page: the card as study shows it, its file and line, state, memory, recall
    now and every review."""
    from ec2cards.progress.card_info import card_info, find_card

    with context.opened(None, None) as (home, now, selection, store):
        card = find_card(selection.collection.cards, key, store.card_keys())
        found = card.key if card is not None else key
        info = card_info(found, card, store, context.scheduler(home), now)
    if as_json:
        typer.echo(context.as_json(info.to_json()))
        return
    from ec2cards.terminal.card_view import show_card

    show_card(info, now)
