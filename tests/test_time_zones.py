"""Time zones and daylight saving: a review keeps the zone it was made in, so a replay anywhere
gives what the answer gave, and a study day that starts in an hour the clocks skip or repeat
never puts a due time before its answer."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from ec2cards.scheduling.days import day_start, day_starting, next_day_at, study_day
from tests.conftest import invoke, write_deck

DECK = """deck: tiny
title: Tiny
topic: tiny
cards:
  - id: one
    q: First question?
    a: First answer
  - id: two
    q: Second question?
    a: Second answer
  - id: three
    q: Third question?
    a: Third answer
"""

NEW_YORK = ZoneInfo("America/New_York")


@pytest.fixture
def in_zone(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """Move this process (and the commands it runs) to another time zone."""

    def move(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    yield move
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()


def dues(now: str) -> dict[str, datetime]:
    listed = invoke(["cards", "--deck", "tiny", "--json"], now=now)
    return {
        card["key"]: datetime.fromisoformat(card["due"])
        for card in json.loads(listed.output)
        if card["due"]
    }


def doctor_says(now: str) -> str:
    result = invoke(["doctor"], now=now)
    assert result.exit_code == 0, result.output
    return result.output


def test_moving_between_time_zones_changes_nothing_already_scheduled(
    home: Path, in_zone: Callable[[str], None]
) -> None:
    """Study at UTC+14, check at UTC-11 (a day and an hour apart on the calendar), answer
    there, go back: every replay gives the due dates the answers gave."""
    write_deck(home / "decks", "tiny.yaml", DECK)
    invoke(["config", "fuzz", "false"])
    in_zone("Pacific/Kiritimati")
    now = "2026-11-24T13:30:00+00:00"  # 03:30 on the 25th there: still the 24th's study day
    studied = invoke(["study", "--deck", "tiny", "--new", "2"], now=now, input="\n4\n\n3\nq\n")
    assert "saved: Easy · next in 8d" in studied.output, studied.output
    before = dues(now)
    assert len(before) == 2

    in_zone("Pacific/Pago_Pago")
    report = doctor_says(now)
    assert "all 2 match the review log" in report, report
    assert "differed" not in report
    assert dues(now) == before
    later = "2026-11-24T14:00:00+00:00"
    # The learning card, then the last new one.
    invoke(["study", "--deck", "tiny", "--new", "1"], now=later, input="\n4\n\n4\nq\n")
    here = dues(later)
    assert len(here) == 3

    in_zone("Pacific/Kiritimati")
    report = doctor_says(later)
    assert "all 3 match the review log" in report, report
    assert dues(later) == here
    db = sqlite3.connect(home / "ec2cards.db")
    kept = db.execute("SELECT zone, utc_offset FROM review_log ORDER BY id").fetchall()
    assert kept == [
        ("Pacific/Kiritimati", 14 * 60),
        ("Pacific/Kiritimati", 14 * 60),
        ("Pacific/Pago_Pago", -11 * 60),
        ("Pacific/Pago_Pago", -11 * 60),
    ]


def test_reviews_from_before_zones_were_kept_take_the_zone_of_the_upgrade(
    home: Path, in_zone: Callable[[str], None]
) -> None:
    write_deck(home / "decks", "tiny.yaml", DECK)
    in_zone("Pacific/Kiritimati")
    now = "2026-11-24T13:30:00+00:00"
    invoke(["study", "--deck", "tiny", "--new", "2"], now=now, input="\n4\n\n3\nq\n")
    before = dues(now)
    db = sqlite3.connect(home / "ec2cards.db", isolation_level=None)
    # The database as the version before zones were kept left it (and before the tables of
    # the migrations after it).
    db.executescript(
        "ALTER TABLE review_log DROP COLUMN zone; ALTER TABLE review_log DROP COLUMN utc_offset;"
        " DROP TABLE relinked; DROP TABLE sync_card; DROP TABLE card_number;"
        " DROP TABLE practice_exam;"
        " DELETE FROM schema_migrations WHERE version >= 10;"
    )
    db.close()
    invoke(["due", "--deck", "tiny"], now=now)  # the first command after the upgrade
    db = sqlite3.connect(home / "ec2cards.db")
    assert db.execute("SELECT DISTINCT zone, utc_offset FROM review_log").fetchall() == [
        ("Pacific/Kiritimati", 14 * 60)
    ]
    assert db.execute("SELECT COUNT(*) FROM maintenance").fetchone() == (0,)
    in_zone("Pacific/Pago_Pago")
    assert "all 2 match the review log" in doctor_says(now)
    assert dues(now) == before


def test_again_in_the_hour_the_clocks_skip_is_due_after_the_answer(
    home: Path, in_zone: Callable[[str], None]
) -> None:
    """New York, a day that starts at 02:00, Again at 01:59 on the night clocks go from 02:00
    to 03:00: the next study day starts at 03:00, a minute later; the card is due then, and
    the key, the saved line and the summary agree."""
    write_deck(home / "decks", "tiny.yaml", DECK)
    in_zone("America/New_York")
    invoke(["config", "day_cutoff_hour", "2"])
    invoke(["config", "fuzz", "false"])
    now = "2026-03-08T01:59:00-05:00"
    result = invoke(["study", "--deck", "tiny", "--new", "1"], now=now, input="\n1\nq\n")
    assert "1 Again (1d)" in result.output and "saved: Again · next in 1d" in result.output
    assert "Next card due: in 1m (2026-03-08 03:00)" in result.output, result.output
    due = dues(now)["tiny/one"]
    assert due == datetime(2026, 3, 8, 7, 0, tzinfo=timezone.utc)  # 03:00 EDT
    assert due > datetime.fromisoformat(now)
    assert "all 1 match the review log" in doctor_says(now)


@pytest.mark.parametrize("zone", [None, NEW_YORK])
@pytest.mark.parametrize("cutoff", [0, 1, 2, 3, 4])
@pytest.mark.parametrize("night", [date(2026, 3, 8), date(2026, 11, 1)])
def test_every_minute_of_a_night_the_clocks_change_is_in_a_study_day_that_has_begun(
    in_zone: Callable[[str], None], zone: ZoneInfo | None, cutoff: int, night: date
) -> None:
    """Around both changes of 2026 in New York (by the system's clock and by the named zone):
    each minute's study day began at or before it, the next begins after it, and a day starts
    at the cut-off hour or, when the clocks skip it, at the moment they skip to."""
    in_zone("America/New_York")
    start = datetime.combine(night, datetime.min.time(), tzinfo=NEW_YORK) - timedelta(hours=2)
    moment = start.astimezone(timezone.utc)
    for _ in range(8 * 60):
        began = day_start(moment, cutoff, zone)
        assert began <= moment < next_day_at(moment, cutoff, zone)
        assert study_day(began, cutoff, zone) == study_day(moment, cutoff, zone)
        moment += timedelta(minutes=1)
    first = day_starting(night, cutoff, zone).astimezone(NEW_YORK)
    if night.month == 3 and cutoff == 2:
        assert (first.hour, first.minute) == (3, 0)  # 02:00 never came that night
    else:
        assert (first.hour, first.minute, first.fold) == (cutoff, 0, 0)


def test_a_review_due_after_the_change_falls_due_at_the_cut_off_hour_there() -> None:
    """An answer in winter whose review falls in summer is due at 04:00 summer time, as Anki's
    day numbers make it, not at 04:00 winter time (05:00 on the clock)."""
    winter = datetime(2026, 3, 4, 23, 30, tzinfo=NEW_YORK)
    due = day_starting(study_day(winter, 4, NEW_YORK) + timedelta(days=11), 4, NEW_YORK)
    assert due.astimezone(NEW_YORK).replace(tzinfo=None) == datetime(2026, 3, 15, 4, 0)
    assert due.utcoffset() == timedelta(hours=-4)
