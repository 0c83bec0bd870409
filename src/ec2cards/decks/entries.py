"""Deck files as text: cards rendered as YAML, inserted after a deck's last card, and checked.

A deck file is the user's text. Adding cards therefore never re-dumps the file: the cards are
rendered as YAML on their own and inserted as text after the last card, so comments, key order and
layout stay exactly as written. A new text is checked with the deck loader before it replaces the
file (by `ec2cards.files.atomic_write`, so a failed write leaves the file as it was).
Used by `authoring` (deck new, add) and by the importers.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ec2cards.decks.format import load_deck
from ec2cards.decks.naming import derived_card_id
from ec2cards.errors import Problem, UsageError
from ec2cards.model import cloze
from ec2cards.model.cards import CardKind, infer_kind
from ec2cards.model.decks import Deck

# Card keys in the order a person writes them (and the docs show them).
ENTRY_ORDER = (
    "id",
    "kind",
    "q",
    "a",
    "text",
    "options",
    "answer",
    "items",
    "answers",
    "explain",
    "tests",
    "accept",
    "note",
    "source",
    "topics",
    "tags",
    "group",
)


# Line breaks YAML reads as breaks (and folds in a quoted or plain scalar) but PyYAML writes
# as they are: text holding one is written double-quoted, where they are escapes (\N, \L, \P).
ODD_BREAKS = frozenset("\r\x85\u2028\u2029")


def _odd_breaks(value: str) -> bool:
    return not ODD_BREAKS.isdisjoint(value)


def yaml_scalar(value: str) -> str:
    """One YAML scalar on one line, quoted only when YAML needs it."""
    import yaml

    style = '"' if _odd_breaks(value) else None
    dumped = yaml.safe_dump({"k": value}, allow_unicode=True, width=10**9, default_style=style)
    return dumped[dumped.index(":") + 2 :].rstrip("\n")


# -- rendering cards as YAML --------------------------------------------------------------------


def _dumper() -> type:
    import yaml

    class Dumper(yaml.SafeDumper):
        """Multi-line text as `|` blocks, the way people write it by hand."""

    def text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        style = '"' if _odd_breaks(value) else "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    def texts(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.SequenceNode:
        # [a, b] on one line, unless an item spans lines.
        flow = all(isinstance(v, str) and "\n" not in v for v in value)
        return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)

    Dumper.add_representer(str, text)
    Dumper.add_representer(list, texts)
    return Dumper


def dump_entries(entries: Sequence[dict[str, Any]], indent: int, blank: bool, newline: str) -> str:
    """Card entries as block-list items at `indent`, lists of short texts in flow style."""
    import yaml

    parts = []
    for entry in entries:
        ordered = {key: entry[key] for key in ENTRY_ORDER if key in entry}
        dumped = yaml.dump(
            [ordered],
            Dumper=_dumper(),
            sort_keys=False,
            allow_unicode=True,
            default_flow_style=False,
            width=10**9,
        )
        # Split at "\n" only: str.splitlines would also split at a U+2028 inside the text.
        lines = [(" " * indent + line) if line else line for line in dumped[:-1].split("\n")]
        parts.append(newline.join(lines) + newline)
    return (newline if blank else "").join(parts)


def entry_kind(entry: dict[str, Any]) -> CardKind:
    """The kind the loader will give this entry (it infers one when `kind` is absent)."""
    if "kind" in entry:
        return CardKind(entry["kind"])
    return infer_kind(entry)


def entry_ids(entry: dict[str, Any]) -> list[str]:
    """The card ids an entry yields, computed as the loader computes them."""
    kind = entry_kind(entry)
    explicit = entry.get("id")
    if kind is CardKind.CLOZE:
        text = str(entry.get("text", "")).strip()
        base = explicit or derived_card_id(kind, text)
        return [f"{base}-c{number}" for number in cloze.numbers(text)]
    return [explicit or derived_card_id(kind, str(entry.get("q", "")).strip())]


# -- where a new card goes in an existing file ------------------------------------------------


@dataclass(frozen=True)
class Insertion:
    offset: int
    indent: int
    blank: bool  # cards are separated by blank lines
    newline: str


def find_insertion(text: str, path: Path) -> Insertion:
    """After the last card of the `cards:` block list, before whatever follows it."""
    import yaml

    newline = "\r\n" if "\r\n" in text else "\n"
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as error:
        raise UsageError(f"{path}: not valid YAML ({error}); fix it, then add again") from None
    if not isinstance(root, yaml.MappingNode):
        raise UsageError(f"{path}: not a deck (no 'cards:' list)")
    keys = [(k, v) for k, v in root.value if isinstance(k, yaml.ScalarNode)]
    position = next((i for i, (k, _) in enumerate(keys) if k.value == "cards"), None)
    if position is None:
        raise UsageError(f"{path}: the deck has no 'cards:' list; add one, then add again")
    cards = keys[position][1]
    if not isinstance(cards, yaml.SequenceNode) or cards.flow_style or not cards.value:
        raise UsageError(
            f"{path}:{cards.start_mark.line + 1}: 'cards' is not a block list ('- q: ...' lines);"
            " ec2cards can only add to a deck written that way"
        )
    lines = text.splitlines(keepends=True)
    blank = False
    if len(cards.value) > 1:
        before = cards.value[-1].start_mark.line - 1
        while before >= 0 and lines[before].lstrip().startswith("#"):
            before -= 1  # a comment heading the last card belongs to it
        blank = before >= 0 and not lines[before].strip()
    if position == len(keys) - 1:
        offset = len(text)
    else:
        line = keys[position + 1][0].start_mark.line
        while line > 0 and (not lines[line - 1].strip() or lines[line - 1].startswith("#")):
            line -= 1
        offset = sum(len(x) for x in lines[:line])
    return Insertion(offset, cards.start_mark.column, blank, newline)


def append_entries(text: str, entries: Sequence[dict[str, Any]], path: Path) -> str:
    """`text` with the entries inserted after its last card; nothing else changes."""
    where = find_insertion(text, path)
    head, tail = text[: where.offset], text[where.offset :]
    if head and not head.endswith("\n"):
        head += where.newline
    if where.blank and not head.endswith(where.newline * 2):
        head += where.newline
    return head + dump_entries(entries, where.indent, where.blank, where.newline) + tail


def deck_text(
    deck_id: str,
    title: str,
    topic: str,
    entries: Sequence[dict[str, Any]],
    *,
    description: str = "",
    source: str = "",
    header: str = "",
) -> str:
    """A whole new deck file (for imports): a comment header, the deck keys, the cards."""
    lines = [f"# {line}".rstrip() for line in header.splitlines()]
    lines += [
        f"deck: {deck_id}",
        f"title: {yaml_scalar(' '.join(title.split()))}",
        f"topic: {topic}",
    ]
    if description:
        lines.append(f"description: {yaml_scalar(description)}")
    if source:
        lines.append(f"source: {yaml_scalar(source)}")
    lines.append("cards:")
    return "\n".join(lines) + "\n" + dump_entries(entries, 2, True, "\n")


# -- checking and writing ------------------------------------------------------------------------


def check_text(text: str, path: Path) -> tuple[Deck, list[Problem]]:
    """Load `text` as if it were the file at `path`; problems name `path`, not a temp file."""
    with tempfile.TemporaryDirectory(prefix="ec2cards-") as folder:
        probe = Path(folder) / path.name
        probe.write_text(text, encoding="utf-8")
        deck, problems = load_deck(probe)
    problems = [p._replace(path=path) for p in problems]
    if deck is None:
        return Deck("", "", "", path), problems
    cards = tuple(replace(card, path=path) for card in deck.cards)
    return deck._replace(path=path, cards=cards), problems


def read_exact(path: Path) -> str:
    """A deck file's text with its line endings as they are (no newline translation)."""
    return path.read_bytes().decode("utf-8")
