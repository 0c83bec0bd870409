"""`ec2cards practice`: a timed practice exam of scenario cards, and past exams."""

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ec2cards.cli import context
from ec2cards.cli.options import DeckOption, TopicOption
from ec2cards.cli.registry import command

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from ec2cards.practice.session import ExamScreen, PracticeFrontend


@command("practice", short_help="A timed practice exam of scenarios, 720 to pass")
def practice_command(
    topic: TopicOption = None,
    deck: DeckOption = None,
    count: Annotated[int, typer.Option("--count", "-n", min=1, help="Number of questions.")] = 65,
    minutes: Annotated[
        float | None,
        typer.Option("--minutes", min=0.01, help="Time limit (default: 2 minutes a question)."),
    ] = None,
    seed: Annotated[
        int | None, typer.Option("--seed", help="Same seed, same exam (default: random).")
    ] = None,
    record: Annotated[
        bool,
        typer.Option(
            "--record",
            help="Count each scenario as a review; a missed one brings its recall cards forward.",
        ),
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="The result as JSON on stdout (questions on stderr).")
    ] = False,
    history: Annotated[
        bool, typer.Option("--history", help="List past exams; with an exam number, its review.")
    ] = False,
    past: Annotated[
        int | None,
        typer.Argument(
            metavar="[EXAM]", help="With --history: the exam number to show.", show_default=False
        ),
    ] = None,
) -> None:
    """A practice exam as a certification exam is sat: scenario questions, one right option
    (or 'Choose TWO'), no feedback until the end, no partial credit, unanswered is wrong, a
    time limit, and a scaled score from 100 to 1000 with 720 to pass. One line per question:
    '2', or '1 4' for several; an empty line leaves it unanswered; q submits."""
    from ec2cards.errors import UsageError

    if past is not None and not history:
        raise UsageError(f"'{past}': an exam number goes with --history")
    if history:
        _history(as_json, past)
        return
    import random

    from ec2cards.practice.exam import MINUTES_A_QUESTION, Sitting, build_exam
    from ec2cards.practice.session import sit, submit
    from ec2cards.terminal.practice_lines import result_lines

    drawn = seed if seed is not None else random.randrange(1 << 30)
    with context.opened(deck, topic) as (home, _now, selection, store):
        described = selection.describe()
        questions = build_exam(selection.cards, count, drawn, described)
        limit = minutes if minutes is not None else MINUTES_A_QUESTION * len(questions)
        sitting = Sitting(questions, limit)
        frontend = _frontend(as_json, home)
        if len(questions) < count:
            from ec2cards.terminal.output import warn

            warn(f"{described} has {len(questions)} scenarios: the exam asks them all")
        exam_id, started, ended = sit(store, sitting, frontend, _running_clock(), described)
        scheduler = context.scheduler(home) if record else None
        done = submit(store, scheduler, sitting, exam_id, (started, ended), context.now())
    if as_json:
        typer.echo(context.as_json(result_json(done)))
        return
    if getattr(frontend, "timed_out", False):
        typer.echo("Time is up: the exam is submitted as it stands.")
    width = context.terminal_width()
    for line in result_lines(done, limit):
        if width is None:
            typer.echo(line)
            continue
        from ec2cards.terminal.wrapping import word_lines

        for piece in word_lines(line, width):  # broken between words on a terminal
            typer.echo(piece)


def _frontend(as_json: bool, home: "Path") -> "PracticeFrontend | ExamScreen":
    """The exam screen on a terminal, else one line per question (on stderr under --json)."""
    if context.interactive() and not as_json:
        from ec2cards.config.paths import media_dir
        from ec2cards.terminal.practice_screen import RichPracticeFrontend

        return RichPracticeFrontend(media=media_dir(home))
    from ec2cards.terminal.practice_lines import PlainPracticeFrontend

    return PlainPracticeFrontend(stdout=sys.stderr if as_json else sys.stdout)


def result_json(done: "object") -> dict[str, object]:
    from ec2cards.practice.session import Submitted, questions_json

    assert isinstance(done, Submitted)
    result = done.score
    return {
        "exam": done.exam_id,
        "questions": questions_json(done.sitting),
        "correct": result.correct,
        "total": result.total,
        "percent": round(result.percent, 1),
        "scaled": result.scaled,
        "passed": result.passed,
        "by_topic": {t: {"correct": c, "total": n} for t, (c, n) in result.by_topic.items()},
        "minutes_used": round(done.minutes_used, 2),
        "brought_forward": done.brought_forward,
    }


def _history(as_json: bool, number: int | None) -> None:
    from ec2cards.errors import UsageError

    with context.store_in(context.home(), context.now(), daily_backup=False, writes=False) as store:
        exams = [store.practice.one(number)] if number is not None else store.practice.recent()
    if number is not None and exams[0] is None:
        raise UsageError(f"no practice exam {number}; ec2cards practice --history lists them")
    found = [exam for exam in exams if exam is not None]
    if as_json:
        typer.echo(
            context.as_json(
                [
                    exam._asdict()
                    | {
                        "started_at": str(exam.started_at),
                        "finished_at": str(exam.finished_at) if exam.finished_at else None,
                    }
                    for exam in found
                ]
            )
        )
        return
    if not found:
        typer.echo("No practice exams yet: try ec2cards practice --topic storage --count 10")
        return
    from ec2cards.terminal.practice_lines import past_exam_lines

    for exam in found:
        for line in past_exam_lines(exam, detail=number is not None):
            typer.echo(line)


def _running_clock() -> "Callable[[], datetime]":
    """The time as the exam's clock sees it: the command's time (EC2CARDS_NOW when set) moving
    on with the real seconds, so a time limit runs out even under a fixed EC2CARDS_NOW."""
    import time
    from datetime import timedelta

    start, started = context.now(), time.monotonic()
    return lambda: start + timedelta(seconds=time.monotonic() - started)
