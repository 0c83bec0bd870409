"""A change of settings as one unit (`scheduling/settings_change.py`) and pending maintenance
(`maintenance/pending.py`): the settings file and the recomputed states land together or not
at all, a question left with Ctrl-C writes nothing, and the CLI wires the question in."""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from conftest import invoke, replayed, venv_bin

from ec2cards.config.file import config_path, load_settings
from ec2cards.config.settings import Settings
from ec2cards.errors import Cancelled, StoreError
from ec2cards.maintenance.pending import run_pending
from ec2cards.model.ratings import Rating
from ec2cards.scheduling.answer import record_answer
from ec2cards.scheduling.scheduler import Scheduler
from ec2cards.scheduling.settings_change import (
    RESCHEDULE_QUESTION,
    SAVE_QUESTION,
    change_setting,
    save_fitted,
)
from ec2cards.storage.store import Store

NOW = datetime(2026, 11, 24, 10, tzinfo=timezone.utc)
ORIGINAL = "# mine\ndesired_retention = 0.9\n"


@pytest.fixture
def store(home: Path) -> Iterator[Store]:
    """A file store in the data folder with three cards answered Easy (review cards)."""
    opened = Store.open(home)
    scheduler = Scheduler(Settings())
    for i in range(3):
        record_answer(opened, scheduler, f"d/c{i}", Rating.EASY, NOW)
    config_path(home).write_text(ORIGINAL, encoding="utf-8")
    yield opened
    opened.close()


def given(store: Store | None) -> Any:
    """An opener of the store, as the CLI passes it."""
    return lambda: nullcontext(store)


def never(question: str, *, default: bool) -> bool:
    raise AssertionError(f"asked {question!r}")


def cancel(question: str, *, default: bool) -> bool:
    raise Cancelled("cancelled; nothing changed")


def test_a_scheduling_setting_saves_the_file_and_the_states_together(
    home: Path, store: Store
) -> None:
    dues = {key: state.due for key, state in store.cards.states().items()}
    change = change_setting(
        home, "desired_retention", "0.8", given(store), NOW + timedelta(hours=1), None, None
    )
    assert load_settings(home).desired_retention == 0.8
    assert "# mine" in config_path(home).read_text()  # the rest of the file as it was
    assert change.recomputed is not None and change.recomputed.cards == 3
    assert not change.rescheduled  # nobody to ask: due dates stay
    assert {key: state.due for key, state in store.cards.states().items()} == dues
    assert store.cards.states() == replayed(store, load_settings(home))  # a replay agrees


def test_rescheduling_is_asked_and_the_answer_moves_due_dates(home: Path, store: Store) -> None:
    asked: list[tuple[str, bool]] = []

    def yes(question: str, *, default: bool) -> bool:
        asked.append((question, default))
        return True

    before = {key: state.due for key, state in store.cards.states().items()}
    change = change_setting(home, "desired_retention", "0.97", given(store), NOW, None, yes)
    assert asked == [(RESCHEDULE_QUESTION, False)]
    assert change.rescheduled and change.recomputed is not None
    assert change.recomputed.moved == 3
    after = {key: state.due for key, state in store.cards.states().items()}
    assert all(after[key] < before[key] for key in before)  # type: ignore[operator]


def test_a_question_left_with_ctrl_c_saves_nothing(home: Path, store: Store) -> None:
    states = store.cards.states()
    entries = len(store.log.entries())
    with pytest.raises(Cancelled):
        change_setting(home, "desired_retention", "0.8", given(store), NOW, None, cancel)
    assert config_path(home).read_text() == ORIGINAL
    assert store.cards.states() == states and len(store.log.entries()) == entries


