"""The typer app: parses arguments, wires the pieces, turns errors into one line and an exit code.

Heavy modules (yaml, fsrs, rich, sqlite3) are imported inside the commands that need them, so that
`ec2cards --help` starts about as fast as an empty Typer app.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from typer.core import TyperGroup

from ec2cards import __version__
from ec2cards.errors import Ec2CardsError


class _OneLineErrors(TyperGroup):
    """Usage errors (unknown option, bad value, missing argument) end like every other error: one
    line saying what is wrong and where to look, not click's usage block."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(
                args, prog_name, complete_var, standalone_mode, windows_expand_args, **extra
            )
        try:
            code = super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
        except typer.TyperException as error:  # click's UsageError, BadParameter and kin
            if type(error).__name__ == "NoArgsIsHelpError":  # bare `ec2cards`: show the help
                getattr(error, "show", lambda: None)()
                sys.exit(error.exit_code)
            context = getattr(error, "ctx", None)
            where = context.command_path if context is not None else "ec2cards"
            _say_error(f"{error.format_message().rstrip('.')} (see '{where} --help')")
            sys.exit(error.exit_code)
        except typer.Abort:
            _say_error("aborted")
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


def _new_app() -> typer.Typer:
    return typer.Typer(
        cls=_OneLineErrors,
        name="ec2cards",
        help="Flashcards for AWS EC2 in the terminal: YAML decks, FSRS scheduling, quizzes.",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        add_completion=False,
        rich_markup_mode=None,
    )


app = _new_app()
# Top-level commands by name, so that main() can build an app of just the one being run.
_TOP_LEVEL: dict[str, tuple[Callable[..., Any], dict[str, Any]]] = {}

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


def _say_error(message: str) -> None:
    from ec2cards.ui import show_error

    show_error(message)


def _fail(message: str, code: int) -> None:
    _say_error(message)
    raise typer.Exit(code)


def _known_failure(error: Exception) -> Ec2CardsError | None:
    """Failures of the surroundings rather than bugs: the database busy, full, read-only or
    damaged (a stray sqlite3 error), or a file that cannot be read or written."""
    from ec2cards.store import as_store_error

    converted = as_store_error(error)
    if converted is not None:
        return converted
    if isinstance(error, OSError):
        where = f"{error.filename}: " if error.filename else ""
        return Ec2CardsError(
            f"{where}{error.strerror or error}; check that the file and its folder are there"
            " and yours to read and write"
        )
    return None


def command(*args: Any, group: typer.Typer | None = None, **kwargs: Any) -> Callable[[F], F]:
    """Register a command (on `group`, else the app) whose errors end in one line and an exit
    status, never a traceback."""

    def register(func: F) -> F:
        @functools.wraps(func)
        def wrapper(*a: Any, **k: Any) -> Any:
            try:
                return func(*a, **k)
            except typer.Exit:
                raise
            except BrokenPipeError:
                # The reader went away (`ec2cards stats | head`): stop quietly, as Unix tools do.
                with contextlib.suppress(OSError):
                    sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - no flush error at exit
                raise typer.Exit(141) from None
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
                known = _known_failure(error)
                if known is not None:
                    _fail(str(known), known.exit_code)
                _fail(
                    f"unexpected {type(error).__name__}: {error} (run with --debug for the"
                    " traceback, and please report it)",
                    70,
                )
            return None

        (group or app).command(*args, **kwargs)(wrapper)
        if group is None and args:
            _TOP_LEVEL[args[0]] = (wrapper, kwargs)
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


def _json(data: Any, indent: int | None = 2) -> str:
    import json

    return json.dumps(data, indent=indent)


def _keys(cards: Any) -> list[str]:
    from ec2cards.model import card_keys

    return card_keys(cards)


@contextlib.contextmanager
def _opened(
    deck: list[str] | None, topic: list[str] | None
) -> Iterator[tuple[Path, Any, Any, Any]]:
    """(data folder, now, selected cards, open store): what most commands start from; the
    store is closed however the command ends."""
    from ec2cards import clock
    from ec2cards.decks import select
    from ec2cards.store import Store

    home = _home()
    now = clock.now()
    selection = select(home, deck or (), topic or ())
    store = Store.open(home, now)
    try:
        yield home, now, selection, store
    finally:
        store.close()


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
        typer.echo(_json(rows, indent=2))
        return
    from ec2cards.listing import decks_listing

    typer.echo(decks_listing(collection, _terminal_width()))


def _terminal_width() -> int | None:
    """The width to fit a listing to: the terminal's, or None when the output is piped."""
    if not sys.stdout.isatty():
        return None
    import shutil

    return shutil.get_terminal_size().columns


