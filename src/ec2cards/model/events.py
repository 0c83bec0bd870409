"""What each event of the review log does to a card's state, other than an answer (which the
scheduler computes): one rule, used when the event is recorded and when the log is replayed."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime

from ec2cards.model.states import NEW_STATE, CardState, Phase

SUSPEND, UNSUSPEND, FORGET, BURY, UNBURY, SET_DUE = (
    "suspend",
    "unsuspend",
    "forget",
    "bury",
    "unbury",
    "set_due",
)
CHANGES = (SUSPEND, UNSUSPEND, FORGET, BURY, UNBURY, SET_DUE)
# A change of settings that moved every due date to the new setting: it logs under this key
# and makes the due dates kept by earlier changes of settings lapse.
RESCHEDULE, EVERY_CARD = "reschedule", "*"


def due_value(due: datetime, interval_days: int, kept: bool = False, review: bool = False) -> str:
    """The value of a set_due event: the due time and the interval it stands for; `kept` when
    it keeps a due date through a change of settings (a later reschedule ends it); `review`
    when it is Anki's Set Due Date, which makes a (re)learning card a review card."""
    data: dict[str, object] = {"due": due.isoformat(), "interval_days": interval_days}
    if kept:
        data["kept"] = True
    if review:
        data["review"] = True
    return json.dumps(data)


def forget_value(reset_counts: bool) -> str | None:
    """The value of a forget event: none for a forget that keeps the card's counts of answers
    and lapses (ec2cards' and Anki's default), or one that resets them (Anki's option)."""
    return json.dumps({"reset_counts": True}) if reset_counts else None


def kept_due(value: str | None) -> bool:
    """Whether a set_due event only kept a due date through a change of settings."""
    return bool(value) and bool(json.loads(value or "{}").get("kept"))


def changed(event: str, state: CardState, value: str | None = None) -> CardState:
    """The state after `event` (not an answer or an undo)."""
    if event == SUSPEND:
        return replace(state, suspended=True)
    if event == UNSUSPEND:
        return replace(state, suspended=False, leech=False)
    if event == FORGET:  # a new card again; its counts stay, as Anki keeps them by default
        reset = bool(value) and bool(json.loads(value or "{}").get("reset_counts"))
        return replace(
            NEW_STATE,
            reps=0 if reset else state.reps,
            lapses=0 if reset else state.lapses,
            suspended=state.suspended,
            leech=state.leech,
        )
    if event == BURY:
        return replace(state, buried_until=datetime.fromisoformat(value or ""))
    if event == UNBURY:
        return replace(state, buried_until=None)
    if event == SET_DUE:
        data = json.loads(value or "{}")
        due = datetime.fromisoformat(data["due"])
        days = int(data.get("interval_days", 0))
        if data.get("review") and state.phase is not Phase.REVIEW:
            # Anki's Set Due Date: a new card becomes a review card without memory (its first
            # answer starts one, as a new card's would), a (re)learning card leaves its steps
            return replace(state, phase=Phase.REVIEW, due=due, interval_days=days, steps_left=0)
        if state.phase is Phase.NEW:
            return state
        return replace(state, due=due, interval_days=days)
    raise ValueError(f"unknown event {event!r}")
