"""Anki packages (.apkg, .colpkg) to incoming decks: notes to cards, revlog to review history.

A package is a zip holding one collection (an SQLite file) and numbered media files. Current
Anki writes `collection.anki21b`, compressed with zstd, next to a stub `collection.anki2` that
only says "please update Anki"; older versions write `collection.anki21` or `collection.anki2`.
The newest one present is read. Media files (images, sounds) named by the imported cards are
listed for the importer to copy into the data folder's `media/`; cards show them as
`[image: name]` and `[sound: name]`.

A card's sides come from its note type's templates: the fields the question template shows
make the question, the other fields the answer template shows make the answer. That covers
Basic, Basic (and reversed card), Basic (type in the answer) and the like without naming them.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from ec2cards.decks.entries import entry_ids
from ec2cards.decks.fields import FieldError, clean_cloze
from ec2cards.files import scratch_file
from ec2cards.interop.anki_collection import (
    AnkiCard,
    AnkiCollection,
    AnkiNote,
    AnkiReview,
    NoteType,
    Template,
    read_collection,
)
from ec2cards.interop.anki_history import answered, card_history, reset, upgrade_v1
from ec2cards.interop.anki_media import media_files
from ec2cards.interop.anki_notes import KEY_FIELD, anki_card_id, split_key, tags_and_topics
from ec2cards.interop.common import (
    ACCEPT_FIELDS,
    NOTE_FIELDS,
    SOURCE_FIELDS,
    HistoryItem,
    ImportFailed,
    Incoming,
    IncomingDeck,
    LeftOut,
    MediaFile,
    basic_entry,
    cloze_entry,
    slugify,
)
from ec2cards.interop.html_text import html_to_markdown, html_to_plain
from ec2cards.interop.package_extras import PackageExtras, read_extras
from ec2cards.interop.package_members import (
    MAX_DIRECTORY_BYTES,
    chunks,
    directory_size,
    size_words,
)

COLLECTIONS = ("collection.anki21b", "collection.anki21", "collection.anki2")
MAX_COLLECTION_BYTES = 4 * 1024**3
MAX_FIELD_HTML = 256 * 1024  # characters of one note field
REFERENCE = re.compile(r"\{\{([^{}]*)\}\}")
SPECIAL_FIELDS = NOTE_FIELDS | SOURCE_FIELDS | ACCEPT_FIELDS | {KEY_FIELD}
PLAIN_FIELDS = ACCEPT_FIELDS | SOURCE_FIELDS | {KEY_FIELD}  # plain text in a deck, not Markdown


def _extract(archive: zipfile.ZipFile, member: str, target: Path, shown: str) -> None:
    """The collection member, decompressed, into `target`: streamed, and refused past
    MAX_COLLECTION_BYTES while it is copied (the size the zip declares can lie)."""
    import zstandard

    too_large = (
        f"{shown}: the collection inside is larger than {size_words(MAX_COLLECTION_BYTES)};"
        " nothing imported"
    )
    zstd = member.endswith("b")
    try:
        with target.open("wb") as out:
            for chunk in chunks(archive, member, MAX_COLLECTION_BYTES, too_large, zstd):
                try:
                    out.write(chunk)
                except OSError as error:  # a full disk, most often
                    raise ImportFailed(
                        f"{shown}: cannot unpack its collection into {target.parent}"
                        f" ({error.strerror or error}); nothing imported"
                    ) from None
    except zstandard.ZstdError as error:
        raise ImportFailed(f"{shown}: the collection is damaged ({error})") from None


def read_package(path: Path, now: datetime, scratch: Path) -> Incoming:
    """Every note of the package as card entries, grouped by Anki deck, with review history.

    The collection is copied out of the zip into a file in `scratch` (the data folder, never
    the system's temp folder), and removed again when it has been read."""
    shown = str(path)
    if not zipfile.is_zipfile(path):
        raise ImportFailed(
            f"{shown}: not a zip file, so not an Anki package; export it again from Anki"
            " (File › Export, 'Anki Deck Package')"
        )
    if directory_size(path) > MAX_DIRECTORY_BYTES:
        raise ImportFailed(
            f"{shown}: its list of files is larger than {size_words(MAX_DIRECTORY_BYTES)} (some"
            " 150,000 files), more than ec2cards imports; nothing imported"
        )
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            member = next((m for m in COLLECTIONS if m in names), None)
            if member is None:
                raise ImportFailed(
                    f"{shown}: no Anki collection inside (expected {', '.join(COLLECTIONS)});"
                    " is it an Anki package?"
                )
            with scratch_file(scratch, "package-collection.db") as target:
                _extract(archive, member, target, shown)
                collection = read_collection(target, shown)
            media = _media_of(archive, path)
            extras = read_extras(archive, shown)
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise ImportFailed(f"{shown}: the package is damaged ({error})") from None
    try:
        upgraded = path.suffix.lower() == ".colpkg"
        return convert(collection, path, now, media, upgraded, extras)
    except (ValueError, TypeError, KeyError, IndexError, OverflowError, RecursionError):
        # A package is untrusted input: a value no Anki writes (a time of 9e999, JSON nested
        # a thousand deep or of the wrong type) ends here, in one line.
        raise ImportFailed(
            f"{shown}: the package holds a value Anki would not write (in its notes, cards or"
            " review log); export it again from Anki"
        ) from None


def _media_of(archive: zipfile.ZipFile, path: Path) -> dict[str, MediaFile]:
    import zstandard

    try:
        return media_files(archive, path)
    except (ValueError, KeyError, IndexError, zstandard.ZstdError) as error:
        raise ImportFailed(f"{path}: the package's media list is damaged ({error})") from None


# -- templates -------------------------------------------------------------------------------


def _references(template: str) -> Iterator[tuple[list[str], str]]:
    """(filters, field name) for every {{...}} a template shows; sections and comments skipped."""
    for match in REFERENCE.finditer(template):
        inner = match.group(1).strip()
        if not inner or inner[0] in "#^/!":
            continue
        *filters, name = inner.split(":")
        yield [f.strip().lower() for f in filters], name.strip()


def _sides(notetype: NoteType, template: Template | None) -> tuple[list[str], list[str]]:
    """Field names shown as the question, and the other fields shown with the answer."""
    if template is None:
        fields = list(notetype.fields[:2])
        return fields[:1], fields[1:2]
    front = [
        name
        for filters, name in _references(template.front)
        if "type" not in filters and name != "FrontSide"
    ]
    back = [
        name
        for _filters, name in _references(template.back)
        if name != "FrontSide" and name not in front
    ]
    return list(dict.fromkeys(front)), list(dict.fromkeys(back))


def _cloze_field(notetype: NoteType) -> str:
    for template in notetype.templates:
        for filters, name in _references(template.front):
            if "cloze" in filters:
                return name
    return notetype.fields[0] if notetype.fields else ""


def _unsupported(notetype: NoteType) -> bool:
    formats = " ".join(t.front + t.back for t in notetype.templates)
    return "image-occlusion" in formats or "occlusion" in notetype.name.lower()


# -- notes to entries ----------------------------------------------------------------------


class _Converter:
    def __init__(
        self,
        collection: AnkiCollection,
        origin: Path,
        now: datetime,
        extras: PackageExtras | None = None,
    ) -> None:
        self.collection = collection
        self.extras = extras or PackageExtras()  # what an ec2cards package adds
        self.origin = origin
        self.now = now
        self.decks: dict[str, IncomingDeck] = {}
        self.card_ids: dict[int, tuple[IncomingDeck, str]] = {}  # Anki card -> (deck, card id)
        self.skipped: dict[str, int] = {}
        self.media: dict[str, None] = {}  # file names the cards show, in order
        self.seen_keys: set[tuple[str, str]] = set()
        self.orphans: set[int] = set()  # cloze cards whose deletion is gone from the text
        self.left_out = LeftOut()

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1

    def deck_for(self, anki_name: str, deck_id: str | None) -> IncomingDeck:
        leaf = anki_name.split("::")[-1]
        target = deck_id or slugify(anki_name, "anki")
        deck = self.decks.get(target)
        own = self.extras.decks.get(deck_id or "")
        if deck is None and own is not None:  # as the deck file says, not as Anki shows it
            deck = self.decks[target] = IncomingDeck(
                target, own.title, own.topic, self.origin, description=own.description
            )
            deck.source = own.source
        elif deck is None:
            deck = IncomingDeck(
                deck_id=target,
                title=anki_name.replace("::", " › ") or target,
                topic=slugify(leaf, target),
                origin=self.origin,
                source=f"Anki deck '{anki_name}'",
                named=deck_id is None,
            )
            self.decks[target] = deck
        return deck

    def markdown(self, html: str) -> str:
        converted = html_to_markdown(html)
        self.media.update(dict.fromkeys(converted.media))
        return converted.text

    def note(self, note: AnkiNote, cards: list[AnkiCard]) -> None:
        notetype = self.collection.notetypes.get(note.notetype_id)
        if notetype is None:
            self.skip("notes whose note type is missing")
            return
        if _unsupported(notetype):
            self.skip(f"notes of note type '{notetype.name}' (image occlusion)")
            return
        if any(len(value) > MAX_FIELD_HTML for value in note.fields):
            # HTML to Markdown takes some 200 times a field's size in memory, and no card
            # shows that much text: a hostile field of megabytes would take gigabytes.
            self.skip(f"notes with a field longer than {MAX_FIELD_HTML // 1024} KB of HTML")
            return
        names = list(notetype.fields) + [
            f"field {i + 1}" for i in range(len(notetype.fields), len(note.fields))
        ]
        fields = dict(zip(names, note.fields, strict=False))
        plain = {n: html_to_plain(v) for n, v in fields.items() if n.lower() in PLAIN_FIELDS}
        md = {n: self.markdown(v) for n, v in fields.items() if n.lower() not in PLAIN_FIELDS}
        key = split_key(next((v for n, v in plain.items() if n.lower() == KEY_FIELD), ""))
        if key is not None:
            if key in self.seen_keys:
                self.skip("notes repeating another note's ec2cards key")
                return
            self.seen_keys.add(key)
        base = key[1] if key else anki_card_id(note.guid)
        anki_deck = self.collection.decks.get(cards[0].deck_id, "Default")
        deck = self.deck_for(anki_deck, key[0] if key else None)
        written = self.extras.entry(*key) if key else None
        if written is not None:
            self.as_written(deck, written, notetype.cloze, cards)
            return
        topics, tags = tags_and_topics(note.tags)

        def text_of(lower_names: set[str], texts: dict[str, str] = md) -> str:
            return "\n\n".join(v for n, v in texts.items() if n.lower() in lower_names and v)

        accepted = text_of(ACCEPT_FIELDS, plain)
        accept = [a.strip() for a in re.split(r"[;\n]", accepted) if a.strip()]
        common: dict[str, Any] = {
            "note": text_of(NOTE_FIELDS),
            "source": text_of(SOURCE_FIELDS, plain),
            "tags": tags,
            "topics": [t for t in topics if t != deck.topic],
        }

        if notetype.cloze:
            text = md.get(_cloze_field(notetype), "")
            try:
                text = clean_cloze(text)
            except FieldError:
                self.skip("cloze notes without a usable {{c1::...}} deletion")
                return
            entry = cloze_entry(base, text, **common)
            deck.entries.append(entry)
            yielded = set(entry_ids(entry))
            for card in cards:
                card_id = f"{base}-c{card.ord + 1}"
                if card_id in yielded:
                    self.card_ids[card.id] = (deck, card_id)
                    if card.queue == -1:
                        deck.suspended.add(card_id)
                else:  # Anki keeps it, but shows it as an empty card
                    self.orphans.add(card.id)
            return

        templates = {t.ord: t for t in notetype.templates}
        for card in cards:
            front, back = _sides(notetype, templates.get(card.ord))

            question, answer = _side(md, front), _side(md, back)
            if not question or not answer:
                self.skip("cards with an empty question or answer")
                continue
            card_id = base if card.ord == 0 else f"{base}-{card.ord + 1}"
            deck.entries.append(basic_entry(card_id, question, answer, accept=accept, **common))
            self.card_ids[card.id] = (deck, card_id)
            if card.queue == -1:
                deck.suspended.add(card_id)

    def as_written(
        self, deck: IncomingDeck, entry: dict[str, Any], cloze: bool, cards: list[AnkiCard]
    ) -> None:
        """A note of ec2cards' own package: its card as the deck file wrote it (choice and
        order cards as themselves), each Anki card on the card of its ordinal. Its suspension
        comes with its log (`own_events`), when the package has one."""
        deck.entries.append(entry)
        ids = set(entry_ids(entry))
        for card in cards:
            card_id = f"{entry['id']}-c{card.ord + 1}" if cloze else entry["id"]
            if card_id not in ids or (not cloze and card.ord != 0):
                self.orphans.add(card.id)
                continue
            self.card_ids[card.id] = (deck, card_id)

    def own_events(self) -> None:
        """The card events of an ec2cards package that Anki keeps no revlog row for."""
        cards = {
            f"{deck.deck_id}/{card_id}": (deck, card_id) for deck, card_id in self.card_ids.values()
        }
        for event in self.extras.events:
            found = cards.get(event.key)
            if found is not None and event.at <= self.now:
                deck, card_id = found
                deck.history.append(
                    HistoryItem(
                        card_id,
                        event.at,
                        None,
                        event=event.event,
                        value=event.value,
                        zone=event.zone,
                    )
                )

    def history(self, upgraded: bool) -> None:
        """Each card's log, read as Anki reads it (see `anki_history`). A v1 collection's
        answers are renumbered as Anki's importer does: when some card is not new (Anki's
        test), or always for a .colpkg (`upgraded`: Anki upgrades before studying one)."""
        collection = self.collection
        v1 = collection.scheduler_version == 1 and (collection.scheduling_included or upgraded)
        now_ms = self.now.timestamp() * 1000
        rows: dict[int, list[AnkiReview]] = {}
        for review in collection.reviews:
            if review.card_id in self.orphans:
                self.left_out.orphan_reviews += answered(review)
            elif review.card_id not in self.card_ids:
                continue  # a deleted card, or one of a note not imported (said above)
            elif review.at_ms > now_ms:
                self.left_out.future_reviews += answered(review)
            elif review.at_ms < 0:  # Anki keeps such a row; no one answered before 1970
                self.left_out.before_1970 += answered(review) or reset(review)
            else:
                rows.setdefault(review.card_id, []).append(upgrade_v1(review) if v1 else review)
        for anki_id, card_rows in rows.items():
            deck, card_id = self.card_ids[anki_id]
            found = card_history(card_id, sorted(card_rows, key=lambda r: r.at_ms))
            deck.history.extend(self.exact(replace(i, anki_card=anki_id)) for i in found.items)
            self.left_out.cramming += found.cramming
        self.left_out.orphan_cards = len(self.orphans)

    def exact(self, item: HistoryItem) -> HistoryItem:
        """The review at its exact time and in its time zone, when an ec2cards package
        says them (its revlog id moved, or fell between milliseconds)."""
        anki_id = round(item.at.timestamp() * 1000)
        moment, zone = self.extras.times.get(anki_id, item.at), self.extras.zones.get(anki_id)
        value = self.extras.values.get(anki_id, item.value)
        return replace(item, at=moment, zone=zone, value=value)


def _side(md: dict[str, str], fields: list[str]) -> str:
    shown = [md.get(name, "") for name in fields if name.lower() not in SPECIAL_FIELDS]
    return "\n\n".join(text for text in shown if text)


def convert(
    collection: AnkiCollection,
    origin: Path,
    now: datetime,
    media: dict[str, MediaFile] | None = None,
    upgraded: bool = False,
    extras: PackageExtras | None = None,
) -> Incoming:
    """The collection's notes as incoming decks (one per Anki deck), history attached, and the
    media files their cards show (`media`: the package's files by name); an ec2cards package's
    `extras` give its decks and cards as their files wrote them."""
    converter = _Converter(collection, origin, now, extras)
    by_note: dict[int, list[AnkiCard]] = {}
    for card in collection.cards:
        by_note.setdefault(card.note_id, []).append(card)
    for note in collection.notes:
        cards = by_note.get(note.id)
        if cards:
            converter.note(note, sorted(cards, key=lambda c: c.ord))
    converter.history(upgraded)
    converter.own_events()
    incoming = Incoming([d for d in converter.decks.values() if d.entries])
    available = media or {}
    incoming.media = {n: available[n] for n in converter.media if n in available}
    incoming.missing_media = {n for n in converter.media if n not in available}
    incoming.counts = converter.left_out
    for reason, count in sorted(converter.skipped.items()):
        incoming.warnings.append(f"{origin}: skipped {count} {reason}")
    return incoming
