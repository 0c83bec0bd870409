"""`--json` outputs come from typed records with one `to_json` each: the fields and types the
commands print, checked here without the CLI (the CLI tests parse the same JSON)."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from conftest import memory_store, write_deck

from ec2cards.config.settings import Settings
from ec2cards.decks.selection import select
from ec2cards.decks.summaries import decks_json, topics_json
from ec2cards.model.ratings import Rating
from ec2cards.progress.due import Due
from ec2cards.scheduling.answer import record_answer
from ec2cards.scheduling.optimizer import MIN_ITEMS, TooLittleHistory
from ec2cards.scheduling.scheduler import Scheduler
from ec2cards.sync.login import Login, shadow_path, write_login
from ec2cards.sync.status import sync_status

NOW = datetime(2026, 11, 24, 10, tzinfo=timezone.utc)
DECK = (
    "deck: d\ntitle: My deck\ntopic: t\ncards:\n"
    "  - id: a\n    q: A?\n    a: a\n"
    "  - id: b\n    q: B?\n    a: b\n    topics: [u]\n"
)


def test_decks_and_topics_as_json(home: Path) -> None:
    write_deck(home / "decks", "d.yaml", DECK)
    collection = select(home, ["d"]).collection
    mine = [row for row in decks_json(collection) if row["id"] == "d"]
    assert mine == [
        {
            "id": "d",
            "title": "My deck",
            "topics": ["t", "u"],
            "cards": 2,
            "path": str(home / "decks" / "d.yaml"),
            "bundled": False,
            "error": None,
        }
    ]
    assert topics_json({"t": 2, "u": 1}) == [{"topic": "t", "cards": 2}, {"topic": "u", "cards": 1}]


def test_due_and_too_little_history_as_json() -> None:
    due = Due(3, 5, 20, datetime(2026, 11, 24, 11, tzinfo=timezone.utc))
    assert due.to_json() == {
        "due_now": 3,
        "due_today": 5,
        "new_available": 20,
        "next_due": "2026-11-24T11:00:00+00:00",
    }
    assert Due(0, 0, 0, None).to_json()["next_due"] is None
    assert TooLittleHistory(12).to_json() == {
        "items": 12,
        "needed": MIN_ITEMS,
        "fitted": None,
        "saved": False,
    }


def test_sync_status_from_the_login_and_the_store(home: Path) -> None:
    store = memory_store()
    empty = sync_status(home, store)
    assert empty.to_json() == {
        "logged_in": False,
        "server": None,
        "user": None,
        "anki_library": empty.anki_library,
        "shadow": str(shadow_path(home)),
        "reviews_waiting": 0,
        "last_sync": None,
    }
    record_answer(store, Scheduler(Settings()), "d/a", Rating.GOOD, NOW)
    write_login(home, Login("me@example.com", "k", "http://localhost:8080/"))
    report = {"server": "localhost", "at": "2026-11-24T09:00:00+00:00", "sent": 2}
    store.sync.set_marks({"last": json.dumps(report)})
    status = sync_status(home, store).to_json()
    assert status["logged_in"] and status["user"] == "me@example.com"
    assert status["server"] == Login("me@example.com", "k", "http://localhost:8080/").server
    assert status["reviews_waiting"] == 1 and status["last_sync"] == report


def test_a_sync_summary_reads_a_report_old_or_new() -> None:
    """The summary lines read a typed record; a report kept by an older version, with fewer
    fields, reads as zeros and blanks instead of failing."""
    from ec2cards.sync.status import SyncSummary
    from ec2cards.terminal.sync_lines import sync_summary

    old = SyncSummary.from_json({"server": "ankiweb", "at": "2026-11-24T09:00", "sent": 2})
    assert old.cards_pushed == 0 and old.full == "" and old.sent == 2
    lines = sync_summary(old)
    assert lines == [
        "synced with ankiweb: 0 cards pushed (0 added, 0 changed, 0 removed, 0 schedules),"
        " reviews 2 pushed and 0 pulled, 0 conflicts"
    ]
    full = SyncSummary.from_json(
        {"server": "s", "cards_pushed": 1, "full": "downloaded", "reset": 1, "extra": True}
    )
    assert full.cards_pushed == 1
    text = "\n".join(sync_summary(full))
    assert "1 card pushed" in text and "collection was downloaded" in text
    assert "1 note edited in Anki" in text
