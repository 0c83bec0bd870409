"""The typer app: parses arguments, wires the pieces, turns errors into one line and an exit code.

Heavy modules (yaml, fsrs, rich, sqlite3) are imported inside the commands that need them, so that
`ec2cards --help` starts about as fast as an empty Typer app.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from ec2cards import __version__
from ec2cards.errors import Ec2CardsError

app = typer.Typer(
    name="ec2cards",
    help="Flashcards for AWS EC2 in the terminal: YAML decks, FSRS scheduling, quizzes.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)

_state = {"debug": False}
F = TypeVar("F", bound=Callable[..., Any])

DeckOption = Annotated[
    list[str] | None,
    typer.Option("--deck", "-d", help="Deck id, or path to a deck file or folder (repeatable)."),
]
TopicOption = Annotated[
    list[str] | None, typer.Option("--topic", "-t", help="Only cards of this topic (repeatable).")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def _fail(message: str, code: int) -> None:
    from ec2cards.ui import show_error

    show_error(message)
    raise typer.Exit(code)


def command(*args: Any, **kwargs: Any) -> Callable[[F], F]:
    """Register a command whose errors end in one line and an exit status, never a traceback."""

    def register(func: F) -> F:
        @functools.wraps(func)
        def wrapper(*a: Any, **k: Any) -> Any:
            try:
                return func(*a, **k)
            except typer.Exit:
                raise
            except Ec2CardsError as error:
                if _state["debug"]:
                    raise
                _fail(str(error), error.exit_code)
            except KeyboardInterrupt:
                if _state["debug"]:
                    raise
                _fail("interrupted", 130)
            except Exception as error:  # a bug: say so in one line unless debugging
                if _state["debug"]:
                    raise
                _fail(
                    f"unexpected {type(error).__name__}: {error} (run with --debug for the"
                    " traceback, and please report it)",
                    70,
                )
            return None

        app.command(*args, **kwargs)(wrapper)
        return func

    return register


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ec2cards {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of errors.")] = False,
) -> None:
    """Flashcards for AWS EC2 in the terminal: YAML decks, FSRS scheduling, quizzes."""
    _state["debug"] = debug


def _home() -> Path:
    from ec2cards.paths import data_dir

    return data_dir()


@command("decks")
def decks_command(deck: DeckOption = None, as_json: JsonOption = False) -> None:
    """List the decks: bundled ones, your own, and any given with --deck."""
    from ec2cards.decks import select

    selection = select(_home(), deck or ())
    collection = selection.collection
    if as_json:
        rows = [
            {
                "id": d.deck_id,
                "title": d.title,
                "topics": list(d.topics),
                "cards": len(d.cards),
                "path": str(d.path),
                "bundled": d.bundled,
            }
            for d in collection.decks
        ]
        typer.echo(json.dumps(rows, indent=2))
        return
    from ec2cards.ui import decks_table

    decks_table(collection)


@command("topics")
def topics_command(deck: DeckOption = None, as_json: JsonOption = False) -> None:
    """List the topics with their card counts."""
    from ec2cards.decks import select

    counts = select(_home(), deck or ()).collection.topic_counts()
    if as_json:
        typer.echo(json.dumps([{"topic": t, "cards": n} for t, n in counts.items()], indent=2))
        return
    from ec2cards.ui import topics_table

    topics_table(counts)


@command("check")
def check_command(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Deck files or folders to check (default: every deck found)."),
    ] = None,
) -> None:
    """Validate decks; print every problem as path:line:col: message."""
    from ec2cards.checker import check

    report = check(_home(), paths or ())
    from ec2cards.ui import plain, show_problems

    show_problems(report.problems)
    for warning in report.warnings:
        plain(f"warning: {warning}")
    if report.problems:
        raise typer.Exit(1)
    plain(report.summary())


@command("study")
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

    Keys: Space/Enter show the answer, 1-4 rate Again/Hard/Good/Easy, u undo, s suspend, q quit.
    Without a terminal, reads one line per prompt (see the README).
    """
    from ec2cards import clock
    from ec2cards.config import load_settings
    from ec2cards.decks import select
    from ec2cards.plain import PlainFrontend, describe_due
    from ec2cards.reviewer import run
    from ec2cards.store import Store
    from ec2cards.study import StudySession

    home = _home()
    now = clock.now()
    selection = select(home, deck or (), topic or ())
    settings = load_settings(home)
    store = Store.open(home)
    try:
        if exam is not None and new is None:
            from ec2cards.planning import exam_plan

            states = store.states(c.key for c in selection.cards)
            plan = exam_plan(selection.cards, states, settings, now, _exam_date(exam))
            new = plan.days[0].new
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
        interactive = sys.stdin.isatty() and sys.stdout.isatty()
        if interactive:
            from ec2cards.screen import RichFrontend

            frontend: Any = RichFrontend()
        else:
            frontend = PlainFrontend()
        summary = run(session, frontend, clock.now, selection.describe())
        frontend.summary(summary, clock.now())
    finally:
        store.close()


