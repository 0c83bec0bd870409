"""`ec2cards export`: a selection of cards as an Anki package, an Anki plain-text file or YAML."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ec2cards.errors import UsageError
from ec2cards.files import atomic_write
from ec2cards.model.cards import Card
from ec2cards.model.decks import Deck

if TYPE_CHECKING:
    from ec2cards.interop.anki_scheduling import LogExtras, PackageHistory

FORMATS = ("apkg", "csv", "yaml")
SUFFIX_FORMATS = {
    ".apkg": "apkg",
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
    ".yaml": "yaml",
    ".yml": "yaml",
}


@dataclass(frozen=True)
class ExportReport:
    path: Path
    format: str
    cards: int
    notes: int
    decks: tuple[str, ...]  # Anki deck names (apkg, csv) or the deck id (yaml)


def choose_format(given: str | None, out: Path) -> str:
    """The format asked for, else the one the output's suffix names."""
    if given:
        if given.lower() not in FORMATS:
            raise UsageError(f"unknown format '{given}' (use one of {', '.join(FORMATS)})")
        return given.lower()
    guessed = SUFFIX_FORMATS.get(out.suffix.lower())
    if guessed is None:
        raise UsageError(
            f"cannot tell the format from '{out.name}'; add --format apkg, csv or yaml"
        )
    return guessed


def export(
    cards: Sequence[Card],
    decks: Sequence[Deck],
    fmt: str,
    out: Path,
    now: datetime,
    decks_folder: Path | None = None,
    history: PackageHistory | None = None,
) -> ExportReport:
    """Write `cards` to `out` in `fmt`, atomically (a temp file renamed into place). An Anki
    package carries the decks' own lines and cards as ec2cards wrote them, and with `history`
    every card's state and log.

    A YAML export is refused inside `decks_folder` (the user's decks): its deck id would clash
    with the deck it was exported from, and then no deck would load."""
    if not cards:
        raise UsageError("no cards to export: check the --deck and --topic options")
    if out.is_dir():
        raise UsageError(f"{out} is a folder; give a file name, e.g. {out / ('cards.' + fmt)}")
    if fmt == "yaml" and decks_folder and out.resolve().parent == decks_folder.resolve():
        raise UsageError(
            f"{out} is in your decks folder, where a copy would clash with the deck it comes"
            " from; export it somewhere else"
        )
    if fmt == "yaml":
        from ec2cards.interop.yaml_io import export_text

        text = export_text(cards, decks, out)
        atomic_write(out, text)
        deck_ids = tuple(dict.fromkeys(card.deck_id for card in cards))
        return ExportReport(out, fmt, len(cards), len(cards), deck_ids)
    from ec2cards.interop.export_notes import build_notes

    notes = build_notes(cards)
    names = tuple(dict.fromkeys(note.deck for note in notes))
    if fmt == "apkg":
        from ec2cards.interop.anki_write import write_apkg
        from ec2cards.interop.package_extras import extras_text

        def extras(times: LogExtras) -> str:
            return extras_text(cards, decks, times)

        write_apkg(notes, out, now, history, extras)
    else:
        from ec2cards.interop.csv_notes import write_notes

        buffer = io.StringIO()
        write_notes(notes, buffer)
        atomic_write(out, buffer.getvalue())
    return ExportReport(out, fmt, len(cards), len(notes), names)
