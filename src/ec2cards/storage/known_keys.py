"""Which cards are known (`store.known`: answered or suspended, so not new to the queue),
read fast.

The keys are kept beside the database under a token that triggers renew in the same
transaction whenever a card becomes known or new again: while the token matches, the next
start-up reads one small file instead of 50,000 index entries.
"""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path

from ec2cards.files import NotAFileError, WriteError, atomic_write
from ec2cards.storage.database import Database


class KnownKeys:
    """The known set over the store's one connection, with its copy beside the database."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def keys(self) -> list[str]:
        """Keys of cards that are not new to the queue: answered at least once, or suspended;
        each once. A list: callers take it from their own key sets, cheaper than making a set
        of it first.

        Read as one joined string (keys are slugs, never holding the separator), and kept in
        the data folder's cache under the database's known-set token: while no card has become
        known or new since, the next start-up reads that copy instead of 50,000 index entries."""
        joined = self._known_joined()
        return joined.split("\x1f") if joined else []

    def _known_cache(self) -> Path | None:
        path = self.db.path
        return path.parent / "cache" / "known-keys" if path is not None else None

    def _known_joined(self) -> str:
        import marshal

        cache = self._known_cache()
        (token,) = self.db.connection.execute("SELECT token FROM known_token").fetchone()
        if cache is not None:
            with suppress(OSError, ValueError, EOFError, TypeError):
                cached_token, joined = marshal.loads(cache.read_bytes())
                if cached_token == token and isinstance(joined, str):
                    return joined
        with self.db.read_snapshot():  # the token and the keys from one moment
            (token,) = self.db.connection.execute("SELECT token FROM known_token").fetchone()
            (joined,) = self.db.connection.execute(
                "SELECT group_concat(card_key, char(31)) FROM card_state"
                " WHERE phase > 0 OR suspended = 1"
            ).fetchone()
        if cache is not None:
            with suppress(OSError, WriteError, NotAFileError):  # a read-only folder costs speed
                atomic_write(cache, marshal.dumps((token, joined or "")), durable=False)
        return str(joined or "")