@command("quiz")
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
    import random as _random

    from ec2cards import clock
    from ec2cards.config import load_settings
    from ec2cards.decks import select
    from ec2cards.errors import UsageError
    from ec2cards.quiz import Mode, build
    from ec2cards.quizzer import rating_for, run_quiz
    from ec2cards.scheduling import Scheduler
    from ec2cards.store import Store
    from ec2cards.study import record_answer

    home = _home()
    if history:
        store = Store.open(home)
        try:
            past = store.quiz_history()
        finally:
            store.close()
        if as_json:
            typer.echo(json.dumps(past, indent=2))
            return
        if not past:
            typer.echo("No quizzes yet: try ec2cards quiz --topic virtualization")
        for quiz in past:
            topics = ", ".join(
                f"{t} {v['score']}/{v['total']}"  # type: ignore[index]
                for t, v in quiz["by_topic"].items()  # type: ignore[attr-defined]
            )
            typer.echo(
                f"{str(quiz['started_at'])[:16].replace('T', ' ')}  {quiz['score']}/{quiz['total']}"
                f" ({quiz['percent']:.0f}%)  {quiz['mode']}  {quiz['selection']}  [{topics}]"
            )
        return
    try:
        quiz_mode = Mode(mode)
    except ValueError:
        raise UsageError(
            f"unknown mode '{mode}' (use one of {', '.join(m.value for m in Mode)})"
        ) from None
    now = clock.now()
    selection = select(home, deck or (), topic or ())
    if not selection.cards:
        raise UsageError(f"no cards in {selection.describe()}")
    settings = load_settings(home)
    store = Store.open(home)
    try:
        weakness = None
        if weakest:
            scheduler = Scheduler(settings)
            states = store.states(c.key for c in selection.cards)
            weakness = {k: scheduler.retrievability(s, now) for k, s in states.items()}
        questions = build(
            selection.cards,
            selection.collection.cards,
            count,
            quiz_mode,
            seed if seed is not None else _random.randrange(1 << 30),
            weakness,
        )
        quiz_id = store.start_quiz(now, quiz_mode.value, selection.describe())
        scheduler = Scheduler(settings)

        def save(number: int, result: Any, at: Any) -> None:
            question = result.question
            store.record_quiz_answer(
                quiz_id,
                number,
                question.card.key,
                question.card.topic,
                question.ask.value,
                result.given,
                question.expected,
                result.correct,
                result.score,
                at,
            )
            if record:
                record_answer(
                    store,
                    scheduler,
                    question.card,
                    store.state(question.card.key),
                    rating_for(result),
                    at,
                    int(result.seconds * 1000),
                )

        interactive = sys.stdin.isatty() and sys.stdout.isatty() and not as_json
        if interactive:
            from ec2cards.screen import RichQuizFrontend

            frontend: Any = RichQuizFrontend()
        else:
            from ec2cards.quiz_plain import PlainQuizFrontend

            frontend = PlainQuizFrontend(stdout=sys.stderr if as_json else sys.stdout)
        card = run_quiz(questions, frontend, clock.now, save)
        if as_json:
            typer.echo(json.dumps(card.to_json(), indent=2))
        else:
            frontend.scorecard(card)
    finally:
        store.close()


@command("stats")
def stats_command(
    topic: TopicOption = None,
    deck: DeckOption = None,
    days: Annotated[
        int, typer.Option("--days", min=1, max=365, help="Days in the due forecast.")
    ] = 30,
    as_json: JsonOption = False,
) -> None:
    """What you know and what is coming: states, retention, recall, forecast, heatmap."""
    from ec2cards import clock
    from ec2cards.config import load_settings
    from ec2cards.decks import select
    from ec2cards.stats import compute
    from ec2cards.store import Store

    home = _home()
    now = clock.now()
    selection = select(home, deck or (), topic or ())
    store = Store.open(home)
    try:
        stats = compute(selection.cards, store, load_settings(home), now, forecast_days=days)
    finally:
        store.close()
    if as_json:
        typer.echo(json.dumps(stats.to_json(), indent=2))
        return
    if stats.total_reviews == 0:
        typer.echo(
            f"No reviews yet in {selection.describe()}: {len(selection.cards)} cards are waiting."
            " Start with: ec2cards study"
        )
        return
    from ec2cards.ui import show_stats

    show_stats(stats, selection.describe())


@command("due")
def due_command(
    topic: TopicOption = None, deck: DeckOption = None, as_json: JsonOption = False
) -> None:
    """Due now, due today and new cards available: short enough for a shell prompt."""
    from ec2cards import clock
    from ec2cards.config import load_settings
    from ec2cards.decks import select
    from ec2cards.plain import describe_due
    from ec2cards.stats import due_counts
    from ec2cards.store import Store

    home = _home()
    now = clock.now()
    selection = select(home, deck or (), topic or ())
    store = Store.open(home)
    try:
        due = due_counts(selection.cards, store, load_settings(home), now)
    finally:
        store.close()
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "due_now": due.due_now,
                    "due_today": due.due_today,
                    "new_available": due.new_available,
                    "next_due": due.next_due.isoformat() if due.next_due else None,
                }
            )
        )
        return
    typer.echo(
        f"{due.due_now} due now · {due.due_today} due today · {due.new_available} new"
        + (
            ""
            if due.due_now or due.next_due is None
            else f" · next {describe_due(due.next_due, now)}"
        )
    )


