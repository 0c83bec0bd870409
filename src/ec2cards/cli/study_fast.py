"""`ec2cards study` without building the Typer app: its plain options (decks, topics, --new,
--limit, --ahead, --exam) are read here, and the session runs as the Typer command runs it
(`study_run.study`), its errors said by the same rule (`failures.reported`). Anything else
(--help, --debug, a value Typer would refuse, an unknown option) goes to the Typer app, which
says what is wrong: this path only runs what the full one would."""

from __future__ import annotations

from typing import NamedTuple

from ec2cards.cli.fast_path import read_options, run_reported, whole_number

FLAGS = {"--ahead"}
VALUES = {"--deck", "-d", "--topic", "-t", "--new", "--limit", "--exam"}
SHORT = {"-d": "--deck", "-t": "--topic"}


class Options(NamedTuple):
    decks: list[str]
    topics: list[str]
    new: int | None
    limit: int | None
    ahead: bool
    exam: str | None


def parse(args: list[str]) -> Options | None:
    """The options, when they are only those this path runs; None otherwise."""
    found = read_options(args, FLAGS, VALUES, SHORT, once=("--new", "--limit", "--exam"))
    if found is None:
        return None
    values, flags = found
    new = limit = None
    if "--new" in values and (new := whole_number(values["--new"][0], 0)) is None:
        return None
    if "--limit" in values and (limit := whole_number(values["--limit"][0], 1)) is None:
        return None
    exam = values["--exam"][0] if "--exam" in values else None
    ahead = "--ahead" in flags
    return Options(values.get("--deck", []), values.get("--topic", []), new, limit, ahead, exam)


def run(args: list[str]) -> int | None:
    """Run `ec2cards study ARGS` and return the exit status, or None to leave it to the Typer
    app (nothing has been done then)."""
    options = parse(args)
    if options is None:
        return None
    from ec2cards.cli.study_run import study

    return run_reported(
        lambda: study(
            options.decks or None,
            options.topics or None,
            options.new,
            options.limit,
            options.ahead,
            options.exam,
        )
    )
