"""ec2cards' cards as Anki notes, the one place their shape is written down: the two note types
("Basic (ec2cards)", "Cloze (ec2cards)") and their fields, the key field that brings a note back
to its card, a note's GUID (derived from the card key, so exporting again updates instead of
adding), deck names and topic tags. The .apkg and CSV exporters, the importers and sync all use
it, so a note written by one is read back by the others.

The key field is not shown on any card; it lets `ec2cards import` and sync put a note back on
the very card it came from, review history included. Model ids are fixed, so Anki recognises
the note types again on every import.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import NamedTuple

from ec2cards.decks.naming import SLUG
from ec2cards.model.cards import Card, CardKind

KEY_FIELD = "ec2cards key"
TOPIC_TAG = "topic::"
DECK_PREFIX = "EC2::"  # a topic's Anki deck: EC2::<topic>
_CLOZE_KEY = re.compile(r"^(.+)-c\d+$")

CSS = """.card { font-family: arial; font-size: 20px; line-height: 1.4; text-align: left;
  color: black; background-color: white; }
.cloze { font-weight: bold; color: blue; }
.nightMode .cloze { color: lightblue; }
.accept, .note { margin-top: 1em; color: #555; }
.source { margin-top: 1em; font-size: 14px; color: #888; }
"""
_EXTRAS = (
    "{{#Accept}}<div class=accept>Also accepted: {{Accept}}</div>{{/Accept}}"
    "{{#Note}}<div class=note>{{Note}}</div>{{/Note}}"
    "{{#Source}}<div class=source>{{Source}}</div>{{/Source}}"
)


class Template(NamedTuple):
    """One card template of a note type: its name, question and answer formats."""

    name: str
    qfmt: str
    afmt: str


class NoteType(NamedTuple):
    """One of ec2cards' note types, as the .apkg defines it and sync makes it in a collection."""

    model_id: int
    name: str
    cloze: bool
    fields: tuple[str, ...]
    templates: tuple[Template, ...]
    css: str


BASIC = NoteType(
    1_607_392_301,
    "Basic (ec2cards)",
    False,
    ("Front", "Back", "Accept", "Note", "Source", KEY_FIELD),
    (Template("Card 1", "{{Front}}", "{{FrontSide}}<hr id=answer>{{Back}}" + _EXTRAS),),
    CSS,
)
CLOZE = NoteType(
    1_607_392_302,
    "Cloze (ec2cards)",
    True,
    ("Text", "Back Extra", "Source", KEY_FIELD),
    (
        Template(
            "Cloze",
            "{{cloze:Text}}",
            "{{cloze:Text}}{{#Back Extra}}<div class=note>{{Back Extra}}</div>"
            "{{/Back Extra}}{{#Source}}<div class=source>{{Source}}</div>{{/Source}}",
        ),
    ),
    CSS,
)
NOTE_TYPES = (BASIC, CLOZE)


@dataclass(frozen=True)
class ExportNote:
    """One Anki note: Basic (front/back) or Cloze (text), fields already HTML."""

    key: str  # deck id / card id (the cloze base id for cloze notes)
    guid: str
    cloze: bool
    deck: str  # the Anki deck name, EC2::<topic>
    front: str  # the Front field, or the cloze Text
    back: str  # the Back field ('' for cloze)
    accept: str
    note: str
    source: str
    tags: tuple[str, ...]
    cards: int  # how many ec2cards cards the note stands for

    @property
    def note_type(self) -> NoteType:
        return CLOZE if self.cloze else BASIC

    def fields(self) -> list[str]:
        """The note's field values in its note type's order (`NoteType.fields`)."""
        if self.cloze:
            return [self.front, self.note, self.source, self.key]
        return [self.front, self.back, self.accept, self.note, self.source, self.key]


def guid_for(key: str) -> str:
    """Anki's GUID shape (base91 of a hash), as genanki computes it, from the note's key."""
    import genanki

    return str(genanki.guid_for("ec2cards", key))


def cloze_base(card: Card) -> str:
    """A cloze card's id without its `-cN`: the id of the note its siblings share."""
    suffix = f"-c{card.cloze_number}"
    return card.card_id[: -len(suffix)] if card.card_id.endswith(suffix) else card.card_id


def note_key(card: Card) -> str:
    """The key field of the note a card is on: the card's key, or its cloze note's."""
    if card.kind is CardKind.CLOZE:
        return f"{card.deck_id}/{cloze_base(card)}"
    return card.key


def card_key(key: str, cloze: bool, ordinal: int) -> str:
    """The card key of a note's card (its template or cloze ordinal, from 0): `note_key` undone."""
    return f"{key}-c{ordinal + 1}" if cloze else key


def possible_note_keys(key: str) -> tuple[str, ...]:
    """The key fields of the notes a card key can be on: its own, and for a key ending `-cN`
    (a cloze deletion, or a card id that merely ends so) its cloze note's too."""
    match = _CLOZE_KEY.match(key)
    return (key, match.group(1)) if match else (key,)


def split_key(value: str) -> tuple[str, str] | None:
    """'deck/card-id' from the key field of an ec2cards export, or None when it is not one."""
    deck_id, _, card_id = value.strip().partition("/")
    if SLUG.match(deck_id) and SLUG.match(card_id):
        return deck_id, card_id
    return None


def anki_card_id(guid: str) -> str:
    """A stable card id from a foreign Anki note's guid: editing the note in Anki keeps it."""
    return "anki-" + hashlib.blake2b(guid.encode("utf-8"), digest_size=5).hexdigest()


def anki_tags(card: Card) -> tuple[str, ...]:
    """Topics as `topic::<topic>` (they come back as topics), tags with '_' for spaces."""
    tags = [TOPIC_TAG + topic for topic in card.topics]
    tags += ["_".join(tag.split()) for tag in card.tags if tag.strip()]
    return tuple(dict.fromkeys(tags))


def tags_and_topics(tags: list[str] | tuple[str, ...]) -> tuple[list[str], list[str]]:
    """Anki tags: `topic::x` ones are ec2cards topics, the others stay tags."""
    topics: list[str] = []
    rest: list[str] = []
    for tag in tags:
        name = tag[len(TOPIC_TAG) :] if tag.lower().startswith(TOPIC_TAG) else ""
        if name and SLUG.match(name):
            topics.append(name)
        elif tag.strip():
            rest.append(tag)
    return list(dict.fromkeys(topics)), list(dict.fromkeys(rest))
