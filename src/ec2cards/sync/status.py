"""What `sync status` tells without asking a server: the login, the last sync's report and
how many reviews wait to go up, as one typed record (and its `--json`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, TypedDict

if TYPE_CHECKING:
    from pathlib import Path

    from ec2cards.storage.store import Store
    from ec2cards.sync.login import Login


@dataclass
class SyncCounts:
    """What one sync did, in counts: the fields its report and its summary share."""

    server: str
    at: str = ""
    added: int = 0
    updated: int = 0
    removed: int = 0
    schedules: int = 0
    sent: int = 0
    taken: int = 0
    conflicts: int = 0
    reset: int = 0  # ec2cards' notes edited in Anki, set back to the decks' text
    orphans: int = 0  # reviews taken in of cards no deck has now: kept under their keys
    undone: int = 0  # answers undone here after they were synced: Anki's history keeps them
    full: str = ""  # "downloaded" or "uploaded" when a full sync was needed
    message: str = ""  # the server's own message, if it sent one
    # card actions by event (suspend, unsuspend, bury, unbury, forget, set_due): made in
    # Anki and taken into the log, and made here, whose cards' states went up
    actions_pulled: dict[str, int] = field(default_factory=dict)
    actions_pushed: dict[str, int] = field(default_factory=dict)


@dataclass
class SyncSummary(SyncCounts):
    """What one sync did, as its summary lines tell it: read from a report's JSON (the one
    just made, or the last one kept for `sync status`, which older versions wrote with fewer
    fields: a field missing there is 0 or empty)."""

    cards_pushed: int = 0

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SyncSummary:
        names = {f.name for f in fields(cls)}
        return cls(**{name: data[name] for name in names if data.get(name) is not None})


class SyncStatusJson(TypedDict):
    logged_in: bool
    server: str | None
    user: str | None
    anki_library: bool
    shadow: str
    reviews_waiting: int
    last_sync: dict[str, Any] | None


@dataclass(frozen=True)
class SyncStatus:
    login: Login | None
    anki_library: bool  # Anki's library is installed (sync needs it)
    shadow: Path  # the Anki copy in the data folder
    reviews_waiting: int
    last_sync: dict[str, Any] | None  # the last sync's report, as `SyncReport.to_json` gave it

    @property
    def last(self) -> SyncSummary | None:
        """The last sync's report, read."""
        return SyncSummary.from_json(self.last_sync) if self.last_sync is not None else None

    def to_json(self) -> SyncStatusJson:
        return {
            "logged_in": self.login is not None,
            "server": self.login.server if self.login else None,
            "user": self.login.user if self.login else None,
            "anki_library": self.anki_library,
            "shadow": str(self.shadow),
            "reviews_waiting": self.reviews_waiting,
            "last_sync": self.last_sync,
        }


def sync_status(home: Path, store: Store) -> SyncStatus:
    """The status of sync in this data folder (reads the login file and the store)."""
    import importlib.util
    import json

    from ec2cards.sync.login import read_login, shadow_path

    marks = store.sync.marks()
    waiting = len(store.sync.reviews_to_send(int(marks.get("log", "0"))))
    last = json.loads(marks["last"]) if "last" in marks else None
    return SyncStatus(
        read_login(home),
        importlib.util.find_spec("anki") is not None,
        shadow_path(home),
        waiting,
        last,
    )
