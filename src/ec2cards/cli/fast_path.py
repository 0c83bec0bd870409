"""What the commands started without the Typer app share (`study_fast`, `quiz_fast`): reading
their plain options as Typer reads them, and running the work with its errors said by the rule
of every command (`failures.reported`)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping


def read_options(
    args: list[str],
    flags: Collection[str],
    values: Collection[str],
    short: Mapping[str, str],
    once: Collection[str] = (),
) -> tuple[dict[str, list[str]], set[str]] | None:
    """The values given to each option (short names read as their long ones) and the flags
    set; None for anything else (an unknown option, a value missing, an option of `once` given
    twice): the Typer app says what is wrong with it."""
    given: dict[str, list[str]] = {}
    set_flags: set[str] = set()
    position = 0
    while position < len(args):
        name, equals, attached = args[position].partition("=")
        if name in flags and not equals:
            set_flags.add(name)
            position += 1
            continue
        if name not in values:
            return None
        if equals:
            value, position = attached, position + 1
        elif position + 1 < len(args) and not args[position + 1].startswith("-"):
            value, position = args[position + 1], position + 2
        else:
            return None
        given.setdefault(short.get(name, name), []).append(value)
    if any(len(given.get(name, [])) > 1 for name in once):
        return None
    return given, set_flags


def whole_number(value: str, least: int | None = None) -> int | None:
    """A whole number (of at least `least`) written as Typer reads one, else None."""
    text = value.strip()
    if not text.lstrip("+-").isdigit():
        return None
    number = int(text)
    return number if least is None or number >= least else None


def run_reported(work: Callable[[], None]) -> int:
    """Run a command's work as the Typer commands run theirs: the unknown-settings warning
    first, and every error said in one line with its exit status."""
    from ec2cards.cli.context import warn_of_unknown_settings

    try:
        warn_of_unknown_settings()
        work()
    except (Exception, KeyboardInterrupt) as error:
        from ec2cards.cli.failures import reported

        return reported(error)
    return 0
