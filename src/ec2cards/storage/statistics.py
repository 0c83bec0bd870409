"""Statistics queries (`store.stats`): aggregates over covering indexes, so that stats and
the optimizer stay fast at 500,000 reviews."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from typing import NamedTuple

from ec2cards.storage.database import Database, iso


class StatRow(NamedTuple):
    """What statistics need of one card, computed in SQL (no datetime parsing)."""

    key: str
    phase: int
    suspended: int
    leech: int
    lapses: int
    stability: float | None
    days_since_review: int | None  # whole days since the last review
    due_day: str | None  # the study day it is due, YYYY-MM-DD
    difficulty: float | None


class Statistics:
    """Aggregates over the store's one connection."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # Reviews not taken back by an undo (undone ids are few: one small list, not a probe a row).
    _LIVE_REVIEWS = (
        "FROM review_log r WHERE event = 'review'"
        " AND r.id NOT IN (SELECT undoes FROM review_log WHERE undoes IS NOT NULL)"
    )

    def review_count(self) -> int:
        (count,) = self.db.connection.execute(f"SELECT COUNT(*) {self._LIVE_REVIEWS}").fetchone()
        return int(count)

    def reviews_per_day(
        self, since: datetime, shift: timedelta
    ) -> dict[date, tuple[int, int, int, int, int]]:
        """Per study day (a UTC time moved by `shift`, the local UTC offset minus the day
        cut-off): live reviews, and of those of review cards: all, passed (not Again), young
        (interval < MATURE_DAYS) and young passed. Read from the quarter-hour counts that
        triggers keep (migration 7): a year is a few thousand rows, whatever the review count."""
        start = since.astimezone(timezone.utc)
        first = f"{start:%Y-%m-%dT%H:}{start.minute // 15}"
        shift_minutes = int(shift.total_seconds()) // 60
        dates: dict[str, date] = {}
        days: dict[date, list[int]] = {}
        for bucket, *counts in self.db.connection.execute(
            "SELECT bucket, total, review, passed, young, young_passed FROM review_buckets"
            " WHERE bucket >= ?",
            (first,),
        ):
            utc_day = dates.get(bucket[:10]) or dates.setdefault(
                bucket[:10], date.fromisoformat(bucket[:10])
            )
            minutes = int(bucket[11:13]) * 60 + int(bucket[14:]) * 15 + shift_minutes
            day = utc_day + timedelta(days=minutes // 1440) if not 0 <= minutes < 1440 else utc_day
            totals = days.setdefault(day, [0, 0, 0, 0, 0])
            for index, count in enumerate(counts):
                totals[index] += count
        return {
            day: (totals[0], totals[1], totals[2], totals[3], totals[4])
            for day, totals in days.items()
            if any(totals)
        }

    def card_rows(self, now: datetime, shift: timedelta) -> Iterator[StatRow]:
        """Per card what statistics need, read lazily."""
        modifier = f"{int(shift.total_seconds())} seconds"
        rows = self.db.connection.execute(
            "SELECT card_key, phase, suspended, leech, lapses, stability,"
            " CAST(julianday(?) - julianday(last_review) AS INTEGER), date(due, ?), difficulty"
            " FROM card_state",
            (iso(now), modifier),
        )
        return map(StatRow._make, rows)

    def review_days(self, shift: timedelta) -> Iterator[tuple[str, int, int, int]]:
        """(card key, rating, study-day number, epoch milliseconds) of live reviews, card by
        card in time order, read lazily: what the optimizer needs, and no datetime per review."""
        modifier = f"{int(shift.total_seconds())} seconds"
        yield from self.db.connection.execute(
            "SELECT card_key, rating, CAST(julianday(date(reviewed_at, ?)) AS INTEGER),"
            " CAST((julianday(reviewed_at) - 2440587.5) * 86400000 AS INTEGER)"
            f" {self._LIVE_REVIEWS} ORDER BY card_key, reviewed_at",
            (modifier,),
        )

    def counts_since(self, start: datetime) -> tuple[int, int]:
        """(new cards introduced, reviews of known cards) since `start`, undone answers excluded."""
        row = self.db.connection.execute(
            "SELECT"
            " COUNT(DISTINCT CASE WHEN phase_before = 0 THEN card_key END),"
            " SUM(CASE WHEN phase_before = 2 THEN 1 ELSE 0 END)"
            " FROM review_log r WHERE event = 'review' AND reviewed_at >= ?"
            " AND NOT EXISTS (SELECT 1 FROM review_log u WHERE u.undoes = r.id)",
            (iso(start),),
        ).fetchone()
        return int(row[0] or 0), int(row[1] or 0)

    def keys_answered_since(self, start: datetime) -> list[str]:
        """Cards answered since `start` (undone answers aside), each once: their siblings wait
        for another day."""
        # Along the time index: a day's rows, not the whole log (for DISTINCT the planner would
        # otherwise walk every card's entries in key order).
        rows = self.db.connection.execute(
            "SELECT card_key FROM review_log r INDEXED BY review_log_time WHERE event = 'review'"
            " AND reviewed_at >= ? AND NOT EXISTS"
            " (SELECT 1 FROM review_log u WHERE u.undoes = r.id)",
            (iso(start),),
        )
        return list(dict.fromkeys(key for (key,) in rows))
