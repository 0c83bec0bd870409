"""`ec2cards study`: today's due and new cards, on the Rich screen or in line mode."""

from typing import Annotated

import typer

from ec2cards.cli.options import DeckOption, TopicOption
from ec2cards.cli.registry import command


@command("study", short_help="Study today's due and new cards (FSRS)")
def study_command(
    topic: TopicOption = None,
    deck: DeckOption = None,
    new: Annotated[
        int | None,
        typer.Option("--new", min=0, help="New cards this session (default: daily limit)."),
    ] = None,
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help="Stop after this many answers.")
    ] = None,
    ahead: Annotated[
        bool, typer.Option("--ahead", help="When nothing is due, study the cards due soonest.")
    ] = False,
    exam: Annotated[
        str | None,
        typer.Option("--exam", help="Follow the plan for an exam on this date (YYYY-MM-DD)."),
    ] = None,
) -> None:
    """Study today's due and new cards, scheduled by FSRS.

    Keys: Space/Enter show the answer, 1-4 rate Again/Hard/Good/Easy, u undo, s suspend, b bury,
    e edit, q quit.
    Without a terminal, reads one line per prompt (see the README).
    """
    from ec2cards.cli.study_run import study

    study(deck, topic, new, limit, ahead, exam)
