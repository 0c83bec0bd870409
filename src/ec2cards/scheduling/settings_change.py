"""Changing a setting as one unit: `config KEY VALUE` and saving fitted parameters.

A scheduling setting and the card states computed with it are saved together or not at all:
the file is written inside the transaction that replaces the states (after every question is
answered and every state is computed), and put back if that transaction fails. A question the
user leaves with Ctrl-C arrives here as an exception from `confirm`, before anything is written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple, Protocol

from ec2cards.scheduling.rescheduling import SCHEDULING_SETTINGS, Rescheduled

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from contextlib import AbstractContextManager
    from datetime import datetime
    from pathlib import Path

    from ec2cards.config.file import Edit
    from ec2cards.config.settings import Settings
    from ec2cards.storage.store import Store

RESCHEDULE_QUESTION = "Reschedule your cards to the new setting (due dates move)?"
SAVE_QUESTION = "Save the fitted parameters?"


class Confirm(Protocol):
    """Asks a person a yes/no question; raises (e.g. `Cancelled`) when they leave it."""

    def __call__(self, question: str, *, default: bool) -> bool: ...


class SettingChanged(NamedTuple):
    """A saved setting and, when it changes scheduling and there is a log, what its
    recomputation did (None otherwise)."""

    name: str
    settings: Settings
    recomputed: Rescheduled | None
    rescheduled: bool


def change_setting(
    home: Path,
    key: str,
    raw: str,
    open_store: Callable[[], AbstractContextManager[Store | None]],
    now: datetime,
    reschedule: bool | None,
    confirm: Confirm | None,
) -> SettingChanged:
    """Set `key` to `raw` in the settings file. A scheduling setting that changes recomputes
    every card's state in the store (`open_store` gives None when there is no database yet)
    in the same unit; due dates move when `reschedule` (None: `confirm` asks, or they stay
    when nobody can be asked). The store is opened only for such a change."""
    from ec2cards.config.file import edit_value, load_settings, write_edit

    before = load_settings(home)
    edit = edit_value(home, key, raw)
    name, settings = edit.name, edit.settings
    if name in SCHEDULING_SETTINGS and getattr(before, name) != getattr(settings, name):
        with open_store() as store:
            if store is not None:
                return _recompute_with(home, edit, store, now, reschedule, confirm)
    write_edit(home, edit)
    return SettingChanged(name, settings, None, False)


def _recompute_with(
    home: Path,
    edit: Edit,
    store: Store,
    now: datetime,
    reschedule: bool | None,
    confirm: Confirm | None,
) -> SettingChanged:
    """Ask (when needed), then recompute the states and write the file in one transaction;
    the file is put back if the transaction fails after it was written."""
    from ec2cards.config.file import undo_edit, write_edit
    from ec2cards.scheduling.rescheduling import apply_settings

    if reschedule is None:
        reschedule = confirm is not None and confirm(RESCHEDULE_QUESTION, default=False)
    written: list[bool] = []

    def save() -> None:
        write_edit(home, edit)
        written.append(True)

    try:
        done = apply_settings(store, edit.settings, now, reschedule, while_locked=save)
    except BaseException:
        if written:
            undo_edit(home, edit)
        raise
    return SettingChanged(edit.name, edit.settings, done, reschedule)


class FittedSaved(NamedTuple):
    """What became of fitted parameters: saved or not, and the change when saved."""

    saved: bool
    change: SettingChanged | None


def save_fitted(
    home: Path,
    parameters: Sequence[float],
    better: bool,
    open_store: Callable[[], AbstractContextManager[Store | None]],
    now: datetime,
    *,
    yes: bool,
    reschedule: bool | None,
    confirm_save: Confirm | None,
    confirm_reschedule: Confirm | None,
) -> FittedSaved:
    """Save fitted parameters when they are `better` than the defaults and the user agrees
    (`yes`, or `confirm_save` says so); saved, they recompute every card's state as
    `change_setting` does."""
    from ec2cards.config.file import parameters_text

    if not better or not (
        yes or (confirm_save is not None and confirm_save(SAVE_QUESTION, default=True))
    ):
        return FittedSaved(False, None)
    change = change_setting(
        home,
        "parameters",
        parameters_text(parameters),
        open_store,
        now,
        reschedule,
        confirm_reschedule,
    )
    return FittedSaved(True, change)
