"""Fuzz: review intervals spread a little, as Anki does, so that cards learnt together do not all
come back on the same day. The spread is Anki's (about ±15 % at a week, ±5 % beyond 20 days),
and so is the draw: see `anki_random`."""

from __future__ import annotations

import math
from collections.abc import Callable

from ec2cards.scheduling.single import as_u32, f32, rounded

# (from, to, share): the fuzz grows by `share` of each day of the interval in [from, to).
FUZZ_RANGES = ((2.5, 7.0, 0.15), (7.0, 20.0, 0.1), (20.0, math.inf, 0.05))


def fuzz_delta(interval: float) -> float:
    """How many days an interval may move either way; none below 2.5 days."""
    interval = f32(interval)
    if interval < 2.5:
        return 0.0
    delta = 1.0
    for start, end, share in FUZZ_RANGES:
        part = f32(max(f32(min(interval, end) - start), 0.0))
        delta = f32(delta + f32(f32(share) * part))
    return delta


def fuzz_bounds(interval: float, minimum: int, maximum: int) -> tuple[int, int]:
    """The whole days an interval may become, within [minimum, maximum]."""
    minimum = min(minimum, maximum)
    interval = f32(min(max(f32(interval), float(minimum)), float(maximum)))
    delta = fuzz_delta(interval)
    lower = min(max(as_u32(rounded(f32(interval - delta))), minimum), maximum)
    upper = min(max(as_u32(rounded(f32(interval + delta))), minimum), maximum)
    if upper == lower and 2 < upper < maximum:
        upper = lower + 1
    return lower, upper


def review_days(factor: float | None, interval: float, minimum: int, maximum: int) -> int:
    """The days a review is scheduled for: fuzzed by `factor` (a draw in [0, 1)) within the
    bounds, or, without fuzz, the interval rounded and kept within [minimum, maximum]."""
    if factor is None:
        return min(max(as_u32(rounded(f32(interval))), minimum), max(maximum, minimum))
    lower, upper = fuzz_bounds(interval, minimum, maximum)
    return as_u32(math.floor(f32(lower + f32(f32(factor) * (1 + upper - lower)))))


def floor_days(interval: float, previous: int, maximum: int) -> int:
    """The least a passed review may give: one more than before when the interval grew, no
    shrinking when the interval fell only within fuzz of the previous one, else no floor."""
    if as_u32(rounded(f32(interval))) > previous:
        return previous + 1
    if previous <= fuzz_bounds(interval, 1, maximum)[1]:
        return previous
    return 0


def learning_spread(seconds: int) -> int:
    """The first second past a learning step's spread: [seconds, this)."""
    return seconds + as_u32(math.floor(f32(min(f32(seconds * 0.25), 300.0))))


# Anki balances only intervals up to three months: beyond, a day either way is no load at all.
BALANCE_UP_TO = 90


def balanced_days(
    factor: float,
    interval: float,
    minimum: int,
    maximum: int,
    load: Callable[[int], int],
    share: Callable[[int], float],
) -> int:
    """A review's days chosen within its fuzz to level the daily load: each candidate day is
    weighted by how lightly loaded it is (`load`: reviews already due that many days from today),
    by the weekday's share (easy days), and a little against longer waits; the draw `factor`
    picks one, so the choice replays the same. Plain fuzz where there is nothing to balance."""
    lower, upper = fuzz_bounds(interval, minimum, maximum)
    if lower == upper or upper > BALANCE_UP_TO:
        return review_days(factor, interval, minimum, maximum)
    weights = [share(day) / ((1 + load(day)) ** 2.15) for day in range(max(lower, 1), upper + 1)]
    total = sum(weights)
    if total <= 0:
        return review_days(factor, interval, minimum, maximum)
    target = factor * total
    for offset, weight in enumerate(weights):
        target -= weight
        if target < 0:
            return max(lower, 1) + offset
    return upper
