"""Review logs from a CSV file (the FSRS tools' format), for `ec2cards optimize --revlog`."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from ec2cards.errors import UsageError
from ec2cards.scheduling.optimizer import ReviewDay


@dataclass(frozen=True)
class Review:
    card: str
    rating: int
    at: datetime


def _time(value: str) -> datetime:
    text = value.strip()
    if text.isdigit():  # the FSRS tools write epoch milliseconds
        return datetime.fromtimestamp(int(text) / 1000, tz=timezone.utc)
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def read_revlog_csv(path: Path) -> list[Review]:
    """card_id, review_time, review_rating (+ optional review_duration, review_state)."""
    from ec2cards.files import special_kind

    if kind := special_kind(path):
        raise UsageError(f"{path}: is {kind}, not a review log; give a CSV file")
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise UsageError(f"{path}: cannot read: {error.strerror or error}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise UsageError(f"{path}:{line}:1: not UTF-8 text; save the file as UTF-8") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        needed = {"card_id", "review_time", "review_rating"}
        missing = needed - set(reader.fieldnames or ())
        if missing:
            raise UsageError(
                f"{path}:1:1: missing column(s) {', '.join(sorted(missing))}; a review log CSV"
                " needs card_id, review_time, review_rating"
            )
        reviews: list[Review] = []
        for row in reader:
            try:
                rating = int(row["review_rating"])
                if not 1 <= rating <= 4:
                    raise ValueError("rating must be 1-4")
                reviews.append(Review(row["card_id"], rating, _time(row["review_time"])))
            except (TypeError, ValueError, OverflowError, OSError) as error:
                raise UsageError(f"{path}:{reader.line_num}:1: bad review row: {error}") from None
    except csv.Error as error:
        raise UsageError(f"{path}:{reader.line_num}:1: not readable as CSV ({error})") from None
    return reviews


def review_days(reviews: Iterable[Review], cutoff_hour: int) -> list[ReviewDay]:
    """Reviews from a CSV, in the form the store gives: days cut at the local cut-off hour."""
    rows = [
        (
            r.card,
            r.rating,
            (r.at.astimezone() - timedelta(hours=cutoff_hour)).date().toordinal(),
            int(r.at.timestamp() * 1000),
        )
        for r in reviews
    ]
    rows.sort(key=lambda row: (row[0], row[3]))
    return rows
