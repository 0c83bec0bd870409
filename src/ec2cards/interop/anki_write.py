"""Writing an .apkg with genanki: one Anki deck per topic (EC2::<topic>), two note types.

The note types are ec2cards' own ("Basic (ec2cards)", "Cloze (ec2cards)"): Anki's Basic and
Cloze plus fields for the note, the source, accepted alternatives and the card's ec2cards key.
The key field is not shown on any card; it lets `ec2cards import` put the notes back on the
very cards they came from, review history included. Model and deck ids are fixed or derived
from names, and note GUIDs from card keys, so re-importing into Anki updates instead of adding.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from ec2cards.files import WriteError, atomic_path
from ec2cards.interop.common import KEY_FIELD
from ec2cards.interop.export_notes import ExportNote

BASIC_MODEL_ID = 1_607_392_301
CLOZE_MODEL_ID = 1_607_392_302
BASIC_NAME = "Basic (ec2cards)"
CLOZE_NAME = "Cloze (ec2cards)"
CSS = """.card { font-family: arial; font-size: 20px; line-height: 1.4; text-align: left;
  color: black; background-color: white; }
.cloze { font-weight: bold; color: blue; }
.nightMode .cloze { color: lightblue; }
.accept, .note { margin-top: 1em; color: #555; }
.source { margin-top: 1em; font-size: 14px; color: #888; }
"""
EXTRAS = (
    "{{#Accept}}<div class=accept>Also accepted: {{Accept}}</div>{{/Accept}}"
    "{{#Note}}<div class=note>{{Note}}</div>{{/Note}}"
    "{{#Source}}<div class=source>{{Source}}</div>{{/Source}}"
)


def _models() -> tuple[Any, Any]:
    import genanki

    basic = genanki.Model(
        BASIC_MODEL_ID,
        BASIC_NAME,
        fields=[{"name": n} for n in ("Front", "Back", "Accept", "Note", "Source", KEY_FIELD)],
        templates=[
            {
                "name": "Card 1",
                "qfmt": "{{Front}}",
                "afmt": "{{FrontSide}}<hr id=answer>{{Back}}" + EXTRAS,
            }
        ],
        css=CSS,
    )
    cloze = genanki.Model(
        CLOZE_MODEL_ID,
        CLOZE_NAME,
        model_type=genanki.Model.CLOZE,
        fields=[{"name": n} for n in ("Text", "Back Extra", "Source", KEY_FIELD)],
        templates=[
            {
                "name": "Cloze",
                "qfmt": "{{cloze:Text}}",
                "afmt": "{{cloze:Text}}{{#Back Extra}}<div class=note>{{Back Extra}}</div>"
                "{{/Back Extra}}{{#Source}}<div class=source>{{Source}}</div>{{/Source}}",
            }
        ],
        css=CSS,
    )
    return basic, cloze


def deck_id_for(name: str) -> int:
    """A stable Anki deck id from the deck's name (same name, same deck on re-import)."""
    digest = hashlib.blake2b(name.encode("utf-8"), digest_size=6).digest()
    return (1 << 40) + int.from_bytes(digest, "big") % (1 << 46)


@contextmanager
def _private_tempdir() -> Iterator[None]:
    """genanki builds its database in a temp file it never deletes: give it a folder we delete."""
    with tempfile.TemporaryDirectory(prefix="ec2cards-genanki-") as folder:
        saved = tempfile.tempdir
        tempfile.tempdir = folder
        try:
            yield
        finally:
            tempfile.tempdir = saved


def write_apkg(notes: Sequence[ExportNote], path: Path, now: datetime) -> None:
    """The notes as an Anki package at `path`, written to a temp file and renamed into place."""
    import genanki

    basic, cloze = _models()
    decks: dict[str, Any] = {}
    for note in notes:
        deck = decks.get(note.deck)
        if deck is None:
            deck = decks[note.deck] = genanki.Deck(deck_id_for(note.deck), note.deck)
        if note.cloze:
            fields = [note.front, note.note, note.source, note.key]
        else:
            fields = [note.front, note.back, note.accept, note.note, note.source, note.key]
        deck.add_note(
            genanki.Note(
                model=cloze if note.cloze else basic,
                fields=fields,
                guid=note.guid,
                tags=list(note.tags),
            )
        )
    package = genanki.Package(list(decks.values()))
    with atomic_path(path) as temp:
        try:
            with _private_tempdir():
                package.write_to_file(str(temp), timestamp=now.timestamp())
        except OSError as error:
            raise WriteError(path, error.strerror or str(error)) from None
