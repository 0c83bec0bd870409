"""The 21 parameters of FSRS-6 and the range each may take: a fitted or hand-written set outside
them would make the scheduler's intervals meaningless. The ranges are those Anki's optimizer
clips to (fsrs-rs), owned here so that checking a setting needs no scheduler library."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

STABILITY_MIN = 0.001  # days: the least stability any card may have
INITIAL_STABILITY_MAX = 100.0  # days: the most a first answer may give


class Bounds(NamedTuple):
    low: float
    high: float


PARAMETER_BOUNDS: tuple[Bounds, ...] = (
    Bounds(STABILITY_MIN, INITIAL_STABILITY_MAX),  # w0-w3: initial stability by first rating
    Bounds(STABILITY_MIN, INITIAL_STABILITY_MAX),
    Bounds(STABILITY_MIN, INITIAL_STABILITY_MAX),
    Bounds(STABILITY_MIN, INITIAL_STABILITY_MAX),
    Bounds(1.0, 10.0),  # w4: initial difficulty
    Bounds(0.001, 4.0),  # w5: difficulty by first rating
    Bounds(0.001, 4.0),  # w6: difficulty change per rating
    Bounds(0.001, 0.75),  # w7: mean reversion of difficulty
    Bounds(0.0, 4.5),  # w8-w10: stability after a recall
    Bounds(0.0, 0.8),
    Bounds(0.001, 3.5),
    Bounds(0.001, 5.0),  # w11-w14: stability after a lapse
    Bounds(0.001, 0.25),
    Bounds(0.001, 0.9),
    Bounds(0.0, 4.0),
    Bounds(0.0, 1.0),  # w15: Hard penalty
    Bounds(1.0, 6.0),  # w16: Easy bonus
    Bounds(0.0, 2.0),  # w17-w19: same-day reviews
    Bounds(0.0, 2.0),
    Bounds(0.0, 0.8),
    Bounds(0.1, 0.8),  # w20: the forgetting curve's decay
)


def parameter_problems(values: Sequence[float]) -> list[str]:
    """Every way `values` is not a set of FSRS-6 parameters, each as a short phrase; empty when
    it is one."""
    if len(values) != len(PARAMETER_BOUNDS):
        return [f"FSRS-6 takes {len(PARAMETER_BOUNDS)} numbers, not {len(values)}"]
    return [
        f"w{index} is {value:g}, outside {bounds.low:g}-{bounds.high:g}"
        for index, (value, bounds) in enumerate(zip(values, PARAMETER_BOUNDS, strict=True))
        if not bounds.low <= value <= bounds.high
    ]
