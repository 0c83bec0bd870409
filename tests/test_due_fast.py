"""`due`'s fast path decides nothing of its own: the cards it counts are those the domain's
selection chooses, it answers only when the store is `ready` by the rule the full path uses,
and it leaves everything else to the full command on named conditions only."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
from conftest import write_deck

from ec2cards.cli import due_fast
from ec2cards.decks.selection import keys_from_cache, select
from ec2cards.model.card_lists import card_keys
from ec2cards.storage.opening import open_store, ready
from ec2cards.storage.store import Store

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=timezone.utc)


def test_the_cached_keys_are_the_cards_select_chooses(home: Path) -> None:
    assert keys_from_cache(home) is None  # no deck cached yet: the full command loads them
    select(home)  # loads every deck and fills the cache
    for decks, topics in [
        ((), ()),
        (("virtualization",), ()),
        (("storage", "amis"), ()),
        ((), ("storage", "amis")),
        (("storage",), ("storage", "amis")),
    ]:
        expected = set(card_keys(select(home, decks, topics).cards))
        assert keys_from_cache(home, decks, topics) == expected, (decks, topics)
    assert expected and len(expected) < len(keys_from_cache(home) or ())


def test_the_cache_leaves_to_select_what_only_it_can_explain(home: Path) -> None:
    select(home)
    assert keys_from_cache(home, ["nope"]) is None  # unknown deck
    assert keys_from_cache(home, (), ["nope"]) is None  # unknown topic
    assert keys_from_cache(home, ["./x.yaml"]) is None  # a path
    write_deck(home / "decks", "bad.yaml", "deck: bad\ntitle: B\ntopic: x\ncards:\n  - q: only\n")
    select(home)  # caches the broken deck's problems
    assert keys_from_cache(home) is None


def used_once(home: Path) -> None:
    """A data folder as a first command leaves it: migrated, the first replay done."""
    store = open_store(home, NOW)  # a new file: no backup to make
    store.cards.replace_all({}, done="replay")
    store.close()


def test_ready_is_the_rule_open_store_skips_its_chores_by(home: Path) -> None:
    store = Store.connect(home)
    assert not ready(store, home, NOW)  # a new file: to migrate
    store.close()
    used_once(home)
    store = Store.connect(home)
    assert not ready(store, home, NOW)  # no backup today
    store.close()
    store = open_store(home, NOW)  # the day's backup
    assert ready(store, home, NOW)
    with store.db.transaction() as db:
        db.execute("INSERT INTO maintenance VALUES ('replay')")
    assert not ready(store, home, NOW)  # a replay to do first
    store.close()


def answered(monkeypatch: pytest.MonkeyPatch, *args: str) -> int | None:
    """`due` on the fast path at NOW, the real clock (which backups follow) set there too."""
    monkeypatch.setenv("EC2CARDS_NOW", "2026-11-24T10:00:00")
    monkeypatch.setattr("ec2cards.cli.clock.wall", lambda: NOW)
    return due_fast.run(list(args))


def test_the_fast_path_answers_a_ready_store(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    select(home)
    used_once(home)
    assert answered(monkeypatch) is None  # no backup yet today
    open_store(home, NOW).close()
    assert answered(monkeypatch, "--format", "{today}") == 0
    assert capsys.readouterr().out == "0\n"


def test_named_conditions_go_to_the_full_command(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    select(home)
    used_once(home)
    open_store(home, NOW).close()
    assert answered(monkeypatch) == 0  # ready: answered here
    assert answered(monkeypatch, "--bogus") is None  # an option it does not know
    assert answered(monkeypatch, "--format", "{nope}") is None  # a UsageError
    (home / "config.toml").write_text("new_per_day = -3\n")
    assert answered(monkeypatch) is None  # a bad setting: a UsageError
    (home / "config.toml").unlink()
    monkeypatch.setenv("EC2CARDS_NOW", "yesterday")
    assert due_fast.run([]) is None  # a bad clock: a UsageError


def test_an_unexpected_error_is_not_hidden(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only named conditions fall back: a bug surfaces instead of a silent slow path."""

    def broken(options: due_fast.Options) -> str | None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(due_fast, "answer", broken)
    with pytest.raises(RuntimeError):
        due_fast.run([])


def test_a_warm_due_loads_only_the_repositories_it_reads(home: Path) -> None:
    """The store's repositories load on first use, the settings are a NamedTuple and the
    selection imports the card model when it selects: a shell prompt's `due` pays for none of
    the review log, sync, quiz or card-state modules, nor for dataclasses."""
    import os
    import subprocess
    import sys

    select(home)
    used_once(home)
    open_store(home, datetime.now(timezone.utc)).close()  # today's backup, by the real clock
    script = (
        "import sys\n"
        "from ec2cards.cli.entry import main\n"
        "sys.argv = ['ec2cards', 'due']\n"
        "try:\n    main()\n"
        "finally:\n    sys.stderr.write(' '.join(sorted(sys.modules)))\n"
    )
    env = {**os.environ, "EC2CARDS_HOME": str(home), "EC2CARDS_NOW": "2026-11-24T10:00:00"}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=False
    )
    assert done.stdout.endswith(" new\n"), done.stderr
    loaded = set(done.stderr.split())
    assert "typer" not in loaded  # answered on the fast path
    assert {"ec2cards.storage.queue", "ec2cards.storage.known_keys"} <= loaded
    unwanted = {
        "ec2cards.storage.review_log",
        "ec2cards.storage.card_states",
        "ec2cards.storage.sync_state",
        "ec2cards.storage.quiz_tables",
        "ec2cards.model.cards",
        "dataclasses",
    }
    assert loaded & unwanted == set()
