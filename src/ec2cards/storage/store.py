"""The store: the one object the rest of ec2cards talks to about the database.

Each concern lives in its own module as a layer of this class (the file and its transactions,
the card-state cache, the review log, the queue, known cards, quizzes, statistics); `Store`
puts them together. sqlite3 is used only in this package.
"""

from __future__ import annotations

from pathlib import Path

from ec2cards.storage.known_keys import KnownKeys
from ec2cards.storage.queue import QueueQueries
from ec2cards.storage.quiz_tables import QuizTables
from ec2cards.storage.review_log import ReviewLog
from ec2cards.storage.statistics import Statistics
from ec2cards.storage.sync_state import SyncState


class Store(SyncState, ReviewLog, KnownKeys, QueueQueries, QuizTables, Statistics):
    """One SQLite file in the data folder: `open_store(home, now)` opens it with backups;
    `Store.open(home)` opens and migrates it without them (tools and tests)."""

    @classmethod
    def open(cls, home: Path) -> Store:
        """Open (or create) the database in `home`, migrating it if it is older."""
        store = cls.connect(home)
        try:
            store.migrate()
        except BaseException:
            store.close()
            raise
        return store
