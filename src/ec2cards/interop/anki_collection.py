"""Reading an Anki collection file: notes, cards, note types, deck names and the review log.

This is the one module outside `storage/` that uses sqlite3, and only to read: an Anki
collection *is* an SQLite database (inside an .apkg/.colpkg package), so reading it means
querying it. It opens a private temp copy read-only and returns plain dataclasses, so nothing
else in ec2cards sees SQL. Both schemas are understood: the current one (Anki 2.1.28+, note types
and decks in their own tables, their settings as protobuf) and the legacy one (schema 11, note
types and decks as JSON in the `col` table).
"""

from __future__ import annotations

import json
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path

from ec2cards.errors import Ec2CardsError

FIELD_SEPARATOR = "\x1f"
MAX_VALUE_BYTES = 64 * 1024**2  # one value read (a note's fields, the note types' JSON)


class NotACollection(Ec2CardsError):
    """The file is not an Anki collection, or one too damaged to read."""


@dataclass(frozen=True)
class Template:
    ord: int
    name: str
    front: str  # the question format, e.g. "{{Front}}"
    back: str  # the answer format, e.g. "{{FrontSide}}<hr id=answer>{{Back}}"


@dataclass(frozen=True)
class NoteType:
    id: int
    name: str
    cloze: bool
    fields: tuple[str, ...]
    templates: tuple[Template, ...]


@dataclass(frozen=True)
class AnkiNote:
    id: int
    guid: str
    notetype_id: int
    tags: tuple[str, ...]
    fields: tuple[str, ...]


@dataclass(frozen=True)
class AnkiCard:
    id: int
    note_id: int
    deck_id: int  # the home deck, also for cards sitting in a filtered deck
    ord: int
    queue: int  # -1 suspended


@dataclass(frozen=True)
class AnkiReview:
    card_id: int
    at_ms: int  # the review's time (the revlog id), milliseconds since the epoch
    ease: int  # 1-4 as the answer buttons; 0 for manual rescheduling
    duration_ms: int
    kind: int  # 0 learn, 1 review, 2 relearn, 3 filtered, 4 manual, 5 rescheduled
    interval: int = 0  # the interval the answer gave: days if > 0, seconds if < 0
    factor: int = 0  # SM-2 ease x 1000 (or FSRS difficulty); 0 marks a reset or cramming


@dataclass(frozen=True)
class AnkiCollection:
    notetypes: dict[int, NoteType]
    decks: dict[int, str]  # id -> full name, levels joined by "::"
    notes: list[AnkiNote]
    cards: list[AnkiCard]
    reviews: list[AnkiReview]
    scheduler_version: int = 2  # 1: the v1 scheduler's 3-button learning answers
    scheduling_included: bool = True  # some card is not new (Anki's test for upgrading v1)


def protobuf_fields(blob: bytes) -> dict[int, list[int | bytes]]:
    """A protobuf message's top-level fields: enough to read a name, a format or a flag."""
    fields: dict[int, list[int | bytes]] = {}
    position = 0

    def varint() -> int:
        nonlocal position
        shift = result = 0
        while True:
            byte = blob[position]
            position += 1
            result |= (byte & 0x7F) << shift
            if not byte & 0x80:
                return result
            shift += 7

    while position < len(blob):
        key = varint()
        number, wire = key >> 3, key & 7
        value: int | bytes
        if wire == 0:
            value = varint()
        elif wire == 2:
            length = varint()
            value = blob[position : position + length]
            position += length
        elif wire == 1:
            value = int.from_bytes(blob[position : position + 8], "little")
            position += 8
        elif wire == 5:
            value = int.from_bytes(blob[position : position + 4], "little")
            position += 4
        else:
            raise ValueError(f"unsupported protobuf wire type {wire}")
        fields.setdefault(number, []).append(value)
    return fields


def _text(fields: dict[int, list[int | bytes]], number: int) -> str:
    values = fields.get(number) or [b""]
    value = values[0]
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else ""


