"""How a command is declared: `@command("name")` records it, wrapped so that every error ends in
one line and an exit status, never a traceback. The app is built from these records (see
`app.py`), so that a command's module is imported only when that command runs."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, NamedTuple, TypeVar

import typer

F = TypeVar("F", bound=Callable[..., Any])

debug = {"on": False}  # set by `--debug` before the command runs


class Declared(NamedTuple):
    """A command as its module declared it: its name, its group (or None) and typer's options."""

    name: str
    group: str | None
    function: Callable[..., Any]
    options: dict[str, Any]


DECLARED: dict[tuple[str | None, str], Declared] = {}


def say_error(message: str) -> None:
    from ec2cards.cli.failures import say_error as say

    say(message)


def guarded(func: F) -> F:
    """The command, with every way it can fail turned into one line and an exit status
    (`failures.reported`); with --debug, a traceback instead (a broken pipe stays quiet)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except typer.Exit:
            raise
        except (Exception, KeyboardInterrupt) as error:
            if debug["on"] and not isinstance(error, BrokenPipeError):
                raise
            from ec2cards.cli.failures import reported

            raise typer.Exit(reported(error)) from None

    return wrapper  # type: ignore[return-value]


def command(name: str, group: str | None = None, **options: Any) -> Callable[[F], F]:
    """Declare a command (in `group`, e.g. "deck", else at the top level)."""

    def declare(func: F) -> F:
        DECLARED[(group, name)] = Declared(name, group, guarded(func), options)
        return func

    return declare
