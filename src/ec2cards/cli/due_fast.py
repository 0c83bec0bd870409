"""`ec2cards due` at shell-prompt speed: the plain cases (`due`, `--json`, `--format`, deck ids
and topics) answered without Typer and with a few light modules: the cached deck index, the
store's queue and known-card queries, the same counting and printing as the command.

Anything else, or anything not in order (a deck not yet cached or that does not load, a
database to migrate or back up today, a bad option or clock), goes to the full command, which
says and does what is needed: this path only ever answers what the full one would."""

from __future__ import annotations

import sys
from pathlib import Path

from ec2cards.storage.known_keys import KnownKeys
from ec2cards.storage.queue import QueueQueries
from ec2cards.storage.statistics import Statistics


class DueStore(KnownKeys, QueueQueries, Statistics):
    """The parts of the store that `due` reads, and no more."""


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
            if "/" in value or "\\" in value or value.endswith((".yaml", ".yml")):
                return None  # a path: the full command finds and checks it
            options.decks.append(value)
        else:
            options.topics.append(value)
    return options


def selected_keys(home: Path, options: Options) -> set[str] | None:
    """Keys of the cards asked for, from the deck cache; None when a deck is not cached or
    has problems, or a deck or topic is unknown (the full command then explains)."""
    from ec2cards.decks.cache_index import cache_dir, read_index
    from ec2cards.decks.sources import default_sources

    cache = cache_dir(home)
    wanted_decks = set(options.decks)
    wanted_topics = set(options.topics)
    seen_decks: set[str] = set()
    seen_topics: set[str] = set()
    keys: set[str] = set()
    for source in default_sources(home):
        found = read_index(source.path, source.bundled, cache)
        if found is None:
            return None
        header, deck_keys, topic_sets, topic_ids, problems = found[2]
        if header is None or problems:
            return None
        deck_id = header[0]
        if deck_id in seen_decks:
            return None  # a deck id used twice: the full command reports it
        seen_decks.add(deck_id)
        for topics in topic_sets:
            seen_topics.update(topics)
        if wanted_decks and deck_id not in wanted_decks:
            continue
        if not wanted_topics:
            keys.update(deck_keys)
            continue
        matching = [not wanted_topics.isdisjoint(topics) for topics in topic_sets]
        keys.update(key for key, topic in zip(deck_keys, topic_ids, strict=True) if matching[topic])
    if not wanted_decks <= seen_decks or not wanted_topics <= seen_topics:
        return None
    return keys


def run(args: list[str]) -> int | None:
    """Answer `ec2cards due ARGS` and return the exit status, or None to leave it to the full
    command (nothing has been printed then)."""
    options = parse(args)
    if options is None:
        return None
    try:
        line = answer(options)
    except Exception:
        return None
    if line is None:
        return None
    sys.stdout.write(line + "\n")
    return 0


def answer(options: Options) -> str | None:
    from ec2cards.cli.clock import now as read_clock
    from ec2cards.config.paths import data_dir
    from ec2cards.storage.database import DB_FILE

    home = data_dir()
    if not (home / DB_FILE).exists():
        return None
    now = read_clock()
    cutoff, new_per_day = 4, 20
    if (home / "config.toml").exists():
        from ec2cards.config.file import load_settings

        settings = load_settings(home)
        cutoff, new_per_day = settings.day_cutoff_hour, settings.new_per_day
    keys = selected_keys(home, options)
    if keys is None:
        return None
    from ec2cards.progress.due import due_counts
    from ec2cards.storage import backups, migrations

    store = DueStore.connect(home)
    try:
        ready = (
            store.schema_version() == len(migrations.MIGRATIONS)
            and not store.pending_tasks()
            and backups.taken_on(home, now.astimezone().date())
        )
        if not ready:
            return None  # a migration, a replay or today's backup first: the full command
        due = due_counts(keys, store, cutoff, new_per_day, now)
    finally:
        store.close()
    from ec2cards.cli.due_output import due_json, due_line

    return due_json(due) if options.as_json else due_line(due, now, options.template)
