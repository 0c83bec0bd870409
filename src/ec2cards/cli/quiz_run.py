"""`ec2cards quiz`'s work, without Typer: the Typer command calls it, and so does the path that
starts a quiz without building the app (`quiz_fast`), so that the first question is drawn
sooner."""

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from ec2cards.cli import context

if TYPE_CHECKING:
    from ec2cards.quiz.scorecard import Scorecard
    from ec2cards.quiz.session import QuizFrontend

    class _Frontend(QuizFrontend, Protocol):
        """A quiz frontend that also shows the scorecard at the end."""

        def scorecard(self, card: Scorecard) -> None: ...


def echo(line: str) -> None:
    print(line, flush=True)


def quiz(
    topic: list[str] | None,
    deck: list[str] | None,
    count: int,
    mode: str | None,
    seed: int | None,
    weakest: bool,
    record: bool,
    as_json: bool,
    history: bool,
    retry: bool,
    past: int | None,
) -> None:
    """A graded quiz over the decks and topics asked for, or past quizzes (`history`)."""
    from ec2cards.errors import UsageError

    if past is not None and not history:
        raise UsageError(
            f"'{past}': a quiz number goes with --history (ec2cards quiz --history {past})"
        )
    if history:
        _history(as_json, past)
        return
    import random

    from ec2cards.quiz.session import QuizRecorder, run_quiz
    from ec2cards.quiz.setup import plan_quiz

    with context.opened(deck, topic) as (home, now, selection, store):
        scheduler = context.scheduler(home)
        plan = plan_quiz(
            selection,
            store,
            scheduler,
            now,
            count=count,
            mode=mode,
            seed=seed if seed is not None else random.randrange(1 << 30),
            weakest=weakest,
            retry=retry,
        )
        save = QuizRecorder.start(
            store, now, plan.mode.value, selection.describe(), scheduler if record else None
        )
        frontend = _frontend(as_json, home)
        card = run_quiz(plan.questions, frontend, context.now, save)
    if as_json:
        echo(context.as_json(card.to_json()))
    else:
        frontend.scorecard(card)


def _frontend(as_json: bool, home: Path) -> "_Frontend":
    """The Rich screen on a terminal, else line mode (on stderr when stdout carries JSON)."""
    if context.interactive() and not as_json:
        from ec2cards.config.paths import media_dir
        from ec2cards.terminal.quiz_screen import RichQuizFrontend

        return RichQuizFrontend(media=media_dir(home))
    from ec2cards.terminal.quiz_lines import PlainQuizFrontend

    return PlainQuizFrontend(stdout=sys.stderr if as_json else sys.stdout)


def _history(as_json: bool, number: int | None) -> None:
    from ec2cards.quiz.history import one_quiz, recent_quizzes
    from ec2cards.terminal.listing import past_quizzes_listing

    with context.store_in(context.home(), context.now(), daily_backup=False, writes=False) as store:
        if number is not None:
            found = one_quiz(store, number)
            if as_json:
                echo(context.as_json(found.to_json()))
                return
            from ec2cards.terminal.quiz_lines import past_answer_lines

            echo(past_quizzes_listing([found.quiz], context.terminal_width()))
            for line in past_answer_lines(found.answers):
                echo(line)
            return
        past = recent_quizzes(store)
    if as_json:
        echo(context.as_json([quiz.to_json() for quiz in past]))
    elif not past:
        echo("No quizzes yet: try ec2cards quiz --topic virtualization")
    else:
        echo(past_quizzes_listing(past, context.terminal_width()))
