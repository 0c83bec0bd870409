"""Single-precision arithmetic, as Anki's scheduler does it in Rust (f32), so that rounding
and fuzz bounds land on the same whole days.

Each operation is done in double precision and rounded once to single precision: for +, -, *
and / of single-precision values that gives the correctly rounded single-precision result
(53 >= 2 * 24 + 2 bits).
"""

from __future__ import annotations

import math
import struct

_PACK = struct.Struct("f")
U32_MAX = 0xFFFFFFFF


def f32(value: float) -> float:
    """The nearest single-precision value."""
    return float(_PACK.unpack(_PACK.pack(value))[0])


def rounded(value: float) -> float:
    """Rust's f32::round: halves away from zero."""
    return math.copysign(math.floor(abs(value) + 0.5), value)


def as_u32(value: float) -> int:
    """Rust's `f32 as u32`: toward zero, saturating, NaN to 0."""
    if value != value or value <= 0:
        return 0
    return min(int(value), U32_MAX)


def round_places(value: float, places: int) -> float:
    """Anki keeps stability to 4 places and difficulty to 3, computed in f32."""
    factor = f32(10.0**places)
    return f32(rounded(f32(f32(value) * factor)) / factor)
