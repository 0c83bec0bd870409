"""Statistics queries: aggregates over covering indexes, so that stats and the optimizer stay
fast at 500,000 reviews."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta

from ec2cards.storage.database import Database, iso


class Statistics(Database):
    # Reviews not taken back by an undo (undone ids are few: one small list, not a probe a row).
    _LIVE_REVIEWS = (
        "FROM review_log r WHERE event = 'review'"
        " AND r.id NOT IN (SELECT undoes FROM review_log WHERE undoes IS NOT NULL)"
    )

    def review_count(self) -> int:
        (count,) = self.connection.execute(f"SELECT COUNT(*) {self._LIVE_REVIEWS}").fetchone()
        return int(count)

    def reviews_per_day(
        self, since: datetime, shift: timedelta
    ) -> dict[date, tuple[int, int, int, int, int]]:
        """Per study day (a UTC time moved by `shift`, the local UTC offset minus the day
        cut-off): live reviews, and of those of review cards: all, passed (not Again), young
        (interval < MATURE_DAYS) and young passed. One grouped pass over a covering index."""
        from ec2cards.model.states import MATURE_DAYS

        epoch_day = 2440588  # the Julian day number of 1970-01-01
        rows = self.connection.execute(
            "SELECT CAST(julianday(reviewed_at) + ? AS INTEGER) AS day, COUNT(*),"
            " SUM(phase_before = 2), SUM(phase_before = 2 AND rating > 1),"
            " SUM(phase_before = 2 AND interval_days < ?),"
            " SUM(phase_before = 2 AND interval_days < ? AND rating > 1)"
            f" {self._LIVE_REVIEWS} AND reviewed_at >= ? GROUP BY day",
            (shift.total_seconds() / 86400 + 0.5, MATURE_DAYS, MATURE_DAYS, iso(since)),
        )
        return {
            date(1970, 1, 1) + timedelta(days=int(day) - epoch_day): (
                int(total),
                int(review or 0),
                int(passed or 0),
                int(young or 0),
                int(young_passed or 0),
            )
            for day, total, review, passed, young, young_passed in rows
        }

    def stat_rows(
        self, now: datetime, shift: timedelta
    ) -> Iterator[tuple[str, int, int, int, int, float | None, int | None, str | None]]:
        """Per card: key, phase, suspended, leech, lapses, stability, whole days since the last
        review, and the study day it is due: what statistics need, with no datetime parsing."""
        modifier = f"{int(shift.total_seconds())} seconds"
        yield from self.connection.execute(
            "SELECT card_key, phase, suspended, leech, lapses, stability,"
            " CAST(julianday(?) - julianday(last_review) AS INTEGER), date(due, ?)"
            " FROM card_state",
            (iso(now), modifier),
        )

    def review_days(self, shift: timedelta) -> Iterator[tuple[str, int, int, int]]:
        """(card key, rating, study-day number, epoch milliseconds) of live reviews, card by
        card in time order, read lazily: what the optimizer needs, and no datetime per review."""
        modifier = f"{int(shift.total_seconds())} seconds"
        yield from self.connection.execute(
            "SELECT card_key, rating, CAST(julianday(date(reviewed_at, ?)) AS INTEGER),"
            " CAST((julianday(reviewed_at) - 2440587.5) * 86400000 AS INTEGER)"
            f" {self._LIVE_REVIEWS} ORDER BY card_key, reviewed_at",
            (modifier,),
        )

    def counts_since(self, start: datetime) -> tuple[int, int]:
        """(new cards introduced, reviews of known cards) since `start`, undone answers excluded."""
        row = self.connection.execute(
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
        return [
            key
            for (key,) in self.connection.execute(
                "SELECT DISTINCT card_key FROM review_log r WHERE event = 'review'"
                " AND reviewed_at >= ? AND NOT EXISTS"
                " (SELECT 1 FROM review_log u WHERE u.undoes = r.id)",
                (iso(start),),
            )
        ]
