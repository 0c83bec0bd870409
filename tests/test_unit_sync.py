"""Unit tests of sync's pure parts, with Anki's own library as the oracle where it has a say:
card states as Anki's card fields and revlog rows, Anki's day numbers, ec2cards' settings as
Anki's preset, the notes a card's reviews can be on, deck stamps and digests, the login file.
No server and no CLI: each test opens at most a scratch Anki collection in a temp folder."""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from anki import consts
from anki.collection import Collection

from ec2cards.config.settings import Settings
from ec2cards.errors import UsageError
from ec2cards.interop.anki_states import (
    LEARN,
    NEW,
    QUEUE_DAY_LEARN,
    QUEUE_LEARN,
    QUEUE_SUSPENDED,
    QUEUE_USER_BURIED,
    RELEARN,
    REVIEW,
    REVLOG_TYPES,
    AnkiDays,
    anki_id_at,
    revlog_factor,
    revlog_row,
    schedule_for,
    time_of,
    today_of,
)
from ec2cards.model.decks import Collection as Decks
from ec2cards.model.decks import Deck
from ec2cards.model.ratings import Rating
from ec2cards.model.states import CardState, Phase
from ec2cards.sync import login as logins
from ec2cards.sync.content import apply_content, deck_stamps, digests
from ec2cards.sync.library import SyncFailed
from ec2cards.sync.preset import configure, minutes
from ec2cards.sync.reviews import guids_for
from ec2cards.sync.schedules import put_schedules
from ec2cards.sync.shadow import Shadow, ShadowCard

UTC = timezone.utc
# A study day of Anki's default 04:00 cut-off: Thursday 2026-03-12, from 04:00 to 04:00.
NOW = datetime(2026, 3, 12, 9, 30, tzinfo=UTC)
DAYS = AnkiDays(today=400, today_date=date(2026, 3, 12), cutoff_hour=4)


@pytest.fixture
def col(tmp_path: Path) -> Iterator[Any]:
    """A scratch Anki collection (local time is UTC, as the autouse fixture makes it)."""
    collection = Collection(str(tmp_path / "scratch.anki2"))
    yield collection
    collection.close()


def add_basic(col: Any, deck: int = 1) -> Any:
    note = col.new_note(col.models.by_name("Basic"))
    note["Front"], note["Back"] = "What is Nitro?", "AWS's hypervisor"
    col.add_note(note, deck)
    return note.cards()[0]


# --- the numbers Anki's database holds ---------------------------------------------------------


def test_card_types_queues_and_revlog_kinds_are_ankis_numbers() -> None:
    assert (NEW, LEARN, REVIEW, RELEARN) == (
        consts.CARD_TYPE_NEW,
        consts.CARD_TYPE_LRN,
        consts.CARD_TYPE_REV,
        consts.CARD_TYPE_RELEARNING,
    )
    assert QUEUE_LEARN == consts.QUEUE_TYPE_LRN
    assert QUEUE_DAY_LEARN == consts.QUEUE_TYPE_DAY_LEARN_RELEARN
    assert QUEUE_SUSPENDED == consts.QUEUE_TYPE_SUSPENDED
    assert QUEUE_USER_BURIED == consts.QUEUE_TYPE_MANUALLY_BURIED
    assert REVLOG_TYPES == {
        Phase.NEW: consts.REVLOG_LRN,
        Phase.LEARNING: consts.REVLOG_LRN,
        Phase.REVIEW: consts.REVLOG_REV,
        Phase.RELEARNING: consts.REVLOG_RELRN,
    }


# --- a card state as Anki's card fields --------------------------------------------------------


def review_state(**fields: Any) -> CardState:
    values: dict[str, Any] = {
        "phase": Phase.REVIEW,
        "due": NOW + timedelta(days=10),
        "interval_days": 10,
        "stability": 12.5,
        "difficulty": 5.25,
        "last_review": NOW,
        "reps": 6,
        "lapses": 1,
    }
    values.update(fields)
    return CardState(**values)


