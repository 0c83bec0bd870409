"""Progress on screen: stats (states, retention, forecast, heatmap, hardest cards), the
optimizer's result, the simulator's table and the exam plan."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ec2cards.terminal.output import cell, console

if TYPE_CHECKING:
    from collections.abc import Iterator

    from rich.console import Console, ConsoleOptions
    from rich.measure import Measurement
    from rich.table import Table
    from rich.text import Text

HEAT = ["grey23", "green4", "green3", "green1", "bright_green"]
# Each level of the heatmap has its own mark too, so intensity shows without colour (NO_COLOR).
HEAT_MARKS = "·░▒▓█"


def _percent(value: float | int | None) -> str:
    return "—" if value is None else f"{100 * float(value):.1f}%"


def bar_chart(values: list[tuple[str, int]], width: int = 40) -> list[str]:
    """Horizontal bars, one line per value, scaled to the largest."""
    top = max((v for _, v in values), default=0) or 1
    return [f"{label:>10} {'█' * round(width * v / top):<{width}} {v}" for label, v in values]


def heading(out: Console, title: str) -> None:
    """A section title on a line of its own: never squeezed into a table's width."""
    from rich.text import Text

    out.print(Text(title, style="bold"), soft_wrap=True)


class OneLine:
    """Deck text on one line in a table cell, cut with an ellipsis between words to whatever
    width the table gives it: its column gives way to the others (keys, numbers) and never
    breaks a word in two."""

    def __init__(self, text: str, style: str = "", least: int = 16) -> None:
        from ec2cards.terminal.listing import cell_width
        from ec2cards.terminal.safe_text import safe

        self.text = safe(text, one_line=True)
        self.style = style
        self.width = cell_width(self.text)
        self.least = min(least, self.width)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        from rich.measure import Measurement

        return Measurement(self.least, self.width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Text]:
        from rich.text import Text

        from ec2cards.terminal.listing import clip_words

        text = clip_words(self.text, options.max_width)
        yield Text(text, style=self.style, no_wrap=True, overflow="ellipsis")


def whole(text: str, style: str = "") -> Text:
    """A cell that is never wrapped: a name (a card key, a topic) is clipped with an ellipsis
    only when it cannot fit at all, and never broken mid-word."""
    from rich.text import Text

    from ec2cards.terminal.safe_text import safe

    return Text(safe(text, 200, one_line=True), style=style, no_wrap=True, overflow="ellipsis")


def table_for(out: Console, tight: bool = False) -> Table:
    """A table that fits: boxed on a wide terminal, plain columns on a narrow one (`tight`:
    one space between them, for tables of short numbers that leave the first column room)."""
    from rich import box
    from rich.table import Table

    if out.width < 80:
        return Table(
            box=box.SIMPLE_HEAD,
            padding=(0, 0) if tight else (0, 1),
            pad_edge=False,
            show_edge=False,
            collapse_padding=True,
        )
    return Table()


def _retention_cell(block: dict[str, float | int | None]) -> str:
    if not block["reviews"]:
        return "—"
    return f"{_percent(block['retention'])} of {block['reviews']}"


SHORT_HEADERS = {"learning": "learn", "relearning": "relearn", "suspended": "susp."}


