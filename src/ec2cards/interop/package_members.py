"""Reading a member of a package, never more of it than a limit.

A package is untrusted input: the sizes a zip (or a zstd frame) declares can lie, and a few
kilobytes of zip can hold gigabytes of zeros. So every member is read as a stream, counted while
it is read, and refused in one line as soon as it passes its limit; nothing is ever read whole
before it is counted. zstd frames are decompressed with a bounded window too, so a frame header
cannot make the decompressor itself take the memory.
"""

from __future__ import annotations

import struct
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from ec2cards.interop.common import ImportFailed

CHUNK = 1 << 20
MAX_WINDOW = 1 << 26  # zstd's window: Anki writes a few MB; a hostile header may ask for 2 GB
MB = 1024**2
MAX_DIRECTORY_BYTES = 8 * MB  # the zip's list of members: some 150,000 of them
END = b"PK\x05\x06"  # the end of central directory record
END64_LOCATOR, END64 = b"PK\x06\x07", b"PK\x06\x06"


class TooLarge(ImportFailed):
    """A member larger than its limit; the message names the package and the member."""


def size_words(limit: int) -> str:
    """A limit as people read it: '16 MB', '4 GB'."""
    if limit >= 1024**3 and limit % 1024**3 == 0:
        return f"{limit // 1024**3} GB"
    return f"{max(limit // MB, 1)} MB"


def directory_size(path: Path) -> int:
    """The size of the zip's central directory, as its end record says, read before the zip
    is opened: the zip module reads a record of every member at once (some 550 bytes of
    memory each), so a zip of a million empty members would take gigabytes. The module itself
    reads the directory by this size. 0 when there is no end record (then it is no zip)."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        start = max(size - 22 - 0xFFFF, 0)
        handle.seek(start)
        tail = handle.read()
        at = tail.rfind(END)
        if at < 0 or len(tail) - at < 22:
            return 0
        (directory,) = struct.unpack("<L", tail[at + 12 : at + 16])
        if at >= 20 and tail[at - 20 : at - 16] == END64_LOCATOR:  # zip64: the zip module's
            (offset,) = struct.unpack("<Q", tail[at - 12 : at - 4])
            handle.seek(offset)
            record = handle.read(56)
            if len(record) == 56 and record[:4] == END64:
                (directory,) = struct.unpack("<Q", record[40:48])
        return int(directory)


@contextmanager
def open_member(archive: zipfile.ZipFile, member: str, zstd: bool) -> Iterator[IO[bytes]]:
    """The member as a stream, decompressed from zstd when `zstd`."""
    with archive.open(member) as raw:
        if not zstd:
            yield raw
            return
        import zstandard

        decompressor = zstandard.ZstdDecompressor(max_window_size=MAX_WINDOW)
        with decompressor.stream_reader(raw) as reader:
            yield reader  # type: ignore[misc]


def chunks(
    archive: zipfile.ZipFile, member: str, limit: int, too_large: str, zstd: bool = False
) -> Iterator[bytes]:
    """The member's bytes in chunks, counted as they come: past `limit`, TooLarge(too_large).
    A declared size over the limit is refused before anything is read."""
    if archive.getinfo(member).file_size > limit and not zstd:
        raise TooLarge(too_large)
    total = 0
    with open_member(archive, member, zstd) as stream:
        while chunk := stream.read(CHUNK):
            total += len(chunk)
            if total > limit:
                raise TooLarge(too_large)
            yield chunk


def read_member(
    archive: zipfile.ZipFile, member: str, limit: int, too_large: str, zstd: bool = False
) -> bytes:
    """A small member (a media list, `meta`) whole, if it is within `limit`."""
    return b"".join(chunks(archive, member, limit, too_large, zstd))
