"""`ec2cards quiz` without building the Typer app: its plain options are read here and the
quiz runs as the Typer command runs it (`quiz_run.quiz`), its errors said by the same rule
(`failures.reported`). Anything else (--help, --debug, --history, --retry, a value Typer would
refuse, an unknown option) goes to the Typer app."""

from __future__ import annotations

from typing import NamedTuple

from ec2cards.cli.fast_path import read_options, run_reported, whole_number

FLAGS = {"--weakest", "--record", "--json"}
VALUES = {"--deck", "-d", "--topic", "-t", "--count", "-n", "--mode", "-m", "--seed"}
SHORT = {"-d": "--deck", "-t": "--topic", "-n": "--count", "-m": "--mode"}


class Options(NamedTuple):
    decks: list[str]
    topics: list[str]
    questions: int
    mode: str | None
    seed: int | None
    flags: set[str]


def parse(args: list[str]) -> Options | None:
    """The options, when they are only those this path runs; None otherwise."""
    found = read_options(args, FLAGS, VALUES, SHORT, once=("--count", "--mode", "--seed"))
    if found is None:
        return None
    values, flags = found
    count = whole_number(values["--count"][0], 1) if "--count" in values else 10
    seed = whole_number(values["--seed"][0]) if "--seed" in values else None
    if count is None or ("--seed" in values and seed is None):
        return None
    mode = values["--mode"][0] if "--mode" in values else None
    return Options(values.get("--deck", []), values.get("--topic", []), count, mode, seed, flags)


def run(args: list[str]) -> int | None:
    """Run `ec2cards quiz ARGS` and return the exit status, or None to leave it to the Typer
    app (nothing has been done then)."""
    options = parse(args)
    if options is None:
        return None
    from ec2cards.cli.quiz_run import quiz

    return run_reported(
        lambda: quiz(
            options.topics or None,
            options.decks or None,
            options.questions,
            options.mode,
            options.seed,
            "--weakest" in options.flags,
            "--record" in options.flags,
            "--json" in options.flags,
            False,
            False,
            None,
        )
    )
