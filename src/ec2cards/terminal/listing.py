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

from ec2cards.model.wording import plural
from ec2cards.terminal.safe_text import safe

if TYPE_CHECKING:
    from datetime import datetime

    from ec2cards.model.decks import Collection
    from ec2cards.progress.card_list import Listed
    from ec2cards.storage.quiz_tables import PastQuiz

GAP = "  "
ELLIPSIS = "…"
MIN_FLEXIBLE = 12  # a clipped column keeps at least this many cells while others can give
LAST_RESORT = 8  # ... and this many when nothing else is left to give
MIN_QUESTION = 24  # a question narrower than this goes on a line of its own


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


def clip_start(text: str, cells: int) -> str:
    """`text` cut at its start to at most `cells` cells: for a path, whose end (the file) says
    the most."""
    if cell_width(text) <= cells:
        return text
    kept, used = [], 0
    for char in reversed(text):
        width = cell_width(char)
        if used + width > cells - 1:
            break
        kept.append(char)
        used += width
    return ELLIPSIS + "".join(reversed(kept))


def clip_words(text: str, cells: int) -> str:
    """`text` cut to at most `cells` cells with an ellipsis, at the end of a word when that
    costs no more than half the room: a clipped question reads as words, not as `one se`."""
    if cell_width(text) <= cells:
        return text
    kept = clip(text, cells)[:-1]
    if kept and not text[len(kept)].isspace():  # the cut falls inside a word
        space = kept.rfind(" ")
        if space >= len(kept) // 2:
            kept = kept[:space]
    return kept.rstrip(" ,;:") + ELLIPSIS


def cell(text: str) -> str:
    """Deck text for a column: control characters escaped, on one line."""
    return safe(text, one_line=True)


def _give_way(widths: list[int], flexible: Sequence[int], excess: int, floor: int) -> int:
    """Take a cell at a time from the widest flexible column, down to `floor`; what is left."""
    while excess > 0:
        widest = max(flexible, key=lambda i: widths[i])
        if widths[widest] <= floor:
            break
        widths[widest] -= 1
        excess -= 1
    return excess


def columns(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    right: Sequence[int] = (),
    fit: int | None = None,
    flexible: Sequence[int] = (),
    from_start: Sequence[int] = (),
    at_words: Sequence[int] = (),
) -> str:
    """Rows under upper-case headers, each column as wide as its widest cell; the columns
    numbered in `right` are right-aligned (numbers), and the last is never padded. With `fit`
    (a terminal's width), the widest `flexible` column gives up a cell at a time until lines
    fit: down to MIN_FLEXIBLE cells each, then, if lines still do not fit, to LAST_RESORT.
    A clipped column ends in an ellipsis; those in `from_start` (paths) lose their start
    instead, and those in `at_words` (sentences) are cut between words when that is cheap."""
    table = [[h.upper() for h in headers], *[list(row) for row in rows]]
    widths = [max(cell_width(row[i]) for row in table) for i in range(len(headers))]
    if fit is not None and flexible:
        excess = sum(widths) + len(GAP) * (len(widths) - 1) - fit
        excess = _give_way(widths, flexible, excess, MIN_FLEXIBLE)
        _give_way(widths, flexible, excess, LAST_RESORT)
        for row in table[1:]:
            for i in flexible:
                cut = clip_start if i in from_start else clip_words if i in at_words else clip
                row[i] = cut(row[i], widths[i])
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
    """One line per deck. On a terminal (`fit` is its width) long titles, topic lists and the
    paths of one's own decks (from their start: the file name stays) are clipped to fit; piped,
    every line is whole (`--json` has the same as data)."""
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
    rows += [  # a deck file that does not load is listed, as such
        (
            cell(skipped.deck_id or skipped.path.stem),
            "-",
            "BROKEN: " + cell(skipped.message),
            "",
            cell(short_path(skipped.path)),
        )
        for skipped in collection.skipped
    ]
    total = sum(len(deck.cards) for deck in collection.decks)
    headers = ("deck", "cards", "title", "topics", "where")
    table = columns(headers, rows, right=(1,), fit=fit, flexible=(2, 3, 4), from_start=(4,))
    lines = [table, f"{plural(len(collection.decks), 'deck')}, {plural(total, 'card')}"]
    for skipped in collection.skipped:
        name = skipped.deck_id or str(skipped.path)
        lines.append(f"broken: {skipped.located()}; fix it: ec2cards edit {name}")
    return "\n".join(lines)


