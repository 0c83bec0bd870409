"""`ec2cards quiz`: a graded quiz, on the Rich screen or in line mode, and past quizzes."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from ec2cards.cli import context
from ec2cards.cli.options import DeckOption, TopicOption
from ec2cards.cli.registry import command


@command("quiz", short_help="A graded quiz: choice, typed, cloze, order, flip")
def quiz_command(
    topic: TopicOption = None,
    deck: DeckOption = None,
    count: Annotated[int, typer.Option("--count", "-n", min=1, help="Number of questions.")] = 10,
    mode: Annotated[
        str, typer.Option("--mode", "-m", help="mixed, choice, typed or flip.")
    ] = "mixed",
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
    history: Annotated[bool, typer.Option("--history", help="List past quizzes.")] = False,
) -> None:
    """A graded quiz: multiple choice, typed answers, cloze, ordering, or flip cards."""
    if history:
        _history(as_json)
        return
    import random

    from ec2cards.config.file import load_settings
    from ec2cards.errors import UsageError
    from ec2cards.quiz.questions import build, parse_mode, weakness
    from ec2cards.quiz.session import QuizRecorder, run_quiz
    from ec2cards.scheduling.scheduler import Scheduler

    quiz_mode = parse_mode(mode)
    with context.opened(deck, topic) as (home, now, selection, store):
        if not selection.cards:
            raise UsageError(f"no cards in {selection.describe()}")
        scheduler = Scheduler(load_settings(home))
        questions = build(
            selection.cards,
            selection.collection.cards,
            count,
            quiz_mode,
            seed if seed is not None else random.randrange(1 << 30),
            weakness(selection.cards, store, scheduler, now) if weakest else None,
        )
        save = QuizRecorder.start(
            store, now, quiz_mode.value, selection.describe(), scheduler if record else None
        )
        if context.interactive() and not as_json:
            from ec2cards.terminal.quiz_screen import RichQuizFrontend

            frontend: Any = RichQuizFrontend()
        else:
            from ec2cards.terminal.quiz_lines import PlainQuizFrontend

            frontend = PlainQuizFrontend(stdout=sys.stderr if as_json else sys.stdout)
        card = run_quiz(questions, frontend, context.now, save)
        if as_json:
            typer.echo(context.as_json(card.to_json()))
        else:
            frontend.scorecard(card)


def _history(as_json: bool) -> None:
    from ec2cards.quiz.scorecard import past_quiz_line

    with context.store_in(context.home(), context.now(), daily_backup=False) as store:
        past = store.quiz_history()
    if as_json:
        typer.echo(context.as_json(past))
        return
    if not past:
        typer.echo("No quizzes yet: try ec2cards quiz --topic virtualization")
    for quiz in past:
        typer.echo(past_quiz_line(quiz))
