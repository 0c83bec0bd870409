"""How a command is declared: `@command("name")` records it, wrapped so that every error ends in
one line and an exit status, never a traceback. The app is built from these records (see
`app.py`), so that a command's module is imported only when that command runs."""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from collections.abc import Callable
from typing import Any, NamedTuple, TypeVar

import typer

from ec2cards.errors import Ec2CardsError

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
    from ec2cards.terminal.output import show_error

    show_error(message)


def fail(message: str, code: int) -> None:
    say_error(message)
    raise typer.Exit(code)


def _known_failure(error: Exception) -> Ec2CardsError | None:
    """Failures of the surroundings rather than bugs: the database busy, full, read-only or
    damaged (a stray sqlite3 error), or a file that cannot be read or written."""
    from ec2cards.storage.failures import as_store_error

    converted = as_store_error(error)
    if converted is not None:
        return converted
    if isinstance(error, OSError):
        where = f"{error.filename}: " if error.filename else ""
        return Ec2CardsError(
            f"{where}{error.strerror or error}; check that the file and its folder are there"
            " and yours to read and write"
        )
    return None


def guarded(func: F) -> F:
    """The command, with every way it can fail turned into one line and an exit status."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except typer.Exit:
            raise
        except BrokenPipeError:
            # The reader went away (`ec2cards stats | head`): stop quietly, as Unix tools do.
            with contextlib.suppress(OSError):
                sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - no flush error at exit
            raise typer.Exit(141) from None
        except Ec2CardsError as error:
            if debug["on"]:
                raise
            fail(str(error), error.exit_code)
        except KeyboardInterrupt:
            if debug["on"]:
                raise
            fail("interrupted", 130)
        except Exception as error:  # a bug: say so in one line unless debugging
            if debug["on"]:
                raise
            known = _known_failure(error)
            if known is not None:
                fail(str(known), known.exit_code)
            fail(
                f"unexpected {type(error).__name__}: {error} (run with --debug for the"
                " traceback, and please report it)",
                70,
            )
        return None

    return wrapper  # type: ignore[return-value]


def command(name: str, group: str | None = None, **options: Any) -> Callable[[F], F]:
    """Declare a command (in `group`, e.g. "deck", else at the top level)."""

    def declare(func: F) -> F:
        DECLARED[(group, name)] = Declared(name, group, guarded(func), options)
        return func

    return declare
