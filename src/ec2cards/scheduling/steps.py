"""Learning and relearning steps, as Anki walks them: a card keeps the number of steps it has
left (so a change of steps keeps its place from the end), Hard on the first step waits between
the first and the second, and a step over a day is rounded to whole days."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from ec2cards.scheduling.single import as_u32, f32, rounded

DAY = 86_400


class Steps:
    """Steps in whole seconds, as Anki converts minutes to seconds (in f32)."""

    def __init__(self, steps: Sequence[timedelta]) -> None:
        minutes = [f32(step.total_seconds() / 60) for step in steps]
        self.seconds = [as_u32(f32(m * 60.0)) for m in minutes]

    def __len__(self) -> int:
        return len(self.seconds)

    def _at(self, index: int) -> int | None:
        return self.seconds[index] if 0 <= index < len(self.seconds) else None

    def index(self, left: int) -> int:
        """The step a card is on, counted from the end by the steps it has left."""
        total = len(self.seconds)
        return min(max(total - left % 1000, 0), max(total - 1, 0))

    @staticmethod
    def _whole_days(seconds: int) -> int:
        if seconds > DAY:
            return as_u32(rounded(f32(seconds / DAY))) * DAY
        return seconds

    def again(self) -> int | None:
        return self._at(0)

    def hard(self, left: int) -> int | None:
        index = self.index(left)
        current = self._at(index)
        if current is None:
            current = self._at(0)
        if current is None:
            return None
        if index != 0:
            return current
        following = self._at(1)
        if following is not None:
            return self._whole_days((current + following) // 2)
        return self._whole_days(min(current * 3 // 2, current + DAY))

    def good(self, left: int) -> int | None:
        return self._at(self.index(left) + 1)

    def left_after_good(self, left: int) -> int:
        return max(len(self.seconds) - (self.index(left) + 1), 0)
