"""Quantities in answers: a number and its unit, read through one table of units (time, data
sizes binary and decimal, bandwidth, percent, IOPS), so that '24 months' is '2 years' on every card
and '64 GiB' is never '64 TiB', whatever bare numbers a card accepts."""

from __future__ import annotations

import re
from typing import NamedTuple

_SECOND, _MINUTE, _HOUR, _DAY = 1.0, 60.0, 3600.0, 86400.0
_YEAR = 365.25 * _DAY
_TIME = {
    **dict.fromkeys(("ms", "millisecond", "milliseconds"), 0.001),
    **dict.fromkeys(("s", "sec", "secs", "second", "seconds"), _SECOND),
    **dict.fromkeys(("min", "mins", "minute", "minutes"), _MINUTE),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), _HOUR),
    **dict.fromkeys(("day", "days"), _DAY),
    **dict.fromkeys(("week", "weeks"), 7 * _DAY),
    **dict.fromkeys(("month", "months"), _YEAR / 12),
    **dict.fromkeys(("year", "years", "yr", "yrs"), _YEAR),
}
# Calendar units are not exact multiples of days: 3 months is 90 days, near enough.
CALENDAR = frozenset(("month", "months", "year", "years", "yr", "yrs"))
_PREFIXES = {"k": 1, "m": 2, "g": 3, "t": 4, "p": 5}
_NAMES = {"k": "kilo", "m": "mega", "g": "giga", "t": "tera", "p": "peta"}
_BINARY = {"k": "kibi", "m": "mebi", "g": "gibi", "t": "tebi", "p": "pebi"}
_DATA: dict[str, float] = {"byte": 1.0, "bytes": 1.0, "bit": 0.125, "bits": 0.125}
_RATE: dict[str, float] = {"bps": 1.0}  # bits per second
for _p, _power in _PREFIXES.items():
    _DATA[f"{_p}b"] = _DATA[f"{_NAMES[_p]}byte"] = _DATA[f"{_NAMES[_p]}bytes"] = 1000.0**_power
    _DATA[f"{_p}ib"] = _DATA[f"{_BINARY[_p]}byte"] = _DATA[f"{_BINARY[_p]}bytes"] = 1024.0**_power
    _DATA[f"{_p}bit"] = _DATA[f"{_NAMES[_p]}bit"] = _DATA[f"{_NAMES[_p]}bits"] = 1000.0**_power / 8
    _RATE[f"{_p}bps"] = 1000.0**_power
    _RATE[f"{_p}ibps"] = 8 * 1024.0**_power  # MiBps: MiB per second
_PERCENT = {"percent": 1.0, "pct": 1.0}
_OPERATIONS = {"iops": 1.0}  # I/O operations per second: a number of its own kind

UNIT_TABLE: dict[str, tuple[str, float]] = {
    **{w: ("time", f) for w, f in _TIME.items()},
    **{w: ("data", f) for w, f in _DATA.items()},
    **{w: ("rate", f) for w, f in _RATE.items()},
    **{w: ("percent", f) for w, f in _PERCENT.items()},
    **{w: ("iops", f) for w, f in _OPERATIONS.items()},
}
# Decimal and binary units of one size are the same answer, near enough (16 TB for 16 TiB).
NEAR_UNITS = {"kb": "kib", "mb": "mib", "gb": "gib", "tb": "tib", "pb": "pib"}
_PER_SECOND = frozenset(("s", "sec", "second"))

# '60-second', '64TiB', '5Gbps': a number and its unit written together, split apart.
_UNIT_ALTERNATIVES = "|".join(sorted(map(re.escape, UNIT_TABLE), key=len, reverse=True))
JOINED_UNIT = re.compile(rf"(?<![\w.])(\d+(?:\.\d+)?)-?({_UNIT_ALTERNATIVES})\b")
# 'a minute', 'an hour': one of it.
ONE_OF = re.compile(r"\b(?:a|an)\s+(minute|hour|day|week|month|year)\b")


def split_units(text: str) -> str:
    """'60-second' → '60 second', 'an hour' → '1 hour' (text already in lower case)."""
    return ONE_OF.sub(r"1 \1", JOINED_UNIT.sub(r"\1 \2", text))


class Quantity(NamedTuple):
    start: int  # the number's index among the words
    end: int  # one past the unit's last word
    number: float
    dimension: str
    value: float  # in the dimension's base unit (seconds, bytes, bits per second, percent)
    unit: str


def quantities(words: list[str]) -> list[Quantity]:
    """Each number directly followed by a unit in the table ('125 mib s' is a rate)."""
    found: list[Quantity] = []
    for index, word in enumerate(words[:-1]):
        number = _number(word)
        unit = words[index + 1]
        if number is None or unit not in UNIT_TABLE:
            continue
        dimension, factor = UNIT_TABLE[unit]
        end = index + 2
        rest = words[end : end + 2]
        if dimension == "data" and rest[:1] and rest[0] in _PER_SECOND:
            dimension, factor, end = "rate", factor * 8, end + 1
        elif dimension == "data" and rest[:1] == ["per"] and rest[1:] and rest[1] in _PER_SECOND:
            dimension, factor, end = "rate", factor * 8, end + 2
        found.append(Quantity(index, end, number, dimension, number * factor, unit))
    return found


def _number(word: str) -> float | None:
    try:
        return float(word)
    except ValueError:
        return None


def same_quantity(a: Quantity, b: Quantity) -> bool:
    """Equal amounts: exactly, within 2% for calendar months and years, or the same number
    in a decimal unit for its binary twin."""
    if a.dimension != b.dimension:
        return False
    if NEAR_UNITS.get(a.unit, a.unit) == NEAR_UNITS.get(b.unit, b.unit) and a.number == b.number:
        return True
    tolerance = 0.02 if {a.unit, b.unit} & CALENDAR else 1e-9
    return abs(a.value - b.value) <= tolerance * max(abs(a.value), abs(b.value))


def unit_clash(reply: list[Quantity], accepted: list[Quantity]) -> Quantity | None:
    """A quantity the reply gives that no accepted answer of its kind equals: '64 GiB' for
    64 TiB, '15 hours' for 15 days (a bare number the card accepts does not save it)."""
    for given in reply:
        rivals = [q for q in accepted if q.dimension == given.dimension]
        if rivals and not any(same_quantity(given, q) for q in rivals):
            return given
        # '3,000 MiB/s' for 3,000 IOPS: the card's number in a unit of another kind.
        if not rivals and any(q.number == given.number for q in accepted):
            return given
    return None


def restated(reply: list[str], expected: list[str]) -> list[str]:
    """The reply with each quantity that equals one of the answer's written as the answer
    writes it: '24 months' → '2 years' when the answer says 2 years."""
    targets = quantities(expected)
    if not targets:
        return reply
    out = list(reply)
    for given in reversed(quantities(reply)):
        for target in targets:
            if (
                same_quantity(given, target)
                and reply[given.start : given.end] != (expected[target.start : target.end])
            ):
                if (
                    NEAR_UNITS.get(given.unit, given.unit)
                    == NEAR_UNITS.get(target.unit, target.unit)
                    and given.number == target.number
                    and given.unit != target.unit
                ):
                    break  # 64 TB for 64 TiB: left to be read as near
                out[given.start : given.end] = expected[target.start : target.end]
                break
    return out
