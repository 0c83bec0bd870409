"""`ec2cards import`: read every file first, plan every change, then write it all or nothing.

Planning reads and checks: each file is parsed, each incoming deck is matched with the deck of
the same id (cards already there are left alone, so importing twice adds nothing), the media
files to copy are chosen (`import_media`), and every deck file to write is checked with the
deck loader. Only then does anything change (`import_apply`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from ec2cards.config.paths import media_dir, user_decks_dir
from ec2cards.decks.entries import (
    append_entries,
    check_text,
    deck_text,
    entry_ids,
    read_exact,
)
from ec2cards.decks.fields import slug_error
from ec2cards.decks.sources import default_sources, load_sources
from ec2cards.errors import DeckError, Problem, UsageError
from ec2cards.files import special_kind
from ec2cards.interop.common import (
    HistoryItem,
    ImportFailed,
    Incoming,
    IncomingDeck,
    LeftOut,
    is_slug,
)
from ec2cards.interop.import_media import MediaPlan, plan_media
from ec2cards.model.cards import Card
from ec2cards.model.decks import Deck
from ec2cards.model.wording import plural

KINDS = {
    ".yaml": "yaml",
    ".yml": "yaml",
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
    ".apkg": "anki",
    ".colpkg": "anki",
}


@dataclass
class DeckChange:
    """What the import does to one deck: a new file, cards appended, or nothing."""

    deck_id: str
    path: Path
    text: str | None  # the file's new text; None when nothing is written
    original: str | None  # the file's text before (None for a new file)
    added: int = 0  # cards added
    present: int = 0  # cards already there
    card_ids: set[str] = field(default_factory=set)  # every card id of the deck afterwards
    bundled: bool = False


@dataclass
class ImportPlan:
    files: list[Path]
    changes: list[DeckChange]
    history: dict[str, list[HistoryItem]]  # card key -> its imported events, oldest first
    suspended: set[str]  # card keys
    warnings: list[str]
    media: MediaPlan = field(default_factory=MediaPlan)
    left_out: LeftOut = field(default_factory=LeftOut)


def import_files(paths: Sequence[Path]) -> list[Path]:
    """The files to import: those named, and the importable files of folders named."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in KINDS)
            if not found:
                raise UsageError(
                    f"{path}: no file to import in this folder (looked for"
                    f" {', '.join(sorted(KINDS))})"
                )
            files.extend(found)
        elif not path.exists():
            raise UsageError(f"{path}: no such file or folder")
        elif kind := special_kind(path):
            raise UsageError(f"{path}: is {kind}, not a file to import; give a file or a folder")
        elif path.suffix.lower() not in KINDS:
            raise UsageError(
                f"{path}: cannot import a '{path.suffix or 'extensionless'}' file; give a YAML"
                " deck, an Anki 'Notes in Plain Text' export (.txt, .csv, .tsv) or an Anki package"
                " (.apkg, .colpkg)"
            )
        else:
            files.append(path)
    return list(dict.fromkeys(files))


def read_file(path: Path, now: datetime, home: Path) -> Incoming:
    """One file's decks; a package's collection is unpacked in the data folder `home`."""
    kind = KINDS[path.suffix.lower()]
    if kind == "yaml":
        from ec2cards.interop.yaml_io import read_yaml_deck

        return read_yaml_deck(path)
    if kind == "csv":
        from ec2cards.interop.csv_notes import read_notes

        return read_notes(path, now)
    from ec2cards.interop.anki_read import read_package

    return read_package(path, now, home)


# -- planning ----------------------------------------------------------------------------------


