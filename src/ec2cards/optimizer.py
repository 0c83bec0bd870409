"""Fit FSRS parameters to a review history with fsrs-rs (no torch), and measure the fit.

Items follow the FSRS convention: for each card, every review that comes on a later day than the one
before it closes an item made of all the card's reviews so far (day gaps cut at the day cut-off).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from ec2cards.errors import Ec2CardsError, UsageError

MIN_ITEMS = 400


@dataclass(frozen=True)
class Review:
    card: str
    rating: int
    at: datetime


@dataclass(frozen=True)
class Fit:
    log_loss: float
    rmse_bins: float


@dataclass(frozen=True)
class OptimizeResult:
    reviews: int
    cards: int
    items: int
    default: Fit
    fitted: Fit
    parameters: list[float]

    @property
    def better(self) -> bool:
        return self.fitted.log_loss < self.default.log_loss

    def to_json(self, saved: bool) -> dict[str, object]:
        return {
            "reviews": self.reviews,
            "cards": self.cards,
            "items": self.items,
            "default": {"log_loss": self.default.log_loss, "rmse_bins": self.default.rmse_bins},
            "fitted": {"log_loss": self.fitted.log_loss, "rmse_bins": self.fitted.rmse_bins},
            "parameters": self.parameters,
            "saved": saved,
        }


def _time(value: str) -> datetime:
    text = value.strip()
    if text.isdigit():  # the FSRS tools write epoch milliseconds
        return datetime.fromtimestamp(int(text) / 1000, tz=timezone.utc)
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def read_revlog_csv(path: Path) -> list[Review]:
    """card_id, review_time, review_rating (+ optional review_duration, review_state)."""
    try:
        handle = path.open(newline="", encoding="utf-8")
    except OSError as error:
        raise UsageError(f"{path}: cannot read: {error.strerror or error}") from None
    with handle:
        reader = csv.DictReader(handle)
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
            except (TypeError, ValueError) as error:
                raise UsageError(f"{path}:{reader.line_num}:1: bad review row: {error}") from None
    return reviews


def build_items(reviews: Iterable[Review], cutoff_hour: int) -> tuple[list[Any], list[int]]:
    """FSRS items in time order (the time-series split needs it) and their card numbers."""
    from fsrs_rs_python import FSRSItem, FSRSReview

    by_card: dict[str, list[Review]] = defaultdict(list)
    for review in reviews:
        by_card[review.card].append(review)
    collected: list[tuple[datetime, int, Any]] = []
    for number, card_reviews in enumerate(by_card.values()):
        card_reviews.sort(key=lambda r: r.at)
        so_far: list[Any] = []
        previous_day = None
        for review in card_reviews:
            day = (review.at.astimezone() - timedelta(hours=cutoff_hour)).date()
            gap = 0 if previous_day is None else (day - previous_day).days
            so_far.append(FSRSReview(review.rating, gap))
            if previous_day is not None and gap > 0:
                collected.append((review.at, number, FSRSItem(list(so_far))))
            previous_day = day
    collected.sort(key=lambda entry: entry[0])
    return [item for _, _, item in collected], [number for _, number, _ in collected]


def optimize(reviews: Sequence[Review], cutoff_hour: int) -> OptimizeResult:
    """Fit parameters on all items; report default vs fitted, the fitted one under a
    time-series split (trained on the past, scored on the future) so the comparison is honest."""
    import fsrs_rs_python as fsrs_rs

    items, card_numbers = build_items(reviews, cutoff_hour)
    if len(items) < MIN_ITEMS:
        raise Ec2CardsError(
            f"too little history to fit: {len(items)} reviews on a later day than the card's"
            f" previous one; about {MIN_ITEMS - len(items)} more are needed"
        )
    default = fsrs_rs.FSRS(fsrs_rs.DEFAULT_PARAMETERS).evaluate(items)
    split = fsrs_rs.evaluate_with_time_series_splits(items, card_numbers)
    parameters = fsrs_rs.FSRS(fsrs_rs.DEFAULT_PARAMETERS).compute_parameters(items, card_numbers)
    return OptimizeResult(
        reviews=len(reviews),
        cards=len({r.card for r in reviews}),
        items=len(items),
        default=Fit(round(default.log_loss, 4), round(default.rmse_bins, 4)),
        fitted=Fit(round(split.log_loss, 4), round(split.rmse_bins, 4)),
        parameters=[round(p, 4) for p in parameters],
    )
