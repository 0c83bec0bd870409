"""Shared fixtures: every test gets its own empty data folder and a fixed time zone."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from ec2cards.cli.app import run
from ec2cards.config.settings import Settings
from ec2cards.model.states import CardState
from ec2cards.scheduling.replay import replay
from ec2cards.scheduling.scheduler import Scheduler
from ec2cards.storage.database import Database
from ec2cards.storage.store import Store

ROOT = Path(__file__).resolve().parents[1]

# Under a mutation run (mutmut sets MUTANT_UNDER_TEST) each mutant needs only to be caught, so
# property tests try fewer examples; the full suite keeps Hypothesis' defaults.
if os.environ.get("MUTANT_UNDER_TEST"):
    from hypothesis import settings as hypothesis_settings

    hypothesis_settings.register_profile("mutation", max_examples=15, deadline=None)
    hypothesis_settings.load_profile("mutation")


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """EC2CARDS_HOME in a temp folder, UTC as local time, no clock override leaking in."""
    folder = tmp_path / "home"
    monkeypatch.setenv("EC2CARDS_HOME", str(folder))
    monkeypatch.delenv("EC2CARDS_NOW", raising=False)
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield folder


@pytest.fixture
def cli() -> CliRunner:
    return CliRunner()


# The console script as CliRunner can drive it: a stock Typer app of one command that hands
# every argument, untouched, to `run` (what `ec2cards` runs), usage errors included.
console = typer.Typer(add_completion=False)


@console.command(
    context_settings={
        "ignore_unknown_options": True,
        "allow_extra_args": True,
        "help_option_names": [],
    }
)
def _console(context: typer.Context) -> None:
    raise typer.Exit(run(list(context.args)))


def invoke(args: list[str], input: str | None = None, now: str | None = None) -> object:
    env = {"EC2CARDS_NOW": now} if now else {}
    return CliRunner().invoke(console, args, input=input, env=env, catch_exceptions=False)


def assert_handled(result: Any) -> None:
    """The command ended on its own terms: no exception escaped it (CliRunner keeps one in
    `result.exception` rather than printing a traceback) and it did not report a bug (exit 70)."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert result.exit_code != 70, result.output


def memory_store() -> Store:
    """A store in memory: the schema and every query of a file store, without the disk."""
    import sqlite3

    store = Store(Database(sqlite3.connect(":memory:", isolation_level=None)))
    store.db.migrate()
    return store


def replayed(store: Store, settings: Settings | None = None) -> dict[str, CardState]:
    """Every card's state as a true replay of the store's log computes it (with `settings`,
    the defaults unless given, and the fuzz of a card with an Anki id of its own drawn from
    it): what the cached states must equal."""
    scheduler = Scheduler(settings or Settings(), numbers=store.cards.numbers())
    return replay(store.log.entries(snapshots=False), scheduler)


def write_deck(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def venv_bin(name: str) -> str:
    """A console script next to the running interpreter (the test virtual environment)."""
    import sys

    candidate = Path(sys.executable).parent / name
    return str(candidate) if candidate.exists() else name


os.environ.setdefault("COLUMNS", "100")
