"""Replacing a file whole: the one way ec2cards writes a file that must never be half-written.

The new text goes to a temp file with a unique name in the target's own folder (so that the
rename cannot cross file systems), which is flushed to disk, renamed over the target, and then
the folder is flushed too, so that a crash or a power cut leaves the old file or the new one,
never a mix and never neither. A symlink is written through: its target is replaced and the
link stays (a deck or config.toml linked into a git repository stays a link). A device, FIFO or
socket is refused, since renaming over it would replace the node itself (as root, even a
system device). The mode of the file replaced is kept; a new file gets the umask's mode, or
the mode asked for. On any failure the temp file is removed and the target is as it was.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ec2cards.errors import Ec2CardsError

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
)
_WRITER = re.compile(r"\.(\d+)-[0-9a-f]{8}\.tmp$")  # a temp file's writer: its process id


class WriteError(Ec2CardsError):
    """The file could not be written; the target is as it was. `reason` is the system's word."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: cannot write ({reason}); nothing changed")


class NotAFileError(Ec2CardsError):
    """The target is a device, FIFO, socket or folder: nothing is written to it or over it."""

    def __init__(self, path: Path, kind: str, target: Path | None = None) -> None:
        self.path = path
        shown = f"{path} (a link to {target})" if target is not None else str(path)
        super().__init__(
            f"{shown}: is {kind}, not a regular file; give the path of a file to write"
            " (nothing was written)"
        )


def special_kind(path: Path) -> str | None:
    """What `path` is when it is neither a regular file nor missing (a folder, a device, a
    FIFO, a socket), in words; None for a regular file or nothing there. Readers ask before
    they open: opening a FIFO waits for a writer that may never come."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    return next((kind for test, kind in _KINDS if test(mode)), None)


def target_of(path: Path) -> Path:
    """The file a write to `path` replaces: symlinks followed to their end (which need not
    exist yet). Refuses anything there that is not a regular file."""
    resolved = Path(os.path.realpath(path))
    try:
        mode = os.stat(resolved).st_mode
    except FileNotFoundError:
        return resolved
    except OSError as error:
        raise WriteError(path, error.strerror or str(error)) from None
    for test, kind in _KINDS:
        if test(mode):
            raise NotAFileError(path, kind, resolved if os.path.islink(path) else None)
    return resolved


def atomic_write(
    path: Path, data: bytes | str, *, mode: int | None = None, durable: bool = True
) -> None:
    """Replace `path` with `data` (text is written as UTF-8, line endings as given).

    `mode` sets the file's permissions (e.g. 0o600 for a secret); by default the replaced
    file's are kept. `durable=False` skips the flushes to disk, for caches that can be rebuilt."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    with atomic_path(path, mode=mode, durable=durable) as temp:
        try:
            with open(temp, "wb") as out:
                out.write(raw)
        except OSError as error:  # a full disk, most often
            raise WriteError(path, error.strerror or str(error)) from None


@contextmanager
def atomic_path(path: Path, *, mode: int | None = None, durable: bool = True) -> Iterator[Path]:
    """A temp file for a writer that needs a file name (a zip writer, SQLite's backup): it is
    renamed over `path`'s target when the block ends, and removed if the block fails (the
    block's own errors go on as they are)."""
    target = target_of(path)
    temp = _create_temp(path, target, mode)
    try:
        yield temp
        _finish(path, temp, target, mode, durable)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


@contextmanager
def scratch_file(folder: Path, name: str) -> Iterator[Path]:
    """A private empty file in `folder` for data too large to hold in memory (a package's
    collection), removed when the block ends, however it ends. Its name holds the process
    id like a temp file's, so one a killed process left behind is removed the next time."""
    for stale in stale_temps(folder):
        if stale.name.startswith(f".{name}."):
            stale.unlink(missing_ok=True)
    temp = _create_temp(folder / name, folder / name, 0o600)
    try:
        yield temp
    finally:
        temp.unlink(missing_ok=True)


def _create_temp(path: Path, target: Path, mode: int | None) -> Path:
    """An empty file of a new name beside `target`, made with O_EXCL so that two writers at
    once never share one; the name holds the writer's process id (see `stale_temps`)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        for _ in range(100):
            temp = target.with_name(f".{target.name}.{os.getpid()}-{os.urandom(4).hex()}.tmp")
            try:
                handle = os.open(temp, flags, 0o666 if mode is None else mode)
            except FileExistsError:
                continue
            os.close(handle)
            return temp
        raise FileExistsError("no free temp file name")
    except OSError as error:
        raise WriteError(path, error.strerror or str(error)) from None


def _finish(path: Path, temp: Path, target: Path, mode: int | None, durable: bool) -> None:
    try:
        kept = mode if mode is not None else _mode_of(target)
        if kept is not None:
            os.chmod(temp, kept)
        if durable:
            _flush(temp)
        os.replace(temp, target)
        if durable:
            _flush_folder(target.parent)
    except OSError as error:
        raise WriteError(path, error.strerror or str(error)) from None


def stale_temps(folder: Path) -> list[Path]:
    """Temp files in `folder` left by a writer that was killed mid-write (its process is gone):
    safe to delete. A live writer's temp file is never listed."""
    stale = []
    for temp in folder.glob(".*.tmp"):
        found = _WRITER.search(temp.name)
        if found and not _alive(int(found.group(1))):
            stale.append(temp)
    return stale


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # there, but someone else's
    return True


def _mode_of(target: Path) -> int | None:
    """The permission bits of the file being replaced (None for a new file: the temp file was
    made with the umask's mode already)."""
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        return None


def _flush(path: Path) -> None:
    handle = os.open(path, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _flush_folder(folder: Path) -> None:
    """Make the rename itself durable. Some file systems cannot flush a folder (EINVAL): the
    file is in place all the same, so that is no failure."""
    try:
        handle = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)