@command("topics")
def topics_command(deck: DeckOption = None, as_json: JsonOption = False) -> None:
    """List the topics with their card counts."""
    from ec2cards.decks import select

    counts = select(_home(), deck or ()).collection.topic_counts()
    if as_json:
        typer.echo(_json([{"topic": t, "cards": n} for t, n in counts.items()], indent=2))
        return
    from ec2cards.listing import topics_listing

    typer.echo(topics_listing(counts))


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
    store = Store.open(home, now)
    try:
        if exam is not None and new is None:
            from ec2cards.planning import exam_plan

            states = store.states(_keys(selection.cards))
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
            typer.echo(_json(past, indent=2))
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
    store = Store.open(home, now)
    try:
        weakness = None
        if weakest:
            scheduler = Scheduler(settings)
            states = store.states(_keys(selection.cards))
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
                    question.card.key,
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
            typer.echo(_json(card.to_json(), indent=2))
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
    from ec2cards.config import load_settings
    from ec2cards.stats import compute

    with _opened(deck, topic) as (home, now, selection, store):
        stats = compute(selection.cards, store, load_settings(home), now, forecast_days=days)
    if as_json:
        typer.echo(_json(stats.to_json(), indent=2))
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
    from ec2cards.config import load_settings
    from ec2cards.due import due_counts
    from ec2cards.timefmt import describe_due

    with _opened(deck, topic) as (home, now, selection, store):
        due = due_counts(selection.cards, store, load_settings(home), now)
    if as_json:
        typer.echo(
            _json(
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
    from ec2cards.optimizer import optimize, read_revlog_csv, review_days
    from ec2cards.store import Store

    home = _home()
    settings = load_settings(home)
    if revlog is not None:
        result = optimize(review_days(read_revlog_csv(revlog), settings.day_cutoff_hour))
    else:
        from datetime import datetime, timedelta

        offset = datetime.now().astimezone().utcoffset() or timedelta(0)
        store = Store.open(home)
        try:
            shift = offset - timedelta(hours=settings.day_cutoff_hour)
            result = optimize(store.review_days(shift))
        finally:
            store.close()
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
        typer.echo(_json(result.to_json(saved=save), indent=2))
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
    from ec2cards.config import load_settings
    from ec2cards.planning import exam_plan

    with _opened(deck, topic) as (home, now, selection, store):
        states = store.states(_keys(selection.cards))
    plan = exam_plan(selection.cards, states, load_settings(home), now, _exam_date(exam))
    if as_json:
        typer.echo(_json(plan.to_json(), indent=2))
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


@command("doctor")
def doctor_command(
    restore: Annotated[
        str | None,
        typer.Option(
            "--restore",
            metavar="BACKUP",
            help="Put this backup (a name from --list, or a path) in place of the database;"
            " the replaced file is kept beside it. Close other ec2cards sessions first.",
        ),
    ] = None,
    list_backups: Annotated[bool, typer.Option("--list", help="List the backups.")] = False,
) -> None:
    """Check the database (integrity, schema, card states against the log) and repair the
    card states; list backups, or restore one. Never overwrites a database file."""
    from ec2cards import clock
    from ec2cards.doctor import examine, listing
    from ec2cards.doctor import restore as restore_backup
    from ec2cards.errors import StoreError, UsageError
    from ec2cards.textsafe import safe

    home = _home()
    if restore is not None and list_backups:
        raise UsageError("give either --list or --restore BACKUP, not both")
    if list_backups:
        lines = listing(home)
    elif restore is not None:
        lines = restore_backup(home, restore, clock.now())
    else:
        report = examine(home, clock.now())
        for line in report.lines:
            typer.echo(safe(line))
        if not report.healthy:
            raise StoreError(report.advice)
        typer.echo("ok: nothing lost")
        return
    for line in lines:
        typer.echo(safe(line))


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


# -- your own decks: deck new, add, import, export ------------------------------------------

deck_app = typer.Typer(
    help="Make decks of your own: ec2cards deck new NAME.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(deck_app, name="deck")
ListOption = list[str] | None


@command("new", group=deck_app)
def deck_new_command(
    name: Annotated[str, typer.Argument(help="The deck id, a slug such as aws-iam.")],
    topic: Annotated[
        str | None, typer.Option("--topic", "-t", help="The cards' topic (default: NAME).")
    ] = None,
    title: Annotated[
        str | None, typer.Option("--title", help="A human title (default: made from NAME).")
    ] = None,
) -> None:
    """Create <data dir>/decks/NAME.yaml from a commented template with a card of every kind."""
    from ec2cards.authoring import new_deck

    deck = new_deck(_home(), name, topic, title)
    typer.echo(
        f"created {deck.path} with an example card of each kind;"
        " edit or delete them as you add your own"
    )
    typer.echo(f"add a card: ec2cards add --deck {name}    study: ec2cards study --deck {name}")


class _LinePrompter:
    """Prompts for `authoring.interview`, one line each; Enter alone answers ''."""

    def ask(self, label: str) -> str:
        return str(typer.prompt(label, default="", show_default=False))

    def say(self, message: str) -> None:
        typer.echo(message)


def _deck_to_write(home: Path, name: str | None, interactive: bool) -> Any:
    from ec2cards.authoring import find_deck, user_decks
    from ec2cards.errors import UsageError

    if name:
        return find_deck(home, name)
    paths = user_decks(home)
    if not paths:
        raise UsageError("you have no deck of your own yet: make one with `ec2cards deck new NAME`")
    if len(paths) == 1:
        return find_deck(home, str(paths[0]))
    names = ", ".join(p.stem for p in paths)
    if not interactive:
        raise UsageError(f"you have several decks; choose one with --deck ({names})")
    while True:
        chosen = str(typer.prompt(f"Deck ({names})")).strip()
        match = [p for p in paths if chosen in (p.stem, p.name)]
        if match:
            return find_deck(home, str(match[0]))
        typer.echo(f"  ✗ no deck '{chosen}' among yours")


@command("add")
def add_command(
    deck: Annotated[
        str | None,
        typer.Option("--deck", "-d", help="Your deck's id or file (default: your only deck)."),
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option("--kind", "-k", help="basic, cloze, choice or order (default: from options)."),
    ] = None,
    question: Annotated[str | None, typer.Option("--q", help="The question.")] = None,
    answer_text: Annotated[str | None, typer.Option("--a", help="The answer (basic).")] = None,
    text: Annotated[
        str | None, typer.Option("--text", help="Cloze text with {{c1::hidden words}}.")
    ] = None,
    accept: Annotated[
        ListOption, typer.Option("--accept", help="Another answer accepted when typed.")
    ] = None,
    option: Annotated[ListOption, typer.Option("--option", help="A choice option.")] = None,
    right: Annotated[
        ListOption, typer.Option("--answer", help="The right option: its text or number.")
    ] = None,
    item: Annotated[ListOption, typer.Option("--item", help="An order item, in order.")] = None,
    topic: Annotated[
        ListOption, typer.Option("--topic", "-t", help="A topic besides the deck's.")
    ] = None,
    tag: Annotated[ListOption, typer.Option("--tag", help="A free-form tag.")] = None,
    source: Annotated[str | None, typer.Option("--source", help="Where the fact is from.")] = None,
    note: Annotated[str | None, typer.Option("--note", help="Shown after the answer.")] = None,
    card_id: Annotated[str | None, typer.Option("--id", help="A stable id (a slug).")] = None,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Add without asking to confirm.")
    ] = False,
) -> None:
    """Add a card to a deck of yours. Asks for each field unless the options give them all
    (ec2cards add --deck mine --q "Question?" --a "Answer"); the rest of the file is untouched."""
    from ec2cards.authoring import Draft, clean_draft, commit_add, interview, plan_add
    from ec2cards.errors import UsageError
    from ec2cards.model import CardKind

    if kind is None:  # the options say which kind is meant
        kind = "cloze" if text else "choice" if option else "order" if item else "basic"
    if kind == "basic" and right and not answer_text and len(right) == 1:
        answer_text, right = right[0], None  # --answer for a basic card means --a
    try:
        card_kind = CardKind(kind)
    except ValueError:
        raise UsageError(
            f"unknown kind '{kind}' (use one of {', '.join(k.value for k in CardKind)})"
        ) from None
    draft = Draft(
        kind=card_kind,
        q=question or "",
        a=answer_text or "",
        text=text or "",
        accept=accept or [],
        options=option or [],
        answer=right or [],
        items=item or [],
        topics=topic or [],
        tags=tag or [],
        source=source or "",
        note=note or "",
        card_id=card_id or "",
    )
    interactive = bool(draft.missing())
    home = _home()
    try:
        target = _deck_to_write(home, deck, interactive)
        if interactive:
            typer.echo(f"New {card_kind.value} card for deck '{target.deck_id}' ({target.path})")
            draft = interview(target, draft, _LinePrompter())
        draft = clean_draft(target, draft)
        plan = plan_add(target, draft)
        if interactive:
            from ec2cards.ui import card_preview

            card_preview(plan.cards)
            if not yes and not typer.confirm(f"Add it to {target.path}?", default=True):
                typer.echo("nothing added")
                return
    except typer.Abort:
        raise UsageError("input ended before the card was complete; nothing added") from None
    commit_add(plan)
    ids = ", ".join(card.card_id for card in plan.cards)
    line = plan.cards[0].line if plan.cards else 0
    count = len(plan.cards)
    typer.echo(
        f"added {count} card{'s' if count != 1 else ''} ({ids}) to deck '{target.deck_id}'"
        f" at {target.path}:{line}"
    )


@command("import")
def import_command(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Files or folders: YAML decks, Anki packages (.apkg, .colpkg), Anki 'Notes in"
            " Plain Text' exports (.txt, .csv, .tsv)."
        ),
    ],
    deck: Annotated[
        str | None,
        typer.Option("--deck", "-d", help="Put every card in this deck of yours (an id)."),
    ] = None,
    topic: Annotated[
        str | None, typer.Option("--topic", "-t", help="The topic of the imported cards.")
    ] = None,
) -> None:
    """Import decks: YAML, Anki packages with their review history, Anki plain-text notes.
    Importing the same file again adds only what is new; bad input writes nothing."""
    from ec2cards import clock
    from ec2cards.config import load_settings
    from ec2cards.interop.importer import apply_import, describe, plan_import
    from ec2cards.scheduling import Scheduler
    from ec2cards.store import Store

    home = _home()
    now = clock.now()
    plan = plan_import(paths, home, now, deck, topic)
    from ec2cards.textsafe import safe

    for warning in plan.warnings:
        typer.echo(f"warning: {safe(warning)}", err=True)
    if plan.media:
        typer.echo(
            f"warning: skipped {plan.media} media files (images, sounds): decks hold text only",
            err=True,
        )
    store = Store.open(home, now)
    try:
        report = apply_import(plan, store, Scheduler(load_settings(home)), now)
    finally:
        store.close()
    for line in describe(report):
        typer.echo(safe(line))


