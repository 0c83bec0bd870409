"""The store: the one object the rest of ec2cards talks to about the database.

It is one connection (`store.db`: the file, its transactions and migrations) and small
repositories over it, one per concern: `store.cards` (the card-state cache), `store.log` (the
review log), `store.queue`, `store.known`, `store.quizzes`, `store.practice` (practice exams),
`store.stats` and `store.sync`.
Each repository's module is imported when it is first used, so a shell prompt's `due` loads only
the queries it asks. sqlite3 is used only in this package.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

from ec2cards.storage.database import Database

if TYPE_CHECKING:
    from ec2cards.storage.card_states import CardStates
    from ec2cards.storage.known_keys import KnownKeys
    from ec2cards.storage.practice_tables import PracticeExams
    from ec2cards.storage.queue import Queue
    from ec2cards.storage.quiz_tables import Quizzes
    from ec2cards.storage.review_log import ReviewLog
    from ec2cards.storage.statistics import Statistics
    from ec2cards.storage.sync_state import SyncState


class Store:
    """One SQLite file in the data folder: `open_store(home, now)` opens it with backups;
    `Store.open(home)` opens and migrates it without them (tools and tests)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.notices: list[str] = []  # what opening it did that the user should hear of

    @classmethod
    def connect(cls, home: Path) -> Store:
        """The database in `home` as it is, not yet migrated (see `Database.connect`)."""
        return cls(Database.connect(home))

    @classmethod
    def existing(cls, path: Path) -> Store:
        """An existing database file, read-only and never migrated (see `Database.existing`)."""
        return cls(Database.existing(path))

    @classmethod
    def open(cls, home: Path) -> Store:
        """Open (or create) the database in `home`, migrating it if it is older."""
        store = cls.connect(home)
        try:
            store.db.migrate()
        except BaseException:
            store.close()
            raise
        return store

    def close(self) -> None:
        self.db.close()

    @functools.cached_property
    def cards(self) -> CardStates:
        from ec2cards.storage.card_states import CardStates

        return CardStates(self.db)

    @functools.cached_property
    def log(self) -> ReviewLog:
        from ec2cards.storage.review_log import ReviewLog

        return ReviewLog(self.db, self.cards)

    @functools.cached_property
    def practice(self) -> PracticeExams:
        from ec2cards.storage.practice_tables import PracticeExams

        return PracticeExams(self.db)

    @functools.cached_property
    def queue(self) -> Queue:
        from ec2cards.storage.queue import Queue

        return Queue(self.db)

    @functools.cached_property
    def known(self) -> KnownKeys:
        from ec2cards.storage.known_keys import KnownKeys

        return KnownKeys(self.db)

    @functools.cached_property
    def quizzes(self) -> Quizzes:
        from ec2cards.storage.quiz_tables import Quizzes

        return Quizzes(self.db)

    @functools.cached_property
    def stats(self) -> Statistics:
        from ec2cards.storage.statistics import Statistics

        return Statistics(self.db)

    @functools.cached_property
    def sync(self) -> SyncState:
        from ec2cards.storage.sync_state import SyncState

        return SyncState(self.db, self.log)
