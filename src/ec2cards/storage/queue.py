"""The study queue's questions to the database (`store.queue`): learning cards, due reviews
and due counts, read along the queue indexes and stopped early, so a session starts at the
same cost whatever the size of the collection or the backlog."""

from __future__ import annotations

from collections.abc import Container, Iterator
from datetime import datetime

from ec2cards.storage.database import Database, iso

# A card buried until a later moment is not due before then, whatever its due says.
NOT_BURIED = "(buried_until IS NULL OR buried_until <= ?)"


class Queue:
    """Index range reads of card_state over the store's one connection."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def learning(self, wanted: Container[str], now: datetime) -> list[tuple[datetime, str]]:
        """(due, key) of the unsuspended (re)learning cards among `wanted` not buried at `now`,
        soonest first. Sorted here: with two phases, ORDER BY would lead SQLite off the queue
        index."""
        return sorted(self._queue("phase IN (1, 3)", (), wanted, None, now))

    def due_reviews(
        self, before: datetime, wanted: Container[str], limit: int, now: datetime
    ) -> list[tuple[datetime, str]]:
        """(due, key) of the `limit` most overdue reviews among `wanted` due before `before`
        and not buried at `now`, soonest first."""
        if limit <= 0:
            return []
        return self._queue("phase = 2 AND due < ?", (iso(before),), wanted, limit, now)

    def _queue(
        self,
        where: str,
        params: tuple[object, ...],
        wanted: Container[str],
        limit: int | None,
        now: datetime,
    ) -> list[tuple[datetime, str]]:
        """Keys and due times only, read along the queue index and stopped early: a study
        session loads a card's whole state when it draws the card, so its start costs the
        same whatever the size of the collection or the backlog."""
        order = " ORDER BY due" if limit is not None else ""
        cursor = self.db.connection.execute(
            f"SELECT card_key, due FROM card_state WHERE suspended = 0 AND {where}"
            f" AND {NOT_BURIED}{order}",
            (*params, iso(now)),
        )
        parse = datetime.fromisoformat
        if limit is None:
            return [(parse(due), key) for key, due in cursor if key in wanted]
        found: list[tuple[datetime, str]] = []
        for key, due in cursor:
            if key in wanted:
                found.append((parse(due), key))
                if len(found) >= limit:
                    break
        cursor.close()
        return found

    def due_counts(
        self, wanted: Container[str] | None, now: datetime, end: datetime
    ) -> tuple[int, int]:
        """(due now, due before `end`) among `wanted` cards (None: all), comparing ISO text."""
        if wanted is None:
            row = self.db.connection.execute(
                "SELECT SUM(due <= ?), COUNT(*) FROM card_state"
                " WHERE suspended = 0 AND phase IN (1, 2, 3) AND due < ?"  # an index range each
                f" AND {NOT_BURIED}",
                (iso(now), iso(end), iso(now)),
            ).fetchone()
            return int(row[0] or 0), int(row[1] or 0)
        now_text = iso(now)
        due_now = due_today = 0
        for key, due in self.db.connection.execute(
            "SELECT card_key, due FROM card_state"
            f" WHERE suspended = 0 AND phase IN (1, 2, 3) AND due < ? AND {NOT_BURIED}",
            (iso(end), iso(now)),
        ):
            if key in wanted:
                due_today += 1
                due_now += due <= now_text
        return due_now, due_today

    def by_due(self, after: datetime | None = None) -> Iterator[tuple[str, datetime]]:
        """(key, due) of reviewed, unsuspended cards, soonest first, read lazily; a card
        buried past its due comes when its burial ends (so this order is by due, and a buried
        card may come a little late in it: see `next_due`)."""
        # `+phase`: the phase test must not pick the index, or SQLite sorts every reviewed card
        # instead of walking the (suspended, due) index and stopping at the first wanted one.
        query = "SELECT card_key, due FROM card_state WHERE suspended = 0 AND +phase > 0"
        params: tuple[object, ...] = ()
        if after is not None:
            query += " AND due > ?"
            params = (iso(after),)
        for key, due in self.db.connection.execute(query + " ORDER BY due", params):
            yield key, datetime.fromisoformat(due)

    def reviews_due_between(self, start: datetime, end: datetime) -> int:
        """Unsuspended review cards due in [start, end): one study day's load."""
        (count,) = self.db.connection.execute(
            "SELECT COUNT(*) FROM card_state WHERE suspended = 0 AND phase = 2"
            " AND due >= ? AND due < ?",
            (iso(start), iso(end)),
        ).fetchone()
        return int(count)

    def next_due(self, wanted: Container[str], after: datetime | None = None) -> datetime | None:
        """When the first of the `wanted` reviewed, unsuspended cards falls due (after `after`),
        a buried card counting from when its burial ends. Walks the due index to the first
        card not buried then, and looks at the few buried cards on their own."""
        first = None
        query = "SELECT card_key, due, buried_until FROM card_state WHERE suspended = 0"
        query += " AND +phase > 0"
        params: tuple[object, ...] = ()
        if after is not None:
            query += " AND due > ?"
            params = (iso(after),)
        for key, due, buried in self.db.connection.execute(query + " ORDER BY due", params):
            if key in wanted and (buried is None or buried <= due):
                first = datetime.fromisoformat(due)
                break
        moments = [first] if first is not None else []
        for key, buried in self.db.connection.execute(
            "SELECT card_key, buried_until FROM card_state WHERE buried_until IS NOT NULL"
            " AND buried_until > due AND +suspended = 0 AND +phase > 0"
        ):
            if key in wanted and (after is None or buried > iso(after)):
                moments.append(datetime.fromisoformat(buried))
        return min(moments, default=None)
