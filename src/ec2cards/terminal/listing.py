"""Plain aligned columns for the listing commands (`decks`, `topics`, `cards`).

Listings are read by people and piped into grep and awk as often, so they are plain text, one
row per line, like `git branch -v` or `kubectl get`: no box drawing and no colour. That also keeps
Rich (about 30 ms to import and lay out a table) off a command that should start at once.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ec2cards.terminal.safe_text import safe

if TYPE_CHECKING:
    from datetime import datetime

    from ec2cards.model.decks import Collection
    from ec2cards.progress.card_list import Listed

GAP = "  "
ELLIPSIS = "…"
MIN_FLEXIBLE = 12  # a clipped column keeps at least this many cells


def cell_width(text: str) -> int:
    """Terminal cells a text takes: wide (CJK, fullwidth) characters take two, combining
    marks none."""
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in "WF" else 1
    return width


def clip(text: str, cells: int) -> str:
    """`text` cut to at most `cells` terminal cells, an ellipsis marking the cut."""
    if cell_width(text) <= cells:
        return text
    kept, used = [], 0
    for char in text:
        width = cell_width(char)
        if used + width > cells - 1:
            break
        kept.append(char)
        used += width
    return "".join(kept) + ELLIPSIS


def cell(text: str) -> str:
    """Deck text for a column: control characters escaped, on one line."""
    return safe(text, one_line=True)


def columns(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    right: Sequence[int] = (),
    fit: int | None = None,
    flexible: Sequence[int] = (),
) -> str:
    """Rows under upper-case headers, each column as wide as its widest cell; the columns
    numbered in `right` are right-aligned (numbers), and the last is never padded. With `fit`
    (a terminal's width), the widest `flexible` column gives up a cell at a time until lines fit."""
    table = [[h.upper() for h in headers], *[list(row) for row in rows]]
    widths = [max(cell_width(row[i]) for row in table) for i in range(len(headers))]
    if fit is not None:
        excess = sum(widths) + len(GAP) * (len(widths) - 1) - fit
        while excess > 0:  # take a cell from the widest flexible column, until it fits
            widest = max(flexible, key=lambda i: widths[i])
            if widths[widest] <= MIN_FLEXIBLE:
                break
            widths[widest] -= 1
            excess -= 1
        for row in table[1:]:
            for i in flexible:
                row[i] = clip(row[i], widths[i])
    lines = []
    for row in table:
        parts = []
        for i, text in enumerate(row):
            pad = " " * max(0, widths[i] - cell_width(text))
            if i in right:
                parts.append(pad + text)
            elif i == len(row) - 1:
                parts.append(text)
            else:
                parts.append(text + pad)
        lines.append(GAP.join(parts).rstrip())
    return "\n".join(lines)


def short_path(path: Path) -> str:
    """A path with the home folder written as ~, as a shell user would type it."""
    text = str(path)
    home = os.path.expanduser("~")
    if home not in ("", "/") and (text == home or text.startswith(home + os.sep)):
        return "~" + text[len(home) :]
    return text


def decks_listing(collection: Collection, fit: int | None = None) -> str:
    """One line per deck. On a terminal (`fit` is its width) long titles and topic lists are
    clipped to fit; piped, every line is whole (`--json` has the same as data)."""
    rows = [
        (
            cell(deck.deck_id),
            str(len(deck.cards)),
            cell(deck.title),
            cell(", ".join(deck.topics)),
            "bundled" if deck.bundled else cell(short_path(deck.path)),
        )
        for deck in collection.decks
    ]
    total = sum(len(deck.cards) for deck in collection.decks)
    headers = ("deck", "cards", "title", "topics", "where")
    table = columns(headers, rows, right=(1,), fit=fit, flexible=(2, 3))
    return f"{table}\n{len(collection.decks)} decks, {total} cards"


def topics_listing(counts: dict[str, int]) -> str:
    return columns(("topic", "cards"), [(cell(t), str(n)) for t, n in counts.items()], right=(1,))


def cards_listing(listed: Sequence[Listed], now: datetime, fit: int | None = None) -> str:
    """One line per card: key, state, when due, lapses, question (clipped on a terminal)."""
    from ec2cards.terminal.timefmt import format_interval

    def when(item: Listed) -> str:
        due = item.state.due
        if due is None or item.state.phase == 0:
            return "-"
        return "now" if due <= now else f"in {format_interval(due - now)}"

    rows = [
        (
            cell(item.card.key),
            item.name,
            when(item),
            str(item.state.lapses),
            cell(item.card.question),
        )
        for item in listed
    ]
    table = columns(
        ("card", "state", "due", "lapses", "question"), rows, right=(3,), fit=fit, flexible=(4,)
    )
    return f"{table}\n{len(listed)} card{'' if len(listed) == 1 else 's'}"
