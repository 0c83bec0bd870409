"""`ec2cards study`: today's due and new cards, on the Rich screen or in line mode."""

from typing import TYPE_CHECKING, Annotated, Any

import typer

from ec2cards.cli import context
from ec2cards.cli.options import DeckOption, TopicOption
from ec2cards.cli.registry import command

if TYPE_CHECKING:
    from ec2cards.model.cards import Card


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
    from ec2cards.config.file import load_settings
    from ec2cards.config.paths import media_dir
    from ec2cards.model.card_lists import card_keys
    from ec2cards.study.loop import run
    from ec2cards.study.session import StudySession
    from ec2cards.terminal.study_lines import PlainFrontend
    from ec2cards.terminal.timefmt import describe_due

    with context.opened(deck, topic) as (home, now, selection, store):
        settings = load_settings(home)
        if exam is not None and new is None:
            from ec2cards.scheduling.days import day_start
            from ec2cards.scheduling.exam import exam_plan

            states = store.cards.states(card_keys(selection.cards))
            introduced, _ = store.stats.counts_since(day_start(now, settings.day_cutoff_hour))
            plan = exam_plan(
                selection.cards, states, settings, now, context.exam_date(exam), introduced
            )
            new = plan.new_today
            typer.echo(f"Exam plan for {exam}: {new} new cards today.")
        session = StudySession(
            selection.cards,
            store,
            settings,
            now,
            new_limit=new,
            limit=limit,
            ahead=ahead,
            topics=selection.topics,
        )
        if session.next_card(now) is None:
            summary = session.finish(now)
            typer.echo(
                f"Nothing due in {selection.describe()}. Next card due: "
                f"{describe_due(summary.next_due, now)}."
            )
            if summary.new_left and session.new_quota == 0:
                typer.echo(
                    f"{summary.new_left} new cards wait; today's new-card limit is reached"
                    " (use --new N to study more)."
                )
            if summary.next_due is not None:
                typer.echo("Use --ahead to study the cards due soonest anyway.")
            return
        editor = None
        if context.interactive():
            from ec2cards.terminal.study_screen import RichFrontend

            frontend: Any = RichFrontend(media=media_dir(home))

            def editor(card: "Card") -> str:
                """`e`: the card's deck file in the user's editor, then checked."""
                from ec2cards.decks.editing import edit_card
                from ec2cards.errors import Ec2CardsError

                try:
                    lines = edit_card(card, selection.collection, card.key, context.editor())
                except Ec2CardsError as error:
                    return str(error)
                return " · ".join(lines) + " (the edit shows from the next session)"
        else:
            frontend = PlainFrontend(media=media_dir(home))
        summary = run(session, frontend, context.now, selection.describe(), editor)
        frontend.summary(summary, context.now())
