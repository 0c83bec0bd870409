"""Listing and checking decks: `decks`, `topics`, `check`."""

from pathlib import Path
from typing import Annotated

import typer

from ec2cards.cli import context
from ec2cards.cli.options import DeckOption, JsonOption
from ec2cards.cli.registry import command


@command("decks", short_help="List the decks: bundled, your own, any given")
def decks_command(deck: DeckOption = None, as_json: JsonOption = False) -> None:
    """List the decks: bundled ones, your own, and any given with --deck."""
    collection = context.select(context.home(), deck).collection
    if as_json:
        from ec2cards.decks.summaries import decks_json

        typer.echo(context.as_json(decks_json(collection)))
        return
    from ec2cards.terminal.listing import decks_listing

    typer.echo(decks_listing(collection, context.terminal_width()))


@command("topics", short_help="List the topics with their card counts")
def topics_command(deck: DeckOption = None, as_json: JsonOption = False) -> None:
    """List the topics with their card counts."""
    counts = context.select(context.home(), deck).collection.topic_counts()
    if as_json:
        from ec2cards.decks.summaries import topics_json

        typer.echo(context.as_json(topics_json(counts)))
        return
    from ec2cards.terminal.listing import topics_listing

    typer.echo(topics_listing(counts))


@command("check", short_help="Check decks: every problem as path:line:col")
def check_command(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Deck files or folders to check (default: every deck found)."),
    ] = None,
) -> None:
    """Validate decks; print every problem as path:line:col: message."""
    from ec2cards.decks.checking import check
    from ec2cards.terminal.output import plain, show_problems

    folder, moment = context.home(), context.now()

    def history_keys() -> list[str]:
        with context.store_in(folder, moment, daily_backup=False, writes=False) as store:
            return store.cards.all_keys()

    report = check(folder, history_keys, paths or ())
    show_problems(report.problems)
    for warning in report.warnings:
        plain(f"warning: {warning}")
    if report.problems:
        raise typer.Exit(1)
    plain(report.summary())
