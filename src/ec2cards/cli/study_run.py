"""`ec2cards study`'s work, without Typer: the Typer command calls it, and so does the path
that starts a session without building the app (`study_fast`), so that the first card is drawn
sooner."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ec2cards.cli import context

if TYPE_CHECKING:
    from datetime import datetime

    from ec2cards.decks.selection import Selection
    from ec2cards.model.cards import Card
    from ec2cards.study.loop import Editor, Frontend
    from ec2cards.study.session import StudySession


def echo(line: str) -> None:
    print(line, flush=True)


def study(
    deck: list[str] | None,
    topic: list[str] | None,
    new: int | None,
    limit: int | None,
    ahead: bool,
    exam: str | None,
) -> None:
    """A study session over the decks and topics asked for, on the screen or in line mode."""
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
            echo(f"Exam plan for {exam}: {started.exam_new} new cards today.")
        session = started.session
        if session.next_card(now) is None:
            _nothing_due(session, selection.describe(), now)
            _reworded(session)
            return
        frontend, editor = _frontend(selection, home)
        summary = run(session, frontend, context.now, selection.describe(), editor)
        frontend.summary(summary, context.now())
        _reworded(session)


def _reworded(session: StudySession) -> None:
    """After the session: the histories in no deck that look like one of its new cards."""
    from ec2cards.terminal.output import warn

    for old, new in session.reworded().items():
        warn(
            f"{new} looks like {old}, a card reworded since it was studied:"
            f" `ec2cards relink {old} {new}` gives it that history"
        )


def _nothing_due(session: StudySession, described: str, now: datetime) -> None:
    """What to say when no card is due: when the next one is, and how to study anyway."""
    from ec2cards.terminal.timefmt import describe_due

    summary = session.finish(now)
    echo(f"Nothing due in {described}. Next card due: {describe_due(summary.next_due, now)}.")
    if summary.new_left and session.new_quota == 0:
        echo(
            f"{summary.new_left} new cards wait; today's new-card limit is reached"
            " (use --new N to study more)."
        )
    if summary.next_due is not None:
        echo("Use --ahead to study the cards due soonest anyway.")


def _frontend(selection: Selection, home: Path) -> tuple[Frontend, Editor | None]:
    """The Rich screen (with `e` to edit the card) on a terminal, else line mode."""
    from ec2cards.config.paths import media_dir

    if not context.interactive():
        from ec2cards.terminal.study_lines import PlainFrontend

        return PlainFrontend(media=media_dir(home)), None
    from ec2cards.terminal.study_screen import RichFrontend

    def editor(card: Card) -> str:
        """`e`: the card's deck file in the user's editor, then checked."""
        from ec2cards.decks.editing import edit_card
        from ec2cards.errors import Ec2CardsError

        try:
            lines = edit_card(card, selection.collection, card.key, context.editor())
        except Ec2CardsError as error:
            return str(error)
        return " · ".join(lines) + " (the edit shows from the next session)"

    return RichFrontend(media=media_dir(home)), editor