def _merge(
    decks: list[IncomingDeck], deck_id: str, topic: str | None, gathered: bool
) -> IncomingDeck:
    """Several incoming decks as one. Gathered by --deck, the deck's topic is --topic or its id
    and each card keeps the topic of the Anki deck it came from as an extra topic; otherwise
    (two files with one Anki deck) the decks' common title and topic stay."""
    first = decks[0]
    alike = not gathered and len({(d.title, d.topic) for d in decks}) == 1
    merged_topic = topic or (first.topic if alike else deck_id)
    merged = IncomingDeck(
        deck_id=deck_id,
        title=first.title if alike else deck_id.replace("-", " ").capitalize(),
        topic=merged_topic,
        origin=first.origin,
        source=first.source if len({d.source for d in decks}) == 1 else "",
        description=first.description if len(decks) == 1 else "",
    )
    taken: set[str] = set()
    for deck in decks:
        # Cards with the same explicit id in two of the decks are different cards: the later
        # one gets its old deck's id in front, and its history follows it.
        renamed: dict[str, str] = {}
        for entry in deck.entries:
            ids = entry_ids(entry)
            if "id" in entry and set(ids) & taken:
                renamed[entry["id"]] = f"{deck.deck_id}-{entry['id']}"
            taken |= set(ids)

        def new_id(card_id: str, renamed: dict[str, str] = renamed) -> str:
            for old, new in renamed.items():
                if card_id == old or card_id.startswith(old + "-c"):
                    return new + card_id[len(old) :]
            return card_id

        for entry in deck.entries:
            copy = dict(entry)
            if "id" in copy:
                copy["id"] = new_id(copy["id"])
            topics = [t for t in copy.get("topics", []) if t != merged_topic]
            if deck.topic != merged_topic and is_slug(deck.topic) and not deck.file_named:
                topics = [deck.topic, *[t for t in topics if t != deck.topic]]
            if topics:
                copy["topics"] = topics
            else:
                copy.pop("topics", None)
            if deck.source and deck.source != merged.source and "source" not in copy:
                copy["source"] = deck.source
            merged.entries.append(copy)
        merged.history.extend(replace(item, card_id=new_id(item.card_id)) for item in deck.history)
        merged.suspended |= {new_id(card_id) for card_id in deck.suspended}
    return merged


def _free_path(folder: Path, name: str, taken: set[Path]) -> Path:
    stem, suffix = Path(name).stem, Path(name).suffix or ".yaml"
    candidate = folder / f"{stem}{suffix}"
    number = 2
    while candidate.exists() or candidate in taken:
        candidate = folder / f"{stem}-{number}{suffix}"
        number += 1
    return candidate


def _unique_entries(deck: IncomingDeck) -> tuple[list[dict[str, Any]], int]:
    """The entries whose card ids are new within this import; how many repeated earlier ones."""
    seen: set[str] = set()
    kept: list[dict[str, Any]] = []
    repeated = 0
    for entry in deck.entries:
        ids = set(entry_ids(entry))
        if ids & seen:
            repeated += 1
            continue
        seen |= ids
        kept.append(entry)
    return kept, repeated


def plan_import(
    paths: Sequence[Path],
    home: Path,
    now: datetime,
    deck_id: str | None = None,
    topic: str | None = None,
) -> ImportPlan:
    """Read and check everything; decide every change. Writes nothing."""
    for value, what in ((deck_id, "the --deck id"), (topic, "the --topic")):
        problem = slug_error(value, what) if value else None
        if problem:
            raise UsageError(problem)
    files = import_files(paths)
    incoming = [read_file(path, now, home) for path in files]
    warnings = [w for inc in incoming for w in inc.warnings]
    left_out = LeftOut()
    for inc in incoming:
        left_out.add(inc.counts)
    media = plan_media(incoming, media_dir(home))  # may rename files, and so card text
    arriving = [deck for inc in incoming for deck in inc.decks]
    if not arriving:
        raise ImportFailed(f"{', '.join(map(str, files))}: no cards to import")

    existing_decks, problems = load_sources(default_sources(home))
    if problems:
        raise DeckError(problems)
    existing = {deck.deck_id: deck for deck in existing_decks}
    for deck in arriving:
        # An Anki deck called "Networking" is not the bundled networking deck: keep them apart.
        there = existing.get(deck.deck_id)
        if deck.named and there is not None and there.bundled:
            deck.deck_id += "-anki"

    targets = _targets(arriving, deck_id, topic)
    folder = user_decks_dir(home)
    changes: list[DeckChange] = []
    taken: set[Path] = set()
    for target in targets:
        there = existing.get(target.deck_id)
        changes.append(_plan_deck(target, there, folder, taken, now, warnings))
        taken.add(changes[-1].path)

    # Check every file to write, as the loader will read it.
    found: list[Problem] = []
    for change in changes:
        if change.text is None:
            continue
        checked, problems = check_text(change.text, change.path)
        found.extend(problems)
        change.card_ids = {card.card_id for card in checked.cards}
    if found:
        raise DeckError(found)

    history, suspended = _history_of(targets, changes)
    return ImportPlan(files, changes, history, suspended, warnings, media, left_out)


