"""The schema, as numbered migrations: each runs once, in one transaction, and is recorded in
schema_migrations, so a database of any earlier version is brought up to date."""

from __future__ import annotations

import sqlite3

from ec2cards.model.maturity import MATURE_DAYS


def _bucket(column: str) -> str:
    """A UTC timestamp's quarter hour: '2026-11-24T09:3' for 09:45 (the minute divided by 15)."""
    return f"substr({column}, 1, 14) || (CAST(substr({column}, 15, 2) AS INTEGER) / 15)"


_REVIEW_CARD = "{p}phase_before = 2"
_YOUNG = _REVIEW_CARD + f" AND {{p}}interval_days < {MATURE_DAYS}"
_CONDITIONS = {
    "review": _REVIEW_CARD,
    "passed": _REVIEW_CARD + " AND {p}rating > 1",
    "young": _YOUNG,
    "young_passed": _YOUNG + " AND {p}rating > 1",
}


def _count_of(name: str, prefix: str = "") -> str:
    """1 when a review counts under `name` (a review card's, passed, young...), else 0."""
    return f"IFNULL({_CONDITIONS[name].format(p=prefix)}, 0)"


def _undone_counts() -> str:
    """The SET terms that take an undone review's counts back out of its bucket."""
    return ", ".join(
        f"{name} = {name} - (SELECT {_count_of(name)} FROM review_log WHERE id = NEW.undoes)"
        for name in _CONDITIONS
    )


def _counts(aggregate: str, prefix: str) -> str:
    return ", ".join(f"{aggregate}({_count_of(name, prefix)})" for name in _CONDITIONS)


