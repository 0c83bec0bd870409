"""Writing an .apkg with genanki: one Anki deck per topic (EC2::<topic>), ec2cards' two note
types (`interop/anki_notes.py`: Anki's Basic and Cloze plus fields for the note, the source,
accepted alternatives and the card's key). Deck ids are derived from names and note GUIDs from
card keys, so re-importing into Anki updates instead of adding.
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
from ec2cards.interop.anki_notes import BASIC, CLOZE, ExportNote, NoteType


def _genanki_model(note_type: NoteType) -> Any:
    """A note type as genanki writes it into a package."""
    import genanki

    return genanki.Model(
        note_type.model_id,
        note_type.name,
        model_type=genanki.Model.CLOZE if note_type.cloze else genanki.Model.FRONT_BACK,
        fields=[{"name": name} for name in note_type.fields],
        templates=[t._asdict() for t in note_type.templates],
        css=note_type.css,
    )


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

    basic, cloze = _genanki_model(BASIC), _genanki_model(CLOZE)
    decks: dict[str, Any] = {}
    for note in notes:
        deck = decks.get(note.deck)
        if deck is None:
            deck = decks[note.deck] = genanki.Deck(deck_id_for(note.deck), note.deck)
        deck.add_note(
            genanki.Note(
                model=cloze if note.cloze else basic,
                fields=note.fields(),
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
