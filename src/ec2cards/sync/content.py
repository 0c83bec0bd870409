"""The decks' cards as notes of the shadow: added, changed and removed as the YAML says (the
decks are the truth for content), one deck at a time, and only decks whose file changed since
the last sync (or all of them after a full download). Notes of other note types and decks are
never touched: what the user keeps in Anki besides ec2cards' cards is theirs."""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable, Mapping
from typing import NamedTuple

from ec2cards.interop.anki_notes import note_key
from ec2cards.model.cards import CardKind, card_number
from ec2cards.model.decks import Collection as Decks
from ec2cards.model.decks import Deck
from ec2cards.sync.shadow import Shadow, ShadowCard

NOTES_VERSION = 1  # raise when notes are built differently: every deck is written again


class Applied(NamedTuple):
    added: int  # cards
    updated: int  # cards whose note or deck changed
    removed: int  # cards
    new_keys: set[str]  # keys of the cards added
    reset: int  # notes edited in Anki that the decks' text replaced


def deck_stamps(decks: Iterable[Deck]) -> dict[str, str]:
    """A stamp per deck that changes whenever its file does (path, size, mtime)."""
    stamps = {}
    for deck in decks:
        try:
            status = os.stat(deck.path)
            stamps[deck.deck_id] = (
                f"{NOTES_VERSION}:{deck.path}:{status.st_size}:{status.st_mtime_ns}"
            )
        except OSError:
            stamps[deck.deck_id] = f"{NOTES_VERSION}:{deck.path}:?"
    return stamps


def digests(present: Mapping[str, ShadowCard]) -> dict[str, str]:
    """A digest per deck of its notes as the shadow holds them (GUIDs, fields, tags): after a
    full download, a deck whose digest and file are what they were needs no notes built."""
    import hashlib

    notes: dict[str, dict[str, str]] = {}
    for key, found in present.items():
        text = "\x1f".join(found.fields) + "\x1e" + " ".join(sorted(found.tags.split()))
        notes.setdefault(key.partition("/")[0], {})[found.guid] = text
    return {
        deck: hashlib.blake2b(repr(sorted(held.items())).encode(), digest_size=12).hexdigest()
        for deck, held in notes.items()
    }


def apply_content(
    shadow: Shadow,
    decks: Decks,
    scope: Collection[str] | None,
    edited: Collection[str] = (),
    present: Mapping[str, ShadowCard] | None = None,
    numbers: Mapping[str, int] | None = None,
) -> Applied:
    """Make the shadow's notes of the decks in `scope` (None: every deck) what the decks say.
    A deck that no longer loads keeps its notes; a deck that is gone loses them. `edited`:
    GUIDs of notes changed in Anki since the last sync, counted when set back; `present`:
    ec2cards' cards in the shadow, if already read; `numbers`: the Anki ids cards had before
    (adopted from an export), given again to a card that comes back."""
    from ec2cards.interop.export_notes import build_notes

    shadow.ensure_notetypes()
    skipped = {s.deck_id for s in decks.skipped if s.deck_id}
    current = {deck.deck_id for deck in decks.decks}
    chosen = [d for d in decks.decks if scope is None or d.deck_id in scope]
    cards = [card for deck in chosen for card in deck.cards]
    ordinals: dict[str, list[tuple[str, int]]] = {}
    for card in cards:
        ordinal = card.cloze_number - 1 if card.kind is CardKind.CLOZE else 0
        ordinals.setdefault(note_key(card), []).append((card.key, ordinal))
    notes = build_notes(cards)
    if present is None:
        present = shadow.cards()
    by_guid: dict[str, list[ShadowCard]] = {}
    for found in present.values():
        by_guid.setdefault(found.guid, []).append(found)

    wanted = {card.key for card in cards}
    gone_notes, gone_cards = _gone(present, by_guid, wanted, scope, current, skipped)

    additions = []
    changes = {}
    moves: dict[int, list[int]] = {}
    first_key: dict[int, str] = {}
    updated = reset = 0
    for note in notes:
        notetype = shadow.notetype_for(note.cloze)
        fields, tags = note.fields(), list(note.tags)
        deck = shadow.deck(note.deck)
        existing = by_guid.get(note.guid, [])
        if existing and existing[0].notetype != notetype:  # another kind of card now
            gone_notes.add(existing[0].note_id)
            existing = []
        if not existing:
            additions.append((note.key, notetype, note.guid, fields, tags, deck))
            continue
        first = existing[0]
        first_key[first.note_id] = note.key
        touched = False
        if first.fields != fields or set(first.tags.split()) != set(tags):
            changes[first.note_id] = (fields, tags)
            touched = True
            reset += note.guid in edited
        for found in existing:
            if found.deck != deck and not found.filtered:
                moves.setdefault(deck, []).append(found.card_id)
                touched = True
        updated += len(existing) if touched else 0

    removed = sum(1 for c in present.values() if c.card_id in gone_cards or c.note_id in gone_notes)
    shadow.remove(gone_notes, gone_cards)
    shadow.update_notes(changes)
    shadow.move(moves)
    note_ids = shadow.add_notes([a[1:] for a in additions])
    key_of_note = dict(zip(note_ids, (a[0] for a in additions), strict=True))
    # an edited cloze note may have gained a deletion: its card is new too
    key_of_note.update((nid, first_key[nid]) for nid in changes)
    had = {found.card_id for found in present.values()}
    new_keys = _renumber(shadow, key_of_note, ordinals, had, numbers or {})
    return Applied(len(new_keys), updated, removed, new_keys, reset)


def _gone(
    present: Mapping[str, ShadowCard],
    by_guid: Mapping[str, list[ShadowCard]],
    wanted: Collection[str],
    scope: Collection[str] | None,
    current: Collection[str],
    skipped: Collection[str],
) -> tuple[set[int], set[int]]:
    """The notes and the single cards of the shadow that the decks no longer have: in scope (or
    of a deck that is gone), not of a deck that fails to load, and not wanted. A note all of
    whose cards go goes whole."""
    gone_notes: set[int] = set()
    gone_cards: set[int] = set()
    for key, found in present.items():
        deck_id = key.partition("/")[0]
        in_scope = scope is None or deck_id in scope or deck_id not in current
        if in_scope and deck_id not in skipped and key not in wanted:
            gone_cards.add(found.card_id)
    for found_cards in by_guid.values():
        if all(c.card_id in gone_cards for c in found_cards):
            gone_notes.add(found_cards[0].note_id)
            gone_cards.difference_update(c.card_id for c in found_cards)
    return gone_notes, gone_cards


def _renumber(
    shadow: Shadow,
    key_of_note: dict[int, str],
    ordinals: dict[str, list[tuple[str, int]]],
    had: set[int],
    numbers: Mapping[str, int],
) -> set[str]:
    """The keys of the cards these notes gained, each card given the id its key numbers (the
    seed of its fuzz), or the Anki id it had before (`numbers`), so that a card back in the
    decks finds its history in Anki again. Cards the shadow `had` keep theirs: they may be on
    the server already."""
    wanted: dict[int, int] = {}
    keys: set[str] = set()
    for cid, nid, ordinal in shadow.new_cards(list(key_of_note)):
        if cid in had:
            continue
        key = {o: k for k, o in ordinals.get(key_of_note[nid], [])}.get(ordinal)
        if key is not None:  # else a card Anki made that no deck has (an empty cloze number)
            wanted[cid] = numbers.get(key) or card_number(key)
            keys.add(key)
    shadow.renumber(wanted)
    return keys
