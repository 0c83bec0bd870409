"""The media files of an Anki package: which member of the zip holds which file, and copying one.

Two layouts exist. Legacy packages (no `meta` member, or `meta` saying version 1 or 2) map
member names to file names in a JSON `media` member: `{"0": "x.png"}`, member `0` being the
file as it is. Current packages (`meta` version 3) keep a zstd-compressed protobuf list in
`media`, each entry a name, a size and a SHA-1, the i-th entry's data in member `i`, itself
zstd-compressed. A package without a `media` member has no media.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path
from typing import Any

from ec2cards.interop.anki_collection import protobuf_fields
from ec2cards.interop.common import ImportFailed, MediaFile
from ec2cards.interop.html_text import media_name

MAX_MEDIA_BYTES = 512 * 1024**2  # one file; more is not an image on a flashcard
LATEST = 3


def package_version(archive: zipfile.ZipFile) -> int:
    """1 (collection.anki2), 2 (collection.anki21) or 3 (collection.anki21b, zstd)."""
    names = set(archive.namelist())
    if "meta" in names:
        values = protobuf_fields(archive.read("meta")).get(1, [0])
        return int(values[0]) if isinstance(values[0], int) else 0
    return 2 if "collection.anki21" in names else 1


def _unzstd(data: bytes) -> bytes:
    import zstandard

    with zstandard.ZstdDecompressor().stream_reader(data) as reader:
        return bytes(reader.read())


def media_files(archive: zipfile.ZipFile, package: Path) -> dict[str, MediaFile]:
    """File name -> where it is in the package; names that are not plain file names are
    left out (Anki refuses them too)."""
    names = set(archive.namelist())
    if "media" not in names:
        return {}
    raw = archive.read("media")
    found: dict[str, MediaFile] = {}
    if package_version(archive) < LATEST:
        listed: dict[str, Any] = json.loads(raw.decode("utf-8") or "{}")
        for member, name in listed.items():
            safe = media_name(str(name))
            if safe is not None and member in names:
                found[safe] = MediaFile(safe, package, member, compressed=False)
        return found
    entries = [v for v in protobuf_fields(_unzstd(raw)).get(1, []) if isinstance(v, bytes)]
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


def media_bytes(media: MediaFile) -> bytes:
    """One file out of its package, decompressed and checked against its SHA-1."""
    import zstandard

    try:
        with zipfile.ZipFile(media.package) as archive, archive.open(media.member) as raw:
            if media.compressed:
                with zstandard.ZstdDecompressor().stream_reader(raw) as reader:
                    data = reader.read(MAX_MEDIA_BYTES + 1)
            else:
                data = raw.read(MAX_MEDIA_BYTES + 1)
    except (KeyError, zipfile.BadZipFile, zstandard.ZstdError) as error:
        shown = f"{media.package}: media file {media.name}"
        raise ImportFailed(f"{shown} is damaged ({error})") from None
    if len(data) > MAX_MEDIA_BYTES:
        raise ImportFailed(f"{media.package}: media file {media.name} is too large to copy")
    if media.sha1 and hashlib.sha1(data).hexdigest() != media.sha1:
        raise ImportFailed(f"{media.package}: media file {media.name} is damaged")
    return bytes(data)


def same_content(media: MediaFile, existing: Path) -> bool:
    """Whether a file already in the media folder is this one (then it needs no copy)."""
    return existing.is_file() and media_bytes(media) == existing.read_bytes()
