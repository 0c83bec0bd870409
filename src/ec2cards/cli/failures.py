"""Every way a command can fail, as one line on stderr and an exit status: the rule that the
Typer commands (through `registry.guarded`) and the paths that run without Typer (`study`'s)
share."""

from __future__ import annotations

import contextlib
import os
import sys

from ec2cards.errors import Ec2CardsError


def _known_failure(error: BaseException) -> Ec2CardsError | None:
    """Failures of the surroundings rather than bugs: the database busy, full, read-only or
    damaged (a stray sqlite3 error), or a file that cannot be read or written."""
    from ec2cards.storage.failures import as_store_error

    if isinstance(error, Exception):
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


def say_error(message: str) -> None:
    from ec2cards.terminal.output import show_error

    show_error(message)


def reported(error: BaseException) -> int:
    """Say what went wrong in one line (nothing when the reader of the output went away) and
    return the exit status for it."""
    if isinstance(error, BrokenPipeError):
        # The reader went away (`ec2cards stats | head`): stop quietly, as Unix tools do.
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - no flush error at exit
        return 141
    if isinstance(error, Ec2CardsError):
        say_error(str(error))
        return error.exit_code
    if isinstance(error, KeyboardInterrupt):
        say_error("interrupted")
        return 130
    known = _known_failure(error)
    if known is not None:
        say_error(str(known))
        return known.exit_code
    say_error(
        f"unexpected {type(error).__name__}: {error} (run with --debug for the traceback, and"
        " please report it)"
    )
    return 70
