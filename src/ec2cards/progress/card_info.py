"""One card's page (Anki's Card Info): the card, where it is written, its state now and every
entry of its history with the state after it, as a replay of the log computes them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from ec2cards.errors import UsageError
from ec2cards.model.cards import Card
from ec2cards.model.states import CardState, Phase, state_name
from ec2cards.scheduling.replay import numbered, steps
from ec2cards.scheduling.scheduler import Scheduler

if TYPE_CHECKING:
    from typing import TypedDict

    from ec2cards.model.card_lists import CardView
    from ec2cards.storage.store import Store

    class HistoryJson(TypedDict):
        time: str
        event: str
        rating: str | None
        interval_days: float | None
        state: str
        due: str | None
        stability: float | None
        difficulty: float | None

    class CardInfoJson(TypedDict):
        """`card KEY --json`."""

        key: str
        deck: str
        path: str | None
        line: int | None
        kind: str | None
        topics: list[str]
        question: str | None
        answer: str | None
        note: str | None
        source: str | None
        state: str
        due: str | None
        stability: float | None
        difficulty: float | None
        retrievability: float | None
        reps: int
        lapses: int
        suspended: bool
        leech: bool
        buried_until: str | None
        reviews: list[HistoryJson]


@dataclass(frozen=True)
class HistoryLine:
    """One entry of a card's log and the card's state after it."""

    at: datetime
    event: str
    rating: str | None
    state: CardState
    interval: timedelta | None  # what the entry scheduled: next due after it

    def to_json(self) -> HistoryJson:
        return {
            "time": self.at.isoformat(),
            "event": self.event,
            "rating": self.rating,
            "interval_days": round(self.interval.total_seconds() / 86400, 4)
            if self.interval is not None
            else None,
            "state": describe_state(self.state),
            "due": self.state.due.isoformat() if self.state.due else None,
            "stability": self.state.stability,
            "difficulty": self.state.difficulty,
        }


@dataclass(frozen=True)
class CardInfo:
    key: str
    card: Card | None  # None: the card is in no deck any more (its history is kept)
    state: CardState
    retrievability: float
    history: list[HistoryLine] = field(default_factory=list)

    def to_json(self) -> CardInfoJson:
        card = self.card
        state = self.state
        return {
            "key": self.key,
            "deck": card.deck_id if card else self.key.partition("/")[0],
            "path": str(card.path) if card and card.path else None,
            "line": card.line if card else None,
            "kind": card.kind.value if card else None,
            "topics": list(card.topics) if card else [],
            "question": card.question if card else None,
            "answer": card.answer if card else None,
            "note": card.note if card else None,
            "source": card.source if card else None,
            "state": describe_state(state),
            "due": state.due.isoformat() if state.due else None,
            "stability": state.stability,
            "difficulty": state.difficulty,
            "retrievability": round(self.retrievability, 4) if self.reviewed else None,
            "reps": state.reps,
            "lapses": state.lapses,
            "suspended": state.suspended,
            "leech": state.leech,
            "buried_until": state.buried_until.isoformat() if state.buried_until else None,
            "reviews": [line.to_json() for line in self.history],
        }

    @property
    def reviewed(self) -> bool:
        return self.state.phase is not Phase.NEW and self.state.stability is not None


def describe_state(state: CardState) -> str:
    return state_name(int(state.phase), state.suspended, state.leech)


def find_card(cards: CardView, key: str, known: list[str]) -> Card | None:
    """The card with this key (or this card id, when one deck has it); None for a card whose
    history is kept though no deck has it any more; a UsageError with a hint otherwise."""
    try:
        return cards[cards.index_of(key)]
    except KeyError:
        pass
    if "/" not in key:
        matches = [k for k in cards.keys if k.partition("/")[2] == key]
        if len(matches) == 1:
            return cards[cards.index_of(matches[0])]
        if len(matches) > 1:
            raise UsageError(f"card id '{key}' is in several decks: {', '.join(matches)}")
    if key in known:
        return None
    from ec2cards.model.wording import close_matches

    close = close_matches(key, [*cards.keys, *known], n=3)
    hint = f"did you mean {', '.join(close)}?" if close else "'ec2cards cards TEXT' finds cards"
    raise UsageError(f"no card '{key}' ({hint})")


def card_info(
    key: str, card: Card | None, store: Store, scheduler: Scheduler, now: datetime
) -> CardInfo:
    """The page of one card: its state as cached, and its history replayed entry by entry."""
    history = []
    for entry, after in steps(store.log.entries(key, snapshots=False), numbered(store, scheduler)):
        interval = None
        if entry.event == "review" and after.due is not None:
            interval = (
                timedelta(days=after.interval_days)
                if after.phase is Phase.REVIEW
                else after.due - entry.reviewed_at
            )
        rating = entry.rating.label if entry.rating is not None else None
        history.append(HistoryLine(entry.reviewed_at, entry.event, rating, after, interval))
    state = store.cards.state(key)
    return CardInfo(key, card, state, scheduler.retrievability(state, now), history)
