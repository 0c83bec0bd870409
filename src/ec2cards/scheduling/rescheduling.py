"""A change of scheduling settings (desired retention, fitted parameters, steps, ...): every
card's memory state is computed anew from the log; due dates move to the new setting when the
user asks to reschedule (Anki's "reschedule cards on change"), else they stay, kept by a set_due
entry in the log so that a replay keeps them too."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from ec2cards.config.settings import Settings
from ec2cards.model.events import EVERY_CARD, RESCHEDULE, SET_DUE, changed, due_value
from ec2cards.model.states import CardState, Phase
from ec2cards.scheduling.replay import REPLAY_TASK, replay
from ec2cards.scheduling.scheduler import Scheduler

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from ec2cards.storage.store import Store

# The settings whose change alters what a replay of the log computes.
SCHEDULING_SETTINGS = (
    "desired_retention",
    "parameters",
    "learning_steps",
    "relearning_steps",
    "maximum_interval",
    "fuzz",
    "day_cutoff_hour",
    "leech_threshold",
)


class Rescheduled(NamedTuple):
    cards: int  # states computed anew
    moved: int  # due dates that moved
    kept: int  # due dates kept where they were


def apply_settings(
    store: Store,
    settings: Settings,
    now: datetime,
    reschedule: bool,
    while_locked: Callable[[], None] | None = None,
) -> Rescheduled:
    """Compute every card's state anew with `settings`; keep review cards' due dates unless
    `reschedule`. One transaction: the cache and the log never disagree; `while_locked` runs
    inside it (writing the settings file), so the states and the settings land together."""
    cached = store.cards.states()
    entries = store.log.entries(snapshots=False)
    if reschedule and entries:  # the log as it reads once the reschedule is logged
        last = entries[-1]
        mark = last._replace(id=last.id + 1, card_key=EVERY_CARD, event=RESCHEDULE, rating=None)
        entries.append(mark)
    states = replay(entries, Scheduler(settings, numbers=store.cards.numbers()))
    kept: dict[str, tuple[str, CardState, CardState]] = {}
    if not reschedule:
        for key, new in states.items():
            old = cached.get(key)
            if old is None or old.due is None or old.due == new.due:
                continue
            if old.phase is Phase.REVIEW and new.phase is Phase.REVIEW:
                value = due_value(old.due, old.interval_days, kept=True)
                states[key] = changed(SET_DUE, new, value)
                kept[key] = (value, new, states[key])
    moved = sum(
        1 for key, state in states.items() if key in cached and cached[key].due != state.due
    )
    pending = REPLAY_TASK in store.db.pending_tasks()
    count = store.log.replace_states_keeping_due(
        states,
        kept,
        now,
        REPLAY_TASK if pending else None,
        rescheduled=reschedule,
        while_locked=while_locked,
    )
    return Rescheduled(count, moved, len(kept))
