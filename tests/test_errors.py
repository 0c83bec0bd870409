"""Every failure a user can cause ends in one line (what, where, what to do), a non-zero exit
status, and no traceback unless --debug (issue 8): bad arguments, bad values, missing and broken
files, a bad EC2CARDS_NOW, a data folder that is not a folder."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
import typer
from conftest import assert_handled, console, venv_bin, write_deck
from typer.testing import CliRunner

from ec2cards.cli.app import app

NOW = "2026-11-24T10:00:00+00:00"
BROKEN_DECK = "deck: bad\ntitle: B\ntopic: x\ncards:\n  - q: only\n"


def run(args: list[str], now: str = NOW, **env: str) -> Any:
    return CliRunner().invoke(console, args, env={"EC2CARDS_NOW": now, **env})


def assert_one_line(result: Any, fragment: str = "") -> str:
    """Failed, said so in one line on stderr, nothing else, and no traceback."""
    assert result.exit_code != 0, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Usage:" not in result.output, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert fragment in lines[0], lines[0]
    return str(lines[0])


def command_paths() -> list[list[str]]:
    """Every command the CLI has, sub-commands (`deck new`) included."""
    found: list[list[str]] = []

    def walk(group: Any, prefix: list[str]) -> None:
        for name, command in group.commands.items():
            if hasattr(command, "commands"):
                walk(command, [*prefix, name])
            else:
                found.append([*prefix, name])

    walk(typer.main.get_command(app), [])
    return found


def test_the_walk_covers_every_command() -> None:
    names = {" ".join(path) for path in command_paths()}
    assert {"study", "quiz", "stats", "due", "doctor", "config", "rebuild", "check"} <= names


@pytest.mark.parametrize("path", command_paths(), ids=" ".join)
def test_unknown_option_is_one_line_for_every_command(path: list[str]) -> None:
    result = run([*path, "--bogus"])
    assert result.exit_code == 2
    line = assert_one_line(result, "No such option: --bogus")
    assert f"(see 'ec2cards {' '.join(path)} --help')" in line
    assert result.stdout == ""


BAD_ARGUMENTS = [
    (["stduy"], "No such command 'stduy'. Did you mean 'study'?"),
    (["study", "--new", "-1"], "Invalid value for '--new'"),
    (["study", "--limit", "0"], "Invalid value for '--limit'"),
    (["study", "--exam", "tomorrow"], "--exam 'tomorrow' is not a date; write it as YYYY-MM-DD"),
    (["study", "--deck", "virtualisation"], "did you mean 'virtualization'"),
    (["study", "--deck", "./missing.yaml"], "no such deck file or folder"),
    (["study", "extra"], "unexpected extra argument"),
    (["quiz", "--count", "zero"], "Invalid value for '--count'"),
    (["quiz", "--mode", "essay"], "unknown mode 'essay' (use one of"),
    (["quiz", "--topic", "nope"], "unknown topic 'nope'"),
    (["quiz", "--seed", "x"], "Invalid value for '--seed'"),
    (["stats", "--days", "0"], "Invalid value for '--days'"),
    (["stats", "--deck", "nope"], "unknown deck 'nope'"),
    (["due", "--topic", "virtualisation"], "did you mean 'virtualization'"),
    (["simulate", "--days", "3"], "Invalid value for '--days'"),
    (["plan"], "Missing option '--exam'"),
    (["plan", "--exam", "2026-13-01"], "is not a date"),
    (["optimize", "--revlog", "missing.csv"], "missing.csv"),
    (["config", "nope"], "unknown setting 'nope'"),
    (["config", "new_per_day", "1000001"], "new_per_day must be between 0 and 100000"),
    (["config", "desired_retention", "high"], "desired_retention must be a number"),
    (["config", "learning_steps", "soon"], "'soon' is not a step"),
    (["config", "parameters", "1 2 3"], "FSRS-6 takes 21 numbers, not 3"),
    (
        ["config", "parameters", " ".join(["0.5"] * 16 + ["9"] + ["0.5"] * 4)],
        "w16 is 9, outside 1-6",
    ),
    (["check", "missing.yaml"], "missing.yaml: no such deck file or folder"),
    (["decks", "--deck", "gone/deck.yaml"], "no such deck file or folder"),
    (["topics", "--deck", "nope"], "unknown deck 'nope'"),
    (["doctor", "--restore", "nope.db"], "nope.db: no such backup file"),
    (["doctor", "--list", "--restore", "x.db"], "either --list or --restore"),
    (["rebuild", "now"], "unexpected extra argument"),
]


@pytest.mark.parametrize(("args", "fragment"), BAD_ARGUMENTS, ids=lambda v: str(v))
def test_bad_arguments_are_one_line(args: list[str], fragment: str) -> None:
    result = run(args)
    assert_one_line(result, fragment)
    assert result.stdout == ""


def test_bad_files_are_one_line(home: Path, tmp_path: Path) -> None:
    revlog = tmp_path / "revlog.csv"
    revlog.write_text("card_id,review_time,review_rating\nx,yesterday,9\n")
    result = run(["optimize", "--revlog", str(revlog)])
    assert_one_line(result, str(revlog))
    binary = write_deck(tmp_path, "binary.yaml", "")
    binary.write_bytes(b"deck: x\n\xff\xfe\x00")
    assert_one_line(run(["study", "--deck", str(binary)]), "not UTF-8 text")
    assert_one_line(run(["quiz", "--deck", str(tmp_path / "none.yml")]), "no such deck file")
    # Deep nesting is refused in one line that names the file, whichever check stops it first:
    # ours (64 levels, our wording) or, for very deep files, the YAML library's own limit.
    deep = write_deck(tmp_path, "deep.yaml", "[" * 100_000 + "]" * 100_000)
    assert_one_line(run(["stats", "--deck", str(deep)]), f"{deep}:1:")
    nested = write_deck(tmp_path, "nested.yaml", "[" * 200 + "]" * 200)
    line = assert_one_line(run(["stats", "--deck", str(nested)]), f"{nested}:1:65:")
    assert "nested too deeply" in line


@pytest.mark.parametrize(
    "args",
    [
        ["study"],
        ["quiz"],
        ["stats"],
        ["due"],
        ["decks"],
        ["topics"],
        ["simulate"],
        ["plan", "--exam", "2027-01-01"],
    ],
    ids=" ".join,
)
def test_a_broken_deck_costs_one_warning_line_and_nothing_else(home: Path, args: list[str]) -> None:
    """One typo in a deck of the user's own: that deck is skipped with one warning naming
    path:line:col and 'ec2cards check'; the command works on every other deck."""
    write_deck(home / "decks", "bad.yaml", BROKEN_DECK)
    result = run(args)
    assert_handled(result)
    assert result.exit_code == 0, result.output
    (line,) = result.stderr.splitlines()
    assert line.startswith("warning: deck skipped: ")
    assert f"{home / 'decks' / 'bad.yaml'}:5:5: basic card has no 'a'" in line
    assert "ec2cards check" in line


def test_a_broken_deck_named_on_the_command_line_is_an_error(home: Path) -> None:
    path = write_deck(home / "decks", "bad.yaml", BROKEN_DECK)
    assert_one_line(run(["study", "--deck", str(path)]), "bad.yaml:5:5: basic card has no 'a'")
    line = assert_one_line(run(["study", "--deck", "bad"]), "deck 'bad' does not load")
    assert "bad.yaml:5:5" in line and "ec2cards check" in line


def test_a_broken_deck_inside_a_named_folder_is_skipped_like_any_other(
    home: Path, tmp_path: Path
) -> None:
    """Naming a folder of decks names the folder, not each file: its broken file costs one
    warning line and the good deck beside it is studied."""
    folder = tmp_path / "mine"
    write_deck(folder, "good.yaml", "deck: good\ntitle: G\ntopic: x\ncards:\n  - q: Q?\n    a: A\n")
    write_deck(folder, "bad.yaml", BROKEN_DECK)
    result = run(["due", "--deck", str(folder)])
    assert_handled(result)
    assert result.exit_code == 0, result.output
    (line,) = result.stderr.splitlines()
    assert line.startswith("warning: deck skipped: ") and f"{folder / 'bad.yaml'}:5:5" in line
    assert "1 new" in result.stdout


def test_check_reports_every_problem_one_per_line(home: Path) -> None:
    bad = write_deck(home / "decks", "bad.yaml", BROKEN_DECK + "  - q: x\n    anwser: y\n")
    result = run(["check"])
    assert_handled(result)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines and all(line.startswith(f"{bad}:") for line in lines)


@pytest.mark.parametrize(
    "args", [["study"], ["quiz"], ["stats"], ["due"], ["config"], ["simulate"]], ids=" ".join
)
def test_a_broken_config_file_is_one_line(home: Path, args: list[str]) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text("new_per_day = [\n")
    line = assert_one_line(run(args), "config.toml")
    assert "fix the file or delete it" in line
    (home / "config.toml").write_text("new_per_day = -3\n")
    assert_one_line(run(args), "new_per_day must be between 0 and 100000")


CLOCK_COMMANDS = [
    ["study"],
    ["quiz"],
    ["stats"],
    ["due"],
    ["plan", "--exam", "2027-01-01"],
    ["doctor"],
    ["doctor", "--restore", "x.db"],
]


@pytest.mark.parametrize("args", CLOCK_COMMANDS, ids=" ".join)
@pytest.mark.parametrize("now", ["next tuesday", "2026-11-31T10:00", ""])
def test_a_bad_clock_is_one_line(args: list[str], now: str) -> None:
    if not now:  # empty: the system clock, so fine
        assert_handled(run(args, now=now))
        return
    result = run(args, now=now)
    assert result.exit_code == 2
    assert_one_line(result, "EC2CARDS_NOW=")
    assert "write it like 2026-12-01T09:00" in result.stderr


@pytest.mark.parametrize("args", CLOCK_COMMANDS, ids=" ".join)
@pytest.mark.parametrize("now", ["9999-12-31T23:59", "0001-01-01", "1970-01-01T00:00+00:00"])
def test_a_clock_out_of_range_is_one_line_not_a_bug(args: list[str], now: str) -> None:
    """Dates near the calendar's ends overflowed deep in a command ("please report it"):
    the clock itself is refused, in one line."""
    result = run(args, now=now)
    assert result.exit_code == 2, result.output
    assert_one_line(result, f"EC2CARDS_NOW={now!r} is out of range")


STORE_COMMANDS = [
    ["study"],
    ["quiz"],
    ["stats"],
    ["due"],
    ["plan", "--exam", "2027-01-01"],
    ["rebuild"],
    ["optimize"],
    ["config", "new_per_day", "5"],
    ["quiz", "--history"],
]


@pytest.mark.parametrize("args", STORE_COMMANDS, ids=" ".join)
def test_a_data_folder_that_is_a_file_is_one_line(tmp_path: Path, args: list[str]) -> None:
    not_a_folder = tmp_path / "home"
    not_a_folder.write_text("I am a file")
    line = assert_one_line(run(args, EC2CARDS_HOME=str(not_a_folder)))
    assert str(not_a_folder) in line
    assert not_a_folder.read_text() == "I am a file"


@pytest.mark.parametrize(
    "args", [["decks"], ["topics"], ["check"], ["simulate"], ["config"], ["doctor", "--list"]]
)
def test_commands_that_need_no_data_folder_still_work_or_say_so(
    tmp_path: Path, args: list[str]
) -> None:
    not_a_folder = tmp_path / "home"
    not_a_folder.write_text("I am a file")
    result = run(args, EC2CARDS_HOME=str(not_a_folder))
    assert_handled(result)
    if result.exit_code != 0:
        assert_one_line(result)


def test_debug_shows_the_traceback_and_only_then(home: Path) -> None:
    env = {**os.environ, "EC2CARDS_HOME": str(home), "EC2CARDS_NOW": "next tuesday"}
    quiet = subprocess.run([venv_bin("ec2cards"), "due"], capture_output=True, text=True, env=env)
    assert quiet.returncode == 2 and "Traceback" not in quiet.stderr
    assert quiet.stderr.count("\n") == 1 and quiet.stderr.startswith("error: EC2CARDS_NOW=")
    loud = subprocess.run(
        [venv_bin("ec2cards"), "--debug", "due"], capture_output=True, text=True, env=env
    )
    assert loud.returncode != 0 and "Traceback" in loud.stderr and "UsageError" in loud.stderr


def test_an_unexpected_bug_is_one_line_too(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug (not a user error) still ends in one line, and asks for a report."""
    import ec2cards.progress.due

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(ec2cards.progress.due, "due_counts", broken)
    result = run(["due"])
    assert result.exit_code == 70
    assert_one_line(result, "unexpected ZeroDivisionError: division by zero")
    assert "--debug" in result.stderr and "please report it" in result.stderr