# Numbered migrations: each runs once, in one transaction, and is recorded in schema_migrations.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE review_log (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        card_key     TEXT NOT NULL,
        event        TEXT NOT NULL CHECK (event IN ('review', 'undo', 'suspend', 'unsuspend')),
        rating       INTEGER CHECK (rating BETWEEN 1 AND 4),
        reviewed_at  TEXT NOT NULL,
        duration_ms  INTEGER,
        phase_before INTEGER,
        state_before TEXT,
        state_after  TEXT,
        undoes       INTEGER REFERENCES review_log(id)
    );
    CREATE INDEX review_log_card ON review_log(card_key, id);
    CREATE INDEX review_log_time ON review_log(reviewed_at);
    CREATE UNIQUE INDEX review_log_undoes ON review_log(undoes) WHERE undoes IS NOT NULL;
    CREATE TABLE card_state (
        card_key    TEXT PRIMARY KEY,
        phase       INTEGER NOT NULL,
        due         TEXT,
        step        INTEGER,
        stability   REAL,
        difficulty  REAL,
        last_review TEXT,
        reps        INTEGER NOT NULL DEFAULT 0,
        lapses      INTEGER NOT NULL DEFAULT 0,
        suspended   INTEGER NOT NULL DEFAULT 0,
        leech       INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX card_state_due ON card_state(suspended, due);
    """,
    """
    CREATE TABLE quiz (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        started_at  TEXT NOT NULL,
        finished_at TEXT,
        mode        TEXT NOT NULL,
        selection   TEXT NOT NULL,
        score       INTEGER NOT NULL DEFAULT 0,
        total       INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE quiz_answer (
        quiz_id  INTEGER NOT NULL REFERENCES quiz(id),
        number   INTEGER NOT NULL,
        card_key TEXT NOT NULL,
        topic    TEXT NOT NULL,
        kind     TEXT NOT NULL,
        given    TEXT NOT NULL,
        expected TEXT NOT NULL,
        correct  INTEGER NOT NULL,
        score    REAL NOT NULL,
        PRIMARY KEY (quiz_id, number)
    );
    """,
    # 3: queries that scale: the study queue by phase and due; statistics from an index alone.
    """
    CREATE INDEX card_state_queue ON card_state(suspended, phase, due, card_key);
    ALTER TABLE review_log ADD COLUMN interval_days REAL;
    UPDATE review_log SET interval_days = julianday(json_extract(state_before, '$.due'))
        - julianday(json_extract(state_before, '$.last_review'))
        WHERE event = 'review' AND phase_before = 2;
    CREATE INDEX review_log_stats
        ON review_log(reviewed_at, event, phase_before, rating, interval_days);
    """,
    # 4: a token that changes whenever a card becomes known (answered or suspended) or stops
    # being known, in the same transaction: it names the known set, so a copy of that set kept
    # beside the database is used only while the token still matches.
    """
    CREATE TABLE known_token (token TEXT NOT NULL);
    INSERT INTO known_token VALUES (lower(hex(randomblob(8))));
    CREATE TRIGGER known_insert AFTER INSERT ON card_state
        WHEN NEW.phase > 0 OR NEW.suspended = 1
        BEGIN UPDATE known_token SET token = lower(hex(randomblob(8))); END;
    CREATE TRIGGER known_update AFTER UPDATE OF phase, suspended ON card_state
        WHEN (OLD.phase > 0 OR OLD.suspended = 1) IS NOT (NEW.phase > 0 OR NEW.suspended = 1)
        BEGIN UPDATE known_token SET token = lower(hex(randomblob(8))); END;
    CREATE TRIGGER known_delete AFTER DELETE ON card_state
        WHEN OLD.phase > 0 OR OLD.suspended = 1
        BEGIN UPDATE known_token SET token = lower(hex(randomblob(8))); END;
    """,
    # 5: the card state as Anki keeps it (steps left, the days its review scheduled, buried
    # until), log events for forgetting, burying and setting a due date (with their value),
    # and a replay of every card with the scheduler that computes Anki's intervals. The log
    # is copied into a new table: SQLite cannot widen a CHECK constraint in place.
    """
    ALTER TABLE card_state RENAME COLUMN step TO steps_left;
    ALTER TABLE card_state ADD COLUMN interval_days INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE card_state ADD COLUMN buried_until TEXT;
    CREATE TABLE review_log_next (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        card_key      TEXT NOT NULL,
        event         TEXT NOT NULL CHECK (event IN ('review', 'undo', 'suspend', 'unsuspend',
                          'forget', 'bury', 'unbury', 'set_due', 'reschedule')),
        rating        INTEGER CHECK (rating BETWEEN 1 AND 4),
        reviewed_at   TEXT NOT NULL,
        duration_ms   INTEGER,
        phase_before  INTEGER,
        state_before  TEXT,
        state_after   TEXT,
        undoes        INTEGER REFERENCES review_log_next(id),
        interval_days REAL,
        value         TEXT
    );
    INSERT INTO review_log_next (id, card_key, event, rating, reviewed_at, duration_ms,
            phase_before, state_before, state_after, undoes, interval_days)
        SELECT id, card_key, event, rating, reviewed_at, duration_ms, phase_before,
            state_before, state_after, undoes, interval_days FROM review_log ORDER BY id;
    DROP TABLE review_log;
    ALTER TABLE review_log_next RENAME TO review_log;
    CREATE INDEX review_log_card ON review_log(card_key, id);
    CREATE INDEX review_log_time ON review_log(reviewed_at);
    CREATE UNIQUE INDEX review_log_undoes ON review_log(undoes) WHERE undoes IS NOT NULL;
    CREATE INDEX review_log_stats
        ON review_log(reviewed_at, event, phase_before, rating, interval_days);
    CREATE TABLE maintenance (task TEXT PRIMARY KEY);
    INSERT INTO maintenance VALUES ('replay');
    """,
    # 6: a quiz answer the learner overruled ("I was right"), and the grader's word on it
    # (a typo forgiven, 3 of 4 items, an acronym), shown again by `quiz --history N`.
    """
    ALTER TABLE quiz_answer ADD COLUMN overruled INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE quiz_answer ADD COLUMN verdict TEXT NOT NULL DEFAULT '';
    ALTER TABLE quiz_answer ADD COLUMN seconds REAL;
    """,
    # 7: live reviews counted per quarter hour (UTC), kept by triggers as answers and undos are
    # appended, so a year of statistics reads a few thousand rows instead of every review; any
    # local day cut-off and time zone (even +05:45) is a whole number of quarter hours.
    f"""
    CREATE TABLE review_buckets (
        bucket       TEXT PRIMARY KEY,
        total        INTEGER NOT NULL,
        review       INTEGER NOT NULL,
        passed       INTEGER NOT NULL,
        young        INTEGER NOT NULL,
        young_passed INTEGER NOT NULL
    ) WITHOUT ROWID;
    INSERT INTO review_buckets
        SELECT {_bucket("reviewed_at")}, COUNT(*), {_counts("SUM", "")}
        FROM review_log r WHERE event = 'review'
            AND r.id NOT IN (SELECT undoes FROM review_log WHERE undoes IS NOT NULL)
        GROUP BY 1;
    CREATE TRIGGER review_buckets_add AFTER INSERT ON review_log WHEN NEW.event = 'review'
        BEGIN
            INSERT INTO review_buckets
                VALUES ({_bucket("NEW.reviewed_at")}, 1, {_counts("", "NEW.")})
                ON CONFLICT (bucket) DO UPDATE SET total = total + 1,
                    review = review + excluded.review, passed = passed + excluded.passed,
                    young = young + excluded.young,
                    young_passed = young_passed + excluded.young_passed;
        END;
    CREATE TRIGGER review_buckets_undo AFTER INSERT ON review_log WHEN NEW.event = 'undo'
        BEGIN
            UPDATE review_buckets SET total = total - 1, {_undone_counts()}
            WHERE bucket = (SELECT {_bucket("reviewed_at")} FROM review_log
                WHERE id = NEW.undoes AND event = 'review');
        END;
    """,
    # 8: what sync with Anki remembers: the Anki review-log id of every review sent or taken in
    # (anki_id: its time in ms; pulled: made elsewhere) and the marks of the last sync. Earlier
    # versions made these tables on the first sync, so a database may have them already.
    """
    CREATE TABLE IF NOT EXISTS sync_review (
        anki_id INTEGER PRIMARY KEY,
        log_id  INTEGER NOT NULL,
        pulled  INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS sync_review_log ON sync_review(log_id);
    CREATE TABLE IF NOT EXISTS sync_mark (name TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
    # 9: the few buried cards, found without a walk over every card (when the next card is
    # due, a buried one counts from when its burial ends).
    """
    CREATE INDEX card_state_buried ON card_state(buried_until) WHERE buried_until IS NOT NULL;
    """,
    # 10: the time zone each review was made in (its database name, when known, and its UTC
    # offset in minutes), so that a replay counts study days as the answer did wherever it
    # runs. Earlier reviews take the zone of the first command after the upgrade. And the
    # record of histories moved from one key to another (`ec2cards relink`).
    """
    CREATE TABLE relinked (
        old_key TEXT NOT NULL,
        new_key TEXT NOT NULL,
        at      TEXT NOT NULL,
        entries INTEGER NOT NULL
    );
    ALTER TABLE review_log ADD COLUMN zone TEXT;
    ALTER TABLE review_log ADD COLUMN utc_offset INTEGER;
    INSERT OR IGNORE INTO maintenance
        SELECT 'zones' WHERE EXISTS (SELECT 1 FROM review_log WHERE event = 'review');
    """,
    # 11: which card each Anki card id was, kept after the card left the decks (a phone's
    # answer to it still comes home), and the cards whose Anki id is not the number their key
    # gives (adopted from an earlier export, or imported with Anki's history): their fuzz is
    # drawn from that id, as Anki draws it.
    """
    CREATE TABLE sync_card (anki_id INTEGER PRIMARY KEY, card_key TEXT NOT NULL);
    CREATE INDEX sync_card_key ON sync_card(card_key);
    CREATE TABLE card_number (card_key TEXT PRIMARY KEY, number INTEGER NOT NULL) WITHOUT ROWID;
    """,
    # 12: practice exams: each sitting, its questions and choices kept as they are made (an
    # exam cut short keeps what was answered), and its score once submitted.
    """
    CREATE TABLE practice_exam (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        started_at  TEXT NOT NULL,
        selection   TEXT NOT NULL,
        minutes     REAL NOT NULL,
        questions   TEXT NOT NULL,
        finished_at TEXT,
        correct     INTEGER,
        total       INTEGER,
        scaled      INTEGER,
        passed      INTEGER
    );
    """,
)


def statements(script: str) -> list[str]:
    """A migration's SQL statements; a trigger's body holds semicolons of its own, so a piece
    ends a statement only where SQLite says the statement is complete."""
    found: list[str] = []
    pending = ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n;"):
                found.append(pending.strip())
            pending = ""
    return found