def topics_listing(counts: dict[str, int]) -> str:
    return columns(("topic", "cards"), [(cell(t), str(n)) for t, n in counts.items()], right=(1,))


def cards_listing(listed: Sequence[Listed], now: datetime, fit: int | None = None) -> str:
    """One line per card: key, state, when due, lapses, question. On a terminal (`fit` is its
    width) the question takes the room the other columns leave, cut between words; when that
    is too little for a question, each card takes two lines, its key on the first (whole, so
    it can be copied) and the rest below, so no line is wider than the terminal."""
    from ec2cards.terminal.timefmt import until

    def when(item: Listed) -> str:
        due = item.state.due
        if due is None or item.state.phase == 0:
            return "-"
        return "now" if due <= now else f"in {until(due, now)}"  # as `card`, `due` and study say

    keys = [cell(item.card.key) for item in listed]
    rest = [
        (item.name, when(item), str(item.state.lapses), cell(item.card.question)) for item in listed
    ]
    headers = ("state", "due", "lapses", "question")
    count = plural(len(listed), "card")
    rows = [(key, *row) for key, row in zip(keys, rest, strict=True)]
    if fit is not None and rows:
        widths = [max(cell_width(row[i]) for row in [("card", *headers), *rows]) for i in range(4)]
        room = fit - sum(widths) - 4 * len(GAP)
        if room < min(MIN_QUESTION, max(cell_width(row[4]) for row in rows)):
            below = columns(headers, rest, right=(2,), fit=fit - 2, flexible=(3,), at_words=(3,))
            lines = below.splitlines()
            paired = [f"{key}\n  {line}" for key, line in zip(keys, lines[1:], strict=True)]
            return "\n".join(["CARD", f"  {lines[0]}", *paired, count])
    table = columns(("card", *headers), rows, right=(3,), fit=fit, flexible=(4,), at_words=(4,))
    return f"{table}\n{count}"


def past_quizzes_listing(past: Sequence[PastQuiz], fit: int | None = None) -> str:
    """One line per past quiz; on a terminal too narrow for a line, it goes on below, indented,
    broken between its per-topic scores and never inside one (`[storage 0/2]` stays whole)."""
    from ec2cards.quiz.scorecard import past_quiz_line

    return "\n".join(wrap_past_quiz(past_quiz_line(quiz), fit) for quiz in past)


def wrap_past_quiz(line: str, fit: int | None, indent: int = 6) -> str:
    """A past quiz's line (`#3    when  score  mode  selection  [topic 1/2, ...]`) fitted to
    `fit` cells: broken after the selection and between topics, never inside a word."""
    import textwrap

    if fit is None or cell_width(line) <= fit:
        return line
    head, bracket, topics = line.rpartition("  [")
    if not bracket or not topics.endswith("]"):
        head, topics = line, ""
    units = [f"{entry}," for entry in topics[:-1].split(", ")] if topics else []
    if units:
        units[0] = "[" + units[0]
        units[-1] = units[-1][:-1] + "]"
    margin = " " * indent
    width = max(fit, indent + 1)
    lines = textwrap.wrap(
        head, width, subsequent_indent=margin, break_long_words=False, break_on_hyphens=False
    )
    current = margin
    for unit in units:
        if current.strip() and cell_width(current) + 1 + cell_width(unit) > width:
            lines.append(current)
            current = margin
        current += (" " if current.strip() else "") + unit
    if current.strip():
        lines.append(current)
    return "\n".join(lines)