def _tables(db: sqlite3.Connection) -> set[str]:
    return {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def _current_schema(db: sqlite3.Connection) -> tuple[dict[int, NoteType], dict[int, str]]:
    fields: dict[int, list[str]] = {}
    for ntid, _ord, name in db.execute("SELECT ntid, ord, name FROM fields ORDER BY ntid, ord"):
        fields.setdefault(ntid, []).append(str(name))
    templates: dict[int, list[Template]] = {}
    for ntid, ord_, name, config in db.execute(
        "SELECT ntid, ord, name, config FROM templates ORDER BY ntid, ord"
    ):
        parsed = protobuf_fields(bytes(config or b""))
        templates.setdefault(ntid, []).append(
            Template(int(ord_), str(name), _text(parsed, 1), _text(parsed, 2))
        )
    notetypes: dict[int, NoteType] = {}
    for ntid, name, config in db.execute("SELECT id, name, config FROM notetypes"):
        kind = protobuf_fields(bytes(config or b"")).get(1, [0])[0]
        notetypes[int(ntid)] = NoteType(
            int(ntid),
            str(name),
            kind == 1,
            tuple(fields.get(ntid, [])),
            tuple(templates.get(ntid, [])),
        )
    decks = {
        int(did): str(name).replace(FIELD_SEPARATOR, "::")
        for did, name in db.execute("SELECT id, name FROM decks")
    }
    return notetypes, decks


def _legacy_schema(db: sqlite3.Connection) -> tuple[dict[int, NoteType], dict[int, str]]:
    models_json, decks_json = db.execute("SELECT models, decks FROM col").fetchone()
    notetypes: dict[int, NoteType] = {}
    for key, model in json.loads(models_json or "{}").items():
        flds = sorted(model.get("flds", []), key=lambda f: f.get("ord", 0))
        tmpls = sorted(model.get("tmpls", []), key=lambda t: t.get("ord", 0))
        notetypes[int(key)] = NoteType(
            int(key),
            str(model.get("name", "")),
            model.get("type", 0) == 1,
            tuple(str(f.get("name", "")) for f in flds),
            tuple(
                Template(
                    int(t.get("ord", i)),
                    str(t.get("name", "")),
                    str(t.get("qfmt", "")),
                    str(t.get("afmt", "")),
                )
                for i, t in enumerate(tmpls)
            ),
        )
    decks = {int(k): str(v.get("name", "")) for k, v in json.loads(decks_json or "{}").items()}
    return notetypes, decks


def _scheduler_version(db: sqlite3.Connection, tables: set[str]) -> int:
    """The `schedVer` setting; missing means 1, as in Anki (`Collection::scheduler_version`).
    Schema 14+ keeps settings in a `config` table (JSON values), schema 11 in `col.conf`."""
    try:
        if "config" in tables:
            row = db.execute("SELECT val FROM config WHERE key = 'schedVer'").fetchone()
            return int(json.loads(bytes(row[0]))) if row else 1
        (conf,) = db.execute("SELECT conf FROM col").fetchone()
        return int(json.loads(conf or "{}").get("schedVer", 1))
    except (ValueError, TypeError, AttributeError):
        return 2  # unreadable: take the answers as they are written


def _rows(
    db: sqlite3.Connection, tables: set[str]
) -> tuple[list[AnkiNote], list[AnkiCard], list[AnkiReview]]:
    """The notes, the cards and the review log, each row as a record."""
    notes = [
        AnkiNote(
            int(nid),
            str(guid),
            int(mid),
            tuple(str(tags or "").split()),
            tuple(str(flds or "").split(FIELD_SEPARATOR)),
        )
        for nid, guid, mid, tags, flds in db.execute(
            "SELECT id, guid, mid, tags, flds FROM notes ORDER BY id"
        )
    ]
    cards = [
        AnkiCard(int(cid), int(nid), int(odid or did), int(ord_), int(queue))
        for cid, nid, did, odid, ord_, queue in db.execute(
            "SELECT id, nid, did, odid, ord, queue FROM cards ORDER BY nid, ord"
        )
    ]
    reviews = []
    if "revlog" in tables:
        reviews = [
            AnkiReview(
                int(cid),
                int(rid),
                int(ease),
                int(taken or 0),
                int(kind),
                int(ivl or 0),
                int(factor or 0),
            )
            for rid, cid, ease, taken, kind, ivl, factor in db.execute(
                "SELECT id, cid, ease, time, type, ivl, factor FROM revlog ORDER BY id"
            )
        ]
    return notes, cards, reviews


def read_collection(path: Path, shown_as: str) -> AnkiCollection:
    """Everything ec2cards imports from the collection at `path` (a temp copy, opened read-only).

    `shown_as` names the file in error messages: the package the user gave, not the temp copy.
    """
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error as error:
        raise NotACollection(f"{shown_as}: cannot open the Anki collection: {error}") from None
    if sys.version_info >= (3, 11):  # no value read is larger (a bomb in one note)
        db.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    try:
        tables = _tables(db)
        if not {"notes", "cards", "col"} <= tables:
            raise NotACollection(
                f"{shown_as}: not an Anki collection (it has no notes and cards tables)"
            )
        if {"notetypes", "fields", "templates", "decks"} <= tables:
            notetypes, decks = _current_schema(db)
        else:
            notetypes, decks = _legacy_schema(db)
        notes, cards, reviews = _rows(db, tables)
        version = _scheduler_version(db, tables)
        included = db.execute("SELECT 1 FROM cards WHERE queue != 0 LIMIT 1").fetchone()
    except sqlite3.DataError:
        raise NotACollection(
            f"{shown_as}: the Anki collection holds a value larger than"
            f" {MAX_VALUE_BYTES // 1024**2} MB (a note, a note type or a deck), more than Anki"
            " writes; nothing imported"
        ) from None
    except sqlite3.DatabaseError as error:
        raise NotACollection(
            f"{shown_as}: not a readable Anki collection ({error}); export it again from Anki"
        ) from None
    except (
        ValueError,
        KeyError,
        TypeError,
        IndexError,
        AttributeError,
        OverflowError,
        RecursionError,
    ):
        # An untrusted file: JSON of the wrong shape or nested a thousand deep, a number no
        # Anki writes (9e999). One line, whatever part of the collection holds it.
        raise NotACollection(
            f"{shown_as}: the Anki collection holds a value Anki would not write (in its note"
            " types, decks, cards or review log); export it again from Anki"
        ) from None
    finally:
        db.close()
    return AnkiCollection(notetypes, decks, notes, cards, reviews, version, included is not None)