def _targets(
    arriving: list[IncomingDeck], deck_id: str | None, topic: str | None
) -> list[IncomingDeck]:
    """Which decks the cards go to: each to its own, or all to one with --deck; --topic
    retargets them."""
    groups: dict[str, list[IncomingDeck]] = {}
    for deck in arriving:
        groups.setdefault(deck_id or deck.deck_id, []).append(deck)
    targets: list[IncomingDeck] = []
    for target_id, decks in groups.items():
        if len(decks) == 1 and decks[0].raw_text is not None:
            single = decks[0]
            if deck_id or topic:
                from ec2cards.interop.yaml_io import retarget

                assert single.raw_text is not None
                single.raw_text = retarget(single.raw_text, single.origin, deck_id, topic)
                single.deck_id = target_id
                single.topic = topic or single.topic
            targets.append(single)
        elif len(decks) == 1 and not deck_id:
            if topic:
                decks[0].topic = topic
            targets.append(decks[0])
        else:
            targets.append(_merge(decks, target_id, topic, gathered=bool(deck_id)))
    return targets


def _history_of(
    targets: list[IncomingDeck], changes: list[DeckChange]
) -> tuple[dict[str, list[HistoryItem]], set[str]]:
    """The review history and the suspended cards of what is written, by card key, each
    card's history in time order."""
    history: dict[str, list[HistoryItem]] = {}
    suspended: set[str] = set()
    for target, change in zip(targets, changes, strict=True):
        for item in target.history:
            if item.card_id in change.card_ids:
                history.setdefault(f"{change.deck_id}/{item.card_id}", []).append(item)
        suspended |= {f"{change.deck_id}/{c}" for c in target.suspended if c in change.card_ids}
    for items in history.values():
        items.sort(key=lambda item: item.at)  # stable: a forget stays before its review
    return history, suspended


def _differing(target: IncomingDeck, there: Deck) -> list[str]:
    """The ids of the YAML deck's cards that the deck of the same id has with other content
    (text, answers, topics, ...): such a file is not "already there", whatever its ids say."""
    assert target.raw_text is not None
    checked, _ = check_text(target.raw_text, target.origin)
    have = {card.card_id: _content(card) for card in there.cards}
    return [
        card.card_id
        for card in checked.cards
        if card.card_id in have and have[card.card_id] != _content(card)
    ]


def _content(card: Card) -> Card:
    return replace(card, path=None, line=0, position=0)


def _plan_deck(
    target: IncomingDeck,
    there: Deck | None,
    folder: Path,
    taken: set[Path],
    now: datetime,
    warnings: list[str],
) -> DeckChange:
    if target.raw_text is not None:
        ids = {i for entry in target.entries for i in entry_ids(entry)}
        if there is not None:
            differing = _differing(target, there)
            if ids <= {card.card_id for card in there.cards} and not differing:
                return DeckChange(
                    target.deck_id,
                    there.path,
                    None,
                    None,
                    present=len(ids),
                    card_ids={c.card_id for c in there.cards},
                    bundled=there.bundled,
                )
            where = "a deck that comes with ec2cards" if there.bundled else str(there.path)
            if differing:
                shown = ", ".join(differing[:3]) + (" …" if len(differing) > 3 else "")
                where += f", with other text for {plural(len(differing), 'card')} ({shown})"
            raise ImportFailed(
                f"{target.origin}: deck id '{target.deck_id}' is already used by {where};"
                " nothing imported (import it under another id with --deck NEW-ID)"
            )
        path = _free_path(folder, target.origin.name, taken)
        return DeckChange(target.deck_id, path, target.raw_text, None, added=len(ids))

    entries, repeated = _unique_entries(target)
    if repeated:
        warnings.append(
            f"{target.origin}: skipped {repeated} cards that repeat another card of the import"
        )
    if there is not None:
        have = {card.card_id for card in there.cards}
        new = [e for e in entries if not set(entry_ids(e)) & have]
        present = sum(len(entry_ids(e)) for e in entries if set(entry_ids(e)) & have)
        added = sum(len(entry_ids(e)) for e in new)
        if not new:
            return DeckChange(
                target.deck_id,
                there.path,
                None,
                None,
                present=present,
                card_ids=have,
                bundled=there.bundled,
            )
        if there.bundled:
            raise ImportFailed(
                f"{target.origin}: deck '{target.deck_id}' comes with ec2cards and takes no new"
                " cards; nothing imported (import into a deck of your own with --deck NAME)"
            )
        original = read_exact(there.path)
        text = append_entries(original, new, there.path)
        return DeckChange(target.deck_id, there.path, text, original, added, present)
    header = (
        f"Imported by ec2cards from {target.origin.name} on {now.date().isoformat()}.\n"
        "Edit it as you like: importing the same file again adds only the cards not here yet."
    )
    text = deck_text(
        target.deck_id,
        target.title,
        target.topic,
        entries,
        description=target.description,
        source=target.source,
        header=header,
    )
    path = _free_path(folder, f"{target.deck_id}.yaml", taken)
    added = sum(len(entry_ids(e)) for e in entries)
    return DeckChange(target.deck_id, path, text, None, added)
