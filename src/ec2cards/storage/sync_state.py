"""What sync with Anki keeps in the database (`store.sync`): the Anki review-log id of
every review sent or taken in, and of every Forget and Set Due Date taken in (a set, not a
high-water mark: a phone's offline reviews arrive late, with earlier ids), which card each
Anki card id was (kept after the card left the decks), and a few marks of the last sync (among
them the cards it left suspended or buried in Anki). Reviews taken in are appended to the
review log with their ids in the same transaction, so a kill -9 can never take a review in
twice.

The tables are made by migrations 8 and 11, like every other table."""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Iterable, Iterator, Mapping
from datetime import datetime
from typing import Any, NamedTuple

from ec2cards.model.cards import card_number
from ec2cards.model.events import CHANGES, EVERY_CARD, SET_DUE
from ec2cards.model.ratings import Rating
from ec2cards.model.states import NEW_STATE, CardState, Phase
from ec2cards.storage.database import Database
from ec2cards.storage.review_log import ReviewEntry, ReviewLog

CHUNK = 900  # SQLite's limit of bound parameters, with room to spare


class SyncedReview(NamedTuple):
    """A review of the log as sync sends it: the states around it (their phase, due date,
    interval and difficulty) make Anki's revlog row."""

    log_id: int
    card_key: str
    rating: Rating
    at: datetime
    duration_ms: int | None
    before: CardState
    after: CardState
    anki_id: int | None  # its id in Anki's revlog, once sent or taken in


