"""Writing an .apkg: genanki builds the collection (an SQLite file, Anki's schema 11) with one
Anki deck per topic (EC2::<topic>) and ec2cards' two note types (`interop/anki_notes.py`:
Anki's Basic and Cloze plus fields for the note, the source, accepted alternatives and the
card's key); the cards' scheduling is added to it (`anki_scheduling.py`), and it is zipped with
ec2cards' extras (`package_extras.py`). Deck ids are derived from names and note GUIDs from
card keys, so re-importing into Anki updates instead of adding.
"""

from __future__ import annotations

import hashlib
import itertools
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from ec2cards.files import WriteError, atomic_path
from ec2cards.interop.anki_notes import BASIC, CLOZE, ExportNote, NoteType
from ec2cards.interop.anki_scheduling import LogExtras, PackageHistory, write_scheduling
from ec2cards.interop.package_extras import MEMBER


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


def write_apkg(
    notes: Sequence[ExportNote],
    path: Path,
    now: datetime,
    history: PackageHistory | None = None,
    extras: Callable[[LogExtras], str] | None = None,
) -> None:
    """The notes as an Anki package at `path`, written to a temp file and renamed into place;
    with `history`, each card's state and log too (Anki's "include scheduling information"),
    and with `extras`, ec2cards' own member (given what the revlog ids cannot say)."""
    with atomic_path(path) as temp:
        try:
            with tempfile.TemporaryDirectory(prefix="ec2cards-apkg-") as folder:
                collection = Path(folder) / "collection.anki2"
                times = _write_collection(collection, notes, now, history)
                with zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED) as archive:
                    archive.write(collection, "collection.anki2")
                    archive.writestr("media", "{}")
                    if extras is not None:
                        archive.writestr(MEMBER, extras(times))
        except OSError as error:
            raise WriteError(path, error.strerror or str(error)) from None


def _write_collection(
    target: Path, notes: Sequence[ExportNote], now: datetime, history: PackageHistory | None
) -> LogExtras:
    """The collection genanki builds from the notes, and the scheduling added to it; what
    the revlog rows' ids cannot say."""
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
    db = sqlite3.connect(target)
    try:
        package.write_to_db(
            db.cursor(), now.timestamp(), itertools.count(int(now.timestamp() * 1000))
        )
        times = LogExtras({}, {}, [], {})
        if history is not None:
            guids = {note.guid: (note.key, note.cloze) for note in notes}
            times = write_scheduling(db, history, guids)
        db.commit()
    finally:
        db.close()
    return times
