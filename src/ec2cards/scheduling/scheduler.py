"""The scheduler: for a card's state and the time, the state each rating gives, as Anki's FSRS
scheduler computes it.

The memory model is fsrs-rs, the engine Anki itself runs (through fsrs-rs-python); around it,
Anki's rules: time counted in study days, learning and relearning steps counted from the end,
Hard < Good < Easy, an interval that does not shrink within fuzz, the maximum interval, fuzz
drawn from a seed known before the card is shown, and memory kept to 4 and 3 decimal places.
The golden test holds all of it to timelines recorded from Anki.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date, datetime, timedelta, tzinfo
from typing import Any, NamedTuple, Protocol

from ec2cards.config.settings import Settings
from ec2cards.model.cards import card_number
from ec2cards.model.ratings import Rating
from ec2cards.model.states import CardState, Phase
from ec2cards.scheduling.anki_random import MASK64, AnkiRandom
from ec2cards.scheduling.days import (
    DAY_SECONDS,
    days_later,
    elapsed_days,
    next_day_at,
    study_day,
)
from ec2cards.scheduling.fuzz import balanced_days, floor_days, learning_spread, review_days
from ec2cards.scheduling.single import as_u32, f32, round_places, rounded
from ec2cards.scheduling.steps import Steps


class DayLoad(Protocol):
    """How many reviews are already due on a study day (for load balancing)."""

    def due_on(self, day: date) -> int: ...


class Option(NamedTuple):
    """What one rating gives: the state it saves and the interval its key shows."""

    state: CardState
    interval: timedelta


class _Outcome(NamedTuple):
    """One rating's result before it becomes a state: days (review) or seconds (steps)."""

    phase: Phase
    memory: Any  # an fsrs-rs ItemState: .memory and .interval
    days: int = 0  # review days; for a relearning card, the days its review part keeps
    seconds: int = 0
    steps_left: int = 0
    lapses: int = 0


