"""Numbers about what a user knows and what is coming, computed from the decks and the store."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from ec2cards.config import Settings
from ec2cards.model import NEW_STATE, Card, CardState, Phase
from ec2cards.scheduling import Scheduler
from ec2cards.store import Store
from ec2cards.study import day_start

STATE_NAMES = ("new", "learning", "review", "relearning", "suspended", "leech")
MATURE_DAYS = 21


def state_name(state: CardState) -> str:
    if state.leech and state.suspended:
        return "leech"
    if state.suspended:
        return "suspended"
    return {
        Phase.NEW: "new",
        Phase.LEARNING: "learning",
        Phase.REVIEW: "review",
        Phase.RELEARNING: "relearning",
    }[state.phase]


def study_day(moment: datetime, cutoff_hour: int) -> date:
    """The local study day a moment belongs to (a day starts at the cut-off hour)."""
    return day_start(moment, cutoff_hour).date()


@dataclass
class Due:
    due_now: int
    due_today: int
    new_available: int
    next_due: datetime | None


def due_counts(cards: list[Card], store: Store, settings: Settings, now: datetime) -> Due:
    """What `ec2cards due` prints: cheap enough for a shell prompt."""
    states = store.states(c.key for c in cards)
    end_of_day = day_start(now, settings.day_cutoff_hour) + timedelta(days=1)
    due_now = due_today = 0
    next_due: datetime | None = None
    for state in states.values():
        if state.suspended or state.due is None or state.phase is Phase.NEW:
            continue
        due_now += state.due <= now
        due_today += state.due < end_of_day
        if state.due > now and (next_due is None or state.due < next_due):
            next_due = state.due
    new_done, _ = store.counts_since(day_start(now, settings.day_cutoff_hour))
    unseen = sum(1 for c in cards if c.key not in states)
    new_available = min(unseen, max(0, settings.new_per_day - new_done))
    return Due(due_now, due_today, new_available, next_due)


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
    hardest: list[dict[str, object]] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
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
    cards: list[Card],
    store: Store,
    settings: Settings,
    now: datetime,
    forecast_days: int = 30,
) -> Stats:
    cutoff = settings.day_cutoff_hour
    scheduler = Scheduler(settings)
    keys = {c.key for c in cards}
    states = store.states(keys)
    today = study_day(now, cutoff)

    by_topic: dict[str, dict[str, int]] = {}
    recall: dict[str, list[float]] = {}
    for card in cards:
        state = states.get(card.key, NEW_STATE)
        name = state_name(state)
        for topic in card.topics:
            counts = by_topic.setdefault(topic, dict.fromkeys(STATE_NAMES, 0))
            counts[name] += 1
            if state.phase is not Phase.NEW:
                recall.setdefault(topic, []).append(scheduler.retrievability(state, now))
    recall_by_topic: dict[str, float | None] = {
        topic: (round(sum(recall[topic]) / len(recall[topic]), 4) if topic in recall else None)
        for topic in sorted(by_topic)
    }

    times = store.review_times(now - timedelta(days=366))
    per_day = Counter(study_day(t, cutoff) for t in times)
    streak = 0
    day = today if per_day.get(today) else today - timedelta(days=1)
    while per_day.get(day):
        streak += 1
        day -= timedelta(days=1)

    retention = {}
    for window in (7, 30, 365):
        blocks = store.retention(now - timedelta(days=window))
        retention[f"{window}d"] = {name: _retention_block(v) for name, v in blocks.items()}

    forecast_counts: Counter[date] = Counter()
    for state in states.values():
        if state.suspended or state.due is None or state.phase is Phase.NEW:
            continue
        day_due = max(study_day(state.due, cutoff), today)
        if (day_due - today).days < forecast_days:
            forecast_counts[day_due] += 1
    forecast = [
        (today + timedelta(days=i), forecast_counts.get(today + timedelta(days=i), 0))
        for i in range(forecast_days)
    ]

    reviewed = [(k, s) for k, s in states.items() if s.phase is not Phase.NEW]
    reviewed.sort(key=lambda pair: (-pair[1].lapses, pair[1].stability or 0.0))
    by_key = {c.key: c for c in cards}
    hardest = [
        {
            "card": key,
            "question": by_key[key].question[:80],
            "lapses": state.lapses,
            "stability_days": round(state.stability or 0.0, 2),
        }
        for key, state in reviewed[:10]
        if key in by_key
    ]
    return Stats(
        total_reviews=store.review_count(),
        by_topic=dict(sorted(by_topic.items())),
        reviews_today=per_day.get(today, 0),
        streak_days=streak,
        retention=retention,
        recall_by_topic=recall_by_topic,
        forecast=forecast,
        heatmap=dict(per_day),
        hardest=hardest,
    )
