"""The four answers of a review."""

from __future__ import annotations

from enum import IntEnum


class Rating(IntEnum):
    """The four answers of a review, numbered as FSRS and Anki number them."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4

    @property
    def label(self) -> str:
        return self.name.capitalize()
