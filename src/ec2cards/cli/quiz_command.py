"""`ec2cards quiz`: a graded quiz, on the Rich screen or in line mode, and past quizzes."""

from typing import Annotated

import typer

from ec2cards.cli.options import DeckOption, TopicOption
from ec2cards.cli.registry import command


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
    from ec2cards.cli.quiz_run import quiz

    quiz(topic, deck, count, mode, seed, weakest, record, as_json, history, retry, past)
