"""The store's repositories over one connection, on `:memory:`: the schema the migrations make
(the sync tables included, from a database of the previous schema), and rows decoded into
named types that round-trip."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone

import pytest
from conftest import memory_store
from hypothesis import given
from hypothesis import strategies as st

from ec2cards.model.ratings import Rating
from ec2cards.model.states import NEW_STATE, CardState, Phase
from ec2cards.storage import migrations
from ec2cards.storage.card_states import StateRow
from ec2cards.storage.database import Database
from ec2cards.storage.review_log import ReviewEntry
from ec2cards.storage.store import Store

T0 = datetime(2026, 11, 24, 10, 0, tzinfo=timezone.utc)
SYNC_TABLES_BEFORE_V8 = (  # what storage/sync_state.py made on a first sync before migration 8
    "CREATE TABLE IF NOT EXISTS sync_review (anki_id INTEGER PRIMARY KEY,"
    " log_id INTEGER NOT NULL, pulled INTEGER NOT NULL)",
    "CREATE INDEX IF NOT EXISTS sync_review_log ON sync_review(log_id)",
    "CREATE TABLE IF NOT EXISTS sync_mark (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
)


def columns(db: Database, table: str) -> list[str]:
    return [row[1] for row in db.connection.execute(f"PRAGMA table_info({table})")]


def indexes(db: Database, table: str) -> set[str]:
    return {row[1] for row in db.connection.execute(f"PRAGMA index_list({table})")}


def store_of_version(version: int, monkeypatch: pytest.MonkeyPatch) -> Store:
    """A store in memory made by the migrations up to `version`: an older ec2cards' database."""
    store = Store(Database(sqlite3.connect(":memory:", isolation_level=None)))
    with monkeypatch.context() as patch:
        patch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:version])
        store.db.migrate()
    assert store.db.schema_version() == version
    return store


def assert_sync_schema(db: Database) -> None:
    assert columns(db, "sync_review") == ["anki_id", "log_id", "pulled"]
    assert columns(db, "sync_mark") == ["name", "value"]
    assert "sync_review_log" in indexes(db, "sync_review")


def test_a_new_database_has_the_sync_tables_from_the_migrations() -> None:
    store = memory_store()
    assert store.db.schema_version() == len(migrations.MIGRATIONS) >= 8
    assert_sync_schema(store.db)
    assert store.sync.marks() == {}


