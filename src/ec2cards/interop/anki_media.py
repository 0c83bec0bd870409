"""The media files of an Anki package: which member of the zip holds which file, and copying one.

Two layouts exist. Legacy packages (no `meta` member, or `meta` saying version 1 or 2) map
member names to file names in a JSON `media` member: `{"0": "x.png"}`, member `0` being the
file as it is. Current packages (`meta` version 3) keep a zstd-compressed protobuf list in
`media`, each entry a name, a size and a SHA-1, the i-th entry's data in member `i`, itself
zstd-compressed. A package without a `media` member has no media.

Every read is bounded (`package_members`): the list, each file, and all the files an import
copies, so that a zip bomb is one line, never the memory or the disk.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from ec2cards.interop.anki_collection import protobuf_fields
from ec2cards.interop.common import ImportFailed, MediaFile
from ec2cards.interop.html_text import media_name
from ec2cards.interop.package_members import MB, TooLarge, chunks, read_member, size_words

MAX_MEDIA_BYTES = 512 * MB  # one file; more is not an image on a flashcard
MAX_MEDIA_TOTAL = 4 * 1024**3  # every file one import copies
MAX_LIST_BYTES = 16 * MB  # the media list: some 300,000 names
MAX_META_BYTES = MB  # `meta`: a version number
LATEST = 3


def package_version(archive: zipfile.ZipFile) -> int:
    """1 (collection.anki2), 2 (collection.anki21) or 3 (collection.anki21b, zstd)."""
    names = set(archive.namelist())
    if "meta" in names:
        too_large = (
            f"{archive.filename}: its 'meta' member is larger than {size_words(MAX_META_BYTES)},"
            " more than any Anki writes; nothing imported"
        )
        meta = read_member(archive, "meta", MAX_META_BYTES, too_large)
        values = protobuf_fields(meta).get(1, [0])
        return int(values[0]) if isinstance(values[0], int) else 0
    return 2 if "collection.anki21" in names else 1


def media_files(archive: zipfile.ZipFile, package: Path) -> dict[str, MediaFile]:
    """File name -> where it is in the package; names that are not plain file names are
    left out (Anki refuses them too)."""
    names = set(archive.namelist())
    if "media" not in names:
        return {}
    latest = package_version(archive) >= LATEST
    too_large = (
        f"{package}: its media list is larger than {size_words(MAX_LIST_BYTES)}, more than"
        " any Anki writes; nothing imported"
    )
    raw = read_member(archive, "media", MAX_LIST_BYTES, too_large, zstd=latest)
    found: dict[str, MediaFile] = {}
    if not latest:
        listed: dict[str, Any] = json.loads(raw.decode("utf-8") or "{}")
        for member, name in listed.items():
            safe = media_name(str(name))
            if safe is not None and member in names:
                found[safe] = MediaFile(safe, package, member, compressed=False)
        return found
    entries = [v for v in protobuf_fields(raw).get(1, []) if isinstance(v, bytes)]
    for index, entry in enumerate(entries):
        fields = protobuf_fields(entry)
        name = fields.get(1, [b""])[0]
        digest = fields.get(3, [b""])[0]
        member = str(fields.get(255, [index])[0])
        safe = media_name(name.decode("utf-8", "replace")) if isinstance(name, bytes) else None
        if safe is not None and member in names:
            sha1 = digest.hex() if isinstance(digest, bytes) and digest else None
            found[safe] = MediaFile(safe, package, member, compressed=True, sha1=sha1)
    return found


def media_chunks(media: MediaFile, budget: int | None = None) -> Iterator[bytes]:
    """One file out of its package, decompressed, in chunks; at most MAX_MEDIA_BYTES, and at
    most `budget` (what is left of MAX_MEDIA_TOTAL for the import). Its SHA-1 is checked
    when the last chunk has come: a caller keeps nothing until the stream has ended."""
    import zstandard

    shown = f"{media.package}: media file {media.name}"
    budget = MAX_MEDIA_TOTAL if budget is None else budget
    if budget < MAX_MEDIA_BYTES:
        too_large = (
            f"{media.package}: the media files to copy come to more than"
            f" {size_words(MAX_MEDIA_TOTAL)}; nothing imported"
        )
    else:
        too_large = f"{shown} is larger than {size_words(MAX_MEDIA_BYTES)}; nothing imported"
    limit = min(budget, MAX_MEDIA_BYTES)
    hasher = hashlib.sha1()
    try:
        with zipfile.ZipFile(media.package) as archive:
            for chunk in chunks(archive, media.member, limit, too_large, media.compressed):
                hasher.update(chunk)
                yield chunk
    except TooLarge:
        raise
    except (KeyError, zipfile.BadZipFile, zstandard.ZstdError, OSError, EOFError) as error:
        raise ImportFailed(f"{shown} is damaged ({error})") from None
    if media.sha1 and hasher.hexdigest() != media.sha1:
        raise ImportFailed(f"{shown} is damaged")


def copy_media_file(media: MediaFile, out: IO[bytes], budget: int | None = None) -> int:
    """Stream one file into `out`, checked; the number of bytes written."""
    size = 0
    for chunk in media_chunks(media, budget):
        out.write(chunk)
        size += len(chunk)
    return size


def media_sha1(media: MediaFile) -> str:
    """The file's SHA-1: the one its package lists, or one read from its bytes."""
    if media.sha1:
        return media.sha1
    hasher = hashlib.sha1()
    for chunk in media_chunks(media):
        hasher.update(chunk)
    return hasher.hexdigest()


def file_sha1(path: Path) -> str:
    """A file's SHA-1, read in chunks (a file in the media folder may be large)."""
    hasher = hashlib.sha1()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            hasher.update(chunk)
    return hasher.hexdigest()


def same_content(media: MediaFile, existing: Path) -> bool:
    """Whether a file already in the media folder is this one (then it needs no copy)."""
    if not existing.is_file():
        return False
    with existing.open("rb") as other:
        for chunk in media_chunks(media):
            if other.read(len(chunk)) != chunk:
                return False
        return other.read(1) == b""
