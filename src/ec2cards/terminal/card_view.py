"""One card's page on screen: the card as study shows it (question, answer, note and source),
where it is written (the whole path), its state, and its history."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ec2cards.progress.card_info import CardInfo, describe_state
from ec2cards.terminal.markdown import markdown
from ec2cards.terminal.output import console
from ec2cards.terminal.safe_text import safe
from ec2cards.terminal.study_lines import answer_text, question_text
from ec2cards.terminal.timefmt import describe_due, format_interval
from ec2cards.terminal.wrapping import word_lines


def _when(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def show_card(info: CardInfo, now: datetime, media: Path | None = None) -> None:
    """The card's page; media placeholders shown as paths into `media`, the media folder."""
    out = console()
    card = info.card
    if card is not None:
        parts: list[RenderableType] = [
            markdown(question_text(card), media=media),
            Text("answer", style="dim"),
            markdown(answer_text(card), media=media),
        ]
        if card.note:
            parts.append(markdown(card.note, style="italic", media=media))  # as study shows it
        title = Text(f"{info.key} · {card.kind.value} · {', '.join(card.topics)}", style="dim")
        out.print(Panel(Group(*parts), title=title, title_align="left", border_style="cyan"))
        if card.source:  # below the card, broken at spaces only, as study shows it
            for piece in word_lines("Source: " + safe(card.source, one_line=True), out.width):
                out.print(Text(piece, style="dim"), soft_wrap=True)
    else:
        out.print(Text(f"{safe(info.key)}: in no deck any more; its history is kept", style="dim"))
    if card is not None and card.path is not None:
        # Never clipped and never broken by us: the terminal wraps it, so it stays whole to
        # copy; piped, it is one line. `deck file` is the widest label: it lines up with the rest.
        place = Text.assemble(
            ("deck file", "bold"), "  ", safe(f"{card.path}:{card.line}", one_line=True)
        )
        out.print(place, soft_wrap=True)
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold", no_wrap=True, min_width=len("deck file"))
    facts.add_column()
    state = info.state
    where = describe_state(state)
    if state.due is not None and not state.suspended:
        where += f" · due {describe_due(state.due, now)}"
    if state.buried_until is not None and state.buried_until > now:
        where += f" · buried until {_when(state.buried_until)}"
    facts.add_row("state", where)
    if info.reviewed:
        facts.add_row(
            "memory",
            f"stability {state.stability:.2f} days · difficulty {state.difficulty:.2f}"
            f" · recall now {100 * info.retrievability:.0f}%",
        )
    facts.add_row("reviews", f"{state.reps} · lapses {state.lapses}")
    out.print(facts)
    if not info.history:
        out.print(Text("No reviews yet.", style="dim"))
        return
    history = Table(title="History", title_justify="left")
    history.add_column("time", no_wrap=True)
    history.add_column("event")
    history.add_column("rating")
    history.add_column("interval", justify="right")
    history.add_column("state after")
    for line in info.history:
        history.add_row(
            _when(line.at),
            line.event,
            line.rating or "",
            format_interval(line.interval) if line.interval is not None else "",
            describe_state(line.state),
        )
    out.print(history)
