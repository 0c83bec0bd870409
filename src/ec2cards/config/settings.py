"""The settings the scheduler and the daily queue need, and how each value is checked."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any, NamedTuple

from ec2cards.errors import UsageError

STEP_PATTERN = r"^(\d+(?:\.\d+)?)([smhd])$"  # compiled on first use (re caches it): not at start-up
STEP_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


class Settings(NamedTuple):
    """What the scheduler and the daily queue need. Defaults follow Anki's FSRS defaults.
    (A NamedTuple: a frozen dataclass would import dataclasses and inspect into the start-up
    of `due`, which reads two of these.)"""

    desired_retention: float = 0.90
    learning_steps: tuple[str, ...] = ("1m", "10m")
    relearning_steps: tuple[str, ...] = ("10m",)
    maximum_interval: int = 36500
    fuzz: bool = True
    day_cutoff_hour: int = 4
    new_per_day: int = 20
    reviews_per_day: int = 200
    leech_threshold: int = 8
    bury_siblings: bool = True
    load_balance: bool = False
    easy_days: tuple[float, ...] = (1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0)
    parameters: tuple[float, ...] = ()

    def steps(self, which: str) -> tuple[timedelta, ...]:
        return tuple(parse_step(s) for s in getattr(self, which))


HELP = {
    "desired_retention": "share of reviews you aim to recall (0.70-0.99)",
    "learning_steps": 'intervals for new cards before they graduate, e.g. ["1m", "10m"]',
    "relearning_steps": 'intervals after a lapse, e.g. ["10m"]',
    "maximum_interval": "longest interval in days",
    "fuzz": "spread intervals a little so cards don't clump (true/false)",
    "day_cutoff_hour": "local hour at which a new study day starts (0-23)",
    "new_per_day": "new cards introduced per day",
    "reviews_per_day": "reviews shown per day",
    "leech_threshold": "lapses after which a card is a leech and suspended",
    "bury_siblings": "show a cloze's deletions (and an Anki note's cards) on different days",
    "load_balance": "pick each review's day within its fuzz to even out the daily load",
    "easy_days": "with load_balance: how much of a normal load each weekday takes, Monday"
    " first, 0-1 (e.g. [1, 1, 1, 1, 1, 0.5, 0])",
    "parameters": "FSRS parameters fitted by 'ec2cards optimize' (empty = defaults)",
}


def parse_step(text: str) -> timedelta:
    match = re.match(STEP_PATTERN, text.strip())
    if not match:
        raise UsageError(f"'{text}' is not a step; write a number and a unit: 30s, 1m, 10m, 1h, 1d")
    return timedelta(**{STEP_UNITS[match.group(2)]: float(match.group(1))})


def validate(key: str, value: Any) -> Any:
    """Return the value in its settings type, or raise UsageError saying what fits."""
    if key == "desired_retention":
        number = _number(key, value, float)
        if not 0.7 <= number <= 0.99:
            raise UsageError("desired_retention must be between 0.70 and 0.99")
        return number
    if key in ("learning_steps", "relearning_steps"):
        items = value if isinstance(value, list | tuple) else str(value).replace(",", " ").split()
        for item in items:
            parse_step(str(item))
        return tuple(str(item).strip() for item in items)
    if key in ("fuzz", "load_balance", "bury_siblings"):
        if isinstance(value, bool):
            return value
        lowered = str(value).lower()
        if lowered in ("true", "yes", "on", "1"):
            return True
        if lowered in ("false", "no", "off", "0"):
            return False
        raise UsageError(f"{key} must be true or false")
    if key == "easy_days":
        items = value if isinstance(value, list | tuple) else str(value).replace(",", " ").split()
        shares = tuple(_number(key, item, float) for item in items)
        if len(shares) != 7 or not all(0.0 <= share <= 1.0 for share in shares):
            raise UsageError("easy_days must be 7 numbers from 0 to 1, Monday first")
        if not any(shares):
            raise UsageError("easy_days must leave at least one day to study on")
        return shares
    if key == "parameters":
        items = value if isinstance(value, list | tuple) else str(value).replace(",", " ").split()
        numbers = tuple(_number(key, item, float) for item in items)
        from ec2cards.model.fsrs_parameters import parameter_problems  # not on due's start-up

        problems = parameter_problems(numbers) if numbers else []
        if problems:
            raise UsageError(
                f"parameters are not valid FSRS-6 parameters: {'; '.join(problems)}"
                ' (`ec2cards optimize` fits them; `ec2cards config parameters ""` goes back'
                " to the defaults)"
            )
        return numbers
    limits = {
        "maximum_interval": (1, 36500),
        "day_cutoff_hour": (0, 23),
        "new_per_day": (0, 100000),
        "reviews_per_day": (0, 100000),
        "leech_threshold": (1, 1000),
    }
    low, high = limits[key]
    number = _number(key, value, int)
    if not low <= number <= high:
        raise UsageError(f"{key} must be between {low} and {high}")
    return number


def _number(key: str, value: Any, kind: type[int] | type[float]) -> Any:
    if isinstance(value, bool):
        raise UsageError(f"{key} must be a number")
    try:
        number = kind(value)
    except (TypeError, ValueError):
        raise UsageError(
            f"{key} must be {'a whole number' if kind is int else 'a number'}"
        ) from None
    if kind is int and isinstance(value, float) and value != int(value):
        raise UsageError(f"{key} must be a whole number")
    return number


def known_key(key: str) -> str:
    names = list(Settings._fields)
    if key in names:
        return key
    from ec2cards.model.wording import did_you_mean  # only when a key is unknown

    hint = did_you_mean(key, names) or "known settings: " + ", ".join(names)
    raise UsageError(f"unknown setting '{key}' ({hint})")
