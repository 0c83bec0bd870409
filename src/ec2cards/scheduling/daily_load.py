"""What load balancing does: the same learner, the same cards, studied day by day through
ec2cards' own scheduler with and without balancing, and the spread of reviews per day.

The simulated learner recalls a card with the probability FSRS predicts (the default model),
answers Good when they recall and Again when not, studies every due card each morning and
takes its learning steps the same day. A seeded generator makes the figures reproducible."""

from __future__ import annotations

import random
import statistics
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from ec2cards.config.settings import Settings
from ec2cards.model.ratings import Rating
from ec2cards.model.states import NEW_STATE, CardState, Phase
from ec2cards.scheduling.load import ReplayLoad
from ec2cards.scheduling.scheduler import Scheduler

START = datetime(2026, 1, 5, tzinfo=timezone.utc)


@dataclass(frozen=True)
class DailyLoad:
    """Reviews per day over a simulated period (days with no review included)."""

    balanced: bool
    per_day: list[int]
    first_day: date

    def by_weekday(self) -> list[int]:
        """Reviews on each weekday over the period, Monday first."""
        totals = [0] * 7
        for offset, reviews in enumerate(self.per_day):
            totals[(self.first_day + timedelta(days=offset)).weekday()] += reviews
        return totals

    @property
    def mean(self) -> float:
        return statistics.fmean(self.per_day) if self.per_day else 0.0

    @property
    def spread(self) -> float:
        """Standard deviation of the daily reviews: lower is a more even load."""
        return statistics.pstdev(self.per_day) if len(self.per_day) > 1 else 0.0

    @property
    def busiest(self) -> int:
        return max(self.per_day, default=0)


def daily_load(
    cards: int, settings: Settings, days: int, balanced: bool, seed: int = 7
) -> DailyLoad:
    """Reviews of review cards per day over `days` days (the first month, mostly new cards,
    left out of the figures), `new_per_day` new cards a day until `cards` are all seen."""
    settings = settings._replace(load_balance=balanced, reviews_per_day=10**6)
    scheduler = Scheduler(settings)
    generator = random.Random(seed)
    load = ReplayLoad(settings.day_cutoff_hour)
    states: dict[str, CardState] = {}
    introduced = 0
    per_day: list[int] = []
    for day in range(days):
        morning = datetime.combine(
            (START + timedelta(days=day)).date(), time(9), tzinfo=timezone.utc
        ).astimezone()
        end_of_day = morning + timedelta(hours=14)
        due = [
            key
            for key, state in states.items()
            if state.due is not None and state.due <= end_of_day
        ]
        fresh = [
            f"card-{introduced + i}" for i in range(min(settings.new_per_day, cards - introduced))
        ]
        introduced += len(fresh)
        reviews = 0
        now = morning
        queue = sorted(due) + fresh
        while queue:
            key = queue.pop(0)
            state = states.get(key, NEW_STATE)
            now = max(now + timedelta(seconds=20), state.due or now)
            if state.phase is Phase.REVIEW:
                reviews += 1
            recall = scheduler.retrievability(state, now) if state.phase is not Phase.NEW else 0.5
            rating = Rating.GOOD if generator.random() < recall else Rating.AGAIN
            after = scheduler.review(state, rating, now, key, load)
            load.move(key, after)
            states[key] = after
            if (
                after.phase in (Phase.LEARNING, Phase.RELEARNING)
                and after.due
                and after.due < end_of_day
            ):
                queue.append(key)
        per_day.append(reviews)
    skipped = min(30, len(per_day) // 2)
    return DailyLoad(balanced, per_day[skipped:], (START + timedelta(days=skipped)).date())
