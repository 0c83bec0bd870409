"""The store: migrations, durable appends, undo; the cache always equals a replay of the log."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from conftest import memory_store, replayed
from hypothesis import given, settings
from hypothesis import strategies as st

from ec2cards.config.settings import Settings
from ec2cards.errors import StoreError, UndoRefused
from ec2cards.model.events import SUSPEND
from ec2cards.model.ratings import Rating
from ec2cards.model.states import NEW_STATE, Phase
from ec2cards.scheduling.answer import record_answer
from ec2cards.scheduling.replay import rebuild, restorer
from ec2cards.scheduling.scheduler import Scheduler
from ec2cards.storage.database import Database
from ec2cards.storage.migrations import MIGRATIONS
from ec2cards.storage.store import Store

T0 = datetime(2026, 11, 24, 10, 0, tzinfo=timezone.utc)


def columns(store: Store, table: str) -> list[str]:
    return [row[1] for row in store.db.connection.execute(f"PRAGMA table_info({table})")]


def test_migrations_create_schema_and_are_recorded() -> None:
    store = memory_store()
    assert store.db.schema_version() == len(MIGRATIONS)
    assert columns(store, "review_log") == [
        "id",
        "card_key",
        "event",
        "rating",
        "reviewed_at",
        "duration_ms",
        "phase_before",
        "state_before",
        "state_after",
        "undoes",
        "interval_days",
        "value",
        "zone",
        "utc_offset",
    ]
    assert {"stability", "steps_left", "interval_days", "buried_until"} <= set(
        columns(store, "card_state")
    )
    assert store.db.pending_tasks() == ["replay"]  # migration 5 asks for states computed anew
    store.db.migrate()  # idempotent
    assert store.db.schema_version() == len(MIGRATIONS)


def test_file_store_uses_wal(home: Path) -> None:
    store = Store.open(home)
    (mode,) = store.db.connection.execute("PRAGMA journal_mode").fetchone()
    assert mode == "wal"
    store.close()


def test_newer_database_is_refused(home: Path) -> None:
    Store.open(home).close()
    raw = sqlite3.connect(home / "ec2cards.db")
    raw.execute("INSERT INTO schema_migrations VALUES (99, 'x')")
    raw.commit()
    raw.close()
    with pytest.raises(StoreError, match="newer ec2cards"):
        Store.open(home)


def test_review_undo_and_suspend() -> None:
    store = memory_store()
    scheduler = Scheduler(Settings(fuzz=False))
    entry, before, after = record_answer(store, scheduler, "d/a", Rating.GOOD, T0, 1200)
    assert before == NEW_STATE and after == scheduler.review(NEW_STATE, Rating.GOOD, T0, "d/a")
    assert store.cards.state("d/a") == after
    assert store.log.entries("d/a")[0].duration_ms == 1200
    assert store.stats.counts_since(T0 - timedelta(hours=1)) == (1, 0)
    key, restored = store.log.undo(entry, T0, restorer(store, scheduler))
    assert (key, restored) == ("d/a", NEW_STATE)
    assert store.cards.state("d/a").phase is Phase.NEW
    assert store.stats.counts_since(T0 - timedelta(hours=1)) == (0, 0)
    assert [e.event for e in store.log.entries()] == ["review", "undo"]
    with pytest.raises(StoreError):
        store.log.undo(entry, T0, restorer(store, scheduler))
    store.log.record("d/a", SUSPEND, T0)
    assert store.cards.state("d/a").suspended
    assert replayed(store, Settings(fuzz=False)) == store.cards.states()


ACTIONS = st.lists(
    st.tuples(
        st.sampled_from(["review", "undo", "suspend", "unsuspend"]),
        st.integers(0, 3),
        st.integers(1, 4),
        st.integers(0, 4000),
    ),
    max_size=40,
)


def acted(store: Store, actions: list[tuple[str, int, int, int]]) -> Iterator[str]:
    """Apply random answers, undos and suspensions to the store, yielding after each."""
    scheduler = Scheduler(Settings())
    now = T0
    undoable: list[int] = []
    for action, card, rating, minutes in actions:
        key = f"d/c{card}"
        now += timedelta(minutes=minutes)
        if action == "review":  # the path study and recorded quizzes take
            entry, _, _ = record_answer(store, scheduler, key, Rating(rating), now)
            undoable.append(entry)
        elif action == "undo" and undoable:
            # refused when something later happened to that card, as study then goes on
            with contextlib.suppress(UndoRefused):
                store.log.undo(undoable.pop(), now, restorer(store, scheduler))
        elif action in ("suspend", "unsuspend"):
            store.log.record(key, action, now)
        yield action


@settings(max_examples=60, deadline=None)
@given(ACTIONS)
def test_cache_equals_replay_after_random_actions(actions: list[tuple[str, int, int, int]]) -> None:
    store = memory_store()
    for _ in acted(store, actions):
        pass
    cached = store.cards.states()
    assert replayed(store) == cached
    rebuild(store, Scheduler(Settings()))
    assert store.cards.states() == cached


def _truly_known(store: Store) -> set[str]:
    return {k for k, s in store.cards.states().items() if s.phase is not Phase.NEW or s.suspended}


@settings(max_examples=15, deadline=None)
@given(ACTIONS)
def test_known_keys_follow_every_change_through_the_kept_copy(
    actions: list[tuple[str, int, int, int]],
) -> None:
    """known_keys answers from a copy in the data folder while the database's known-set token
    is unchanged; after any mix of answers, undos and suspensions it is still the truth."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(Path(folder))
        for _ in acted(store, actions):
            known = store.known.keys()
            assert set(known) == _truly_known(store) and len(known) == len(set(known))
        rebuild(store, Scheduler(Settings()))
        assert set(store.known.keys()) == _truly_known(store)
        store.close()


