"""Changing a setting as one unit: `config KEY VALUE` and saving fitted parameters.

A scheduling setting and the card states computed with it are saved together or not at all:
the file is written inside the transaction that replaces the states (after every question is
answered and every state is computed), and put back if that transaction fails. A question the
user leaves with Ctrl-C arrives here as an exception from `confirm`, before anything is written.
"""

from __future__ import annotations

from contextlib import suppress
from typing import TYPE_CHECKING, NamedTuple, Protocol

from ec2cards.errors import Ec2CardsError
from ec2cards.scheduling.rescheduling import SCHEDULING_SETTINGS, Rescheduled

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from contextlib import AbstractContextManager
    from datetime import datetime
    from pathlib import Path

    from ec2cards.config.file import Edit
    from ec2cards.config.settings import Settings
    from ec2cards.storage.store import Store

SETTINGS_TASK = "settings"  # a change under way: "settings keep|move DIGEST-OF-THE-NEW-FILE"
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

    # Should this command be killed once the file is written, the next one finishes the change
    # as asked (due dates kept or moved); should it die before, the next one drops the task.
    task = settings_task(reschedule, edit.text)
    store.db.add_task(task)
    try:
        done = apply_settings(store, edit.settings, now, reschedule, while_locked=save)
    except BaseException:
        if written:
            undo_edit(home, edit)
        with suppress(Ec2CardsError):
            store.db.finish_task(task)
        raise
    with suppress(Ec2CardsError):  # left pending, the next command finds the work done
        store.db.finish_task(task)
    return SettingChanged(edit.name, edit.settings, done, reschedule)


def settings_task(reschedule: bool, text: str) -> str:
    """The maintenance task that marks a change of settings to `text` under way."""
    return f"{SETTINGS_TASK} {'move' if reschedule else 'keep'} {_digest(text)}"


def _digest(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def finish_settings_change(home: Path, store: Store, task: str, now: datetime) -> int | None:
    """A change of settings a killed command left under way: when the settings file holds the
    new settings, every state is computed anew with them as that command would have (due
    dates kept or moved as asked); when it does not, the change never happened. Either way the
    task is done. The number of cards recomputed, or None when the change was dropped."""
    from ec2cards.config.file import config_path, load_settings
    from ec2cards.scheduling.rescheduling import apply_settings

    _, how, digest = task.split(" ", 2)
    path = config_path(home)
    cards = None
    if path.exists() and _digest(path.read_text(encoding="utf-8")) == digest:
        cards = apply_settings(store, load_settings(home), now, how == "move").cards
    store.db.finish_task(task)
    return cards


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