def test_a_new_card_keeps_its_place_in_the_new_queue_without_memory() -> None:
    state = CardState(reps=0, stability=None)
    assert tuple(schedule_for(state, DAYS, NOW)) == (0, 0, None, 0, 0, 0, 0, None, None)


def test_a_review_card_is_due_on_a_day_number() -> None:
    scheduled = schedule_for(review_state(), DAYS, NOW)
    assert (scheduled.type, scheduled.queue, scheduled.due, scheduled.ivl) == (2, 2, 410, 10)
    assert (scheduled.left, scheduled.reps, scheduled.lapses) == (0, 6, 1)
    assert (scheduled.stability, scheduled.difficulty) == (12.5, 5.25)


def test_a_review_due_before_the_cutoff_belongs_to_the_day_before() -> None:
    due = datetime(2026, 3, 22, 3, 59, tzinfo=UTC)  # before 04:00: still the 21st's study day
    assert schedule_for(review_state(due=due), DAYS, NOW).due == 409
    due = datetime(2026, 3, 22, 4, 0, tzinfo=UTC)
    assert schedule_for(review_state(due=due), DAYS, NOW).due == 410


def test_a_learning_step_due_today_is_a_timestamp_and_tomorrow_a_day_number() -> None:
    soon = NOW + timedelta(minutes=10)
    learning = CardState(Phase.LEARNING, due=soon, steps_left=1, stability=2.3, difficulty=2.1)
    scheduled = schedule_for(learning, DAYS, NOW)
    assert (scheduled.type, scheduled.queue, scheduled.due) == (1, 1, int(soon.timestamp()))
    assert (scheduled.ivl, scheduled.left) == (0, 1)
    tomorrow = datetime(2026, 3, 13, 4, 30, tzinfo=UTC)
    later = schedule_for(CardState(Phase.LEARNING, due=tomorrow, steps_left=1), DAYS, NOW)
    assert (later.type, later.queue, later.due) == (1, 3, 401)
    # Still tonight by the study day (before 04:00), so by the clock: a timestamp.
    tonight = datetime(2026, 3, 13, 3, 0, tzinfo=UTC)
    late = schedule_for(CardState(Phase.LEARNING, due=tonight, steps_left=1), DAYS, NOW)
    assert (late.queue, late.due) == (1, int(tonight.timestamp()))


def test_a_relearning_card_keeps_its_last_interval() -> None:
    state = review_state(phase=Phase.RELEARNING, due=NOW + timedelta(minutes=10), steps_left=1)
    scheduled = schedule_for(state, DAYS, NOW)
    assert (scheduled.type, scheduled.queue, scheduled.ivl, scheduled.left) == (3, 1, 10, 1)


def test_suspended_and_buried_cards_are_in_ankis_queues_for_them() -> None:
    assert schedule_for(review_state(suspended=True), DAYS, NOW).queue == -1
    buried = review_state(buried_until=NOW + timedelta(hours=5))
    assert schedule_for(buried, DAYS, NOW).queue == -3
    unburied = review_state(buried_until=NOW - timedelta(seconds=1))
    assert schedule_for(unburied, DAYS, NOW).queue == 2
    both = review_state(suspended=True, buried_until=NOW + timedelta(hours=5))
    assert schedule_for(both, DAYS, NOW).queue == -1
    # Suspension keeps the type and due date, as in Anki.
    assert schedule_for(review_state(suspended=True), DAYS, NOW)[:3:2] == (2, 410)


# --- Anki's day numbers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("clock", "today"),
    [
        (datetime(2026, 3, 12, 0, 30, tzinfo=UTC), date(2026, 3, 11)),
        (datetime(2026, 3, 12, 3, 59, tzinfo=UTC), date(2026, 3, 11)),
        (datetime(2026, 3, 12, 4, 0, tzinfo=UTC), date(2026, 3, 12)),
        (datetime(2026, 3, 12, 23, 50, tzinfo=UTC), date(2026, 3, 12)),
    ],
)
def test_todays_date_comes_from_when_anki_says_the_next_day_starts(
    clock: datetime, today: date
) -> None:
    """Anki's timing at these clock times: the next day starts at the next 04:00."""
    next_start = clock.replace(hour=4, minute=0)
    if next_start <= clock:
        next_start += timedelta(days=1)
    days = today_of(100, int(next_start.timestamp()), 4)
    assert days.today_date == today
    assert days.number(clock) == 100
    assert days.number(next_start) == 101
    assert days.number(next_start - timedelta(seconds=1)) == 100