@command("optimize")
def optimize_command(
    revlog: Annotated[
        Path | None,
        typer.Option("--revlog", help="Fit to this CSV (card_id, review_time, review_rating)."),
    ] = None,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Save without asking if better.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Fit FSRS parameters to your reviews (fsrs-rs) and save them when they beat the defaults."""
    from ec2cards.config import load_settings, set_value
    from ec2cards.optimizer import Review, optimize, read_revlog_csv
    from ec2cards.store import Store

    home = _home()
    settings = load_settings(home)
    if revlog is not None:
        reviews = read_revlog_csv(revlog)
    else:
        store = Store.open(home)
        try:
            reviews = [Review(k, r, at) for k, r, at, _ in store.review_history()]
        finally:
            store.close()
    result = optimize(reviews, settings.day_cutoff_hour)
    save = False
    if result.better:
        if yes:
            save = True
        elif not as_json and sys.stdin.isatty():
            from ec2cards.ui import show_optimize

            show_optimize(result, saved=False, asked_save=False)
            save = typer.confirm("Save the fitted parameters?", default=True)
            if save:
                set_value(home, "parameters", " ".join(str(p) for p in result.parameters))
            typer.echo("Saved." if save else "Not saved.")
            return
    if save:
        set_value(home, "parameters", " ".join(str(p) for p in result.parameters))
    if as_json:
        typer.echo(json.dumps(result.to_json(saved=save), indent=2))
        return
    from ec2cards.ui import show_optimize

    show_optimize(result, saved=save, asked_save=result.better)
    if result.better and not save:
        typer.echo("Run again with --yes to save them.")


@command("simulate")
def simulate_command(
    topic: TopicOption = None,
    deck: DeckOption = None,
    days: Annotated[int, typer.Option("--days", min=7, max=3650, help="Days to simulate.")] = 365,
) -> None:
    """Expected daily workload and cards remembered at desired retention 0.70-0.97."""
    from ec2cards.config import load_settings
    from ec2cards.decks import select
    from ec2cards.planning import simulate
    from ec2cards.ui import show_simulation

    home = _home()
    selection = select(home, deck or (), topic or ())
    rows = simulate(len(selection.cards), load_settings(home), days)
    show_simulation(list(rows), days, len(selection.cards))


@command("plan")
def plan_command(
    exam: Annotated[str, typer.Option("--exam", help="Exam date, YYYY-MM-DD.")],
    topic: TopicOption = None,
    deck: DeckOption = None,
    as_json: JsonOption = False,
) -> None:
    """Are you ready for the exam? Predicted recall per topic, and a day-by-day plan."""
    from ec2cards import clock
    from ec2cards.config import load_settings
    from ec2cards.decks import select
    from ec2cards.planning import exam_plan
    from ec2cards.store import Store

    home = _home()
    now = clock.now()
    selection = select(home, deck or (), topic or ())
    store = Store.open(home)
    try:
        states = store.states(c.key for c in selection.cards)
    finally:
        store.close()
    plan = exam_plan(selection.cards, states, load_settings(home), now, _exam_date(exam))
    if as_json:
        typer.echo(json.dumps(plan.to_json(), indent=2))
        return
    from ec2cards.ui import show_plan

    show_plan(plan)


def _exam_date(text: str) -> Any:
    from datetime import date

    from ec2cards.errors import UsageError

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--exam {text!r} is not a date; write it as YYYY-MM-DD") from None


@command("config")
def config_command(
    key: Annotated[str | None, typer.Argument(help="Setting to show or change.")] = None,
    value: Annotated[str | None, typer.Argument(help="New value.")] = None,
) -> None:
    """Show the settings, or change one: ec2cards config new_per_day 30."""
    from dataclasses import fields

    from ec2cards.config import HELP, config_path, known_key, load_settings, set_value

    home = _home()
    if key is not None and value is not None:
        settings = set_value(home, key, value)
        typer.echo(
            f"{known_key(key)} = {getattr(settings, known_key(key))!r}"
            f" (saved in {config_path(home)})"
        )
        return
    settings = load_settings(home)
    names = [known_key(key)] if key is not None else [f.name for f in fields(settings)]
    for name in names:
        typer.echo(f"{name} = {getattr(settings, name)!r}    # {HELP[name]}")
    if key is None:
        typer.echo(f"# file: {config_path(home)}")


@command("rebuild")
def rebuild_command() -> None:
    """Rebuild every card's schedule from the review log (the log is the source of truth)."""
    from ec2cards.store import Store

    store = Store.open(_home())
    try:
        count = store.rebuild()
    finally:
        store.close()
    typer.echo(f"rebuilt the state of {count} cards from the review log")


def main() -> None:
    """Console-script entry point."""
    app(prog_name="ec2cards")


if __name__ == "__main__":  # pragma: no cover
    main()
