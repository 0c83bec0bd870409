"""`ec2cards quiz`: a graded quiz, on the Rich screen or in line mode, and past quizzes."""

import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ec2cards.cli import context
from ec2cards.cli.options import DeckOption, TopicOption
from ec2cards.cli.registry import command

if TYPE_CHECKING:
    from ec2cards.storage.quiz_tables import PastAnswer, PastQuiz


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

    from ec2cards.config.file import load_settings
    from ec2cards.quiz.questions import build, parse_mode, weakness
    from ec2cards.quiz.session import QuizRecorder, run_quiz
    from ec2cards.scheduling.scheduler import Scheduler

    with context.opened(deck, topic) as (home, now, selection, store):
        quiz_mode = parse_mode(mode or (_last_mode(store) if retry else "mixed"))
        if not selection.cards:
            raise UsageError(f"no cards in {selection.describe()}")
        scheduler = Scheduler(load_settings(home))
        cards: Any = selection.cards
        if retry:
            cards = _missed_last_time(store, cards)
            count = len(cards)
        questions = build(
            cards,
            selection.collection.cards,
            count,
            quiz_mode,
            seed if seed is not None else random.randrange(1 << 30),
            weakness(cards, store, scheduler, now) if weakest else None,
            day=now.date().isoformat(),
            keep_order=retry,
        )
        save = QuizRecorder.start(
            store, now, quiz_mode.value, selection.describe(), scheduler if record else None
        )
        if context.interactive() and not as_json:
            from ec2cards.config.paths import media_dir
            from ec2cards.terminal.quiz_screen import RichQuizFrontend

            frontend: Any = RichQuizFrontend(media=media_dir(home))
        else:
            from ec2cards.terminal.quiz_lines import PlainQuizFrontend

            frontend = PlainQuizFrontend(stdout=sys.stderr if as_json else sys.stdout)
        card = run_quiz(questions, frontend, context.now, save)
        if as_json:
            typer.echo(context.as_json(card.to_json()))
        else:
            frontend.scorecard(card)


def _last_mode(store: Any) -> str:
    last = store.quizzes.last_id()
    past = [q for q in store.quizzes.history(limit=1) if q.id == last]
    return past[0].mode if past else "mixed"


def _missed_last_time(store: Any, cards: Any) -> list[Any]:
    """The cards missed in the last quiz, in the order they were asked."""
    from ec2cards.errors import UsageError

    last = store.quizzes.last_id()
    if last is None:
        raise UsageError("no quiz to retry yet: start one with ec2cards quiz")
    by_key = {card.key: card for card in cards}
    missed = [a.card for a in store.quizzes.answers(last) if not a.correct]
    found = [by_key[key] for key in dict.fromkeys(missed) if key in by_key]
    if not missed:
        raise UsageError(f"nothing to retry: quiz #{last} had no missed question")
    if not found:
        raise UsageError(f"the questions missed in quiz #{last} are not in this selection")
    return found


def _history(as_json: bool, number: int | None) -> None:
    with context.store_in(context.home(), context.now(), daily_backup=False) as store:
        past = store.quizzes.history(limit=10_000 if number is not None else 20)
        answers = store.quizzes.answers(number) if number is not None else []
    if number is not None:
        _one_quiz(number, [q for q in past if q.id == number], answers, as_json)
        return
    if as_json:
        typer.echo(context.as_json([quiz.to_json() for quiz in past]))
        return
    if not past:
        typer.echo("No quizzes yet: try ec2cards quiz --topic virtualization")
        return
    from ec2cards.terminal.listing import past_quizzes_listing

    typer.echo(past_quizzes_listing(past, context.terminal_width()))


def _one_quiz(
    number: int, found: "list[PastQuiz]", answers: "list[PastAnswer]", as_json: bool
) -> None:
    from ec2cards.errors import UsageError
    from ec2cards.terminal.listing import past_quizzes_listing
    from ec2cards.terminal.quiz_lines import past_answer_lines

    if not found:
        raise UsageError(f"no quiz #{number} (ec2cards quiz --history lists them)")
    if as_json:
        questions = [answer.to_json() for answer in answers]
        typer.echo(context.as_json({**found[0].to_json(), "questions": questions}))
        return
    typer.echo(past_quizzes_listing(found, context.terminal_width()))
    for line in past_answer_lines(answers):
        typer.echo(line)
