"""A card as study will show it, before `ec2cards add` writes it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ec2cards.terminal.output import console

if TYPE_CHECKING:
    from ec2cards.model.cards import Card


def card_preview(cards: Sequence[Card]) -> None:
    """New cards as study will show them (a cloze gives one per deletion): question, answer."""
    from rich.console import Group, RenderableType
    from rich.markdown import Markdown
    from rich.panel import Panel
    from rich.text import Text

    from ec2cards.model import cloze
    from ec2cards.model.cards import CardKind
    from ec2cards.terminal.safe_text import safe

    out = console()
    for card in cards:
        parts: list[RenderableType] = [Markdown(safe(card.question))]
        shown = card.options if card.kind.chooses else card.items
        for number, item in enumerate(shown, 1):
            parts.append(Text(f"  {number}. {safe(item)}"))
        if card.kind is CardKind.ORDER:
            parts.append(Text("(shown shuffled when you study)", style="dim"))
        answer = (
            cloze.back(card.cloze_text, card.cloze_number)
            if card.kind is CardKind.CLOZE
            else card.answer
        )
        parts += [Text("answer:", style="dim"), Markdown(safe(answer))]
        if card.accept:
            parts.append(Text("also accepted: " + safe(", ".join(card.accept)), style="dim"))
        if card.note:
            parts.append(Text(safe(card.note), style="italic"))
        if card.source:
            parts.append(Text("source: " + safe(card.source), style="dim"))
        title = Text(f"{card.deck_id} · {', '.join(card.topics)} · {card.kind.value}")
        out.print(Panel(Group(*parts), title=title, title_align="left", border_style="cyan"))
