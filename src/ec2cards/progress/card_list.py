"""Finding cards: by text, topic, deck and state, sorted as asked (`ec2cards cards`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from ec2cards.errors import UsageError
from ec2cards.model.cards import Card
from ec2cards.model.states import NEW_STATE, CardState, Phase, state_name
from ec2cards.model.text import normalise

if TYPE_CHECKING:
    from typing import TypedDict

    class ListedJson(TypedDict):
        """One card of `cards --json`."""

        key: str
        deck: str
        topics: list[str]
        kind: str
        state: str
        due: str | None
        stability: float | None
        difficulty: float | None
        lapses: int
        reps: int
        buried_until: str | None
        question: str


STATES = ("new", "learning", "review", "relearning", "suspended", "leech", "due", "buried")
SORTS = ("added", "due", "lapses", "difficulty")


@dataclass(frozen=True)
class Listed:
    """A card and its state, as `cards` lists it."""

    card: Card
    state: CardState

    @property
    def name(self) -> str:
        return state_name(int(self.state.phase), self.state.suspended, self.state.leech)

    def to_json(self) -> ListedJson:
        state = self.state
        return {
            "key": self.card.key,
            "deck": self.card.deck_id,
            "topics": list(self.card.topics),
            "kind": self.card.kind.value,
            "state": self.name,
            "due": state.due.isoformat() if state.due else None,
            "stability": state.stability,
            "difficulty": state.difficulty,
            "lapses": state.lapses,
            "reps": state.reps,
            "buried_until": state.buried_until.isoformat() if state.buried_until else None,
            "question": self.card.question,
        }


def check_choice(value: str | None, allowed: Sequence[str], what: str) -> None:
    if value is not None and value not in allowed:
        raise UsageError(f"unknown {what} '{value}' (use one of {', '.join(allowed)})")


def matches(listed: Listed, wanted: str, now: datetime, end_of_day: datetime) -> bool:
    """Whether a card is in the state asked for (`due`: due by the end of the study day)."""
    state = listed.state
    if wanted == "due":
        return (
            state.phase is not Phase.NEW
            and not state.suspended
            and state.due is not None
            and state.due < end_of_day
        )
    if wanted == "buried":
        return state.buried_until is not None and state.buried_until > now
    return listed.name == wanted


def list_cards(
    cards: Sequence[Card],
    states: Mapping[str, CardState],
    now: datetime,
    end_of_day: datetime,
    text: str = "",
    state: str | None = None,
    sort: str = "added",
) -> list[Listed]:
    """The cards whose question, answer, key or tags hold `text` (case, accents and
    punctuation aside), in `state`, sorted: `added` deck order, `due` soonest first (new cards
    last), `lapses` most first, `difficulty` hardest first."""
    check_choice(state, STATES, "state")
    check_choice(sort, SORTS, "sort")
    wanted = normalise(text)
    found = []
    for card in cards:
        if wanted:
            haystack = normalise(" ".join((card.key, card.question, card.answer, *card.tags)))
            if wanted not in haystack:
                continue
        listed = Listed(card, states.get(card.key, NEW_STATE))
        if state is None or matches(listed, state, now, end_of_day):
            found.append(listed)
    if sort == "due":
        found.sort(key=lambda item: (item.state.due is None, item.state.due or now))
    elif sort == "lapses":
        found.sort(key=lambda item: -item.state.lapses)
    elif sort == "difficulty":
        found.sort(key=lambda item: -(item.state.difficulty or 0.0))
    return found