def test_known_keys_copy_is_used_only_under_its_token(home: Path) -> None:
    import marshal

    store = Store.open(home)
    scheduler = Scheduler(Settings(fuzz=False))
    record_answer(store, scheduler, "d/a", Rating.GOOD, T0)
    assert store.known.keys() == ["d/a"]
    copy = home / "cache" / "known-keys"
    token, joined = marshal.loads(copy.read_bytes())
    assert joined == "d/a"
    # A second review of a known card leaves the token alone: the copy stays good.
    later = T0 + timedelta(days=3)
    record_answer(store, scheduler, "d/a", Rating.GOOD, later)
    assert store.db.connection.execute("SELECT token FROM known_token").fetchone()[0] == token
    # The copy is what is read while the token matches (planted keys prove it) ...
    copy.write_bytes(marshal.dumps((token, "planted/x")))
    assert Store.open(home).known.keys() == ["planted/x"]
    # ... and a new card becoming known changes the token, so the stale copy is ignored.
    record_answer(store, scheduler, "d/b", Rating.GOOD, later)
    assert sorted(Store.open(home).known.keys()) == ["d/a", "d/b"]
    # A copy made for another database (another token) is never taken.
    copy.write_bytes(marshal.dumps(("0000000000000000", "other/db")))
    assert sorted(store.known.keys()) == ["d/a", "d/b"]
    store.close()


def _per_day_from_the_log(store: Store, shift: timedelta) -> dict[object, tuple[int, ...]]:
    """Statistics per study day straight from every live review (as before migration 7)."""
    from datetime import date

    rows = store.db.connection.execute(
        "SELECT CAST(julianday(reviewed_at) + ? AS INTEGER), COUNT(*), SUM(phase_before = 2),"
        " SUM(phase_before = 2 AND rating > 1), SUM(phase_before = 2 AND interval_days < 21),"
        " SUM(phase_before = 2 AND interval_days < 21 AND rating > 1) FROM review_log r"
        " WHERE event = 'review' AND r.id NOT IN"
        " (SELECT undoes FROM review_log WHERE undoes IS NOT NULL) GROUP BY 1",
        (shift.total_seconds() / 86400 + 0.5,),
    )
    return {
        date(1970, 1, 1) + timedelta(days=int(day) - 2440588): tuple(int(n or 0) for n in counts)
        for day, *counts in rows
    }


@settings(max_examples=40, deadline=None)
@given(ACTIONS, st.sampled_from([0, -4 * 60, 5 * 60 + 45 - 4 * 60, -(9 * 60 + 30) - 4 * 60]))
def test_daily_statistics_kept_by_triggers_equal_the_log(
    actions: list[tuple[str, int, int, int]], shift_minutes: int
) -> None:
    """Answers and undos keep the quarter-hour counts; every study day, in any time zone and
    cut-off (even a +05:45 zone), adds up as a scan of the whole log does."""
    store = memory_store()
    for _ in acted(store, actions):
        pass
    shift = timedelta(minutes=shift_minutes)
    assert store.stats.reviews_per_day(T0 - timedelta(days=1), shift) == _per_day_from_the_log(
        store, shift
    )


def test_the_migration_counts_the_reviews_already_there() -> None:
    """A database from before migration 7: its reviews are counted when it is brought up to date."""
    store = Store(Database(sqlite3.connect(":memory:", isolation_level=None)))
    store.db.migrate()
    list(acted(store, [("review", 1, 3, 10), ("review", 2, 1, 600), ("review", 1, 4, 3000)]))
    expected = _per_day_from_the_log(store, timedelta(0))
    store.db.connection.execute("DELETE FROM review_buckets")
    store.db.connection.executescript(MIGRATIONS[6].split("CREATE TRIGGER")[0].split(";", 1)[1])
    assert store.stats.reviews_per_day(T0 - timedelta(days=1), timedelta(0)) == expected


def test_an_answer_timed_before_the_cards_last_takes_its_place_in_time() -> None:
    """A clock set back (or EC2CARDS_NOW in the past) gives an answer older than the card's
    last one: it is applied where it falls in time, as any replay of the log applies it."""
    store, scheduler = memory_store(), Scheduler(Settings(fuzz=False))
    later = T0 + timedelta(days=2)
    record_answer(store, scheduler, "d/a", Rating.GOOD, later)
    _, before, after = record_answer(store, scheduler, "d/a", Rating.AGAIN, T0)
    assert before == NEW_STATE and after == scheduler.review(NEW_STATE, Rating.AGAIN, T0, "d/a")
    expected = scheduler.review(after, Rating.GOOD, later, "d/a")
    assert store.cards.state("d/a") == expected == replayed(store, Settings(fuzz=False))["d/a"]
    assert store.cards.state("d/a").last_review == later