def test_a_busy_database_saves_neither_the_setting_nor_the_states(home: Path, store: Store) -> None:
    states = store.cards.states()
    store.db.connection.execute("PRAGMA busy_timeout = 0")
    other = sqlite3.connect(home / "ec2cards.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        with pytest.raises(StoreError):
            change_setting(home, "desired_retention", "0.8", given(store), NOW, False, never)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert config_path(home).read_text() == ORIGINAL
    assert store.cards.states() == states


def test_a_transaction_failing_after_the_file_was_written_puts_the_file_back(
    home: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file is written once the lock is held; a failure after it (a full disk at commit)
    takes the file back, so settings and states still agree."""
    real = store.cards.replace_all

    def failing_commit(states: Any, done: Any = None, before_replacing: Any = None) -> int:
        def then_fail(db: sqlite3.Connection) -> None:
            before_replacing(db)  # logs the kept due dates and writes the settings file
            assert load_settings(home).desired_retention == 0.8
            raise StoreError("database or disk is full")

        return real(states, done, before_replacing=then_fail)

    monkeypatch.setattr(store.cards, "replace_all", failing_commit)
    states = store.cards.states()
    with pytest.raises(StoreError):
        change_setting(home, "desired_retention", "0.8", given(store), NOW, False, never)
    assert config_path(home).read_text() == ORIGINAL
    assert store.cards.states() == states


def test_without_a_database_or_for_other_settings_the_store_is_not_needed(home: Path) -> None:
    opened: list[bool] = []

    @contextmanager
    def no_database() -> Iterator[None]:
        opened.append(True)
        yield None

    change = change_setting(home, "desired_retention", "0.85", no_database, NOW, None, never)
    assert change.recomputed is None and load_settings(home).desired_retention == 0.85
    assert opened == [True]
    change = change_setting(home, "new_per_day", "5", no_database, NOW, None, never)
    assert change.recomputed is None and load_settings(home).new_per_day == 5
    assert opened == [True]  # not a scheduling setting: the database is not opened


def test_fitted_parameters_are_saved_only_when_better_and_agreed(home: Path, store: Store) -> None:
    fitted = [round(p * 1.01, 4) for p in Scheduler(Settings()).parameters]
    kept = save_fitted(
        home,
        fitted,
        False,
        given(store),
        NOW,
        yes=True,
        reschedule=None,
        confirm_save=never,
        confirm_reschedule=never,
    )
    assert not kept.saved and load_settings(home).parameters == ()
    asked: list[str] = []

    def no(question: str, *, default: bool) -> bool:
        asked.append(question)
        return False

    declined = save_fitted(
        home,
        fitted,
        True,
        given(store),
        NOW,
        yes=False,
        reschedule=None,
        confirm_save=no,
        confirm_reschedule=never,
    )
    assert asked == [SAVE_QUESTION] and not declined.saved
    assert config_path(home).read_text() == ORIGINAL
    saved = save_fitted(
        home,
        fitted,
        True,
        given(store),
        NOW,
        yes=True,
        reschedule=False,
        confirm_save=never,
        confirm_reschedule=never,
    )
    assert saved.saved and saved.change is not None and saved.change.recomputed is not None
    assert list(load_settings(home).parameters) == pytest.approx(fitted)
    assert store.cards.states() == replayed(store, load_settings(home))


def test_pending_maintenance_replays_once(home: Path, store: Store) -> None:
    store.cards.replace_all(store.cards.states(), done="replay")  # as after the first command
    assert run_pending(store, home, NOW) is None
    store.db.connection.execute("INSERT INTO maintenance VALUES ('replay')")  # a migration's ask
    assert run_pending(store, home, NOW) == 3
    assert store.db.pending_tasks() == []
    assert run_pending(store, home, NOW) is None


class Killed(BaseException):
    """kill -9: nothing after it runs (no clean-up, no commit)."""


def kill_after_the_file_is_written(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """The command dies once the settings file is replaced, before the states are committed."""
    real = store.cards.replace_all

    def dying(states: Any, done: Any = None, before_replacing: Any = None) -> int:
        def then_die(db: sqlite3.Connection) -> None:
            before_replacing(db)
            raise Killed

        return real(states, done, before_replacing=then_die)

    monkeypatch.setattr(store.cards, "replace_all", dying)
    monkeypatch.setattr("ec2cards.config.file.undo_edit", lambda home, edit: None)
    monkeypatch.setattr(store.db, "finish_task", lambda task: None)


@pytest.mark.parametrize("reschedule", [False, True])
def test_a_change_killed_after_the_file_was_written_is_finished_as_asked(
    home: Path, store: Store, monkeypatch: pytest.MonkeyPatch, reschedule: bool
) -> None:
    before = store.cards.states()
    kill_after_the_file_is_written(store, monkeypatch)
    with pytest.raises(Killed):
        change_setting(home, "desired_retention", "0.97", given(store), NOW, reschedule, never)
    monkeypatch.undo()
    assert load_settings(home).desired_retention == 0.97  # the file changed,
    assert store.cards.states() == before  # the states did not
    assert any(task.startswith("settings ") for task in store.db.pending_tasks())
    assert run_pending(store, home, NOW + timedelta(minutes=1)) == 3  # the next command
    assert store.db.pending_tasks() == []
    after = store.cards.states()
    dues = {key: (before[key].due, after[key].due) for key in before}
    if reschedule:
        assert all(new < old for old, new in dues.values())  # type: ignore[operator]
    else:
        assert all(new == old for old, new in dues.values())  # --no-reschedule honoured
    assert after == replayed(store, load_settings(home))


def test_a_change_killed_before_the_file_was_written_is_dropped(home: Path, store: Store) -> None:
    from ec2cards.scheduling.settings_change import settings_task

    store.cards.replace_all(store.cards.states(), done="replay")  # as after the first command
    before = store.cards.states()
    store.db.add_task(settings_task(True, "desired_retention = 0.97\n"))  # never written
    assert run_pending(store, home, NOW) is None
    assert store.db.pending_tasks() == [] and store.cards.states() == before
    assert config_path(home).read_text() == ORIGINAL


def test_a_change_that_lands_leaves_no_task(home: Path, store: Store) -> None:
    change_setting(home, "desired_retention", "0.85", given(store), NOW, False, never)
    assert store.db.pending_tasks() == []


def test_ctrl_c_at_the_reschedule_question_is_one_line_and_saves_nothing(
    home: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CLI asks through a callback; the end of input (as Ctrl-C) at `[y/N]` stops the
    command with one line and exit 130, before the file or the states change."""
    from ec2cards.cli import context

    store.close()
    monkeypatch.setattr(context, "interactive", lambda: True)
    result: Any = invoke(["config", "desired_retention", "0.8"], input="")
    assert result.exit_code == 130, result.output
    assert "cancelled; nothing changed" in result.output
    assert "unexpected" not in result.output and "saved in" not in result.output
    assert config_path(home).read_text() == ORIGINAL


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux not installed")
def test_ctrl_c_at_the_reschedule_question_in_a_terminal(home: Path, store: Store) -> None:
    """A real Ctrl-C at `[y/N]` on a terminal: one error line, exit 130, no traceback, no
    "unexpected Abort", and neither the file nor the states changed."""
    from test_terminal import Tmux

    states = store.cards.states()
    store.close()
    env = {"EC2CARDS_HOME": str(home), "TZ": "UTC", "TERM": "xterm-256color"}
    command = f"{venv_bin('ec2cards')} config desired_retention 0.8"
    session = Tmux(f"ec2cfg{os.getpid()}", command, env)
    try:
        session.wait_for("[y/N]")
        session.keys("C-c")
        screen = session.wait_for("EXITED-130")
    finally:
        session.close()
    lines = [line for line in screen.splitlines() if line.strip()]
    assert "error: cancelled; nothing changed" in lines
    assert not any("unexpected" in line or "saved in" in line for line in lines), lines
    assert config_path(home).read_text() == ORIGINAL
    reopened = Store.open(home)
    try:
        assert reopened.cards.states() == states
    finally:
        reopened.close()


def test_doctor_finishes_a_change_cut_short_instead_of_moving_due_dates(
    home: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`config desired_retention 0.97 --no-reschedule`, killed once the file is written, then
    `doctor`: the change is finished with the due dates kept, not rebuilt over them."""
    from ec2cards.maintenance.doctor import examine

    before = store.cards.states()
    kill_after_the_file_is_written(store, monkeypatch)
    with pytest.raises(Killed):
        change_setting(home, "desired_retention", "0.97", given(store), NOW, False, never)
    monkeypatch.undo()
    store.close()
    report = examine(home, NOW, Scheduler(load_settings(home)))
    assert report.healthy
    assert any("a change of settings cut short was finished" in line for line in report.lines)
    assert not any("rebuilt" in line for line in report.lines), report.lines
    reopened = Store.open(home)
    try:
        after = reopened.cards.states()
        assert {k: s.due for k, s in after.items()} == {k: s.due for k, s in before.items()}
        assert reopened.db.pending_tasks() == []
    finally:
        reopened.close()
