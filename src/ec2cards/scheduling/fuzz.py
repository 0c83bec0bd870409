"""Fuzz: review intervals spread a little, as Anki does, so that cards learnt together do not
all come back on the same day; reproducible for a given seed."""

from __future__ import annotations

from datetime import timedelta


def fuzzed(interval: timedelta, maximum_days: int, seed: str) -> timedelta:
    """Spread a review interval as Anki and fsrs do (±5-15 %), reproducibly for a given seed."""
    from fsrs.scheduler import FUZZ_RANGES

    days = interval.days
    if days < 2.5:
        return interval
    delta = 1.0
    for band in FUZZ_RANGES:
        delta += band["factor"] * max(min(float(days), band["end"]) - band["start"], 0.0)
    low = max(2, round(days - delta))
    high = min(round(days + delta), maximum_days)
    low = min(low, high)
    import hashlib
    import random

    generator = random.Random(hashlib.blake2b(seed.encode(), digest_size=8).digest())
    return timedelta(days=generator.randint(low, high))
