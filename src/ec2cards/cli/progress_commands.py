"""Progress and planning: `stats`, `due`, `optimize`, `simulate`, `plan`."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ec2cards.cli import context
from ec2cards.cli.due_output import FORMAT_HELP
from ec2cards.cli.options import DeckOption, JsonOption, RescheduleOption, TopicOption
from ec2cards.cli.registry import command

if TYPE_CHECKING:
    from ec2cards.decks.selection import Selection
    from ec2cards.practice.results import TopicResult


@command("stats", short_help="States, retention, recall, forecast, heatmap")
def stats_command(
    topic: TopicOption = None,
    deck: DeckOption = None,
    days: Annotated[
        int, typer.Option("--days", min=1, max=365, help="Days in the due forecast.")
    ] = 30,
    as_json: JsonOption = False,
) -> None:
    """What you know and what is coming: states, retention, recall, forecast, heatmap."""
    from ec2cards.config.file import load_settings
    from ec2cards.practice.results import latest_by_topic
    from ec2cards.progress.stats import compute

    with context.opened(deck, topic, writes=False) as (home, now, selection, store):
        stats = compute(selection.cards, store, load_settings(home), now, forecast_days=days)
        practice = latest_by_topic(store, _topics(selection))
    if as_json:
        found = {"practice": [result.to_json() for result in practice]}
        typer.echo(context.as_json(dict(stats.to_json()) | found))
        return
    if stats.total_reviews == 0:
        typer.echo(
            f"No reviews yet in {selection.describe()}: {len(selection.cards)} cards are waiting."
            " Start with: ec2cards study"
        )
    else:
        from ec2cards.terminal.progress_views import show_stats

        show_stats(stats, selection.describe())
    _practice_lines(practice)


@command("due", short_help="Due now · due today · new (for a shell prompt)")
def due_command(
    topic: TopicOption = None,
    deck: DeckOption = None,
    as_json: JsonOption = False,
    template: Annotated[str | None, typer.Option("--format", help=FORMAT_HELP)] = None,
) -> None:
    """Due now, due today and new cards available: short enough for a shell prompt
    (a plain `ec2cards due` starts faster than any other command)."""
    from ec2cards.cli.due_output import due_json, due_line
    from ec2cards.config.file import load_settings
    from ec2cards.model.card_lists import card_keys
    from ec2cards.progress.due import due_counts

    with context.opened(deck, topic, writes=False) as (home, now, selection, store):
        settings = load_settings(home)
        keys = set(card_keys(selection.cards))
        due = due_counts(keys, store, settings.day_cutoff_hour, settings.new_per_day, now)
    typer.echo(due_json(due) if as_json else due_line(due, now, template))


@command("optimize", short_help="Fit FSRS parameters to your reviews")
def optimize_command(
    revlog: Annotated[
        Path | None,
        typer.Option("--revlog", help="Fit to this CSV (card_id, review_time, review_rating)."),
    ] = None,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Save without asking if better.")
    ] = False,
    as_json: JsonOption = False,
    reschedule: RescheduleOption = None,
) -> None:
    """Fit FSRS parameters to your reviews (fsrs-rs) and save them when they beat the defaults;
    saved, they recompute every card's memory (and, with --reschedule, its due date)."""
    from contextlib import nullcontext

    from ec2cards.config.file import load_settings
    from ec2cards.scheduling.optimizer import TooLittleHistory, optimize, optimize_log
    from ec2cards.scheduling.settings_change import save_fitted
    from ec2cards.terminal.progress_views import show_optimize

    home = context.home()
    now = context.now()
    settings = load_settings(home)
    asking = not yes and not as_json and context.interactive_input()
    with context.existing_store(home, now, create=revlog is None) as store:
        try:
            if revlog is not None or store is None:  # (with no --revlog, the store is made)
                from ec2cards.scheduling.revlog_csv import read_revlog_csv, review_days

                rows = read_revlog_csv(revlog) if revlog is not None else []
                result = optimize(review_days(rows, settings.day_cutoff_hour))
            else:
                result = optimize_log(store.stats, settings.day_cutoff_hour, now)
        except TooLittleHistory as short:
            if as_json:
                typer.echo(context.as_json(short.to_json()))
            else:
                typer.echo(str(short))
            return
        asking = asking and result.better
        if asking:
            show_optimize(result, saved=False, asked_save=False)
        outcome = save_fitted(
            home,
            result.parameters,
            result.better,
            lambda: nullcontext(store),
            now,
            yes=yes,
            reschedule=reschedule,
            confirm_save=context.asker(asking),
            confirm_reschedule=context.asker(context.interactive()),
        )
    applied = context.recomputed_line(outcome.change) if outcome.change else None
    if asking:
        typer.echo("Saved." if outcome.saved else "Not saved.")
    elif as_json:
        typer.echo(context.as_json(result.to_json(saved=outcome.saved)))
        return
    else:
        show_optimize(result, saved=outcome.saved, asked_save=result.better)
    if applied:
        typer.echo(applied)
    if not asking and result.better and not outcome.saved:
        typer.echo("Run again with --yes to save them.")


