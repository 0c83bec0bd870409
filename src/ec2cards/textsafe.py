"""Deck text is data from strangers: strip what could drive the terminal before showing it."""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, C1 controls, and bidi overrides/isolates.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
MAX_FIELD = 4000


def safe(text: str, limit: int = MAX_FIELD) -> str:
    """Control characters shown as visible escapes; absurdly long text cut with a marker."""
    cleaned = _UNSAFE.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    if len(cleaned) > limit:
        cleaned = cleaned[:limit] + f" … [{len(cleaned) - limit} more characters]"
    return cleaned
