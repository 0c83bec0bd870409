"""Comparing text as people read it: case, accents, punctuation and spacing set aside."""

from __future__ import annotations

import re


def normalise(text: str) -> str:
    """Lower case, accents, punctuation and runs of white space removed: for ids and grading."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    words = re.sub(r"[\W_]+", " ", stripped.casefold())
    return " ".join(words.split())
