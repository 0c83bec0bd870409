"""Lines fitted to the terminal by whole words or whole items: the terminal itself breaks a
line where the width runs out, mid-word, and Rich folds a word too long for a line."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.text import Text


def word_lines(text: str, width: int) -> list[str]:
    """The text broken at spaces into lines of at most `width` cells (its own line breaks kept).
    A word longer than any line (a URL) stays whole and ends its line, for the caller to print
    soft-wrapped: the terminal wraps it, and copying it gives the address back whole."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            if cell_len(word) > width:  # too long for any line: it follows what is there
                lines.append(f"{line} {word}" if line else word)
                line = ""
            elif line and cell_len(line) + 1 + cell_len(word) > width:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        if line or not paragraph.strip():  # an empty line of the text stays
            lines.append(line)
    return lines


def item_lines(
    items: Sequence[str | Text], width: int, separator: str = " · ", style: str = ""
) -> Text:
    """Items joined by `separator`, broken into lines only between items (the separator left
    out at a break): key help reads `u undo` / `q quit`, never `u` / `undo ·`."""
    joined = Text(style=style)
    used = 0
    for index, item in enumerate(items):
        piece = Text(item) if isinstance(item, str) else item
        if index and used + cell_len(separator) + piece.cell_len > width:
            joined.append("\n")
            used = 0
        elif index:
            joined.append(separator)
            used += cell_len(separator)
        joined.append(piece)
        used += piece.cell_len
    return joined
