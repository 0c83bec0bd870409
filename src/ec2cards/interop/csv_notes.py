"""Anki's "Notes in Plain Text" files (.txt, .csv, .tsv): read them, and write them for Anki.

Anki starts such a file with header lines like `#separator:tab`, `#html:true`,
`#tags column:3`, `#notetype column:2`, `#deck column:3`, `#guid column:1`; the rows follow,
quoted as CSV when a field holds the separator, a quote or a line break. Without headers the
separator is guessed from the first row (tab, then semicolon, then comma) and HTML is assumed
when a field looks like it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from ec2cards.decks.fields import FieldError, clean_cloze
from ec2cards.interop.anki_notes import ExportNote, anki_card_id, tags_and_topics
from ec2cards.interop.common import (
    ImportFailed,
    Incoming,
    IncomingDeck,
    basic_entry,
    cloze_entry,
    slugify,
)
from ec2cards.interop.html_text import html_to_markdown, plain_to_markdown

SEPARATORS = {
    "tab": "\t",
    "comma": ",",
    "semicolon": ";",
    "pipe": "|",
    "colon": ":",
    "space": " ",
}
HEADER = re.compile(r"^#([a-z ]+):(.*)$", re.IGNORECASE)
LOOKS_LIKE_HTML = re.compile(r"<(/?[a-z][a-z0-9]*)\b[^>]*>|&[a-z]+;|&#\d+;", re.IGNORECASE)
CLOZE_MARK = re.compile(r"\{\{c\d+::")
MAX_CSV_BYTES = 50 * 1024 * 1024


def _separator(value: str, shown: str) -> str:
    name = value.strip()
    if name.lower() in SEPARATORS:
        return SEPARATORS[name.lower()]
    if len(name) == 1:
        return name
    if value == " ":
        return " "
    raise ImportFailed(
        f"{shown}:1: unknown '#separator:{value}' (use tab, comma, semicolon, pipe, colon or space)"
    )


def _column(value: str, shown: str, line: int) -> int:
    try:
        number = int(value.strip())
    except ValueError:
        number = 0
    if number < 1:
        raise ImportFailed(f"{shown}:{line}: '{value.strip()}' is not a column number (1, 2, ...)")
    return number - 1


def read_notes(path: Path, now: datetime) -> Incoming:
    """Each row as a card entry (two for reversed note types); decks from '#deck' or the name."""
    shown = str(path)
    try:
        if path.stat().st_size > MAX_CSV_BYTES:
            raise ImportFailed(f"{shown}: the file is larger than {MAX_CSV_BYTES} bytes")
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFailed(f"{shown}: not UTF-8 text; export it again as UTF-8") from None
    except OSError as error:
        raise ImportFailed(f"{shown}: cannot read the file: {error.strerror}") from None
    lines = text.splitlines(keepends=True)
    headers: dict[str, str] = {}
    first_data = 0
    for number, line in enumerate(lines):
        match = HEADER.match(line.rstrip("\r\n"))
        if not match:
            break
        headers[match.group(1).strip().lower()] = match.group(2).rstrip("\r\n")
        first_data = number + 1
    body = "".join(lines[first_data:])
    if not body.strip():
        raise ImportFailed(f"{shown}: no notes in the file (only header lines, or nothing at all)")
    if "separator" in headers:
        separator = _separator(headers["separator"], shown)
    else:
        sample = next((line for line in lines[first_data:] if line.strip()), "")
        separator = next((s for s in ("\t", ";", ",", "|") if s in sample), "")
        if not separator:
            raise ImportFailed(
                f"{shown}:{first_data + 1}: cannot tell how fields are separated; add a first"
                " line such as '#separator:tab' or '#separator:comma'"
            )
    special: dict[str, int] = {}
    for name in ("guid", "notetype", "deck", "tags"):
        key = f"{name} column"
        if key in headers:
            special[name] = _column(headers[key], shown, 1)
    if "columns" in headers:
        labels = [label.strip().lower() for label in headers["columns"].split(separator)]
        for index, label in enumerate(labels):
            if label in ("guid", "notetype", "deck", "tags") and label not in special:
                special[label] = index
    try:
        rows = list(csv.reader(io.StringIO(body), delimiter=separator, quotechar='"'))
    except csv.Error as error:
        raise ImportFailed(f"{shown}: not readable as CSV ({error})") from None
    is_html = headers.get("html", "").strip().lower()
    if is_html in ("true", "false"):
        html = is_html == "true"
    else:
        html = any(LOOKS_LIKE_HTML.search(cell) for row in rows for cell in row)
    global_tags = headers.get("tags", "").split()
    return _convert(path, rows, special, headers, html, global_tags, first_data)


def _convert(
    path: Path,
    rows: list[list[str]],
    special: dict[str, int],
    headers: dict[str, str],
    html: bool,
    global_tags: list[str],
    first_line: int,
) -> Incoming:
    incoming = Incoming()
    decks: dict[str, IncomingDeck] = {}
    skipped = 0
    media: set[str] = set()

    def text(cell: str) -> str:
        if not html:
            return plain_to_markdown(cell)
        converted = html_to_markdown(cell)
        media.update(converted.media)
        return converted.text

    special_columns = set(special.values())
    for row in rows:
        if not any(cell.strip() for cell in row):
            continue

        def cell(name: str, row: list[str] = row) -> str:
            index = special.get(name)
            return row[index].strip() if index is not None and index < len(row) else ""

        fields = [value for index, value in enumerate(row) if index not in special_columns]
        notetype = (cell("notetype") or headers.get("notetype", "")).strip()
        anki_deck = cell("deck") or headers.get("deck", "").strip()
        guid = cell("guid")
        topics, tags = tags_and_topics(cell("tags").split() + global_tags)
        deck = _deck_for(decks, anki_deck, path)
        common: dict[str, Any] = {
            "tags": tags,
            "topics": [t for t in topics if t != deck.topic],
        }
        base = anki_card_id(guid) if guid else None
        entries = _row_entries(notetype, [text(value) for value in fields], base, common)
        if entries is None:
            skipped += 1
        else:
            deck.entries.extend(entries)
    incoming.decks = [d for d in decks.values() if d.entries]
    incoming.missing_media = media  # a text file holds no media files
    if skipped:
        incoming.warnings.append(
            f"{path}: skipped {skipped} rows without a front and a back (or a usable cloze)"
        )
    if not incoming.decks:
        raise ImportFailed(
            f"{path}:{first_line + 1}: no row has both a front and a back; is this an Anki"
            " 'Notes in Plain Text' export?"
        )
    return incoming


def _deck_for(decks: dict[str, IncomingDeck], anki_deck: str, path: Path) -> IncomingDeck:
    """The deck a row goes to: its Anki deck column, else one named after the file."""
    deck_id = slugify(anki_deck, "imported") if anki_deck else slugify(path.stem, "imported")
    deck = decks.get(deck_id)
    if deck is None:
        leaf = anki_deck.split("::")[-1] if anki_deck else path.stem
        deck = decks[deck_id] = IncomingDeck(
            deck_id=deck_id,
            title=anki_deck.replace("::", " › ") if anki_deck else path.stem,
            topic=slugify(leaf, deck_id),
            origin=path,
            source=f"Anki deck '{anki_deck}'" if anki_deck else f"{path.name}",
            named=True,
            file_named=not anki_deck,
        )
    return deck


def _row_entries(
    notetype: str, converted: list[str], base: str | None, common: dict[str, Any]
) -> list[dict[str, Any]] | None:
    """The card entries of one row by its note type (a cloze, a basic card, and its reverse
    for the reversed types); None when the row has no usable front and back."""
    is_cloze = "cloze" in notetype.lower() or (
        not notetype and bool(converted) and bool(CLOZE_MARK.search(converted[0]))
    )
    if is_cloze:
        try:
            cloze_text = clean_cloze(converted[0] if converted else "")
        except FieldError:
            return None
        note = "\n\n".join(c for c in converted[1:] if c)
        return [cloze_entry(base, cloze_text, note=note, **common)]
    if len(converted) < 2 or not converted[0] or not converted[1]:
        return None
    question, answer = converted[0], converted[1]
    entries = [basic_entry(base, question, answer, **common)]
    kind = notetype.lower()
    optional = "optional" in kind
    if "reverse" in kind and (not optional or (len(converted) > 2 and converted[2])):
        reverse_id = f"{base}-2" if base else None
        entries.append(basic_entry(reverse_id, answer, question, **common))
    return entries


def write_notes(notes: Sequence[ExportNote], out: io.TextIOBase | Any) -> None:
    """Notes as Anki reads them: GUID, note type and deck columns, then the fields and tags."""
    out.write("#separator:tab\n#html:true\n")
    out.write("#guid column:1\n#notetype column:2\n#deck column:3\n#tags column:6\n")
    writer = csv.writer(out, delimiter="\t", quotechar='"', lineterminator="\n")
    for note in notes:
        notetype = "Cloze" if note.cloze else "Basic"
        second = note.note if note.cloze else note.back
        writer.writerow([note.guid, notetype, note.deck, note.front, second, " ".join(note.tags)])
