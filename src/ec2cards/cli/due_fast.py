"""`ec2cards due` at shell-prompt speed: the plain cases (`due`, `--json`, `--format`, deck ids
and topics) answered without Typer and with a few light modules. It decides nothing of its
own: the cards come from the domain's selection read from the deck cache
(`decks.selection.keys_from_cache`), the settings from `config.file.load_settings`, and it
answers only when the store is `storage.opening.ready`, the rule by which the full command
skips its backups and migrations; the counting and printing are the command's.

Anything else, or anything not in order (a deck not yet cached or that does not load, a
database to migrate or back up today, a bad option, setting or clock), goes to the full
command, which says and does what is needed: this path only ever answers what the full one
would."""

from __future__ import annotations

import sys

from ec2cards.errors import Ec2CardsError
from ec2cards.storage.database import DatabaseError

# What sends `due` to the full command, which reports it: one of ec2cards' own errors (a bad
# clock, setting or template; a database refused), a file that cannot be read, or SQLite
# failing on a damaged file.
FALL_BACK = (Ec2CardsError, OSError, DatabaseError)


class Options:
    def __init__(self) -> None:
        self.as_json = False
        self.template: str | None = None
        self.decks: list[str] = []
        self.topics: list[str] = []


def parse(args: list[str]) -> Options | None:
    """The options, when they are only those this path answers; None otherwise."""
    options = Options()
    position = 0
    while position < len(args):
        arg = args[position]
        name, equals, attached = arg.partition("=")
        if arg == "--json":
            options.as_json = True
            position += 1
            continue
        if name not in ("--format", "--deck", "-d", "--topic", "-t"):
            return None
        if equals:
            value = attached
            position += 1
        elif position + 1 < len(args):
            value = args[position + 1]
            position += 2
        else:
            return None
        if name == "--format":
            options.template = value
        elif name in ("--deck", "-d"):
            options.decks.append(value)  # a path is left to the full command by the selection
        else:
            options.topics.append(value)
    return options


def run(args: list[str]) -> int | None:
    """Answer `ec2cards due ARGS` and return the exit status, or None to leave it to the full
    command (nothing has been printed then)."""
    options = parse(args)
    if options is None:
        return None
    try:
        line = answer(options)
    except FALL_BACK:
        return None
    if line is None:
        return None
    sys.stdout.write(line + "\n")
    return 0


def answer(options: Options) -> str | None:
    """The line the full command would print, or None when it must be the full command."""
    from ec2cards.cli import clock
    from ec2cards.config.paths import data_dir
    from ec2cards.storage.database import DB_FILE

    home = data_dir()
    if not (home / DB_FILE).exists():
        return None  # the full command creates it
    now = clock.now()
    from ec2cards.config.file import read_settings
    from ec2cards.decks.selection import keys_from_cache

    settings, unknown = read_settings(home)
    if unknown:
        return None  # the full command says which settings it ignores
    keys = keys_from_cache(home, options.decks, options.topics)
    if keys is None:
        return None
    from ec2cards.progress.due import due_counts
    from ec2cards.storage.opening import ready
    from ec2cards.storage.store import Store

    store = Store.connect(home)
    try:
        if not ready(store, home, clock.wall()):  # backups follow the real clock
            return None  # a migration, a replay or today's backup first: the full command
        due = due_counts(keys, store, settings.day_cutoff_hour, settings.new_per_day, now)
    finally:
        store.close()
    from ec2cards.cli.due_output import due_json, due_line

    return due_json(due) if options.as_json else due_line(due, now, options.template)