class SyncState:
    """The sync tables over the store's one connection, read and written in short transactions
    like the rest of the store; reviews taken in go through the review log (`log`)."""

    def __init__(self, db: Database, log: ReviewLog) -> None:
        self.db = db
        self.log = log

    # -- marks ---------------------------------------------------------------------------------

    def marks(self) -> dict[str, str]:
        return dict(self.db.connection.execute("SELECT name, value FROM sync_mark"))

    def set_marks(self, values: Mapping[str, str | None], clear: bool = False) -> None:
        """Set marks (None removes one); `clear` removes every other mark first."""
        with self.db.transaction() as db:
            if clear:
                db.execute("DELETE FROM sync_mark")
            self._write_marks(db, values)

    @staticmethod
    def _write_marks(db: sqlite3.Connection, values: Mapping[str, str | None]) -> None:
        for name, value in values.items():
            if value is None:
                db.execute("DELETE FROM sync_mark WHERE name = ?", (name,))
            else:
                db.execute(
                    "INSERT INTO sync_mark (name, value) VALUES (?, ?)"
                    " ON CONFLICT(name) DO UPDATE SET value = excluded.value",
                    (name, value),
                )

    # -- Anki's card ids ------------------------------------------------------------------------

    def remember_cards(self, ids: Mapping[str, int]) -> set[str]:
        """The Anki card id of each of these cards, as the Anki copy holds it now: kept after the
        card leaves the decks. A card whose id is not the number its key gives (adopted from an
        earlier export) draws its fuzz from that id from now on. The keys whose number changed."""
        if not ids:
            return set()
        numbers = self.log.cards.numbers()
        changed = {key for key, cid in ids.items() if numbers.get(key, card_number(key)) != cid}
        with self.db.transaction() as db:
            db.executemany(
                "INSERT INTO sync_card (anki_id, card_key) VALUES (?, ?)"
                " ON CONFLICT(anki_id) DO UPDATE SET card_key = excluded.card_key",
                [(anki_id, key) for key, anki_id in ids.items()],
            )
            self.log.cards.put_numbers(db, {key: ids[key] for key in changed})
        return changed

    def keys_of_cards(self, anki_ids: Iterable[int]) -> dict[int, str]:
        """The card each of these Anki card ids was, as far as sync has seen it."""
        return dict(
            self._rows_of("SELECT anki_id, card_key FROM sync_card WHERE anki_id IN ({})", anki_ids)
        )

    # -- the log as sync sees it ---------------------------------------------------------------

    def last_log_id(self) -> int:
        row = self.db.connection.execute("SELECT COALESCE(MAX(id), 0) FROM review_log").fetchone()
        return int(row[0])

    def keys_changed_since(self, log_id: int) -> tuple[set[str], bool]:
        """Cards with log entries after `log_id`, and whether one entry concerned every card."""
        rows = self.db.connection.execute(
            "SELECT DISTINCT card_key FROM review_log WHERE id > ?", (log_id,)
        )
        keys = {row[0] for row in rows}
        every = EVERY_CARD in keys
        keys.discard(EVERY_CARD)
        return keys, every

    def synced_times(self, keys: Collection[str], log_id: int) -> dict[str, datetime]:
        """Each card's latest entry among those logged up to `log_id` (the last sync's)."""
        import json

        rows = self.db.connection.execute(
            "SELECT card_key, MAX(reviewed_at) FROM review_log WHERE id <= ?"
            " AND card_key IN (SELECT value FROM json_each(?)) GROUP BY card_key",
            (log_id, json.dumps(sorted(keys))),
        )
        return {key: datetime.fromisoformat(at) for key, at in rows}

    def reviews_to_send(self, after_log_id: int, also: Collection[str] = ()) -> list[SyncedReview]:
        """Answers not yet in Anki: logged after `after_log_id`, or of the cards in `also`
        (whatever their age), never undone, never sent nor taken in."""
        import json

        unsent = (
            f"SELECT r.id, r.card_key, r.rating, r.reviewed_at, r.duration_ms, {_AROUND},"
            " NULL FROM review_log r"
            " WHERE r.event = 'review' AND r.rating IS NOT NULL AND {which}"
            " AND NOT EXISTS (SELECT 1 FROM review_log u WHERE u.undoes = r.id)"
            " AND NOT EXISTS (SELECT 1 FROM sync_review s WHERE s.log_id = r.id)"
        )
        # Two queries, not one with OR: each can use its index (the id, the card's key).
        found = {
            row[0]: row
            for row in self.db.connection.execute(unsent.format(which="r.id > ?"), (after_log_id,))
        }
        if also:
            which = "r.card_key IN (SELECT value FROM json_each(?))"
            rows = self.db.connection.execute(
                unsent.format(which=which), (json.dumps(sorted(also)),)
            )
            found.update((row[0], row) for row in rows)
        return [_synced(found[log_id]) for log_id in sorted(found)]

    def synced_reviews(self) -> list[SyncedReview]:
        """Every review sent or taken in (not the card actions taken in), with its Anki id:
        after a full download from the server, those missing from the new copy go up again."""
        rows = self.db.connection.execute(
            f"SELECT r.id, r.card_key, r.rating, r.reviewed_at, r.duration_ms, {_AROUND},"
            " s.anki_id FROM sync_review s JOIN review_log r ON r.id = s.log_id"
            " WHERE r.event = 'review'"
            " AND NOT EXISTS (SELECT 1 FROM review_log u WHERE u.undoes = r.id)"
            " ORDER BY r.id"
        )
        return [_synced(row) for row in rows]

    def keys_of_reviews(self, anki_ids: Iterable[int]) -> dict[int, str]:
        """The card of each of these Anki review ids that ec2cards sent or took in."""
        query = (
            "SELECT s.anki_id, r.card_key FROM sync_review s"
            " JOIN review_log r ON r.id = s.log_id WHERE s.anki_id IN ({})"
        )
        return dict(self._rows_of(query, anki_ids))

    def undone_in_anki(self) -> set[int]:
        """The Anki ids of answers that reached Anki (sent or taken in) and were undone here
        since: Anki's sync has no way to take a review back, so its history keeps them."""
        rows = self.db.connection.execute(
            "SELECT s.anki_id FROM review_log u JOIN sync_review s ON s.log_id = u.undoes"
            " WHERE u.undoes IS NOT NULL"
        )
        return {row[0] for row in rows}

    def known_anki_ids(self, ids: Iterable[int]) -> set[int]:
        """Which of these Anki review ids ec2cards already has."""
        query = "SELECT anki_id FROM sync_review WHERE anki_id IN ({})"
        return {row[0] for row in self._rows_of(query, ids)}

    def _rows_of(self, query: str, ids: Iterable[int]) -> Iterator[tuple[Any, ...]]:
        """The rows of a query over many ids (its `IN ({})`), asked in chunks that stay within
        SQLite's limit of bound parameters."""
        wanted = list(ids)
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            yield from self.db.connection.execute(query.format(",".join("?" * len(chunk))), chunk)

    def record_sent(self, pairs: Iterable[tuple[int, int]]) -> None:
        """(Anki id, log id) of reviews now in the Anki copy."""
        with self.db.transaction() as db:
            db.executemany(
                "INSERT OR IGNORE INTO sync_review (anki_id, log_id, pulled) VALUES (?, ?, 0)",
                list(pairs),
            )

    def take_in_reviews(
        self, entries: Iterable[tuple[int | None, ReviewEntry]], states: Mapping[str, CardState]
    ) -> int:
        """Reviews and card actions made elsewhere appended to the log in one transaction,
        each with the Anki id of its revlog row (none for a suspend or a burial, which write
        none) that marks it taken in; the cache takes `states`, each card's state after its
        whole history replayed in time order (what was done elsewhere may be older than the
        last entry here)."""
        count = 0
        with self.db.transaction() as db:
            for anki_id, entry in entries:
                log_id = self.log.append(
                    db,
                    entry.card_key,
                    entry.event,
                    entry.at,
                    entry.before,
                    entry.after,
                    entry.rating,
                    entry.duration_ms,
                    value=entry.value,
                    zone=entry.zone,
                )
                if anki_id is not None:
                    db.execute(
                        "INSERT INTO sync_review (anki_id, log_id, pulled) VALUES (?, ?, 1)",
                        (anki_id, log_id),
                    )
                count += 1
            for key, state in states.items():
                self.log.cards.put(db, key, state)
        return count

    def actions_since(self, log_id: int) -> dict[str, int]:
        """ec2cards' own card actions logged after `log_id` and not undone, by event (a due
        date kept through a change of settings is no action)."""
        rows = self.db.connection.execute(
            "SELECT r.event, count(*) FROM review_log r WHERE r.id > ?"
            f" AND r.event IN ({','.join('?' * len(CHANGES))}) AND r.card_key != ?"
            " AND (r.value IS NULL OR r.event != ? OR json_extract(r.value, '$.kept') IS NULL)"
            " AND NOT EXISTS (SELECT 1 FROM review_log u WHERE u.undoes = r.id)"
            " AND NOT EXISTS (SELECT 1 FROM sync_review s WHERE s.log_id = r.id)"
            " GROUP BY r.event",
            (log_id, *CHANGES, EVERY_CARD, SET_DUE),
        )
        return {str(event): int(count) for event, count in rows}


