"""Numbers about what a user knows and what is coming, computed from the decks and the store."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from ec2cards.config.settings import Settings
from ec2cards.model.card_lists import card_keys, card_topics
from ec2cards.model.cards import Card
from ec2cards.model.states import STATE_NAMES, state_name
from ec2cards.scheduling.days import day_start
from ec2cards.storage.store import Store

if TYPE_CHECKING:
    from typing import TypedDict

    class ForecastJson(TypedDict):
        date: str
        due: int

    class StatsJson(TypedDict):
        """`stats --json`."""

        total_reviews: int
        cards_by_state: dict[str, dict[str, int]]
        reviews_today: int
        streak_days: int
        retention: dict[str, dict[str, dict[str, float | int | None]]]
        recall_by_topic: dict[str, float | None]
        forecast: list[ForecastJson]
        heatmap: dict[str, int]
        hardest: list[dict[str, object]]


# A card counts as hard once it has lapsed, or once FSRS puts its difficulty (1 to 10) here or
# above: one Again answer takes a new card there with the default parameters (6.4, and Good
# answers after it barely lower it), while cards answered only Good or Easy stay near 2 and 1.
HARD_DIFFICULTY = 6.0
HARDEST_SHOWN = 10


def study_day(moment: datetime, cutoff_hour: int) -> date:
    """The local study day a moment belongs to (a day starts at the cut-off hour)."""
    return day_start(moment, cutoff_hour).date()


@dataclass
class Stats:
    """Everything `ec2cards stats` shows; `to_json` gives the same numbers."""

    total_reviews: int
    by_topic: dict[str, dict[str, int]]
    reviews_today: int
    streak_days: int
    retention: dict[str, dict[str, dict[str, float | int | None]]]
    recall_by_topic: dict[str, float | None]
    forecast: list[tuple[date, int]]
    heatmap: dict[date, int]
    # Cards that have been hard (HARD_DIFFICULTY), most lapses, then most difficult, first.
    hardest: list[dict[str, object]] = field(default_factory=list)

    def to_json(self) -> StatsJson:
        return {
            "total_reviews": self.total_reviews,
            "cards_by_state": self.by_topic,
            "reviews_today": self.reviews_today,
            "streak_days": self.streak_days,
            "retention": self.retention,
            "recall_by_topic": self.recall_by_topic,
            "forecast": [{"date": d.isoformat(), "due": n} for d, n in self.forecast],
            "heatmap": {d.isoformat(): n for d, n in sorted(self.heatmap.items())},
            "hardest": self.hardest,
        }


def _retention_block(counts: tuple[int, int]) -> dict[str, float | int | None]:
    reviews, passed = counts
    return {
        "reviews": reviews,
        "passed": passed,
        "retention": round(passed / reviews, 4) if reviews else None,
    }


def compute(
    cards: Sequence[Card],
    store: Store,
    settings: Settings,
    now: datetime,
    forecast_days: int = 30,
) -> Stats:
    """Every figure from a few aggregate queries and one light row per card: no Card objects
    and no datetimes per card, so that it stays fast at 50,000 cards and 500,000 reviews."""
    cutoff = settings.day_cutoff_hour
    from ec2cards.scheduling.scheduler import Scheduler

    recall_of = Scheduler(settings).recall
    keys = card_keys(cards)
    topics_of = card_topics(cards)
    offset = now.astimezone().utcoffset() or timedelta(0)
    shift = offset - timedelta(hours=cutoff)
    rows = {row.key: row for row in store.stats.card_rows(now, shift)}
    today = study_day(now, cutoff)

    by_topic: dict[str, dict[str, int]] = {}
    recall: dict[str, list[float]] = {}
    forecast_counts: Counter[date] = Counter()
    hard: list[tuple[int, float, float, int]] = []  # (lapses, difficulty, stability, index)
    for index, (key, topics) in enumerate(zip(keys, topics_of, strict=True)):
        row = rows.get(key)
        name = "new" if row is None else state_name(row.phase, bool(row.suspended), bool(row.leech))
        value: float | None = None
        if row is not None and row.phase != 0:
            stability, due_day = row.stability, row.due_day
            value = recall_of(stability, row.days_since_review or 0)
            difficulty = row.difficulty or 0.0
            if row.lapses > 0 or difficulty >= HARD_DIFFICULTY:
                hard.append((row.lapses, difficulty, stability or 0.0, index))
            if not row.suspended and due_day is not None:
                day_due = max(date.fromisoformat(due_day), today)
                if (day_due - today).days < forecast_days:
                    forecast_counts[day_due] += 1
        for topic in topics:
            counts = by_topic.setdefault(topic, dict.fromkeys(STATE_NAMES, 0))
            counts[name] += 1
            if value is not None:
                recall.setdefault(topic, []).append(value)
    recall_by_topic: dict[str, float | None] = {
        topic: (round(sum(recall[topic]) / len(recall[topic]), 4) if topic in recall else None)
        for topic in sorted(by_topic)
    }

    daily = store.stats.reviews_per_day(now - timedelta(days=366), shift)
    per_day = Counter({day: counts[0] for day, counts in daily.items()})
    forecast = [
        (today + timedelta(days=i), forecast_counts.get(today + timedelta(days=i), 0))
        for i in range(forecast_days)
    ]
    return Stats(
        total_reviews=store.stats.review_count(),
        by_topic=dict(sorted(by_topic.items())),
        reviews_today=per_day.get(today, 0),
        streak_days=_streak(per_day, today),
        retention=_retention(daily, today),
        recall_by_topic=recall_by_topic,
        forecast=forecast,
        heatmap=dict(per_day),
        hardest=_hardest(hard, keys, cards),
    )


def _streak(per_day: Counter[date], today: date) -> int:
    """Days in a row with reviews, up to today (or yesterday, while today has none yet)."""
    streak = 0
    day = today if per_day.get(today) else today - timedelta(days=1)
    while per_day.get(day):
        streak += 1
        day -= timedelta(days=1)
    return streak


def _retention(
    daily: Mapping[date, Sequence[int]], today: date
) -> dict[str, dict[str, dict[str, float | int | None]]]:
    """Share of reviews passed over the last 7, 30 and 365 days: all, young and mature."""
    retention = {}
    for window in (7, 30, 365):
        first = today - timedelta(days=window - 1)
        sums = [0, 0, 0, 0]
        for day, day_counts in daily.items():
            if day >= first:
                for i in range(4):
                    sums[i] += day_counts[i + 1]
        reviews, passed, young, young_passed = sums
        blocks = {
            "all": (reviews, passed),
            "young": (young, young_passed),
            "mature": (reviews - young, passed - young_passed),
        }
        retention[f"{window}d"] = {name: _retention_block(v) for name, v in blocks.items()}
    return retention


def _hardest(
    hard: list[tuple[int, float, float, int]], keys: Sequence[str], cards: Sequence[Card]
) -> list[dict[str, object]]:
    """The cards lapsed most, then the most difficult: those to look at first."""
    hard.sort(key=lambda entry: (-entry[0], -entry[1], entry[2]))
    return [
        {
            "card": keys[index],
            "question": cards[index].question,
            "lapses": lapses,
            "difficulty": round(difficulty, 2),
            "stability_days": round(stability, 2),
        }
        for lapses, difficulty, stability, index in hard[:HARDEST_SHOWN]
    ]
