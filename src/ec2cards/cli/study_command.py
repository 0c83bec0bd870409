"""`ec2cards study`: today's due and new cards, on the Rich screen or in line mode."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ec2cards.cli import context
from ec2cards.cli.options import DeckOption, TopicOption
from ec2cards.cli.registry import command

if TYPE_CHECKING:
    from datetime import datetime

    from ec2cards.decks.selection import Selection
    from ec2cards.model.cards import Card
    from ec2cards.study.loop import Editor, Frontend
    from ec2cards.study.session import StudySession


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
    from ec2cards.study.loop import run
    from ec2cards.study.start import start_session

    exam_day = context.exam_date(exam) if exam is not None else None
    with context.opened(deck, topic) as (home, now, selection, store):
        started = start_session(
            selection,
            store,
            context.settings(home),
            now,
            new=new,
            limit=limit,
            ahead=ahead,
            exam=exam_day,
        )
        if started.exam_new is not None:
            typer.echo(f"Exam plan for {exam}: {started.exam_new} new cards today.")
        session = started.session
        if session.next_card(now) is None:
            _nothing_due(session, selection.describe(), now)
            _reworded(session)
            return
        frontend, editor = _frontend(selection, home)
        summary = run(session, frontend, context.now, selection.describe(), editor)
        frontend.summary(summary, context.now())
        _reworded(session)


def _reworded(session: "StudySession") -> None:
    """After the session: the histories in no deck that look like one of its new cards."""
    from ec2cards.terminal.output import warn

    for old, new in session.reworded().items():
        warn(
            f"{new} looks like {old}, a card reworded since it was studied:"
            f" `ec2cards relink {old} {new}` gives it that history"
        )


def _nothing_due(session: "StudySession", described: str, now: "datetime") -> None:
    """What to say when no card is due: when the next one is, and how to study anyway."""
    from ec2cards.terminal.timefmt import describe_due

    summary = session.finish(now)
    typer.echo(f"Nothing due in {described}. Next card due: {describe_due(summary.next_due, now)}.")
    if summary.new_left and session.new_quota == 0:
        typer.echo(
            f"{summary.new_left} new cards wait; today's new-card limit is reached"
            " (use --new N to study more)."
        )
    if summary.next_due is not None:
        typer.echo("Use --ahead to study the cards due soonest anyway.")


def _frontend(selection: "Selection", home: Path) -> "tuple[Frontend, Editor | None]":
    """The Rich screen (with `e` to edit the card) on a terminal, else line mode."""
    from ec2cards.config.paths import media_dir

    if not context.interactive():
        from ec2cards.terminal.study_lines import PlainFrontend

        return PlainFrontend(media=media_dir(home)), None
    from ec2cards.terminal.study_screen import RichFrontend

    def editor(card: "Card") -> str:
        """`e`: the card's deck file in the user's editor, then checked."""
        from ec2cards.decks.editing import edit_card
        from ec2cards.errors import Ec2CardsError

        try:
            lines = edit_card(card, selection.collection, card.key, context.editor())
        except Ec2CardsError as error:
            return str(error)
        return " · ".join(lines) + " (the edit shows from the next session)"

    return RichFrontend(media=media_dir(home)), editor
