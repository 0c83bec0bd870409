"""What commands start from: the data folder, the time, the selected cards and the open store,
read here once and passed down (the domain never reads the clock or the environment)."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ec2cards.errors import UsageError

if TYPE_CHECKING:
    from ec2cards.config.settings import Settings
    from ec2cards.decks.selection import Selection
    from ec2cards.scheduling.scheduler import Scheduler
    from ec2cards.scheduling.settings_change import Confirm, SettingChanged
    from ec2cards.storage.store import Store


def select(folder: Path, deck: list[str] | None, topic: list[str] | None = None) -> Selection:
    """The cards a command works on; a deck file that does not load is skipped with one
    warning line on stderr, and every command works on the rest."""
    from ec2cards.decks.selection import select as select_cards

    selection = select_cards(folder, deck or (), topic or ())
    if selection.collection.skipped:
        from ec2cards.terminal.output import warn

        for skipped in selection.collection.skipped:
            warn(f"deck skipped: {skipped.located()}; run 'ec2cards check' to see its problems")
    return selection


def home() -> Path:
    from ec2cards.config.paths import data_dir

    return data_dir()


def now() -> datetime:
    from ec2cards.cli import clock

    return clock.now()


def zone(at: datetime) -> tzinfo:
    """This system's time zone, in which answers count their study days (see `clock.zone`)."""
    from ec2cards.cli import clock

    return clock.zone(at)


def wall() -> datetime:
    """The real time, for backups (see `clock.wall`)."""
    from ec2cards.cli import clock

    return clock.wall()


class Opened(NamedTuple):
    """What most commands start from."""

    home: Path
    now: datetime
    selection: Selection
    store: Store


@contextlib.contextmanager
def opened(
    deck: list[str] | None, topic: list[str] | None, writes: bool = True
) -> Iterator[Opened]:
    """The data folder, the time, the selected cards and the store, opened as commands open it
    (backed up, migrated); the store is closed however the command ends. A command that only
    reads (`writes` False) works in a data folder it cannot write to."""
    folder = home()
    moment = now()
    selection = select(folder, deck, topic)
    with store_in(folder, moment, writes=writes) as store:
        yield Opened(folder, moment, selection, store)


@contextlib.contextmanager
def store_in(
    folder: Path, moment: datetime, daily_backup: bool = True, writes: bool = True
) -> Iterator[Store]:
    """The store of a data folder, opened as commands open it and closed at the end."""
    from ec2cards.storage.opening import open_store

    store = open_store(folder, wall(), daily_backup=daily_backup, writes=writes)
    for notice in store.notices:
        from ec2cards.terminal.output import warn

        warn(notice)
    try:
        if not store.db.read_only:  # a read-only folder: the work left waits for a writer
            from ec2cards.maintenance.pending import run_pending

            run_pending(store, folder, moment, lambda: zone(moment))
        yield store
    finally:
        store.close()


def warn_of_unknown_settings() -> None:
    """A key of config.toml that no setting has is ignored, said once per command (every
    command still works, `config KEY VALUE` included)."""
    from ec2cards.config.file import CONFIG_FILE, unknown_settings

    folder = home()
    if (folder / CONFIG_FILE).exists():
        warning = unknown_settings(folder)
        if warning is not None:
            from ec2cards.terminal.output import warn

            warn(warning)


def settings(folder: Path) -> Settings:
    """The user's settings."""
    from ec2cards.config.file import load_settings

    return load_settings(folder)


def scheduler(folder: Path) -> Scheduler:
    """The scheduler of the user's settings. Answers count their days in this system's time
    zone, found when the first is given (finding it loads the zone database)."""
    from ec2cards.config.file import load_settings
    from ec2cards.scheduling.scheduler import Scheduler

    return Scheduler(load_settings(folder))


def as_json(data: object, indent: int | None = 2) -> str:
    import json

    return json.dumps(data, indent=indent)


def terminal_width() -> int | None:
    """The width to fit a listing to: the terminal's, or None when the output is piped."""
    if not sys.stdout.isatty():
        return None
    import shutil

    return shutil.get_terminal_size().columns


def interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def exam_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--exam {text!r} is not a date; write it as YYYY-MM-DD") from None


def interactive_input() -> bool:
    """Whether a person can answer a question (standard input is a terminal)."""
    return sys.stdin.isatty()


def confirm(question: str, *, default: bool) -> bool:
    """Ask a person yes or no; Ctrl-C or the end of input stops the command with one line
    (exit 130), before anything is written."""
    import typer

    from ec2cards.errors import Cancelled

    try:
        return typer.confirm(question, default=default)
    except typer.Abort:
        typer.echo("", err=True)  # off the line the terminal echoed ^C on
        raise Cancelled("cancelled; nothing changed") from None


def asker(can_ask: bool) -> Confirm | None:
    """`confirm` when a person can answer, else None (the domain keeps its default)."""
    return confirm if can_ask else None


@contextlib.contextmanager
def existing_store(folder: Path, moment: datetime, create: bool = False) -> Iterator[Store | None]:
    """The store when the data folder has a database (or `create`), else None (nothing to
    recompute); opened without the daily backup."""
    from ec2cards.storage.database import DB_FILE

    if not create and not (folder / DB_FILE).exists():
        yield None
        return
    with store_in(folder, moment, daily_backup=False) as store:
        yield store


def recomputed_line(change: SettingChanged) -> str | None:
    """What a change of settings did to the cards, or None when it did nothing to them."""
    done = change.recomputed
    if done is None:
        return None
    if change.rescheduled:
        return f"rescheduled {done.cards} cards to the new setting: {done.moved} due dates moved"
    return (
        f"recomputed the memory of {done.cards} cards; their due dates stay"
        " (--reschedule moves them to the new setting)"
    )


def editor() -> list[str]:
    """The user's editor: $VISUAL, else $EDITOR, else nano or vi when installed."""
    import os
    import shlex
    import shutil

    from ec2cards.errors import UsageError

    for variable in ("VISUAL", "EDITOR"):
        value = os.environ.get(variable, "").strip()
        if value:
            return shlex.split(value)
    for fallback in ("nano", "vi"):
        if shutil.which(fallback):
            return [fallback]
    raise UsageError("no editor found: set $EDITOR (or $VISUAL), e.g. export EDITOR=nano")
