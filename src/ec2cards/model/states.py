"""A card's memory state: where it is in its life and what FSRS knows of it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum
from typing import Any


class Phase(IntEnum):
    """Where a card is in its life; the numbers of Learning/Review/Relearning match fsrs.State."""

    NEW = 0
    LEARNING = 1
    REVIEW = 2
    RELEARNING = 3


@dataclass(frozen=True)
class CardState:
    """A card's state: where it is in its life, what FSRS knows of its memory, and our own flags.
    Cached in the database, and always equal to a replay of the review log."""

    phase: Phase = Phase.NEW
    due: datetime | None = None
    steps_left: int = 0  # (re)learning steps still to go, as Anki counts them
    interval_days: int = 0  # the days its last review scheduled; kept while it relearns
    stability: float | None = None
    difficulty: float | None = None
    last_review: datetime | None = None
    reps: int = 0
    lapses: int = 0
    suspended: bool = False
    leech: bool = False
    buried_until: datetime | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "phase": int(self.phase),
            "due": self.due.isoformat() if self.due else None,
            "steps_left": self.steps_left,
            "interval_days": self.interval_days,
            "stability": self.stability,
            "difficulty": self.difficulty,
            "last_review": self.last_review.isoformat() if self.last_review else None,
            "reps": self.reps,
            "lapses": self.lapses,
            "suspended": self.suspended,
            "leech": self.leech,
            "buried_until": self.buried_until.isoformat() if self.buried_until else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CardState:
        def when(value: object) -> datetime | None:
            return datetime.fromisoformat(value) if isinstance(value, str) else None

        return cls(
            phase=Phase(int(data.get("phase", 0))),
            due=when(data.get("due")),
            steps_left=int(data.get("steps_left") or 0),
            interval_days=int(data.get("interval_days") or 0),
            stability=data.get("stability"),
            difficulty=data.get("difficulty"),
            last_review=when(data.get("last_review")),
            reps=int(data.get("reps", 0)),
            lapses=int(data.get("lapses", 0)),
            suspended=bool(data.get("suspended", False)),
            leech=bool(data.get("leech", False)),
            buried_until=when(data.get("buried_until")),
        )


NEW_STATE = CardState()

STATE_NAMES = ("new", "learning", "review", "relearning", "suspended", "leech")


def state_name(phase: int, suspended: bool, leech: bool) -> str:
    """What a card's state is called on screen and in JSON: suspended and leech win over
    the phase (a leech is suspended)."""
    if suspended and leech:
        return "leech"
    if suspended:
        return "suspended"
    return STATE_NAMES[phase] if 0 <= phase < 4 else "new"
