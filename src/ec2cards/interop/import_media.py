"""The media files of an import: which to copy into the data folder's `media/`, under which
name, and the copying itself (undone with the deck files if the import fails).

A file keeps its Anki name, so that a card's `[image: name]` finds it. A file of that name
already there with the same content is not copied again (importing twice copies nothing);
one with other content keeps its place, and the new file is named after its content
(`name-1a2b3c4d.png`), its cards' placeholders renamed with it, as Anki does on a clash.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ec2cards.files import WriteError, atomic_path
from ec2cards.interop import anki_media
from ec2cards.interop.anki_media import copy_media_file, file_sha1, media_sha1
from ec2cards.interop.common import Incoming, MediaFile
from ec2cards.interop.html_text import placeholder

KINDS = ("image", "sound", "video")
TEXT_FIELDS = ("q", "a", "text", "note")


@dataclass
class MediaPlan:
    copies: list[tuple[MediaFile, Path]] = field(default_factory=list)
    present: int = 0  # already in the media folder, the same file
    missing: set[str] = field(default_factory=set)  # named by cards, in none of the files


def plan_media(incoming: Sequence[Incoming], folder: Path) -> MediaPlan:
    """Decide every copy (reading only the files whose names clash)."""
    plan = MediaPlan()
    planned: dict[str, MediaFile] = {}  # target name -> the file to be copied there
    digests: dict[str, str] = {}

    def digest_of(media: MediaFile) -> str:
        key = f"{media.package}:{media.member}"
        if key not in digests:
            digests[key] = media_sha1(media)
        return digests[key]

    def holds(name: str, media: MediaFile) -> bool | None:
        """Whether `name` already holds this file (True), another (False), or nothing."""
        if name in planned:
            return digest_of(planned[name]) == digest_of(media)
        existing = folder / name
        if existing.is_file():
            return file_sha1(existing) == digest_of(media)
        return None

    for one in incoming:
        renames: dict[str, str] = {}
        for name, media in one.media.items():
            target = name
            held = holds(name, media)
            if held is False:
                stem, suffix = Path(name).stem, Path(name).suffix
                target = f"{stem}-{digest_of(media)[:8]}{suffix}"
                renames[name] = target
                held = holds(target, media)
            if held:
                plan.present += target not in planned
                continue
            planned[target] = media
            plan.copies.append((media, folder / target))
        if renames:
            _rename(one, renames)
        plan.missing |= one.missing_media
    return plan


def _rename(incoming: Incoming, renames: dict[str, str]) -> None:
    """Point the cards' placeholders at the files' new names."""
    pairs = [
        (placeholder(kind, old), placeholder(kind, new))
        for old, new in renames.items()
        for kind in KINDS
    ]

    def renamed(text: Any) -> Any:
        if not isinstance(text, str):
            return text
        for old, new in pairs:
            text = text.replace(old, new)
        return text

    for deck in incoming.decks:
        for entry in deck.entries:
            for name in TEXT_FIELDS:
                if name in entry:
                    entry[name] = renamed(entry[name])


def copy_media(plan: MediaPlan) -> list[Path]:
    """Copy every planned file, each streamed (never whole in memory) and replaced whole;
    returns the files made, which `remove_media` takes away again if the import fails after
    all. On a failure here, the files already made are removed before the error goes on."""
    made: list[Path] = []
    budget = anki_media.MAX_MEDIA_TOTAL  # what all the copies may still take, however the zip lies
    try:
        for media, target in plan.copies:
            with atomic_path(target) as temp:
                try:
                    with temp.open("wb") as out:
                        budget -= copy_media_file(media, out, budget)
                except OSError as error:  # a full disk, most often
                    raise WriteError(target, error.strerror or str(error)) from None
            made.append(target)
    except BaseException:
        remove_media(made)
        raise
    return made


def remove_media(made: Sequence[Path]) -> None:
    """Best effort: the error that brought us here matters more."""
    for path in made:
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)