def show_stats(stats: object, title: str) -> None:
    from datetime import timedelta

    from rich.text import Text

    from ec2cards.model.states import STATE_NAMES
    from ec2cards.model.wording import plural
    from ec2cards.progress.stats import Stats

    assert isinstance(stats, Stats)
    out = console()
    out.print(Text(f"ec2cards stats · {title}", style="bold cyan"))
    out.print(
        f"Reviews today: {stats.reviews_today} · streak: {plural(stats.streak_days, 'day')}"
        f" · reviews in all: {stats.total_reviews}"
    )

    heading(out, "Cards by state")
    cards = table_for(out, tight=True)
    # Numbers keep their width; topic names give way, clipped rather than broken (`monitorin`
    # over `g`): the column may shrink, its cells never wrap.
    cards.add_column("topic", style="magenta", overflow="ellipsis")
    for name in STATE_NAMES:
        header = SHORT_HEADERS.get(name, name)
        cards.add_column(header, justify="right", no_wrap=True)
    cards.add_column("recall", justify="right", no_wrap=True)
    for topic, counts in stats.by_topic.items():
        recall = stats.recall_by_topic.get(topic)
        cards.add_row(whole(topic), *(str(counts[n]) for n in STATE_NAMES), _percent(recall))
    out.print(cards)

    heading(out, "True retention (reviews not rated Again)")
    retention = table_for(out)
    retention.add_column("window", no_wrap=True)
    for name in ("all", "young", "mature"):
        retention.add_column(name, justify="right", no_wrap=True)
    for window, blocks in stats.retention.items():
        retention.add_row(window, *(_retention_cell(blocks[n]) for n in ("all", "young", "mature")))
    out.print(retention)
    from ec2cards.model.maturity import MATURE_DAYS

    out.print(
        Text(
            f"young: interval under {MATURE_DAYS} days; mature: {MATURE_DAYS} days or more;"
            " — no such review in the window",
            style="dim",
        )
    )

    forecast = [(d.strftime("%a %d %b"), n) for d, n in stats.forecast]
    bars = max(10, min(40, out.width - 24))
    heading(out, f"Due in the next {len(stats.forecast)} days")
    out.print(Text("\n".join(bar_chart(forecast, bars))), soft_wrap=True)

    if stats.heatmap:
        today = max(d for d, _ in stats.forecast[:1]) if stats.forecast else max(stats.heatmap)
        start = today - timedelta(days=364 + today.weekday())
        top = max(stats.heatmap.values())
        rows = []
        for weekday in range(7):
            line = Text()
            for week in range(53):
                day = start + timedelta(days=7 * week + weekday)
                if day > today:
                    break
                count = stats.heatmap.get(day, 0)
                level = 0 if count == 0 else 1 + min(3, (4 * count - 1) // top)
                line.append(HEAT_MARKS[level], style=HEAT[level])
            rows.append(line)
        weeks = max(4, min(53, out.width - 3))  # the most recent weeks that fit
        heat = Text("\n").join(
            [Text("MTWTFSS"[i] + " ") + r[max(0, len(r) - weeks) :] for i, r in enumerate(rows)]
        )
        heading(out, "Reviews in the past year (fewer · ░ ▒ ▓ █ more)")
        out.print(heat, no_wrap=True)

    show_hardest(out, stats.hardest)


def show_hardest(out: Console, hardest: list[dict[str, object]]) -> None:
    """The cards that have been hard (the rule is in the heading): a table whose questions
    give way to the keys, or, where a key leaves no room for a question, two lines a card."""
    from rich.text import Text

    from ec2cards.progress.stats import HARD_DIFFICULTY

    difficulty = f"FSRS difficulty {HARD_DIFFICULTY:g}"
    if not hardest:
        heading(out, f"Hardest cards: none lapsed or reached {difficulty}")
        return
    heading(out, f"Hardest cards: lapsed, or {difficulty} or more of 10")
    hard = table_for(out)
    hard.add_column("card", style="cyan", no_wrap=True)
    hard.add_column("lapses", justify="right", no_wrap=True)
    hard.add_column("stability", justify="right", no_wrap=True)
    hard.add_column("question")
    for row in hardest:
        hard.add_row(
            whole(str(row["card"])),
            str(row["lapses"]),
            f"{row['stability_days']}d",
            OneLine(str(row["question"])),
        )
    # At its narrowest (every question at its least) does the table still fit?
    if out.measure(hard, options=out.options.update_width(10_000)).minimum <= out.width:
        out.print(hard)
        return
    from ec2cards.terminal.listing import cell_width, clip_words
    from ec2cards.terminal.safe_text import safe

    for row in hardest:  # each key whole on a line of its own, the rest below it
        out.print(Text(safe(str(row["card"]), one_line=True), style="cyan", overflow="fold"))
        facts = f"  lapses {row['lapses']} · stability {row['stability_days']}d · "
        question = safe(str(row["question"]), one_line=True)
        room = max(1, out.width - cell_width(facts))
        out.print(Text(facts + clip_words(question, room)), no_wrap=True, overflow="ellipsis")


def show_optimize(result: object, saved: bool, asked_save: bool) -> None:
    from rich.table import Table

    from ec2cards.scheduling.optimizer import OptimizeResult

    assert isinstance(result, OptimizeResult)
    out = console()
    out.print(
        f"{result.reviews} reviews of {result.cards} cards"
        f" ({result.items} reviews on a later day, used for fitting)"
    )
    table = Table(title_justify="left")
    table.add_column("parameters")
    table.add_column("log loss", justify="right")
    table.add_column("RMSE (bins)", justify="right")
    table.add_row(
        "default FSRS-6", f"{result.default.log_loss:.4f}", f"{result.default.rmse_bins:.4f}"
    )
    table.add_row(
        "fitted (time-series split)",
        f"{result.fitted.log_loss:.4f}",
        f"{result.fitted.rmse_bins:.4f}",
    )
    out.print(table)
    out.print("lower is better for both")
    if saved:
        out.print(
            "[green]Saved the fitted parameters[/green] (ec2cards config parameters shows them)."
        )
    elif not result.better:
        out.print("The fitted parameters are no better than the defaults: nothing saved.")
    elif asked_save:
        out.print("Not saved.")


def show_simulation(rows: list[object], days: int, cards: int) -> None:
    from rich.table import Table
    from rich.text import Text

    from ec2cards.scheduling.simulation import SimulationRow

    out = console()
    table = Table(title=f"Simulated {days} days of {cards} cards", title_justify="left")
    table.add_column("retention", justify="right")
    table.add_column("reviews/day", justify="right")
    table.add_column("minutes/day", justify="right")
    table.add_column("remembered at the end", justify="right")
    table.add_column("")
    top = max((r.minutes_per_day for r in rows if isinstance(r, SimulationRow)), default=1) or 1
    for row in rows:
        assert isinstance(row, SimulationRow)
        style = "bold green" if row.current else ""
        table.add_row(
            Text(f"{row.retention:.2f}" + (" ◀ now" if row.current else ""), style=style),
            f"{row.reviews_per_day:.1f}",
            f"{row.minutes_per_day:.1f}",
            f"{row.remembered:.0f}",
            Text("█" * round(20 * row.minutes_per_day / top), style="cyan"),
        )
    out.print(table)
    out.print(
        Text("The bar is the daily time; the simulator starts the cards as new.", style="dim")
    )


def show_plan(plan: object) -> None:
    from rich.table import Table

    from ec2cards.scheduling.exam import ExamPlan

    assert isinstance(plan, ExamPlan)
    out = console()
    out.print(f"Exam on {plan.exam.isoformat()}: {plan.cards} cards, {plan.unseen} not seen yet.")
    recall = Table(title="Predicted recall on exam day", title_justify="left")
    recall.add_column("topic", style="magenta")
    recall.add_column("if you stop now", justify="right")
    recall.add_column("following the plan", justify="right")
    for topic, value in plan.recall_if_stop.items():
        recall.add_row(cell(topic), _percent(value), _percent(plan.recall_with_plan.get(topic)))
    out.print(recall)
    days = Table(title="Day by day", title_justify="left")
    days.add_column("day")
    days.add_column("new", justify="right")
    days.add_column("reviews", justify="right")
    for day in plan.days:
        days.add_row(day.day.strftime("%a %Y-%m-%d"), str(day.new), str(day.reviews))
    out.print(days)
    for note in plan.notes:
        out.print(f"[yellow]note:[/yellow] {note}")
    out.print("Study with: ec2cards study --exam " + plan.exam.isoformat())


def show_daily_load(
    loads: Sequence[object], days: int, cards: int, easy_days: tuple[float, ...]
) -> None:
    """Reviews per day without and with load balancing, side by side."""
    from rich.table import Table
    from rich.text import Text

    from ec2cards.scheduling.daily_load import DailyLoad

    out = console()
    table = Table(
        title=f"Reviews per day: {cards} cards over {days} days (after the first month)",
        title_justify="left",
    )
    table.add_column("")
    table.add_column("mean", justify="right")
    table.add_column("spread (sd)", justify="right")
    table.add_column("busiest day", justify="right")
    table.add_column("by weekday, Mon-Sun")
    for load in loads:
        assert isinstance(load, DailyLoad)
        weekdays = load.by_weekday()
        table.add_row(
            "load balancing" if load.balanced else "fuzz only",
            f"{load.mean:.1f}",
            f"{load.spread:.1f}",
            str(load.busiest),
            " ".join(str(n) for n in weekdays),
        )
    out.print(table)
    shares = " ".join(f"{share:g}" for share in easy_days)
    out.print(
        Text(
            f"Easy days (Mon-Sun): {shares}. Turn balancing on with:"
            " ec2cards config load_balance true",
            style="dim",
        )
    )
