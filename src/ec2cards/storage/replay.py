"""Replay: card states as the review log says they are, each entry applied in order. The
card-state cache must always equal this."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from ec2cards.model.states import NEW_STATE, CardState

if TYPE_CHECKING:
    from ec2cards.storage.review_log import LogEntry


def replayed(entries: Iterable[LogEntry]) -> dict[str, CardState]:
    """Card states from log entries applied in order: the source of truth the cache must equal."""
    states: dict[str, CardState] = {}
    before_of: dict[int, CardState] = {}
    for entry in entries:
        current = states.get(entry.card_key, NEW_STATE)
        before_of[entry.id] = current
        if entry.event == "review" and entry.state_after is not None:
            states[entry.card_key] = entry.state_after
        elif entry.event in ("suspend", "unsuspend"):
            suspended = entry.event == "suspend"
            states[entry.card_key] = replace(
                current, suspended=suspended, leech=current.leech and suspended
            )
        elif entry.event == "undo" and entry.undoes is not None:
            states[entry.card_key] = before_of.get(entry.undoes, NEW_STATE)
    return states
