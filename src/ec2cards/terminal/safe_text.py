"""Deck text is data from strangers: strip what could drive the terminal before showing it."""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, C1 controls, bidi marks, overrides and isolates (the
# "Trojan Source" set), and the Unicode line and paragraph separators.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
_UNSAFE_LINE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
MAX_FIELD = 4000


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe(text: str, limit: int = MAX_FIELD, *, one_line: bool = False) -> str:
    """Control characters shown as visible escapes; absurdly long text cut with a marker.

    `one_line` also escapes newlines and tabs, for messages that must stay on one line.
    """
    cleaned = (_UNSAFE_LINE if one_line else _UNSAFE).sub(_escape, text)
    if len(cleaned) > limit:
        cleaned = cleaned[:limit] + f" … [{len(cleaned) - limit} more characters]"
    return cleaned
