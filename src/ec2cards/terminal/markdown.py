"""Card text on screen: Markdown rendered by Rich, made safe first."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from ec2cards.terminal.plain_markdown import with_media_paths
from ec2cards.terminal.safe_text import safe

if TYPE_CHECKING:
    from rich.console import RenderableType

# What could make Markdown of a line: inline marks, escapes, entities, HTML, links and their
# references, a block's opening, an indented code block, a line break. A text with none of
# these reads the same as plain text, drawn without loading a Markdown parser.
MARKUP = re.compile(r"[\\`*_<>!&~|#]|\]\(|\]\[|\]:|^([-+>]|\d+[.)])(\s|$)|^-{3,}$|\n|\t|  ")


def markdown(text: str, style: str = "none", media: Path | None = None) -> RenderableType:
    """Card text is Markdown; Rich's Markdown never interprets [markup], and text is made safe.

    Links are shown with their address rather than as hidden terminal hyperlinks (OSC 8), so a
    shared deck cannot dress one address up as another. Media placeholders become paths into
    `media`, the media folder the caller gives (the terminal never looks for it). A text with
    nothing Markdown would change is drawn as the same plain text, without the parser (most
    cards: a question and a short answer), which costs a tenth of a second to load.
    """
    shown = safe(with_media_paths(text, media))
    if shown and shown == shown.strip() and not MARKUP.search(shown):
        from rich.text import Text

        plain = Text(justify="left")
        plain.append(shown, style=None if style == "none" else style)
        return plain
    from rich.markdown import Markdown

    return Markdown(shown, style=style, hyperlinks=False)


def rendered_text(text: str, media: Path | None = None) -> str:
    """Card text as its rendered Markdown reads, on one line: `**stopped**` is the word
    `stopped`, as the card's box showed it, not asterisks (for lists that quote a card)."""
    import io

    from rich.console import Console

    console = Console(file=io.StringIO(), width=1000, color_system=None, highlight=False)
    lines = console.render_lines(markdown(text, media=media), console.options, pad=False)
    shown = " ".join("".join(segment.text for segment in line) for line in lines)
    return " ".join(shown.split())
