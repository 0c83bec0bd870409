"""Card text on screen: Markdown rendered by Rich, made safe first."""

from __future__ import annotations

from pathlib import Path

from rich.markdown import Markdown

from ec2cards.terminal.plain_markdown import with_media_paths
from ec2cards.terminal.safe_text import safe


def markdown(text: str, style: str = "none", media: Path | None = None) -> Markdown:
    """Card text is Markdown; Rich's Markdown never interprets [markup], and text is made safe.

    Links are shown with their address rather than as hidden terminal hyperlinks (OSC 8), so a
    shared deck cannot dress one address up as another. Media placeholders become paths into
    `media`, the media folder the caller gives (the terminal never looks for it).
    """
    return Markdown(safe(with_media_paths(text, media)), style=style, hyperlinks=False)


def rendered_text(text: str, media: Path | None = None) -> str:
    """Card text as its rendered Markdown reads, on one line: `**stopped**` is the word
    `stopped`, as the card's box showed it, not asterisks (for lists that quote a card)."""
    import io

    from rich.console import Console

    console = Console(file=io.StringIO(), width=1000, color_system=None, highlight=False)
    lines = console.render_lines(markdown(text, media=media), console.options, pad=False)
    shown = " ".join("".join(segment.text for segment in line) for line in lines)
    return " ".join(shown.split())
