"""The typer app: built from the declared commands, errors as one line and an exit code.

Heavy modules (yaml, fsrs, rich, sqlite3) are imported inside the commands that need them, and
a plain command runs in an app of that command alone, whose module is the only one imported,
so that `ec2cards --help` starts about as fast as an empty Typer app.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterable
from typing import Annotated, Any

import typer

from ec2cards import __version__
from ec2cards.cli import registry

HELP = "Flashcards for AWS EC2 in the terminal: YAML decks, FSRS scheduling, quizzes."

# Every command, in the order `--help` lists them, and the module that declares it.
COMMANDS: dict[str, str] = {
    "decks": "ec2cards.cli.deck_commands",
    "topics": "ec2cards.cli.deck_commands",
    "check": "ec2cards.cli.deck_commands",
    "study": "ec2cards.cli.study_command",
    "quiz": "ec2cards.cli.quiz_command",
    "practice": "ec2cards.cli.practice_command",
    "card": "ec2cards.cli.card_commands",
    "cards": "ec2cards.cli.card_commands",
    "suspend": "ec2cards.cli.card_commands",
    "unsuspend": "ec2cards.cli.card_commands",
    "forget": "ec2cards.cli.card_commands",
    "bury": "ec2cards.cli.card_commands",
    "edit": "ec2cards.cli.card_commands",
    "stats": "ec2cards.cli.progress_commands",
    "due": "ec2cards.cli.progress_commands",
    "optimize": "ec2cards.cli.progress_commands",
    "simulate": "ec2cards.cli.progress_commands",
    "plan": "ec2cards.cli.progress_commands",
    "doctor": "ec2cards.cli.data_commands",
    "config": "ec2cards.cli.data_commands",
    "rebuild": "ec2cards.cli.data_commands",
    "relink": "ec2cards.cli.data_commands",
    "deck": "ec2cards.cli.writing_commands",
    "add": "ec2cards.cli.writing_commands",
    "import": "ec2cards.cli.transfer_commands",
    "export": "ec2cards.cli.transfer_commands",
    "sync": "ec2cards.cli.sync_commands",
}
GROUPS: dict[str, dict[str, Any]] = {
    "deck": {"help": "Make decks of your own: deck new NAME, deck format"},
    "sync": {"invoke_without_command": True},  # `ec2cards sync` syncs; its commands log in etc.
}


def run(argv: list[str]) -> int:
    """Run a command line as the console script does and return its exit status. Usage errors
    (unknown option, bad value, missing argument) end like every other error: one line saying
    what is wrong and where to look, not click's usage block. Only Typer's public API: the app
    runs with `standalone_mode=False`, so its errors come here as `typer.TyperException`."""
    app = app_for(argv)
    try:
        code = app(args=argv, prog_name="ec2cards", standalone_mode=False)
    except typer.TyperException as error:  # click's UsageError, BadParameter and kin
        context = getattr(error, "ctx", None)
        where = context.command_path if context is not None else "ec2cards"
        registry.say_error(f"{error.format_message().rstrip('.')} (see '{where} --help')")
        return int(getattr(error, "exit_code", 2))
    except typer.Abort:
        registry.say_error("aborted")
        return 1
    return code if isinstance(code, int) else 0


def _help_when_bare(context: typer.Context) -> None:
    """A bare `ec2cards` (or `ec2cards deck`) shows its help on stderr, exit status 2."""
    if context.invoked_subcommand is None:
        typer.echo(context.get_help(), err=True)
        raise typer.Exit(2)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ec2cards {__version__}")
        raise typer.Exit()


def root(
    context: typer.Context,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of errors.")] = False,
) -> None:
    """Flashcards for AWS EC2 in the terminal: YAML decks, FSRS scheduling, quizzes."""
    registry.debug["on"] = debug
    if debug and context.invoked_subcommand is None:
        context.fail("Missing command")
    _help_when_bare(context)
    from ec2cards.cli.context import warn_of_unknown_settings

    warn_of_unknown_settings()


def _new_app(**options: Any) -> typer.Typer:
    return typer.Typer(pretty_exceptions_enable=False, rich_markup_mode=None, **options)


def build_app(names: Iterable[str] | None = None) -> typer.Typer:
    """An app of the named top-level commands (and groups), or of every command; only their
    modules are imported."""
    wanted = list(COMMANDS) if names is None else [n for n in COMMANDS if n in set(names)]
    for module in dict.fromkeys(COMMANDS[name] for name in wanted):
        importlib.import_module(module)
    # The whole app offers --install-completion and --show-completion (and completes every
    # command); an app of one command, run for real, skips building them.
    app = _new_app(name="ec2cards", help=HELP, add_completion=names is None)
    app.callback(invoke_without_command=True)(root)
    for name in wanted:
        if name in GROUPS:
            group = _new_app(add_completion=False, **GROUPS[name])
            own = registry.DECLARED.get((None, name))  # the group's own command, if it has one
            if own is not None:
                group.callback(**own.options)(own.function)
            else:
                group.callback(invoke_without_command=True)(_help_when_bare)
            for declared in registry.DECLARED.values():
                if declared.group == name:
                    group.command(declared.name, **declared.options)(declared.function)
            app.add_typer(group, name=name)
        else:
            declared = registry.DECLARED[(None, name)]
            app.command(name, **declared.options)(declared.function)
    return app


def app_for(argv: list[str]) -> typer.Typer:
    """An app of the one command being run (typer builds every registered command on each
    start, which costs more than some commands' own work), or the whole app for help and
    groups. Help and errors read the same either way."""
    position = 0
    while position < len(argv) and argv[position] == "--debug":
        position += 1
    name = argv[position] if position < len(argv) else ""
    if name in COMMANDS and name not in GROUPS:
        return build_app([name])
    return build_app()


def __getattr__(name: str) -> Any:
    """`app`: the whole app, built on first use (tests and tools), never at import."""
    if name == "app":
        whole = build_app()
        globals()["app"] = whole
        return whole
    raise AttributeError(name)


def main() -> None:
    """Console-script entry point."""
    import gc

    from ec2cards.cli.entry import GC_THRESHOLDS

    gc.set_threshold(*GC_THRESHOLDS)
    try:
        code = run(sys.argv[1:])
    finally:
        # The process ends next. Its last garbage collections would walk every object still
        # alive (Typer's and ours: about 9 ms, more than some commands' whole work) to free
        # memory the system takes back anyway; frozen objects are left out of them. Files and
        # the database are closed by then, and standard streams are flushed at exit as always.
        gc.freeze()
    sys.exit(code)


if __name__ == "__main__":  # pragma: no cover
    main()
