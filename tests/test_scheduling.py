"""The scheduler: exact intervals at fixed times with fuzz off, Anki's fuzz spread and draws.
(Every rule is held to Anki itself in test_golden_anki.py; these pin a few by hand.)"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ec2cards.config.settings import Settings
from ec2cards.model.ratings import Rating
from ec2cards.model.states import NEW_STATE, Phase
from ec2cards.scheduling.anki_random import AnkiRandom, chacha_block
from ec2cards.scheduling.days import day_start
from ec2cards.scheduling.fuzz import fuzz_bounds, review_days
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
    # Review days start at the day cut-off (04:00): due at the start of the day 2 days on.
    assert (state.phase, state.interval_days) == (Phase.REVIEW, 2)
    assert state.due == day_start(t1, 4) + timedelta(days=2)
    assert state.due is not None
    t2 = state.due + timedelta(hours=5, minutes=10)  # answered at 09:10 on the due day
    state = scheduler.review(state, Rating.GOOD, t2, "d/c")
    assert state.interval_days == 11 and state.due == day_start(t2, 4) + timedelta(days=11)
    assert state.due is not None
    t3 = state.due + timedelta(hours=5, minutes=10)
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


def test_fuzz_spreads_within_anki_bounds_and_is_reproducible() -> None:
    assert fuzz_bounds(46.0, 1, 36500) == (42, 50)  # 46 +- (1 + 0.15*4.5 + 0.1*13 + 0.05*26)
    assert fuzz_bounds(2.0, 1, 36500) == (2, 2)  # nothing under 2.5 days
    assert fuzz_bounds(100.0, 1, 90) == (84, 90)  # never past the maximum interval
    draws = [AnkiRandom(seed).unit() for seed in range(300)]
    spread = {review_days(draw, 46.0, 1, 36500) for draw in draws}
    assert spread == set(range(42, 51))
    assert [AnkiRandom(7).unit() for _ in range(3)] == [AnkiRandom(7).unit()] * 3
    assert review_days(None, 46.4, 1, 36500) == 46  # fuzz off: rounded


def test_the_block_function_is_chacha() -> None:
    """ChaCha20's first block for an all-zero key (RFC 7539, A.1); the draws built on it are
    held to Anki's own by the fuzz-on golden timelines."""
    assert chacha_block([0] * 8, 0, rounds=20)[:2] == [0xADE0B876, 0x903DF1A0]


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


def test_recall_follows_the_fsrs_forgetting_curve() -> None:
    """FSRS-6: recall is 90 % when the days elapsed equal the stability, 100 % at once, and
    falls as the days pass, as py-fsrs computes it."""
    from fsrs import Card, State
    from fsrs import Scheduler as PyScheduler

    scheduler = Scheduler(Settings())
    assert scheduler.recall(12.0, 12) == pytest.approx(0.9, abs=1e-9)
    assert scheduler.recall(12.0, 0) == 1.0
    assert scheduler.recall(None, 5) == 0.0
    falling = [scheduler.recall(12.0, days) for days in (1, 5, 12, 40, 400)]
    assert falling == sorted(falling, reverse=True) and falling[-1] > 0
    reference = PyScheduler()
    last = T0 - timedelta(days=30)
    card = Card(state=State.Review, stability=20.0, difficulty=5.0, last_review=last, due=T0)
    assert scheduler.recall(20.0, 30) == pytest.approx(
        reference.get_card_retrievability(card, T0), abs=1e-6
    )


def _near_bounds() -> st.SearchStrategy[list[float]]:
    """21 numbers, each in, on or just outside its FSRS-6 range."""
    from fsrs.scheduler import LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS

    def around(low: float, high: float) -> st.SearchStrategy[float]:
        return st.one_of(
            st.sampled_from([low, high, low - 0.01, high + 0.01]),
            st.floats(low - 1, high + 1, allow_nan=False),
        )

    return st.tuples(
        *(
            around(lo, hi)
            for lo, hi in zip(LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS, strict=True)
        )
    ).map(list)


@given(values=st.one_of(_near_bounds(), st.lists(st.floats(0, 5), max_size=25)))
@settings(max_examples=300, deadline=None)
def test_parameter_bounds_are_those_of_fsrs_6(values: list[float]) -> None:
    """ec2cards checks FSRS-6 parameters itself; py-fsrs, the reference implementation, is the
    oracle: a set is refused exactly when py-fsrs refuses it, and each number outside its range
    is named."""
    from fsrs import Scheduler as PyScheduler

    from ec2cards.model.fsrs_parameters import parameter_problems

    try:
        PyScheduler(parameters=values)
        accepted = True
    except ValueError:
        accepted = False
    problems = parameter_problems(values)
    assert (problems == []) == accepted
    if len(values) == 21:
        from fsrs.scheduler import LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS

        outside = [
            i
            for i, (v, lo, hi) in enumerate(
                zip(values, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS, strict=True)
            )
            if not lo <= v <= hi
        ]
        assert [int(p.split()[0][1:]) for p in problems] == outside


@pytest.mark.parametrize("hhmm", ["09:00", "23:30", "03:30", "03:59"])
def test_the_saved_interval_is_the_one_the_key_showed_at_any_hour(hhmm: str) -> None:
    """In the evening a review due in 7 study days falls due at 04:00 on the 7th day, 6 days and
    some hours away: the saved line says 7d, as the key did. Every answer of many cards, at
    an hour before the cut-off, late in the evening and in the morning."""
    import random

    from ec2cards.scheduling.days import shown_interval

    hours, minutes = map(int, hhmm.split(":"))
    scheduler = Scheduler(Settings(fuzz=True))
    generator = random.Random(hhmm)
    checked = 0
    for card in range(25):
        state, key = NEW_STATE, f"deck/card-{card}"
        now = datetime(2026, 1, 5, hours, minutes, tzinfo=timezone.utc)
        for _ in range(8):
            rating = Rating(generator.choice([1, 2, 3, 3, 4]))
            shown = scheduler.preview(state, now, key)[rating]
            after = scheduler.review(state, rating, now, key)
            assert shown_interval(after, now, 4) == shown, (key, rating, now)
            checked += 1
            state = after
            assert after.due is not None
            then = after.due + timedelta(days=generator.choice([0, 1, 3]))
            now = then.replace(hour=hours, minute=minutes)
            if now < after.due:  # the same hour the next day, never before it falls due
                now += timedelta(days=1)
    assert checked == 200
