"""`ec2cards study` without building the Typer app: its plain options (decks, topics, --new,
--limit, --ahead, --exam) are read here, and the session runs as the Typer command runs it
(`study_run.study`), its errors said by the same rule (`failures.reported`). Anything else
(--help, --debug, a value Typer would refuse, an unknown option) goes to the Typer app, which
says what is wrong: this path only runs what the full one would."""

from __future__ import annotations

from typing import NamedTuple

FLAGS = {"--ahead"}
VALUES = {"--deck", "-d", "--topic", "-t", "--new", "--limit", "--exam"}


class Options(NamedTuple):
    decks: list[str]
    topics: list[str]
    new: int | None
    limit: int | None
    ahead: bool
    exam: str | None


def _count(value: str, least: int) -> int | None:
    """A whole number of at least `least` written as Typer reads one, else None."""
    text = value.strip()
    if not text.lstrip("+-").isdigit():
        return None
    number = int(text)
    return number if number >= least else None


def parse(args: list[str]) -> Options | None:
    """The options, when they are only those this path runs; None otherwise."""
    values: dict[str, list[str]] = {}
    ahead = False
    position = 0
    while position < len(args):
        name, equals, attached = args[position].partition("=")
        if name in FLAGS and not equals:
            ahead = True
            position += 1
            continue
        if name not in VALUES:
            return None
        if equals:
            value, position = attached, position + 1
        elif position + 1 < len(args) and not args[position + 1].startswith("-"):
            value, position = args[position + 1], position + 2
        else:
            return None
        values.setdefault({"-d": "--deck", "-t": "--topic"}.get(name, name), []).append(value)
    if any(len(values.get(name, [])) > 1 for name in ("--new", "--limit", "--exam")):
        return None
    new = limit = None
    if "--new" in values and (new := _count(values["--new"][0], 0)) is None:
        return None
    if "--limit" in values and (limit := _count(values["--limit"][0], 1)) is None:
        return None
    exam = values["--exam"][0] if "--exam" in values else None
    return Options(values.get("--deck", []), values.get("--topic", []), new, limit, ahead, exam)


def run(args: list[str]) -> int | None:
    """Run `ec2cards study ARGS` and return the exit status, or None to leave it to the Typer
    app (nothing has been done then)."""
    options = parse(args)
    if options is None:
        return None
    from ec2cards.cli.context import warn_of_unknown_settings
    from ec2cards.cli.study_run import study

    try:
        warn_of_unknown_settings()
        study(
            options.decks or None,
            options.topics or None,
            options.new,
            options.limit,
            options.ahead,
            options.exam,
        )
    except (Exception, KeyboardInterrupt) as error:
        from ec2cards.cli.failures import reported

        return reported(error)
    return 0