# Of the states around a review, what Anki's revlog row is made of (read in SQL: parsing every
# state's JSON in Python costs seconds at half a million reviews).
_AROUND = ", ".join(
    f"json_extract(r.{column}, '$.{name}')"
    for column in ("state_before", "state_after")
    for name in ("phase", "due", "interval_days", "difficulty")
)


class _Around(NamedTuple):
    """Of one state around a review, what Anki's revlog row is made of."""

    phase: int | None
    due: str | None
    interval_days: int | None
    difficulty: float | None

    def state(self) -> CardState:
        if self.phase is None:
            return NEW_STATE
        return CardState(
            phase=Phase(self.phase),
            due=datetime.fromisoformat(self.due) if self.due is not None else None,
            interval_days=self.interval_days or 0,
            difficulty=self.difficulty,
        )


class _SyncedRow(NamedTuple):
    """A row of the queries above as SQLite gives it, decoded into a `SyncedReview` here only."""

    log_id: int
    card_key: str
    rating: int
    at: str
    duration_ms: int | None
    phase_before: int | None
    due_before: str | None
    interval_before: int | None
    difficulty_before: float | None
    phase_after: int | None
    due_after: str | None
    interval_after: int | None
    difficulty_after: float | None
    anki_id: int | None

    def review(self) -> SyncedReview:
        return SyncedReview(
            self.log_id,
            self.card_key,
            Rating(self.rating),
            datetime.fromisoformat(self.at),
            self.duration_ms,
            _Around._make(self[5:9]).state(),
            _Around._make(self[9:13]).state(),
            self.anki_id,
        )


def _synced(row: tuple[object, ...]) -> SyncedReview:
    return _SyncedRow._make(row).review()
