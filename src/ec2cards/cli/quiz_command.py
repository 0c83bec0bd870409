"""`ec2cards quiz`: a graded quiz, on the Rich screen or in line mode, and past quizzes."""

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Protocol

import typer

from ec2cards.cli import context
from ec2cards.cli.options import DeckOption, TopicOption
from ec2cards.cli.registry import command

if TYPE_CHECKING:
    from ec2cards.quiz.scorecard import Scorecard
    from ec2cards.quiz.session import QuizFrontend

    class _Frontend(QuizFrontend, Protocol):
        """A quiz frontend that also shows the scorecard at the end."""

        def scorecard(self, card: Scorecard) -> None: ...


@command("quiz", short_help="A graded quiz: choice, typed, cloze, order, flip")
def quiz_command(
    topic: TopicOption = None,
    deck: DeckOption = None,
    count: Annotated[int, typer.Option("--count", "-n", min=1, help="Number of questions.")] = 10,
    mode: Annotated[
        str | None,
        typer.Option(
            "--mode",
            "-m",
            help="mixed, choice, typed or flip (default: mixed; --retry: as before).",
        ),
    ] = None,
    seed: Annotated[
        int | None, typer.Option("--seed", help="Same seed, same quiz (default: random).")
    ] = None,
    weakest: Annotated[
        bool, typer.Option("--weakest", help="Ask the cards you are least likely to recall.")
    ] = False,
    record: Annotated[
        bool, typer.Option("--record", help="Count the answers as reviews in your schedule.")
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Scorecard as JSON on stdout (questions on stderr).")
    ] = False,
    history: Annotated[
        bool,
        typer.Option("--history", help="List past quizzes; with a quiz number, its questions."),
    ] = False,
    retry: Annotated[
        bool, typer.Option("--retry", help="Ask again the questions missed in the last quiz.")
    ] = False,
    past: Annotated[
        int | None,
        typer.Argument(
            metavar="[QUIZ]", help="With --history: the quiz number to show.", show_default=False
        ),
    ] = None,
) -> None:
    """A graded quiz: multiple choice, typed answers, cloze, ordering, or flip cards.
    After a typed answer judged wrong, press o (or type !right as the next line in line mode)
    if you were right."""
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
        typer.echo(context.as_json(card.to_json()))
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

    with context.store_in(context.home(), context.now(), daily_backup=False) as store:
        if number is not None:
            found = one_quiz(store, number)
            if as_json:
                typer.echo(context.as_json(found.to_json()))
                return
            from ec2cards.terminal.quiz_lines import past_answer_lines

            typer.echo(past_quizzes_listing([found.quiz], context.terminal_width()))
            for line in past_answer_lines(found.answers):
                typer.echo(line)
            return
        past = recent_quizzes(store)
    if as_json:
        typer.echo(context.as_json([quiz.to_json() for quiz in past]))
    elif not past:
        typer.echo("No quizzes yet: try ec2cards quiz --topic virtualization")
    else:
        typer.echo(past_quizzes_listing(past, context.terminal_width()))