@pytest.mark.parametrize("hour, minute", [(0, 30), (3, 59)])
def test_after_midnight_before_the_cutoff_is_still_the_day_before(hour: int, minute: int) -> None:
    """At 00:30 and 03:59 Anki's today is still Wednesday's study day (next day at 04:00)."""
    now = datetime(2026, 3, 12, hour, minute, tzinfo=UTC)
    days = today_of(400, int(datetime(2026, 3, 12, 4, tzinfo=UTC).timestamp()), 4)
    assert days.today_date == date(2026, 3, 11)
    # A review due at Thursday's start is due tomorrow by Anki's count: day 401.
    thursday = datetime(2026, 3, 12, 4, tzinfo=UTC)
    assert schedule_for(review_state(due=thursday), days, now).due == 401
    # A learning step due at 03:59:59 is tonight's: a timestamp; at 04:00, tomorrow's: a day.
    tonight = datetime(2026, 3, 12, 3, 59, 59, tzinfo=UTC)
    step = CardState(Phase.LEARNING, due=tonight, steps_left=1)
    assert schedule_for(step, days, now)[1:3] == (1, int(tonight.timestamp()))
    step = CardState(Phase.LEARNING, due=thursday, steps_left=1)
    assert schedule_for(step, days, now)[1:3] == (3, 401)


def test_day_numbers_are_the_ones_anki_gives(col: Any) -> None:
    """Anki's own numbering, read back from a card Anki put five days out."""
    card = add_basic(col)
    col.sched.set_due_date([card.id], "5")
    due = col.get_card(card.id).due
    days = today_of(col.sched.today, col.sched.day_cutoff, 4)
    fifth_day_starts = datetime.fromtimestamp(col.sched.day_cutoff, tz=UTC) + timedelta(days=4)
    assert days.number(fifth_day_starts) == due
    assert days.number(fifth_day_starts + timedelta(hours=23, minutes=59)) == due
    assert days.number(fifth_day_starts - timedelta(seconds=1)) == due - 1


# --- answers as Anki's revlog rows --------------------------------------------------------------


def three_good_answers(col: Any) -> tuple[Any, list[Any]]:
    """A new card answered Good three times by Anki with FSRS on: new -> learning (10m)
    -> review (2d) -> review (4d); the card and Anki's revlog rows."""
    col.set_config("fsrs", True)
    # Anki answers at the real time: its day must not end within the 10-minute step, or the
    # step becomes a day (a test run at 03:55 would see it). Its day starts 12 hours from now.
    col.set_config("rollover", (datetime.now(UTC).hour + 12) % 24)
    card = add_basic(col)
    for _ in range(3):
        card = col.get_card(card.id)
        card.start_timer()
        col.sched.answerCard(card, 3)
    rows = col.db.all(
        "SELECT id, cid, ease, ivl, lastIvl, factor, time, type FROM revlog ORDER BY id"
    )
    # Anki's own, to be sure: a 10-minute step, 2 days, then about 4 (fuzzed by the card id).
    assert [row[3:5] for row in rows[:2]] == [[-600, 0], [2, -600]] and rows[2][4] == 2
    return col.get_card(card.id), rows


def our_rows(card: Any, rows: list[Any]) -> list[tuple[int, ...]]:
    at = [time_of(row[0]) for row in rows]
    new = CardState()
    learning = CardState(
        Phase.LEARNING, due=at[0] + timedelta(minutes=10), steps_left=1, last_review=at[0]
    )
    two_days = CardState(Phase.REVIEW, due=at[1] + timedelta(days=2), interval_days=2)
    given = rows[2][3]
    third = CardState(Phase.REVIEW, due=at[2] + timedelta(days=given), interval_days=given)
    states = [(new, learning), (learning, two_days), (two_days, third)]
    return [
        revlog_row(row[0], card.id, Rating.GOOD, at[i], row[6], *states[i])
        for i, row in enumerate(rows)
    ]