def test_migration_8_makes_the_sync_tables_of_a_database_that_never_synced(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = store_of_version(7, monkeypatch)
    assert columns(store.db, "sync_review") == []  # none before
    store.db.migrate()
    assert store.db.schema_version() == len(migrations.MIGRATIONS)
    assert_sync_schema(store.db)


def test_migration_8_keeps_the_sync_tables_a_first_sync_made_before_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = store_of_version(7, monkeypatch)
    with store.db.transaction() as db:
        for statement in SYNC_TABLES_BEFORE_V8:
            db.execute(statement)
    store.sync.set_marks({"usn": "42"})
    with store.db.transaction() as db:  # an entry as version 7 wrote it
        log_id = db.execute(
            "INSERT INTO review_log (card_key, event, reviewed_at) VALUES ('d/a', 'suspend', ?)",
            (T0.isoformat(),),
        ).lastrowid
    store.sync.record_sent([(1700000000000, log_id)])
    store.db.migrate()
    assert store.db.schema_version() == len(migrations.MIGRATIONS)
    assert_sync_schema(store.db)
    assert store.sync.marks() == {"usn": "42"}
    assert store.sync.known_anki_ids([1700000000000, 5]) == {1700000000000}


def test_reviews_taken_in_are_sent_never_again() -> None:
    store = memory_store()
    after = CardState(phase=Phase.LEARNING, due=T0 + timedelta(minutes=10), steps_left=1)
    entry = ReviewEntry("d/a", Rating.GOOD, T0, 800, NEW_STATE, after)
    assert store.sync.take_in_reviews([(123, entry)], {"d/a": after}) == 1
    assert store.cards.state("d/a") == after  # through the log, into the cache
    assert store.sync.reviews_to_send(0) == []
    (synced,) = store.sync.synced_reviews()
    assert (synced.card_key, synced.rating, synced.anki_id, synced.duration_ms) == (
        "d/a",
        Rating.GOOD,
        123,
        800,
    )
    assert (synced.before.phase, synced.after.phase) == (Phase.NEW, Phase.LEARNING)
    assert synced.after.due == after.due


@pytest.mark.parametrize("few", [1000, 0])  # looked up by key, or one scan filtered
def test_states_of_some_cards_or_of_all(few: int, monkeypatch: pytest.MonkeyPatch) -> None:
    from ec2cards.storage import card_states

    monkeypatch.setattr(card_states, "_FEW_KEYS", few)
    store = memory_store()
    for key in ("d/a", "d/b", "d/c"):
        store.log.record(key, "suspend", T0)
    assert set(store.cards.states()) == {"d/a", "d/b", "d/c"}
    some = store.cards.states(["d/b", "d/zz", "d/a"])
    assert set(some) == {"d/a", "d/b"} and all(s.suspended for s in some.values())
    assert store.cards.states([]) == {}
    assert set(store.cards.states(iter(["d/c"]))) == {"d/c"}  # any iterable


moments = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(timezone.utc)
)
states = st.builds(
    CardState,
    phase=st.sampled_from(Phase),
    due=st.none() | moments,
    steps_left=st.integers(0, 9),
    interval_days=st.integers(0, 36500),
    stability=st.none() | st.floats(0.01, 36500, allow_nan=False),
    difficulty=st.none() | st.floats(1, 10, allow_nan=False),
    last_review=st.none() | moments,
    reps=st.integers(0, 10_000),
    lapses=st.integers(0, 1000),
    suspended=st.booleans(),
    leech=st.booleans(),
    buried_until=st.none() | moments,
)


@given(states)
def test_a_state_round_trips_through_its_row(state: CardState) -> None:
    store = memory_store()
    with store.db.transaction() as db:
        store.cards.put(db, "d/a", state)
    assert store.cards.state("d/a") == state
    assert store.cards.states(["d/a"]) == {"d/a": state}
    assert StateRow.of(state).state() == state


def test_repositories_share_the_one_connection() -> None:
    store = memory_store()
    repositories = (store.cards, store.log, store.queue, store.known, store.quizzes, store.stats)
    assert all(repository.db is store.db for repository in (*repositories, store.sync))
    assert store.log.cards is store.cards and store.sync.log is store.log


def test_past_quizzes_are_read_into_records_that_keep_their_json() -> None:
    store = memory_store()
    quiz = store.quizzes.start(T0, "typed", "all decks")
    store.quizzes.record_answer(quiz, 1, "d/a", "ec2", "basic", "x", "y", False, 0.5, T0)
    store.quizzes.record_answer(quiz, 2, "d/b", "ebs", "basic", "z", "z", True, 1.0, T0, "typo")
    assert store.quizzes.overrule(quiz, 1, T0)
    (past,) = store.quizzes.history()
    assert list(past.to_json().items()) == [
        ("id", quiz),
        ("started_at", "2026-11-24T10:00:00.000000+00:00"),
        ("mode", "typed"),
        ("selection", "all decks"),
        ("score", 2),
        ("total", 2),
        ("percent", 100.0),
        ("by_topic", {"ebs": {"score": 1, "total": 1}, "ec2": {"score": 1, "total": 1}}),
    ]
    first, second = store.quizzes.answers(quiz)
    assert first.to_json() == {
        "number": 1,
        "card": "d/a",
        "topic": "ec2",
        "kind": "basic",
        "given": "x",
        "expected": "y",
        "correct": True,
        "score": 1.0,
        "overruled": True,
        "verdict": "",
    }
    assert (second.correct, second.overruled, second.verdict) == (True, False, "typo")
    assert store.quizzes.last_id() == quiz
