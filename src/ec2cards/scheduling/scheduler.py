"""A thin adapter over fsrs: review(state, rating, now) -> new state, with reproducible fuzz.

fsrs draws its fuzz from the global random generator; we schedule without it and fuzz with a
generator seeded by the card and the time, so that replaying the log gives the same dates.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from ec2cards.config.settings import Settings
from ec2cards.model.ratings import Rating
from ec2cards.model.states import CardState, Phase
from ec2cards.scheduling.fuzz import fuzzed

if TYPE_CHECKING:
    import fsrs


class Scheduler:
    def __init__(self, settings: Settings) -> None:
        import fsrs

        self.settings = settings
        self._fsrs = fsrs.Scheduler(
            parameters=settings.parameters or fsrs.scheduler.DEFAULT_PARAMETERS,
            desired_retention=settings.desired_retention,
            learning_steps=settings.steps("learning_steps"),
            relearning_steps=settings.steps("relearning_steps"),
            maximum_interval=settings.maximum_interval,
            enable_fuzzing=False,
        )
        self._fsrs_module = fsrs

    def _to_fsrs(self, state: CardState, now: datetime) -> fsrs.Card:
        from fsrs import Card, State

        if state.phase is Phase.NEW:
            return Card(card_id=0, due=now)
        return Card(
            card_id=0,
            state=State(int(state.phase)),
            step=state.step,
            stability=state.stability,
            difficulty=state.difficulty,
            due=state.due or now,
            last_review=state.last_review,
        )

    def review(
        self, state: CardState, rating: Rating, now: datetime, key: str, fuzz: bool = True
    ) -> CardState:
        """The state after answering `rating` at `now`; lapses and leeches counted here."""
        card, _ = self._fsrs.review_card(
            self._to_fsrs(state, now), self._fsrs_module.Rating(int(rating)), now
        )
        phase = Phase(int(card.state))
        due = card.due
        if fuzz and self.settings.fuzz and phase is Phase.REVIEW:
            due = now + fuzzed(
                due - now, self.settings.maximum_interval, f"{key}@{now.isoformat()}"
            )
        lapses = state.lapses + (1 if state.phase is Phase.REVIEW and rating is Rating.AGAIN else 0)
        leech = state.leech or lapses >= self.settings.leech_threshold
        return replace(
            state,
            phase=phase,
            due=due,
            step=card.step,
            stability=card.stability,
            difficulty=card.difficulty,
            last_review=now,
            reps=state.reps + 1,
            lapses=lapses,
            leech=leech,
            suspended=state.suspended or (leech and not state.leech),
        )

    def preview(self, state: CardState, now: datetime, key: str) -> dict[Rating, timedelta]:
        """The interval each rating would give before fuzz, for the labels on the rating keys."""
        return {
            rating: (self.review(state, rating, now, key, fuzz=False).due or now) - now
            for rating in Rating
        }

    def recall(self, stability: float | None, elapsed_days: int) -> float:
        """FSRS-6's forgetting curve, R = (1 + factor * t / S) ** -decay, as fsrs computes it
        (whole days elapsed), without building an fsrs Card for each of many cards."""
        if not stability:
            return 0.0
        decay = -self._fsrs.parameters[20]
        factor = 0.9 ** (1 / decay) - 1
        return float((1 + factor * max(elapsed_days, 0) / stability) ** decay)

    def retrievability(self, state: CardState, now: datetime) -> float:
        """Predicted chance of recall now; 0 for cards never reviewed."""
        if state.phase is Phase.NEW or state.stability is None:
            return 0.0
        return float(self._fsrs.get_card_retrievability(self._to_fsrs(state, now), now))