def test_answers_are_the_revlog_rows_anki_writes(col: Any) -> None:
    """Button, interval given, kind and time taken, and the factor Anki wrote for the
    card's difficulty; the previous interval of a review."""
    card, rows = three_good_answers(col)
    assert revlog_factor(card.memory_state.difficulty) == rows[-1][5]
    for row, mine in zip(rows, our_rows(card, rows), strict=True):
        assert (mine[0], mine[1], mine[2], mine[3], mine[6], mine[7]) == (
            row[0],
            row[1],
            row[2],
            row[3],
            row[6],
            row[7],
        )
    assert [mine[4] for mine in our_rows(card, rows)][::2] == [0, 2]  # lastIvl: new, review


def test_the_previous_interval_of_a_learning_answer_is_its_step(col: Any) -> None:
    """Anki logs the step a learning card was given (-600 for a 10-minute step) as the last
    interval, however late the card is answered."""
    card, rows = three_good_answers(col)
    assert our_rows(card, rows)[1][4] == rows[1][4] == -600
    step = CardState(Phase.LEARNING, due=NOW + timedelta(minutes=10), steps_left=1, last_review=NOW)
    after = CardState(Phase.REVIEW, due=NOW + timedelta(days=3), interval_days=2)
    late = revlog_row(1, 2, Rating.GOOD, NOW + timedelta(hours=3), None, step, after)
    assert late[4] == -600  # answered three hours after the step was due


@pytest.mark.parametrize(
    ("difficulty", "factor"),
    [(None, 0), (1.0, 100), (10.0, 1100), (5.5, 600), (2.118, 224)],
)
def test_the_revlog_factor_is_the_difficulty_from_100_to_1100(
    difficulty: float | None, factor: int
) -> None:
    assert revlog_factor(difficulty) == factor


def test_the_time_taken_is_capped_as_ankis_maximum_answer_seconds() -> None:
    state = review_state()

    def taken(duration: int | None) -> int:
        return revlog_row(1, 2, Rating.GOOD, NOW, duration, state, state)[6]

    assert [taken(None), taken(-5), taken(8_000), taken(60_000), taken(90_000)] == [
        0,
        0,
        8_000,
        60_000,
        60_000,
    ]


def test_a_review_id_is_its_time_in_milliseconds_both_ways() -> None:
    moment = datetime(2026, 3, 12, 9, 30, 15, 123_456, tzinfo=UTC)
    assert anki_id_at(moment) == 1_773_307_815_123
    assert time_of(1_773_307_815_123) == moment.replace(microsecond=123_000)
    assert time_of(anki_id_at(NOW)) == NOW


# --- states written into Anki's cards -----------------------------------------------------------


def test_a_schedule_written_is_what_anki_then_holds_and_is_written_once(col: Any) -> None:
    col.set_config("fsrs", True)
    shadow = Shadow(col)
    card = add_basic(col)
    days = shadow.days(4)
    now = datetime.now(UTC)  # Anki reads the real clock: its today is this moment's
    state = review_state(due=now + timedelta(days=10), last_review=now)
    answered = now - timedelta(minutes=1)
    shadow.add_revlog([revlog_row(anki_id_at(answered), card.id, Rating.GOOD, answered, 900,
                                  CardState(), state)])  # fmt: skip
    wanted = schedule_for(state, days, now)
    assert put_schedules(shadow, {card.id: wanted}) == [card.id]
    held = col.get_card(card.id)
    assert (held.type, held.queue, held.due, held.ivl) == (2, 2, col.sched.today + 10, 10)
    assert (held.reps, held.lapses) == (6, 1)
    assert held.memory_state.stability == pytest.approx(12.5, rel=1e-4)
    assert held.memory_state.difficulty == pytest.approx(5.25, rel=1e-4)
    assert held.last_review_time == int(answered.timestamp())
    assert put_schedules(shadow, {card.id: wanted}) == []  # the same again: nothing to write
    # Anki's Check Database finds nothing to fix in what was written.
    col.fix_integrity()
    again = col.get_card(card.id)
    assert (again.type, again.queue, again.due, again.ivl) == (2, 2, col.sched.today + 10, 10)
    assert again.last_review_time == int(answered.timestamp())


