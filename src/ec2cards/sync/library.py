"""Anki's library, loaded only by the commands that sync (it takes a third of a second to
import, and it is an optional extra), and its failures as one line for people."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

from ec2cards.errors import Ec2CardsError

INSTALL = "pip install 'ec2cards[anki]'"
OLDEST = 25  # older wheels (2.1.x, pure Python) speak another API; pip may pick one on old glibc
ANKIWEB = "AnkiWeb"


class SyncFailed(Ec2CardsError):
    """A sync that could not be done: the server, the network, the login."""


def load_anki() -> ModuleType:
    """`anki.collection`, or a SyncFailed saying how to get it. It must be imported before
    `anki.cards` (the other order is a circular import)."""
    # Anki's backend captures a Rust backtrace with each error it raises, even those it expects
    # (a missing config key on every open); with RUST_BACKTRACE set that costs a tenth of a
    # second, for a trace ec2cards never shows.
    os.environ.setdefault("RUST_LIB_BACKTRACE", "0")
    try:
        import anki.collection
        from anki.buildinfo import version
    except ImportError as error:
        missing = getattr(error, "name", "") in ("anki", "anki.collection")
        why = "is not installed" if missing else f"cannot be loaded ({error})"
        raise SyncFailed(f"sync needs Anki's library, which {why}: {INSTALL}") from None
    major = version.split(".")[0]
    if not major.isdigit() or int(major) < OLDEST:
        raise SyncFailed(
            f"sync needs Anki's library {OLDEST} or newer, found {version}: "
            f"pip install --upgrade 'ec2cards[anki]'"
        )
    return anki.collection


def where(endpoint: str | None) -> str:
    return endpoint or ANKIWEB


def plain(message: str) -> str:
    """Anki's message on one line, without the Unicode isolation marks of its translations."""
    text = message.replace("\u2068", "").replace("\u2069", "")
    return " ".join(part.strip() for part in text.splitlines() if part.strip()).rstrip(".")


@contextlib.contextmanager
def anki_failures(
    endpoint: str | None, user: str, shadow: Path, retry: str = "run 'ec2cards sync' again"
) -> Iterator[None]:
    """Anki's exceptions as one line each: what failed, where, and what to do (`retry`)."""
    from anki.errors import DBError, InvalidInput, NetworkError, SyncError, SyncErrorKind

    server = where(endpoint)
    try:
        yield
    except SyncError as error:
        if error.kind is SyncErrorKind.AUTH:
            raise SyncFailed(
                f"{server} did not accept the login of '{user}'; log in again with the right"
                f" password: ec2cards sync login --user {user}"
                + (f" --endpoint {endpoint}" if endpoint else "")
            ) from None
        raise SyncFailed(f"{server} refused the sync: {plain(str(error))}") from None
    except NetworkError as error:
        late = "timed out" in str(error).lower()
        raise SyncFailed(
            f"cannot reach the sync server {server}"
            + (" (it did not answer in time)" if late else "")
            + f"; check the address and the network, then {retry} (nothing was lost)"
        ) from None
    except InvalidInput as error:
        raise SyncFailed(f"{server}: {plain(str(error))}") from None
    except DBError as error:
        raise SyncFailed(
            f"{shadow}: the Anki copy cannot be opened ({plain(str(error))}); if another"
            " 'ec2cards sync' is running, wait for it to end"
        ) from None
