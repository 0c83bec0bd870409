"""`ec2cards quiz` without building the Typer app: its plain options are read here and the
quiz runs as the Typer command runs it (`quiz_run.quiz`), its errors said by the same rule
(`failures.reported`). Anything else (--help, --debug, --history, --retry, a value Typer would
refuse, an unknown option) goes to the Typer app."""

from __future__ import annotations

from typing import NamedTuple

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


def _number(value: str, least: int | None) -> int | None:
    text = value.strip()
    if not text.lstrip("+-").isdigit():
        return None
    number = int(text)
    return number if least is None or number >= least else None


def parse(args: list[str]) -> Options | None:
    """The options, when they are only those this path runs; None otherwise."""
    values: dict[str, list[str]] = {}
    flags: set[str] = set()
    position = 0
    while position < len(args):
        name, equals, attached = args[position].partition("=")
        if name in FLAGS and not equals:
            flags.add(name)
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
        values.setdefault(SHORT.get(name, name), []).append(value)
    if any(len(values.get(name, [])) > 1 for name in ("--count", "--mode", "--seed")):
        return None
    count = _number(values["--count"][0], 1) if "--count" in values else 10
    seed = _number(values["--seed"][0], None) if "--seed" in values else None
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
    from ec2cards.cli.context import warn_of_unknown_settings
    from ec2cards.cli.quiz_run import quiz

    try:
        warn_of_unknown_settings()
        quiz(
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
    except (Exception, KeyboardInterrupt) as error:
        from ec2cards.cli.failures import reported

        return reported(error)
    return 0
