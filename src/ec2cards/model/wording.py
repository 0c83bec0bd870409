"""How messages speak: counts with their nouns, and did-you-mean hints for a mistyped name.

One place for each, so that every message counts and suggests alike (and below the terminal, so
that the domain's messages and the screens share them).
"""

from __future__ import annotations

from collections.abc import Iterable


def plural(count: int, one: str, many: str | None = None) -> str:
    """`count` and its noun: "1 card", "0 cards", "3 cards"; `many` for a noun that does not
    just take an s ("2 media files" comes free, "2 entries" needs it)."""
    return f"{count} {one if count == 1 else many or one + 's'}"


def close_matches(word: str, choices: Iterable[str], n: int = 1, cutoff: float = 0.6) -> list[str]:
    """The `n` choices closest to a mistyped `word`, best first (difflib's ratio, at least
    `cutoff`). difflib is imported only here, when something is already wrong."""
    import difflib

    return difflib.get_close_matches(word, list(choices), n=n, cutoff=cutoff)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """ "did you mean 'X'?" for the closest choice, or "" when none is close."""
    close = close_matches(word, choices)
    return f"did you mean '{close[0]}'?" if close else ""