def test_a_card_made_new_again_goes_to_the_end_of_the_new_queue(col: Any) -> None:
    shadow = Shadow(col)
    first, second = add_basic(col), add_basic(col)
    days = shadow.days(4)
    put_schedules(shadow, {first.id: schedule_for(review_state(), days, NOW)})
    put_schedules(shadow, {first.id: schedule_for(CardState(), days, NOW)})
    made_new = col.get_card(first.id)
    assert (made_new.type, made_new.queue, made_new.memory_state) == (0, 0, None)
    assert made_new.due > col.get_card(second.id).due


# --- settings as Anki's preset -------------------------------------------------------------------


def test_steps_are_minutes_as_anki_keeps_them() -> None:
    settings = Settings(learning_steps=("30s", "1m", "1h", "1d"))
    assert minutes(settings.steps("learning_steps")) == [0.5, 1.0, 60.0, 1440.0]


def test_the_preset_makes_anki_schedule_as_ec2cards_does(col: Any) -> None:
    settings = Settings(
        desired_retention=0.85,
        learning_steps=("2m", "30m"),
        relearning_steps=("5m",),
        maximum_interval=3650,
        new_per_day=7,
        reviews_per_day=99,
        leech_threshold=5,
        day_cutoff_hour=4,
    )
    shadow = Shadow(col)
    assert configure(shadow, settings) is False  # 04:00 is Anki's default too
    assert col.get_config("fsrs") is True
    conf = col.decks.get_config(shadow.preset())
    assert conf["desiredRetention"] == pytest.approx(0.85)
    assert (conf["new"]["delays"], conf["lapse"]["delays"]) == ([2.0, 30.0], [5.0])
    assert (conf["rev"]["maxIvl"], conf["new"]["perDay"], conf["rev"]["perDay"]) == (3650, 7, 99)
    assert (conf["lapse"]["leechFails"], conf["lapse"]["leechAction"]) == (5, consts.LEECH_SUSPEND)
    # Anki's scheduler now uses these steps: Again on a new card is due in 2 minutes. (Anki
    # answers at the real time: its day starts 12 hours from now, so no step crosses it.)
    col.set_config("rollover", (datetime.now(UTC).hour + 12) % 24)
    card = add_basic(col, shadow.deck("EC2::virtualization"))
    card = col.get_card(card.id)
    card.start_timer()
    col.sched.answerCard(card, 1)
    assert col.db.scalar("SELECT ivl FROM revlog WHERE cid = ?", card.id) == -120


