"""Ready for an exam: predicted recall on exam day, and a day-by-day plan to get there."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import TYPE_CHECKING

from ec2cards.config.settings import Settings
from ec2cards.model.cards import Card
from ec2cards.model.ratings import Rating
from ec2cards.model.states import NEW_STATE, CardState, Phase
from ec2cards.scheduling.scheduler import Scheduler

if TYPE_CHECKING:
    from typing import TypedDict

    from ec2cards.storage.store import Store

    class PlanDayJson(TypedDict):
        date: str
        new: int
        reviews: int

    class ExamPlanJson(TypedDict):
        """`plan --exam DATE --json`."""

        exam: str
        cards: int
        unseen: int
        feasible: bool
        recall_if_stop: dict[str, float]
        recall_with_plan: dict[str, float]
        days: list[PlanDayJson]


@dataclass
class PlanDay:
    day: date
    new: int = 0
    reviews: int = 0


@dataclass
class ExamPlan:
    exam: date
    days: list[PlanDay]
    recall_if_stop: dict[str, float]
    recall_with_plan: dict[str, float]
    unseen: int
    cards: int
    feasible: bool
    notes: list[str] = field(default_factory=list)

    @property
    def new_today(self) -> int:
        """How many new cards the plan introduces today (what `study --exam` follows)."""
        return self.days[0].new if self.days else 0

    def to_json(self) -> ExamPlanJson:
        return {
            "exam": self.exam.isoformat(),
            "cards": self.cards,
            "unseen": self.unseen,
            "feasible": self.feasible,
            "recall_if_stop": self.recall_if_stop,
            "recall_with_plan": self.recall_with_plan,
            "days": [
                {"date": d.day.isoformat(), "new": d.new, "reviews": d.reviews} for d in self.days
            ],
        }


def _mean_by_topic(values: dict[str, list[float]]) -> dict[str, float]:
    return {t: round(sum(v) / len(v), 4) for t, v in sorted(values.items()) if v}


def exam_plan(
    cards: Sequence[Card],
    states: dict[str, CardState],
    settings: Settings,
    now: datetime,
    exam: date,
    introduced_today: int = 0,
) -> ExamPlan:
    """Spread the unseen cards over the days before the exam (leaving the last quarter, up to
    3 days, for reviews only), then replay FSRS day by day assuming Good answers, to count the
    reviews each day and the recall each topic would have on exam morning. Cards already
    introduced today count against today's share."""
    scheduler = Scheduler(settings._replace(fuzz=False))  # the plan counts days, not spreads
    local_tz = now.astimezone().tzinfo or timezone.utc
    exam_moment = datetime.combine(exam, time(9, 0), tzinfo=local_tz).astimezone(timezone.utc)
    today = now.astimezone().date()
    span = (exam - today).days
    if span < 1:
        from ec2cards.errors import UsageError

        raise UsageError(f"the exam date {exam.isoformat()} must be after today ({today})")

    if_stop: dict[str, list[float]] = {}
    for card in cards:
        recall = scheduler.retrievability(states.get(card.key, NEW_STATE), exam_moment)
        for topic in card.topics:
            if_stop.setdefault(topic, []).append(recall)

    unseen = [c for c in cards if states.get(c.key, NEW_STATE).phase is Phase.NEW]
    learning_days = max(1, span - min(3, span // 4))
    per_day = math.ceil((len(unseen) + introduced_today) / learning_days) if unseen else 0
    simulated = {c.key: states.get(c.key, NEW_STATE) for c in cards}
    queue = list(unseen)
    days: list[PlanDay] = []
    for offset in range(span):
        day = today + timedelta(days=offset)
        moment = max(
            now, datetime.combine(day, time(9, 0), tzinfo=local_tz).astimezone(timezone.utc)
        )
        end = datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=local_tz)
        plan_day = PlanDay(day)
        for key, state in simulated.items():
            if state.phase is Phase.NEW or state.suspended or state.due is None:
                continue
            if state.due < end:
                simulated[key] = _review_until_graduated(scheduler, state, moment, key)
                plan_day.reviews += 1
        share = max(0, per_day - introduced_today) if offset == 0 else per_day
        for card in queue[:share]:
            simulated[card.key] = _review_until_graduated(scheduler, NEW_STATE, moment, card.key)
            plan_day.new += 1
        queue = queue[share:]
        days.append(plan_day)

    with_plan: dict[str, list[float]] = {}
    for card in cards:
        recall = scheduler.retrievability(simulated[card.key], exam_moment)
        for topic in card.topics:
            with_plan.setdefault(topic, []).append(recall)
    worst = min((min(v) for v in with_plan.values() if v), default=1.0)
    busiest = max((d.new + d.reviews for d in days), default=0)
    notes = []
    if busiest > settings.reviews_per_day + settings.new_per_day:
        notes.append(
            f"the busiest day has {busiest} cards, more than your daily limits"
            f" ({settings.new_per_day} new + {settings.reviews_per_day} reviews)"
        )
    return ExamPlan(
        exam=exam,
        days=days,
        recall_if_stop=_mean_by_topic(if_stop),
        recall_with_plan=_mean_by_topic(with_plan),
        unseen=len(unseen),
        cards=len(cards),
        feasible=worst >= settings.desired_retention - 0.005,
        notes=notes,
    )


def _review_until_graduated(
    scheduler: Scheduler, state: CardState, moment: datetime, key: str
) -> CardState:
    """Answer Good until the card leaves (re)learning: a day's learning steps, in one go."""
    current = scheduler.review(state, Rating.GOOD, moment, key)
    steps = 0
    while current.phase in (Phase.LEARNING, Phase.RELEARNING) and steps < 10:
        moment = current.due or moment
        current = scheduler.review(current, Rating.GOOD, moment, key)
        steps += 1
    return current


def plan_for(
    cards: Sequence[Card], store: Store, settings: Settings, now: datetime, exam: date
) -> ExamPlan:
    """The exam plan for these cards from the store's states and the new cards already
    introduced today: what `plan` shows and what `study --exam` takes today's new cards from."""
    from ec2cards.model.card_lists import card_keys
    from ec2cards.scheduling.days import day_start

    states = store.cards.states(card_keys(cards))
    introduced, _ = store.stats.counts_since(day_start(now, settings.day_cutoff_hour))
    return exam_plan(cards, states, settings, now, exam, introduced)
