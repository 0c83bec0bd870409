"""What ec2cards adds to its own Anki packages, in a zip member Anki leaves alone
(`ec2cards.json`): each deck's title, topic, description and source, each note's card as its
YAML entry, and the exact times of reviews whose revlog id had to move (two answers in one
millisecond) or that fall between milliseconds, the time zone each answer counts its study
days in, and the card events Anki keeps no revlog row for (suspend, bury, a due date).

Anki's notes cannot say everything a deck file says: a choice or an order card becomes a Basic
note that shows its options, and an Anki deck is a topic, not a deck. With these extras an
import of the package gives back the very deck files it came from; a package without them (one
Anki wrote) is read from its notes alone.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any, NamedTuple

from ec2cards.interop.common import ImportFailed
from ec2cards.interop.package_members import read_member, size_words
from ec2cards.model.cards import Card
from ec2cards.model.decks import Deck
from ec2cards.model.events import CHANGES
from ec2cards.model.zones import kept_zone

if TYPE_CHECKING:
    from ec2cards.interop.anki_scheduling import LogExtras

MEMBER = "ec2cards.json"
FORMAT = 1
MAX_BYTES = 256 * 1024**2


@dataclass(frozen=True)
class DeckInfo:
    """A deck's own lines, which its cards' notes do not carry."""

    title: str
    topic: str
    description: str = ""
    source: str = ""


class CardEvent(NamedTuple):
    """A card's log event that Anki keeps no revlog row for (suspend, bury, a due date)."""

    key: str
    event: str
    at: datetime
    value: str | None
    zone: tzinfo | None


@dataclass
class PackageExtras:
    decks: dict[str, DeckInfo] = field(default_factory=dict)  # by deck id
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)  # by the note's key field
    times: dict[int, datetime] = field(default_factory=dict)  # revlog id -> the review's time
    zones: dict[int, tzinfo] = field(default_factory=dict)  # revlog id -> its time zone
    events: list[CardEvent] = field(default_factory=list)  # the events Anki has no row for
    values: dict[int, str] = field(default_factory=dict)  # revlog id -> an SM-2 start's value

    def entry(self, deck_id: str, card_id: str) -> dict[str, Any] | None:
        """A copy of the YAML entry of the note `deck_id/card_id`, when the package has it."""
        found = self.entries.get(f"{deck_id}/{card_id}")
        return json.loads(json.dumps(found)) if found is not None else None


def extras_text(cards: Sequence[Card], decks: Sequence[Deck], times: LogExtras) -> str:
    """The member's text for the exported `cards` of `decks`."""
    from ec2cards.interop.yaml_io import card_entries

    by_deck: dict[str, list[Card]] = {}
    for card in cards:
        by_deck.setdefault(card.deck_id, []).append(card)
    written: dict[str, object] = {}
    for deck in decks:
        chosen = by_deck.get(deck.deck_id)
        if chosen:
            written[deck.deck_id] = {
                "title": deck.title,
                "topic": deck.topic,
                "description": deck.description,
                "source": deck.source,
                "entries": card_entries(chosen, deck.topic, deck.source),
            }
    data = {
        "format": FORMAT,
        "decks": written,
        "times": {str(anki_id): at for anki_id, at in sorted(times.times.items())},
        "zones": {str(anki_id): list(zone) for anki_id, zone in sorted(times.zones.items())},
        "events": [list(event) for event in times.events],
        "values": {str(anki_id): value for anki_id, value in sorted(times.values.items())},
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def read_extras(archive: zipfile.ZipFile, shown: str) -> PackageExtras | None:
    """The package's extras, or None when it has none (a package Anki wrote)."""
    if MEMBER not in archive.namelist():
        return None
    too_large = f"{shown}: its {MEMBER} is larger than {size_words(MAX_BYTES)}; not imported"
    raw = read_member(archive, MEMBER, MAX_BYTES, too_large)
    try:
        return _parse(json.loads(raw.decode("utf-8")))
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
        raise ImportFailed(
            f"{shown}: its {MEMBER} is damaged; export the package again with ec2cards"
        ) from None


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("not text")
    return value


def _parse(data: Any) -> PackageExtras:
    if data.get("format") != FORMAT:
        raise ValueError("an unknown format")
    extras = PackageExtras()
    for deck_id, deck in dict(data["decks"]).items():
        extras.decks[_text(deck_id)] = DeckInfo(
            _text(deck["title"]),
            _text(deck["topic"]),
            _text(deck.get("description", "")),
            _text(deck.get("source", "")),
        )
        for entry in list(deck["entries"]):
            if not isinstance(entry, dict):
                raise TypeError("an entry that is not a mapping")
            extras.entries[f"{deck_id}/{_text(entry['id'])}"] = entry
    for anki_id, at in dict(data.get("times", {})).items():
        extras.times[int(anki_id)] = _moment(at)
    for anki_id, value in dict(data.get("values", {})).items():
        extras.values[int(anki_id)] = _text(value)
    for anki_id, (name, minutes) in dict(data.get("zones", {})).items():
        zone = _zone_of([name, minutes])
        if zone is not None:
            extras.zones[int(anki_id)] = zone
    for key, event, at, value, zone in list(data.get("events", [])):
        if event not in CHANGES:
            raise ValueError(f"an unknown event {event!r}")
        moment = _moment(at)
        value = None if value is None else _text(value)
        extras.events.append(CardEvent(_text(key), event, moment, value, _zone_of(zone)))
    return extras


def _moment(text: object) -> datetime:
    moment = datetime.fromisoformat(_text(text))
    if moment.tzinfo is None:
        raise ValueError("a time without its offset")
    return moment


def _zone_of(zone: object) -> tzinfo | None:
    """A zone as the extras write it, [name or null, UTC offset minutes], or null."""
    if zone is None:
        return None
    name, minutes = list(zone)  # type: ignore[call-overload]
    return kept_zone(None if name is None else _text(name), int(minutes))