def test_a_stray_database_error_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """A SQLite error outside a write (a read that finds the file locked or damaged) too."""
    import sqlite3

    from ec2cards.storage.card_states import CardStates

    def locked(*args: object, **kwargs: object) -> None:
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(CardStates, "states", locked)
    result = run(["plan", "--exam", "2027-01-01"])
    assert result.exit_code == 1
    assert "another ec2cards has been writing to it" in assert_one_line(result, "busy")

    def damaged(*args: object, **kwargs: object) -> None:
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(CardStates, "states", damaged)
    assert "ec2cards doctor" in assert_one_line(run(["plan", "--exam", "2027-01-01"]), "damaged")


@pytest.mark.parametrize(
    "command",
    [["study"], ["due"], ["cards"], ["quiz", "--record", "--count", "1"], ["stats"]],
    ids=" ".join,
)
def test_a_deck_folder_with_no_deck_is_an_error_not_every_deck(
    tmp_path: Path, command: list[str]
) -> None:
    """`--deck FOLDER` where no deck loads would otherwise select nothing, which reads as
    every deck: studying, quizzing and recording on the bundled decks without a word."""
    empty, broken = tmp_path / "empty", tmp_path / "broken"
    empty.mkdir()
    write_deck(broken, "x.yaml", "deck: [\n")
    line = assert_one_line(run([*command, "--deck", str(empty)]), f"{empty}: no deck file")
    assert "(deck files end in .yaml or .yml)" in line
    line = assert_one_line(run([*command, "--deck", str(broken)]), f"{broken}: none of its")
    assert f"'ec2cards check {broken}' shows why" in line


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"card_id,review_time,review_rating\n1,\xff\xfe,3\n", ":2:1: not UTF-8 text"),
        (b"card_id,review_time,review_rating\n1,9e999,3\n", ":2:1: bad review row"),
        (b"card_id,review_time,review_rating\n1,99999999999999999999999,3\n", ":2:1: bad review"),
        (b"card_id,review_time\n1,1700000000000\n", ":1:1: missing column(s) review_rating"),
    ],
)
def test_a_bad_review_log_csv_is_one_located_line(
    tmp_path: Path, content: bytes, said: str
) -> None:
    path = tmp_path / "revlog.csv"
    path.write_bytes(content)
    assert_one_line(run(["optimize", "--revlog", str(path)]), f"{path}{said}")


