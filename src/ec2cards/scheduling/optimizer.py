"""Fit FSRS parameters to a review history with fsrs-rs (no torch), and measure the fit.

Items follow the FSRS convention: for each card, every review that comes on a later day than the one
before it closes an item made of all the card's reviews so far (day gaps cut at the day cut-off).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TypedDict

from ec2cards.errors import Ec2CardsError

if TYPE_CHECKING:
    from ec2cards.storage.statistics import Statistics

MIN_ITEMS = 400
ReviewDay = tuple[str, int, int, int]  # card, rating, study-day number, epoch milliseconds


class FitJson(TypedDict):
    log_loss: float
    rmse_bins: float


class OptimizeJson(TypedDict):
    """`optimize --json` after a fit."""

    reviews: int
    cards: int
    items: int
    default: FitJson
    fitted: FitJson
    parameters: list[float]
    saved: bool


class TooLittleJson(TypedDict):
    """`optimize --json` with too little history to fit."""

    items: int
    needed: int
    fitted: None
    saved: bool


class TooLittleHistory(Ec2CardsError):
    """Not an error, a state: too few reviews to fit parameters yet (the defaults stay)."""

    exit_code = 0

    def __init__(self, items: int) -> None:
        self.items = items
        super().__init__(
            f"not enough reviews to fit your own parameters yet: {items} reviews came a day or"
            f" more after the card's previous one, and fitting needs about {MIN_ITEMS}; the"
            " defaults stay, and they suit a new learner well"
        )

    def to_json(self) -> TooLittleJson:
        """`optimize --json` when there is too little history: nothing fitted, nothing saved."""
        return {"items": self.items, "needed": MIN_ITEMS, "fitted": None, "saved": False}


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

    def to_json(self, saved: bool) -> OptimizeJson:
        return {
            "reviews": self.reviews,
            "cards": self.cards,
            "items": self.items,
            "default": {"log_loss": self.default.log_loss, "rmse_bins": self.default.rmse_bins},
            "fitted": {"log_loss": self.fitted.log_loss, "rmse_bins": self.fitted.rmse_bins},
            "parameters": self.parameters,
            "saved": saved,
        }


def build_items(rows: Iterable[ReviewDay]) -> tuple[list[Any], list[int], int, int]:
    """FSRS items in time order (the time-series split needs it), their card numbers, and the
    numbers of reviews and cards. `rows` come card by card, each card's in time order."""
    from fsrs_rs_python import FSRSItem, FSRSReview

    collected: list[tuple[int, int, Any]] = []
    card_number = -1
    current: str | None = None
    so_far: list[Any] = []
    previous_day = 0
    reviews = 0
    for card, rating, day, when in rows:
        reviews += 1
        if card != current:
            current, card_number, so_far = card, card_number + 1, []
            gap = 0
        else:
            gap = day - previous_day
        so_far.append(FSRSReview(rating, gap))
        if len(so_far) > 1 and gap > 0:
            collected.append((when, card_number, FSRSItem(so_far)))
        previous_day = day
    collected.sort(key=lambda entry: entry[0])
    items = [item for _, _, item in collected]
    numbers = [number for _, number, _ in collected]
    return items, numbers, reviews, card_number + 1


SPLITS = 5


def _pooled(parts: list[tuple[int, Any]]) -> Fit:
    """One figure from per-fold evaluations: log loss is a mean per item, so weighting by items
    pools it exactly; RMSE(bins) is pooled as the item-weighted root of the mean square."""
    total = sum(size for size, _ in parts)
    log_loss = sum(size * fit.log_loss for size, fit in parts) / total
    rmse = math.sqrt(sum(size * fit.rmse_bins**2 for size, fit in parts) / total)
    return Fit(round(log_loss, 4), round(rmse, 4))


def score_on_future(items: list[Any], card_numbers: list[int]) -> tuple[Fit, Fit]:
    """Default and fitted parameters scored on the same future items: the items (in time order)
    are cut into SPLITS + 1 segments and each later segment is scored by parameters fitted on
    all the segments before it. Folds run one at a time, so memory holds one fold's copy."""
    import fsrs_rs_python as fsrs_rs

    segment = len(items) // (SPLITS + 1)
    default_model = fsrs_rs.FSRS(fsrs_rs.DEFAULT_PARAMETERS)
    default_parts: list[tuple[int, Any]] = []
    fitted_parts: list[tuple[int, Any]] = []
    for fold in range(1, SPLITS + 1):
        start = fold * segment
        end = len(items) if fold == SPLITS else start + segment
        future = items[start:end]
        fitted = fsrs_rs.FSRS(fsrs_rs.DEFAULT_PARAMETERS).compute_parameters(
            items[:start], card_numbers[:start]
        )
        default_parts.append((len(future), default_model.evaluate(future)))
        fitted_parts.append((len(future), fsrs_rs.FSRS(fitted).evaluate(future)))
    return _pooled(default_parts), _pooled(fitted_parts)


def optimize(rows: Iterable[ReviewDay]) -> OptimizeResult:
    """Fit parameters on all items; report default vs fitted, both scored on the same future
    items under a time-series split (fitted on the past only), so the comparison is honest."""
    import fsrs_rs_python as fsrs_rs

    items, card_numbers, reviews, cards = build_items(rows)
    if len(items) < MIN_ITEMS:
        raise TooLittleHistory(len(items))
    default, fitted = score_on_future(items, card_numbers)
    parameters = fsrs_rs.FSRS(fsrs_rs.DEFAULT_PARAMETERS).compute_parameters(items, card_numbers)
    return OptimizeResult(
        reviews=reviews,
        cards=cards,
        items=len(items),
        default=default,
        fitted=fitted,
        parameters=[round(p, 4) for p in parameters],
    )


def optimize_log(stats: Statistics, cutoff_hour: int, now: datetime) -> OptimizeResult:
    """Fit to the review log, days cut at the local cut-off hour (the UTC offset of `now`)."""
    offset = now.astimezone().utcoffset() or timedelta(0)
    return optimize(stats.review_days(offset - timedelta(hours=cutoff_hour)))