@command("simulate", short_help="Workload at each retention; load balancing")
def simulate_command(
    topic: TopicOption = None,
    deck: DeckOption = None,
    days: Annotated[int, typer.Option("--days", min=7, max=3650, help="Days to simulate.")] = 365,
    balance: Annotated[
        bool,
        typer.Option("--balance", help="Compare the daily load with and without load balancing."),
    ] = False,
) -> None:
    """Expected daily workload and cards remembered at desired retention 0.70-0.97; with
    --balance, reviews per day with and without load balancing (and your easy days)."""
    from ec2cards.config.file import load_settings

    home = context.home()
    selection = context.select(home, deck, topic)
    settings = load_settings(home)
    if balance:
        from ec2cards.scheduling.daily_load import daily_load
        from ec2cards.terminal.progress_views import show_daily_load

        cards = len(selection.cards)
        loads = [daily_load(cards, settings, days, balanced) for balanced in (False, True)]
        show_daily_load(loads, days, cards, settings.easy_days)
        return
    from ec2cards.scheduling.simulation import simulate
    from ec2cards.terminal.progress_views import show_simulation

    rows = simulate(len(selection.cards), settings, days)
    show_simulation(list(rows), days, len(selection.cards))


@command("plan", short_help="Ready for the exam? Recall and a daily plan")
def plan_command(
    exam: Annotated[str, typer.Option("--exam", help="Exam date, YYYY-MM-DD.")],
    topic: TopicOption = None,
    deck: DeckOption = None,
    as_json: JsonOption = False,
) -> None:
    """Are you ready for the exam? Predicted recall per topic, and a day-by-day plan."""
    from ec2cards.config.file import load_settings
    from ec2cards.practice.results import latest_by_topic
    from ec2cards.scheduling.exam import plan_for

    exam_day = context.exam_date(exam)
    with context.opened(deck, topic, writes=False) as (home, now, selection, store):
        plan = plan_for(selection.cards, store, load_settings(home), now, exam_day)
        practice = latest_by_topic(store, _topics(selection))
    if as_json:
        found = {"practice": [result.to_json() for result in practice]}
        typer.echo(context.as_json(dict(plan.to_json()) | found))
        return
    from ec2cards.terminal.progress_views import show_plan

    show_plan(plan)
    _practice_lines(practice)


def _topics(selection: "Selection") -> set[str]:
    """The topics of the cards a command was asked about."""
    from ec2cards.model.card_lists import card_topics

    return {topic for topics in card_topics(selection.cards) for topic in topics[:1]}


def _practice_lines(results: "list[TopicResult]") -> None:
    """Practice results beside recall, when there are any."""
    from ec2cards.terminal.practice_lines import topic_result_lines

    for line in topic_result_lines(results):
        typer.echo(line)