def test_the_preset_is_written_only_when_it_differs(
    col: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each write is a change to sync: the same settings again write nothing."""
    shadow = Shadow(col)
    configure(shadow, Settings())
    writes: list[Any] = []
    monkeypatch.setattr(col.decks, "update_config", writes.append)
    monkeypatch.setattr(col, "set_config", lambda *args: writes.append(args))
    assert configure(shadow, Settings()) is False
    assert writes == []
    configure(shadow, Settings(new_per_day=3))
    assert len(writes) == 1 and writes[0]["new"]["perDay"] == 3
    monkeypatch.undo()
    assert configure(shadow, Settings(day_cutoff_hour=2)) is True  # a new hour a day starts
    assert col.get_config("rollover") == 2
    assert configure(shadow, Settings(day_cutoff_hour=2)) is False


def test_fitted_parameters_go_to_the_field_of_their_fsrs_version(col: Any) -> None:
    shadow = Shadow(col)
    six = tuple(0.1 * i + 0.2 for i in range(21))
    configure(shadow, Settings(parameters=six))
    conf = col.decks.get_config(shadow.preset())
    assert conf["fsrsParams6"] == pytest.approx(list(six))
    assert conf["fsrsParams5"] == []
    configure(shadow, Settings(parameters=()))
    conf = col.decks.get_config(shadow.preset())
    assert (conf["fsrsParams6"], conf["fsrsParams5"]) == ([], [])


# --- the notes a card's reviews can be on ------------------------------------------------------


def test_a_cloze_cards_reviews_are_looked_for_on_its_note_too() -> None:
    import genanki

    def guid(key: str) -> str:
        return str(genanki.guid_for("ec2cards", key))

    assert guids_for(["ec2/nitro"]) == {guid("ec2/nitro")}
    assert guids_for(["ec2/layers-c2"]) == {guid("ec2/layers-c2"), guid("ec2/layers")}
    assert guids_for([]) == set()


# --- deck stamps and note digests ---------------------------------------------------------------


def test_a_decks_stamp_changes_with_its_file_and_marks_a_missing_one(tmp_path: Path) -> None:
    path = tmp_path / "ec2.yaml"
    path.write_text("deck: ec2\n", encoding="utf-8")
    deck = Deck(deck_id="ec2", title="EC2", topic="ec2", path=path)
    first = deck_stamps([deck])["ec2"]
    assert deck_stamps([deck])["ec2"] == first
    path.write_text("deck: ec2\n# edited\n", encoding="utf-8")
    assert deck_stamps([deck])["ec2"] != first
    path.unlink()
    assert deck_stamps([deck])["ec2"].endswith(":?")


def shadow_card(guid: str, fields: list[str], tags: str, key_card: int = 1) -> ShadowCard:
    return ShadowCard(key_card, key_card, 0, 1, False, 0, 0, guid, 1, fields, tags)


def test_a_decks_digest_follows_its_notes_not_their_order() -> None:
    one = {
        "ec2/a": shadow_card("g1", ["q1", "a1"], "topic::ec2 hard"),
        "ec2/b": shadow_card("g2", ["q2", "a2"], ""),
        "s3/c": shadow_card("g3", ["q3", "a3"], ""),
    }
    reordered = {
        "s3/c": one["s3/c"],
        "ec2/b": one["ec2/b"],
        "ec2/a": shadow_card("g1", ["q1", "a1"], "hard topic::ec2"),
    }
    assert digests(one) == digests(reordered)
    edited = dict(one, **{"ec2/b": shadow_card("g2", ["q2", "a2 edited"], "")})
    assert digests(edited)["ec2"] != digests(one)["ec2"]
    assert digests(edited)["s3"] == digests(one)["s3"]


# --- the login file ------------------------------------------------------------------------------


def test_the_login_is_kept_private_and_without_the_password(home: Path) -> None:
    login = logins.Login("me@example.com", "hkey-123", "http://localhost:8080/")
    path = logins.write_login(home, login)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text()) == {
        "user": "me@example.com",
        "key": "hkey-123",
        "endpoint": "http://localhost:8080/",
    }
    assert logins.read_login(home) == login
    assert [p.name for p in path.parent.iterdir()] == ["login.json"]  # no temp file left


def test_a_login_written_again_stays_private_even_under_a_loose_umask(home: Path) -> None:
    old = os.umask(0)
    try:
        logins.write_login(home, logins.Login("me", "k1", None))
        path = logins.write_login(home, logins.Login("me", "k2", None))
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert logins.read_login(home) == logins.Login("me", "k2", None)


def test_no_login_is_none_and_a_damaged_one_says_to_log_in_again(home: Path) -> None:
    assert logins.read_login(home) is None
    logins.login_path(home).parent.mkdir(parents=True)
    logins.login_path(home).write_text('{"user": "me"}')
    with pytest.raises(SyncFailed, match="log in again: ec2cards sync login --user NAME"):
        logins.read_login(home)
    logins.login_path(home).write_text("not json")
    with pytest.raises(SyncFailed, match="cannot read the login"):
        logins.read_login(home)


@pytest.mark.parametrize(
    ("given", "endpoint"),
    [
        (None, None),
        ("  ", None),
        ("http://localhost:8080", "http://localhost:8080/"),
        (" https://sync.example.com/ ", "https://sync.example.com/"),
    ],
)
def test_an_endpoint_is_a_server_address_ending_in_a_slash(
    given: str | None, endpoint: str | None
) -> None:
    assert logins.check_endpoint(given) == endpoint


def test_an_endpoint_without_a_scheme_is_refused() -> None:
    with pytest.raises(UsageError, match="write it as http://HOST:PORT/"):
        logins.check_endpoint("localhost:8080")


def test_logging_out_forgets_the_key_and_the_shadow(home: Path) -> None:
    logins.write_login(home, logins.Login("me", "k", None))
    folder = logins.sync_dir(home)
    for name in ("collection.anki2", "collection.anki2-wal", "collection.media.db2"):
        (folder / name).write_bytes(b"x")
    (folder / "collection.media").mkdir()
    (folder / "collection.media" / "x.png").write_bytes(b"x")
    assert logins.log_out(home) == logins.Login("me", "k", None)
    assert list(folder.iterdir()) == []
    assert logins.log_out(home) is None  # twice is harmless


# --- the decks' notes as Anki's notes ------------------------------------------------------------

DECK = """\
deck: ec2
title: EC2
topic: ec2
cards:
  - id: nitro
    q: What is **Nitro**?
    a: AWS's hypervisor
  - id: layers
    kind: cloze
    text: "{{c1::Nitro}} cards offload {{c2::networking}}"
  - id: slowest
    kind: choice
    q: Which virtualization was the slowest?
    options: [Emulated, Para]
    answer: Emulated
"""


def load(path: Path, text: str) -> Decks:
    from ec2cards.decks.format import load_deck

    path.write_text(text, encoding="utf-8")
    deck, problems = load_deck(path)
    assert deck is not None and problems == []
    return Decks([deck])


def test_deck_cards_become_anki_notes_that_follow_the_deck(col: Any, tmp_path: Path) -> None:
    from ec2cards.model.cards import card_number

    shadow = Shadow(col)
    theirs = add_basic(col)  # a note of the user's own, in Anki's Basic note type
    path = tmp_path / "ec2.yaml"
    keys = {"ec2/nitro", "ec2/layers-c1", "ec2/layers-c2", "ec2/slowest"}

    applied = apply_content(shadow, load(path, DECK), None)
    assert (applied.added, applied.updated, applied.removed, applied.new_keys) == (4, 0, 0, keys)
    present = shadow.cards()
    assert set(present) == keys
    assert col.note_count() == 4 and col.card_count() == 5  # one cloze note, two cards
    # Each card has the id its key numbers: the seed of its fuzz, here and in Anki.
    assert {key: found.card_id for key, found in present.items()} == {
        key: card_number(key) for key in keys
    }
    # What Anki shows for them.
    assert "<strong>Nitro</strong>" in col.get_card(present["ec2/nitro"].card_id).question()
    second = col.get_card(present["ec2/layers-c2"].card_id).question()
    visible = re.sub(r"<[^>]*>", "", re.sub(r"<style>.*?</style>", "", second, flags=re.S))
    assert visible.strip() == "Nitro cards offload [...]"
    assert col.decks.name(col.get_card(present["ec2/nitro"].card_id).did) == "EC2::ec2"

    # The same decks again: nothing to do.
    assert apply_content(shadow, load(path, DECK), None) == (0, 0, 0, set(), 0)

    # An answer edited and a card gone from the deck: the note follows, the card goes.
    edited = DECK.replace("AWS's hypervisor", "The AWS Nitro hypervisor")
    edited = edited[: edited.index("  - id: slowest")]
    applied = apply_content(shadow, load(path, edited), None)
    assert (applied.added, applied.updated, applied.removed) == (0, 1, 1)
    answer = col.get_card(present["ec2/nitro"].card_id).answer()
    assert "The AWS Nitro hypervisor" in answer
    assert set(shadow.cards()) == keys - {"ec2/slowest"}
    assert col.get_note(theirs.nid)["Front"] == "What is Nitro?"  # the user's note untouched


def test_a_deck_that_fails_to_load_keeps_its_notes(col: Any, tmp_path: Path) -> None:
    from ec2cards.model.decks import Skipped

    shadow = Shadow(col)
    path = tmp_path / "ec2.yaml"
    apply_content(shadow, load(path, DECK), None)
    broken = Decks([], skipped=[Skipped(path, 3, 1, "a problem", 1, "ec2")])
    assert apply_content(shadow, broken, None).removed == 0
    assert len(shadow.cards()) == 4
    assert apply_content(shadow, Decks([]), None).removed == 4  # a deck that is gone


# --- reviews sent as revlog rows ------------------------------------------------------------------


class SentLog:
    """What `send` tells the store's sync memory: (Anki id, log id) of each review now in the
    shadow."""

    def __init__(self) -> None:
        self.sent: list[tuple[int, int]] = []
        self.sync = self

    def record_sent(self, sent: list[tuple[int, int]]) -> None:
        self.sent.extend(sent)

    def known_anki_ids(self, ids: Iterable[int]) -> set[int]:
        """The ids the log already holds as sent (none in this fake, unless recorded)."""
        return set(ids) & {anki_id for anki_id, _ in self.sent}


def test_reviews_go_up_once_each_with_an_id_of_their_own(col: Any) -> None:
    from ec2cards.storage.sync_state import SyncedReview
    from ec2cards.sync.reviews import send

    shadow = Shadow(col)
    one, two = add_basic(col), add_basic(col)
    cards = {
        "ec2/one": shadow_card("g1", [], "")._replace(card_id=one.id),
        "ec2/two": shadow_card("g2", [], "")._replace(card_id=two.id),
    }
    learning = CardState(Phase.LEARNING, due=NOW + timedelta(minutes=10), steps_left=1)

    def review(log_id: int, key: str, anki_id: int | None = None) -> SyncedReview:
        return SyncedReview(log_id, key, Rating.GOOD, NOW, 2000, CardState(), learning, anki_id)

    ms = anki_id_at(NOW)
    reviews = [review(1, "ec2/one"), review(2, "ec2/two"), review(3, "ec2/gone")]
    log = SentLog()
    assert send(log, shadow, reviews, cards) == 2  # type: ignore[arg-type]
    # Two answers in the same millisecond: the second moved on by one, as ids must differ.
    rows = col.db.all("SELECT id, cid, ease, ivl, type, usn FROM revlog ORDER BY id")
    assert rows == [[ms, one.id, 3, -600, 0, -1], [ms + 1, two.id, 3, -600, 0, -1]]
    assert log.sent == [(ms, 1), (ms + 1, 2)]

    # Sent again (say the log's note of it was lost): found, not doubled.
    again = SentLog()
    assert send(again, shadow, reviews, cards) == 0  # type: ignore[arg-type]
    assert again.sent == [(ms, 1), (ms + 1, 2)]
    assert col.db.scalar("SELECT count() FROM revlog") == 2

    # Two answers of one card, same button, same millisecond (a script's fixed clock): both go
    # up, the second a millisecond on, not taken for the first sent before.
    same = [review(5, "ec2/one"), review(6, "ec2/one")]
    twice = SentLog()
    twice.sent.extend([(ms, 1), (ms + 1, 2)])  # what the log already knows was sent
    assert send(twice, shadow, same, cards) == 2  # type: ignore[arg-type]
    assert twice.sent[2:] == [(ms + 2, 5), (ms + 3, 6)]
    col.db.execute("DELETE FROM revlog WHERE id >= ?", ms + 2)

    # A review whose Anki id now holds another card's answer stays in the log only.
    held = SentLog()
    assert send(held, shadow, [review(4, "ec2/two", anki_id=ms)], cards) == 0  # type: ignore[arg-type]
    assert held.sent == []
