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
    """A card's memory state: what FSRS knows plus our own flags. Cached, rebuilt from the log."""

    phase: Phase = Phase.NEW
    due: datetime | None = None
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    last_review: datetime | None = None
    reps: int = 0
    lapses: int = 0
    suspended: bool = False
    leech: bool = False

    def to_dict(self) -> dict[str, object]:
        return {
            "phase": int(self.phase),
            "due": self.due.isoformat() if self.due else None,
            "step": self.step,
            "stability": self.stability,
            "difficulty": self.difficulty,
            "last_review": self.last_review.isoformat() if self.last_review else None,
            "reps": self.reps,
            "lapses": self.lapses,
            "suspended": self.suspended,
            "leech": self.leech,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CardState:
        def when(value: object) -> datetime | None:
            return datetime.fromisoformat(value) if isinstance(value, str) else None

        return cls(
            phase=Phase(int(data.get("phase", 0))),
            due=when(data.get("due")),
            step=data.get("step"),
            stability=data.get("stability"),
            difficulty=data.get("difficulty"),
            last_review=when(data.get("last_review")),
            reps=int(data.get("reps", 0)),
            lapses=int(data.get("lapses", 0)),
            suspended=bool(data.get("suspended", False)),
            leech=bool(data.get("leech", False)),
        )


NEW_STATE = CardState()
# A review card is mature once its interval reaches this many days (Anki's line), young before.
MATURE_DAYS = 21