class Scheduler:
    """Anki's FSRS scheduling with the user's settings."""

    def __init__(
        self,
        settings: Settings,
        zone: tzinfo | None = None,
        numbers: Mapping[str, int] | None = None,
    ) -> None:
        import fsrs_rs_python

        self.settings = settings
        # The time zone answers are given in (the CLI passes the system's); None: the system's.
        # A replay passes each review's kept zone instead.
        self.zone = zone
        self._system_name: str | None = None
        # Cards whose fuzz is seeded with their Anki card id, not with their key's number
        # (adopted from an earlier export): both sides then draw the same (`numbered`).
        self.numbers: Mapping[str, int] = numbers or {}
        self.parameters = list(settings.parameters) or list(fsrs_rs_python.DEFAULT_PARAMETERS)
        self._model = fsrs_rs_python.FSRS(self.parameters)
        self._memory = fsrs_rs_python.MemoryState
        self.learning = Steps(settings.steps("learning_steps"))
        self.relearning = Steps(settings.steps("relearning_steps"))
        self.maximum = max(settings.maximum_interval, 1)
        w = self.parameters
        # Same-day answers use FSRS's short-term formula unless fitted parameters turned it off.
        self.short_term = not settings.parameters or (w[17] > 0 and w[18] > 0)
        self._today = date.min
        self._load: DayLoad | None = None
        self._zone: tzinfo | None = zone

    # -- the four options ------------------------------------------------------------------------

    def options(
        self,
        state: CardState,
        now: datetime,
        key: str,
        number: int | None = None,
        load: DayLoad | None = None,
        only: Rating | None = None,
        zone: tzinfo | None = None,
    ) -> dict[Rating, Option]:
        """The state each rating saves at `now`, and the interval its key shows: the same
        numbers, since the fuzz is drawn from the card and its review count, not the clock.
        `number` is the card's number (by default its Anki id when it has one of its own, else
        from its key), as Anki's card id; `load` the reviews due per day, when the settings
        balance the load; `only` one rating; `zone` the time zone of the answer (by default
        `answer_zone`)."""
        cutoff = self.settings.day_cutoff_hour
        zone = zone or self.answer_zone(now)
        self._zone = zone
        self._today = study_day(now, cutoff, zone)
        self._load = load if self.settings.load_balance else None
        memory = None
        if state.phase is not Phase.NEW and state.stability is not None:
            memory = self._memory(state.stability, state.difficulty or 5.0)
        elapsed = elapsed_days(state.last_review, now, cutoff, zone)
        states = self._model.next_states(memory, self.settings.desired_retention, elapsed)
        if number is None:
            number = self.numbers.get(key) or card_number(key)
        seed = (number + state.reps) & MASK64 if self.settings.fuzz else None
        draws = AnkiRandom(seed) if seed is not None else None
        factor = draws.unit() if draws is not None else None
        if state.phase in (Phase.NEW, Phase.LEARNING):
            left = len(self.learning) if state.phase is Phase.NEW else state.steps_left
            outcomes = self._learning(states, left, factor)
        elif state.phase is Phase.REVIEW:
            outcomes = self._review(states, state.interval_days, state.lapses, factor)
        else:
            outcomes = self._relearning(states, state, factor)
        until_next_day = (next_day_at(now, cutoff, zone) - now).total_seconds()
        wanted = Rating if only is None else (only,)
        return {
            rating: self._option(state, outcomes[rating - 1], rating, now, until_next_day, draws)
            for rating in wanted
        }

    def review(
        self,
        state: CardState,
        rating: Rating,
        now: datetime,
        key: str,
        load: DayLoad | None = None,
        zone: tzinfo | None = None,
    ) -> CardState:
        """The state after answering `rating` at `now`; lapses and leeches counted here."""
        return self.options(state, now, key, load=load, only=rating, zone=zone)[rating].state

    def answer_zone(self, now: datetime) -> tzinfo:
        """The zone an answer at `now` counts its study days in, and the review keeps: the
        scheduler's, else this system's (its name looked up once)."""
        if self.zone is not None:
            return self.zone
        from ec2cards.model.zones import system_zone, system_zone_name

        if self._system_name is None:
            self._system_name = system_zone_name() or ""
        return system_zone(now, self._system_name)

    def from_sm2(
        self,
        state: CardState,
        rating: Rating,
        now: datetime,
        ease: float,
        interval_days: int,
        zone: tzinfo | None = None,
    ) -> CardState:
        """The state after an imported review that Anki's FSRS takes as the start of a card's
        memory because what came before it is missing (a trimmed log, a reset without a new
        learning run): the SM-2 ease and interval that review gave, as a memory state
        (`memory_state_from_sm2`, at SM-2's 90% retention), the way Anki computes it."""
        days = min(max(interval_days, 1), self.maximum)
        memory = self._model.memory_state_from_sm2(ease, float(max(interval_days, 1)), 0.9)
        difficulty = memory.difficulty
        if ease <= 1.1:  # written by FSRS: the factor is a difficulty, shifted and scaled
            difficulty = (ease - 0.1) * 9 + 1
        lapsed = rating is Rating.AGAIN
        return replace(
            state,
            phase=Phase.REVIEW,
            due=days_later(now, days, self.settings.day_cutoff_hour, zone or self.answer_zone(now)),
            steps_left=0,
            interval_days=days,
            stability=round_places(memory.stability, 4),
            difficulty=round_places(difficulty, 3),
            last_review=now,
            reps=state.reps + 1,
            lapses=state.lapses + lapsed,
            buried_until=None,
        )

    def preview(
        self,
        state: CardState,
        now: datetime,
        key: str,
        load: DayLoad | None = None,
        zone: tzinfo | None = None,
    ) -> dict[Rating, timedelta]:
        """The interval each rating's key shows: exactly what that answer saves."""
        options = self.options(state, now, key, load=load, zone=zone)
        return {rating: option.interval for rating, option in options.items()}

    # -- Anki's rules per phase ------------------------------------------------------------------

    def _days(self, factor: float | None, interval: float, minimum: int) -> int:
        low = min(max(minimum, 1), self.maximum)
        load = self._load
        if load is None or factor is None:
            return review_days(factor, interval, low, self.maximum)
        today, shares = self._today, self.settings.easy_days

        def due(days: int) -> int:
            return load.due_on(today + timedelta(days=days))

        def share(days: int) -> float:
            return shares[(today + timedelta(days=days)).weekday()]

        return balanced_days(factor, interval, low, self.maximum, due, share)

    def _whole(self, interval: float) -> float:
        return max(rounded(f32(interval)), 1.0)

    def _short(self, interval: float, steps: Steps) -> bool:
        return self.short_term and len(steps) == 0 and interval < 0.5

    def _leave_steps(
        self, item: Any, phase: Phase, left: int, factor: float | None, lapses: int
    ) -> _Outcome:
        """An answer with no step to take: FSRS's own interval, in seconds when under half a
        day (the same-day memory), else in days."""
        days = self._days(factor, self._whole(item.interval), 1)
        steps = self.learning if phase is Phase.LEARNING else self.relearning
        if self._short(item.interval, steps):
            seconds = as_u32(f32(f32(item.interval) * DAY_SECONDS))
            return _Outcome(phase, item, days, seconds, left, lapses)
        return _Outcome(Phase.REVIEW, item, days, lapses=lapses)

    def _learning(self, states: Any, left: int, factor: float | None) -> list[_Outcome]:
        steps, phase = self.learning, Phase.LEARNING
        outcomes = []
        again = steps.again()
        if again is not None:
            outcomes.append(_Outcome(phase, states.again, seconds=again, steps_left=len(steps)))
        else:
            outcomes.append(self._leave_steps(states.again, phase, len(steps), factor, 0))
        hard = steps.hard(left)
        if hard is not None:
            outcomes.append(_Outcome(phase, states.hard, seconds=hard, steps_left=left))
        else:
            outcomes.append(self._leave_steps(states.hard, phase, left, factor, 0))
        good = steps.good(left)
        if good is not None:
            outcomes.append(
                _Outcome(phase, states.good, seconds=good, steps_left=steps.left_after_good(left))
            )
        else:
            outcomes.append(self._leave_steps(states.good, phase, left, factor, 0))
        outcomes.append(self._easy(states, factor, 0))
        return outcomes

    def _easy(self, states: Any, factor: float | None, lapses: int) -> _Outcome:
        """Easy from (re)learning graduates at least a day past what Good would give."""
        good = self._days(factor, states.good.interval, 1)
        easy = review_days(factor, self._whole(states.easy.interval), good + 1, self.maximum)
        return _Outcome(Phase.REVIEW, states.easy, easy, lapses=lapses)

    def _review(
        self, states: Any, previous: int, lapses: int, factor: float | None
    ) -> list[_Outcome]:
        again_days = as_u32(self._whole(states.again.interval))
        relearning = self.relearning
        first = relearning.again()
        if first is not None:
            again = _Outcome(
                Phase.RELEARNING, states.again, again_days, first, len(relearning), lapses + 1
            )
        elif self._short(states.again.interval, relearning):
            seconds = as_u32(f32(f32(states.again.interval) * DAY_SECONDS))
            again = _Outcome(Phase.RELEARNING, states.again, again_days, seconds, 0, lapses + 1)
        else:  # neither fuzzed nor capped, as in Anki
            again = _Outcome(Phase.REVIEW, states.again, again_days, lapses=lapses + 1)

        def passed(item: Any, least: int) -> int:
            floor = floor_days(item.interval, previous, self.maximum)
            return self._days(factor, item.interval, max(floor, least))

        hard = passed(states.hard, 1)
        good = passed(states.good, hard + 1)
        easy = passed(states.easy, good + 1)
        return [
            again,
            _Outcome(Phase.REVIEW, states.hard, hard, lapses=lapses),
            _Outcome(Phase.REVIEW, states.good, good, lapses=lapses),
            _Outcome(Phase.REVIEW, states.easy, easy, lapses=lapses),
        ]

    def _relearning(self, states: Any, state: CardState, factor: float | None) -> list[_Outcome]:
        steps, phase, lapses = self.relearning, Phase.RELEARNING, state.lapses
        left, keep = state.steps_left, state.interval_days
        outcomes = []
        again = steps.again()
        if again is not None:
            days = as_u32(self._whole(states.again.interval))
            outcomes.append(_Outcome(phase, states.again, days, again, len(steps), lapses))
        else:
            outcomes.append(self._leave_steps(states.again, phase, len(steps), factor, lapses))
        hard = steps.hard(left)
        if hard is not None:
            outcomes.append(_Outcome(phase, states.hard, keep, hard, left, lapses))
        else:
            outcomes.append(self._leave_steps(states.hard, phase, left, factor, lapses))
        good = steps.good(left)
        after_good = steps.left_after_good(left)
        if good is not None:
            outcomes.append(_Outcome(phase, states.good, keep, good, after_good, lapses))
        else:
            outcomes.append(self._leave_steps(states.good, phase, after_good, factor, lapses))
        outcomes.append(self._easy(states, factor, lapses))
        return outcomes

    # -- from an outcome to the saved state ------------------------------------------------------

    def _option(
        self,
        before: CardState,
        outcome: _Outcome,
        rating: Rating,
        now: datetime,
        until_next_day: float,
        draws: AnkiRandom | None,
    ) -> Option:
        cutoff = self.settings.day_cutoff_hour
        if outcome.phase is Phase.REVIEW:
            interval = timedelta(days=outcome.days)
            due = days_later(now, outcome.days, cutoff, self._zone)
        elif outcome.seconds >= until_next_day:  # a step into another day: due that day
            days = int((outcome.seconds - until_next_day) // DAY_SECONDS) + 1
            interval = timedelta(days=days)
            due = days_later(now, days, cutoff, self._zone)
        else:
            seconds = outcome.seconds
            upper = learning_spread(seconds)
            if draws is not None and seconds < upper:
                seconds = draws.rewind().below(seconds, upper)
            interval = timedelta(seconds=seconds)
            due = now + interval
        lapses = outcome.lapses
        lapsed = lapses > before.lapses
        leech = before.leech or (lapsed and lapses >= self.settings.leech_threshold)
        memory = outcome.memory.memory
        state = replace(
            before,
            phase=outcome.phase,
            due=due,
            steps_left=outcome.steps_left if outcome.phase is not Phase.REVIEW else 0,
            interval_days=outcome.days if outcome.phase is not Phase.LEARNING else 0,
            stability=round_places(memory.stability, 4),
            difficulty=round_places(memory.difficulty, 3),
            last_review=now,
            reps=before.reps + 1,
            lapses=lapses,
            leech=leech,
            suspended=before.suspended or (leech and not before.leech),
            buried_until=None,
        )
        return Option(state, interval)

    # -- recall ----------------------------------------------------------------------------------

    def recall(self, stability: float | None, elapsed: int) -> float:
        """FSRS-6's forgetting curve, R = (1 + factor * t / S) ** -decay, for whole days elapsed,
        without a call into fsrs-rs for each of many cards."""
        if not stability:
            return 0.0
        decay = -self.parameters[20]
        factor = 0.9 ** (1 / decay) - 1
        return float((1 + factor * max(elapsed, 0) / stability) ** decay)

    def retrievability(self, state: CardState, now: datetime) -> float:
        """Predicted chance of recall now, by study days elapsed; 0 for cards never reviewed."""
        if state.phase is Phase.NEW or state.stability is None:
            return 0.0
        elapsed = elapsed_days(state.last_review, now, self.settings.day_cutoff_hour)
        return self.recall(state.stability, elapsed)