@command("export")
def export_command(
    output: Annotated[Path, typer.Option("--output", "-o", help="The file to write.")],
    deck: DeckOption = None,
    topic: TopicOption = None,
    fmt: Annotated[
        str | None,
        typer.Option("--format", "-f", help="apkg, csv or yaml (default: from the file name)."),
    ] = None,
) -> None:
    """Export cards for Anki (.apkg: decks EC2::<topic>; or its plain-text CSV) or as YAML."""
    from ec2cards import clock
    from ec2cards.decks import select
    from ec2cards.interop.exporter import choose_format, export
    from ec2cards.paths import user_decks_dir

    home = _home()
    selection = select(home, deck or (), topic or ())
    chosen = choose_format(fmt, output)
    decks = selection.collection.decks
    report = export(selection.cards, decks, chosen, output, clock.now(), user_decks_dir(home))
    where = ", ".join(report.decks[:5]) + (" …" if len(report.decks) > 5 else "")
    typer.echo(
        f"exported {report.cards} cards of {selection.describe()} as {report.notes}"
        f" {'notes' if chosen != 'yaml' else 'cards'} to {report.path} ({chosen}: {where})"
    )


def _app_for(argv: list[str]) -> typer.Typer:
    """The whole app, or, when a plain top-level command is run, an app of that command alone:
    typer builds every registered command on each start, which costs more than some commands'
    own work. Help and errors read the same either way."""
    position = 0
    while position < len(argv) and argv[position] == "--debug":
        position += 1
    name = argv[position] if position < len(argv) else ""
    if name not in _TOP_LEVEL:
        return app
    wrapper, kwargs = _TOP_LEVEL[name]
    slim = _new_app()
    slim.callback()(root)
    slim.command(name, **kwargs)(wrapper)
    return slim


# Python collects young objects every 700 container allocations. A command's start makes many
# long-lived ones (modules, dataclasses, 50,000 deck keys and their sets) and hardly any garbage
# cycles, so those passes are milliseconds spent for nothing; collect a hundred times less often.
# The collector stays on, so a long study session still frees any cycles it makes.
GC_THRESHOLDS = (70_000, 10, 10)


def main() -> None:
    """Console-script entry point."""
    import gc

    gc.set_threshold(*GC_THRESHOLDS)
    try:
        _app_for(sys.argv[1:])(prog_name="ec2cards")
    finally:
        # The process ends next. Its last garbage collections would walk every object still
        # alive (Typer's and ours: about 9 ms, more than some commands' whole work) to free
        # memory the system takes back anyway; frozen objects are left out of them. Files and
        # the database are closed by then, and standard streams are flushed at exit as always.
        gc.freeze()


if __name__ == "__main__":  # pragma: no cover
    main()
