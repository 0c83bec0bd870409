"""What every reader produces: decks to add (as YAML card entries) and review history to log."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

from ec2cards.decks.naming import SLUG
from ec2cards.errors import Ec2CardsError
from ec2cards.model.ratings import Rating

NOTE_FIELDS = {"note", "notes", "extra", "back extra", "explanation"}
SOURCE_FIELDS = {"source", "sources", "reference"}
ACCEPT_FIELDS = {"accept", "also accepted"}


class ImportFailed(Ec2CardsError):
    """A file that cannot be imported; the message names it and says what to do."""


def slugify(text: str, fallback: str = "imported") -> str:
    """A deck id or topic from a free-form name: 'AWS::EC2 Basics' -> 'aws-ec2-basics'."""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = decomposed.encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    return slug[:60].strip("-") or fallback


def is_slug(text: str) -> bool:
    return bool(SLUG.match(text))


@dataclass(frozen=True)
class HistoryItem:
    """One past event of an incoming card: a review as Anki logged it, or a reset ("forget")
    after which Anki's FSRS starts the card's memory anew."""

    card_id: str
    at: datetime
    rating: Rating | None  # None for a forget
    duration_ms: int | None = None
    event: str = "review"  # "review" or "forget"
    value: str | None = None  # a review that starts memory from SM-2 (replay.sm2_value)
    anki_card: int | None = None  # the Anki card id it was logged on: the seed of its fuzz
    zone: tzinfo | None = None  # the time zone it counts its study days in, when known


@dataclass(frozen=True)
class MediaFile:
    """A media file inside a package: its name in Anki's media folder and where it is."""

    name: str
    package: Path
    member: str
    compressed: bool  # zstd (current packages)
    sha1: str | None = None


@dataclass
class IncomingDeck:
    """Cards from one file bound for one ec2cards deck, with their history."""

    deck_id: str
    title: str
    topic: str
    origin: Path
    entries: list[dict[str, Any]] = field(default_factory=list)
    history: list[HistoryItem] = field(default_factory=list)
    suspended: set[str] = field(default_factory=set)
    source: str = ""
    description: str = ""
    raw_text: str | None = None  # a YAML deck, copied as written
    named: bool = False  # the id was made from a name (an Anki deck, a file), not given
    file_named: bool = False  # ... from the file's name: its topic means nothing


@dataclass
class LeftOut:
    """What an Anki package holds that does not become a card or a review, counted so the
    import summary can say so."""

    orphan_cards: int = 0  # cloze cards whose deletion is no longer in the note's text
    orphan_reviews: int = 0  # ... and their reviews
    future_reviews: int = 0  # dated after now (a wrong clock): not imported
    cramming: int = 0  # answers in filtered decks without rescheduling (Anki's FSRS skips them)
    before_1970: int = 0  # a negative revlog id (time): Anki keeps the row, no answer was then

    def add(self, other: LeftOut) -> None:
        self.orphan_cards += other.orphan_cards
        self.orphan_reviews += other.orphan_reviews
        self.future_reviews += other.future_reviews
        self.cramming += other.cramming
        self.before_1970 += other.before_1970


@dataclass
class Incoming:
    """What one file holds, and what could not come along (said in one line each)."""

    decks: list[IncomingDeck] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    media: dict[str, MediaFile] = field(default_factory=dict)  # named by cards, in the file
    missing_media: set[str] = field(default_factory=set)  # named by cards, not in the file
    counts: LeftOut = field(default_factory=LeftOut)


def basic_entry(
    card_id: str | None,
    question: str,
    answer: str,
    *,
    accept: list[str] | None = None,
    note: str = "",
    source: str = "",
    topics: list[str] | None = None,
    tags: list[str] | None = None,
) -> dict[str, Any]:
    entry: dict[str, Any] = {}
    if card_id:
        entry["id"] = card_id
    entry["q"] = question
    entry["a"] = answer
    if accept:
        entry["accept"] = accept
    return _common(entry, note, source, topics, tags)


def cloze_entry(
    card_id: str | None,
    text: str,
    *,
    note: str = "",
    source: str = "",
    topics: list[str] | None = None,
    tags: list[str] | None = None,
) -> dict[str, Any]:
    entry: dict[str, Any] = {}
    if card_id:
        entry["id"] = card_id
    entry["kind"] = "cloze"
    entry["text"] = text
    return _common(entry, note, source, topics, tags)


def _common(
    entry: dict[str, Any],
    note: str,
    source: str,
    topics: list[str] | None,
    tags: list[str] | None,
) -> dict[str, Any]:
    if note:
        entry["note"] = note
    if source:
        entry["source"] = source
    if topics:
        entry["topics"] = topics
    if tags:
        entry["tags"] = tags
    return entry
