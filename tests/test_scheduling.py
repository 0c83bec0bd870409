"""FSRS through our adapter: exact intervals at fixed times with fuzz off, reproducible fuzz."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from ec2cards.config.settings import Settings
from ec2cards.model.ratings import Rating
from ec2cards.model.states import NEW_STATE, Phase
from ec2cards.scheduling.fuzz import fuzzed
from ec2cards.scheduling.scheduler import Scheduler
from ec2cards.terminal.timefmt import format_interval

T0 = datetime(2026, 11, 24, 10, 0, tzinfo=timezone.utc)


def test_new_card_intervals_pinned() -> None:
    scheduler = Scheduler(Settings(fuzz=False))
    preview = scheduler.preview(NEW_STATE, T0, "d/c")
    assert preview == {
        Rating.AGAIN: timedelta(minutes=1),
        Rating.HARD: timedelta(minutes=5, seconds=30),
        Rating.GOOD: timedelta(minutes=10),
        Rating.EASY: timedelta(days=8),
    }


def test_good_good_good_again_sequence_pinned() -> None:
    scheduler = Scheduler(Settings(fuzz=False))
    state = scheduler.review(NEW_STATE, Rating.GOOD, T0, "d/c")
    assert (state.phase, state.due) == (Phase.LEARNING, T0 + timedelta(minutes=10))
    t1 = T0 + timedelta(minutes=10)
    state = scheduler.review(state, Rating.GOOD, t1, "d/c")
    assert (state.phase, state.due - t1) == (Phase.REVIEW, timedelta(days=2))
    t2 = state.due
    assert t2 is not None
    state = scheduler.review(state, Rating.GOOD, t2, "d/c")
    assert state.due - t2 == timedelta(days=11)
    t3 = state.due
    assert t3 is not None
    assert scheduler.preview(state, t3, "d/c") == {
        Rating.AGAIN: timedelta(minutes=10),
        Rating.HARD: timedelta(days=32),
        Rating.GOOD: timedelta(days=46),
        Rating.EASY: timedelta(days=77),
    }
    lapsed = scheduler.review(state, Rating.AGAIN, t3, "d/c")
    assert (lapsed.phase, lapsed.lapses, lapsed.reps) == (Phase.RELEARNING, 1, 4)


def test_settings_change_the_schedule() -> None:
    short = Scheduler(Settings(fuzz=False, learning_steps=("2m",)))
    state = short.review(NEW_STATE, Rating.AGAIN, T0, "d/c")
    assert state.due == T0 + timedelta(minutes=2)
    lower = Scheduler(Settings(fuzz=False, desired_retention=0.8))
    normal = Scheduler(Settings(fuzz=False))
    assert (
        lower.preview(NEW_STATE, T0, "k")[Rating.EASY]
        > normal.preview(NEW_STATE, T0, "k")[Rating.EASY]
    )


def test_fuzz_is_reproducible_and_bounded() -> None:
    assert fuzzed(timedelta(days=46), 36500, "seed") == fuzzed(timedelta(days=46), 36500, "seed")
    spread = {fuzzed(timedelta(days=46), 36500, f"s{i}").days for i in range(200)}
    assert len(spread) > 3
    assert min(spread) >= 41 and max(spread) <= 51
    assert fuzzed(timedelta(days=2), 36500, "x") == timedelta(days=2)
    assert fuzzed(timedelta(days=100), 90, "x") <= timedelta(days=90)


def test_leech_after_threshold_lapses() -> None:
    scheduler = Scheduler(Settings(fuzz=False, leech_threshold=2))
    state = scheduler.review(NEW_STATE, Rating.EASY, T0, "k")
    now = T0
    for expected in (1, 2):
        now = state.due or now
        state = scheduler.review(state, Rating.AGAIN, now, "k")
        assert state.lapses == expected
        now = state.due or now
        state = scheduler.review(state, Rating.GOOD, now, "k")
    assert state.leech and state.suspended


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(seconds=30), "30s"),
        (timedelta(minutes=10), "10m"),
        (timedelta(hours=5), "5h"),
        (timedelta(days=3), "3d"),
        (timedelta(days=63), "2.1mo"),
        (timedelta(days=500), "1.4y"),
    ],
)
def test_format_interval(delta: timedelta, text: str) -> None:
    assert format_interval(delta) == text