def test_a_bare_command_shows_its_help_on_stderr() -> None:
    """`ec2cards` and `ec2cards deck` alone print their help (stderr, status 2) from a stock
    Typer callback; `--debug` alone is a missing command, in one line."""
    for args, usage in (
        ([], "Usage: ec2cards [OPTIONS] COMMAND"),
        (["deck"], "Usage: ec2cards deck"),
    ):
        result = run(args)
        assert result.exit_code == 2 and result.stdout == "", result.output
        assert result.stderr.startswith(usage) and "error:" not in result.stderr
    assert_one_line(run(["--debug"]), "Missing command (see 'ec2cards --help')")


def test_the_app_is_a_stock_typer_app() -> None:
    """No subclass of Typer's click classes: the pin can follow Typer's public API."""
    import typer.core

    assert type(typer.main.get_command(app)) is typer.core.TyperGroup


@pytest.mark.parametrize(
    "args", [["study"], ["stats"], ["due"], ["config"], ["decks"]], ids=" ".join
)
def test_an_unknown_setting_is_one_warning_and_every_command_works(
    home: Path, args: list[str]
) -> None:
    """A mistyped key or a table no setting has used to stop every command, `config` included,
    so it could not be fixed from the command line: now it is ignored, with one warning line."""
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text("new_per_dya = 5\nnew_per_day = 7\n[colors]\nx = 1\n")
    result = run(args)
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(warnings) == 1 and warnings[0].startswith("warning: ")
    assert "2 unknown settings ignored: 'new_per_dya', 'colors'" in warnings[0]
    assert "did you mean 'new_per_day'?" in warnings[0] and "Traceback" not in result.output


def test_config_still_sets_a_value_beside_an_unknown_setting(home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text("mystery = 1\n")
    result = run(["config", "new_per_day", "30"])
    assert result.exit_code == 0, result.output
    assert run(["config", "new_per_day"]).stdout.startswith("new_per_day = 30")
    assert "mystery = 1" in (home / "config.toml").read_text()  # the user's line stays
