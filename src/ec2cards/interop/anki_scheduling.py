"""A package's scheduling, what Anki calls "include scheduling information": each card's state
as Anki's card fields with its FSRS memory, and its log as revlog rows, so that a package
moves a collection to another machine (or into Anki) with every card where it was.

The rows are what ec2cards' own importer (`anki_read.py`, `anki_history.py`) and Anki read
back: one per answer (type from the phase it was answered in, ivl and lastIvl, the difficulty
as factor) and one per reset ("forget": a manual row of factor 0). A row's id is its time in
ms, moved on by a millisecond while another row holds it; the exact times go along in the
package's extras (`package_extras.py`), so that an import puts every review back at its time.
Review day numbers count from the collection's creation, set to the start of a study day with
Anki's own timing keys (`rollover`, `creationOffset`), so Anki reads the same dates.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple

from ec2cards.config.settings import Settings
from ec2cards.interop.anki_notes import card_key
from ec2cards.interop.anki_states import AnkiDays, anki_id_at, revlog_row, schedule_for, time_of
from ec2cards.model.cards import card_number
from ec2cards.model.events import CHANGES, FORGET, RESCHEDULE, SET_DUE, kept_due
from ec2cards.model.states import NEW_STATE, CardState, Phase
from ec2cards.model.zones import offset_minutes, zone_name
from ec2cards.scheduling.days import day_starting, study_day

if TYPE_CHECKING:
    from ec2cards.storage.review_log import LogEntry
    from ec2cards.storage.store import Store

MANUAL = 4  # revlog.type of a reset, as Anki logs "Reset card"
CREATED_DAYS_BEFORE = 10_000  # the collection's creation, well before any due date
FIRST_DAY = date(1970, 1, 2)
REVLOG_EVENTS = ("review", FORGET)  # what a revlog row says; the rest go in the extras


@dataclass(frozen=True)
class CardLog:
    """One card's state now and the events of its log that still count, oldest first."""

    state: CardState
    events: tuple[LogEntry, ...] = ()


@dataclass
class PackageHistory:
    """What a package with scheduling carries: every exported card's log and state."""

    cards: dict[str, CardLog]
    settings: Settings
    now: datetime
    numbers: dict[str, int] = field(default_factory=dict)  # fuzz seeds other than the key's


def gather(store: Store, keys: Iterable[str], settings: Settings, now: datetime) -> PackageHistory:
    """The log and state of the cards `keys`: the events that still count (not undone, nor a
    due date kept through a change of settings that a later reschedule ended)."""
    wanted = set(keys)
    log = store.log.entries()
    ended = max(((e.reviewed_at, e.id) for e in log if e.event == RESCHEDULE), default=None)
    entries = [e for e in log if e.card_key in wanted]
    undone = {e.undoes for e in entries if e.event == "undo" and e.undoes is not None}

    def counts(entry: LogEntry) -> bool:
        if entry.id in undone or (entry.event != "review" and entry.event not in CHANGES):
            return False
        lapsed = ended is not None and (entry.reviewed_at, entry.id) < ended
        return not (entry.event == SET_DUE and kept_due(entry.value) and lapsed)

    events: dict[str, list[LogEntry]] = {}
    for entry in entries:
        if counts(entry):
            events.setdefault(entry.card_key, []).append(entry)
    states = store.cards.states(wanted)
    cards = {
        key: CardLog(
            states.get(key, NEW_STATE),
            tuple(sorted(events.get(key, []), key=lambda e: (e.reviewed_at, e.id))),
        )
        for key in wanted
    }
    numbers = {key: number for key, number in store.cards.numbers().items() if key in wanted}
    return PackageHistory(cards, settings, now, numbers)


def anki_days(now: datetime, cutoff_hour: int) -> tuple[AnkiDays, datetime]:
    """Day numbers counted from a creation at the start of a study day long ago: today's
    number, and the creation moment."""
    today = study_day(now, cutoff_hour)
    created_day = max(FIRST_DAY, today - timedelta(days=CREATED_DAYS_BEFORE))
    created = day_starting(created_day, cutoff_hour)
    return AnkiDays((today - created_day).days, today, cutoff_hour), created


def memory_data(state: CardState, settings: Settings) -> str:
    """The card's `data` as Anki 23.10+ keeps FSRS memory: stability, difficulty, desired
    retention and the last review's time (seconds)."""
    if state.phase is Phase.NEW or state.stability is None or state.difficulty is None:
        return ""
    data: dict[str, object] = {
        "s": round(state.stability, 4),
        "d": round(state.difficulty, 3),
        "dr": settings.desired_retention,
    }
    if state.last_review is not None:
        data["lrt"] = int(state.last_review.timestamp())
    return json.dumps(data, separators=(",", ":"))


Zone = tuple[str | None, int]  # a zone's database name (None: a bare offset), its UTC offset
CarriedEvent = tuple[str, str, str, str | None, Zone | None]  # key, event, ISO time, value, zone


class LogExtras(NamedTuple):
    """What the revlog cannot say: the exact time of a row whose id moved or that falls
    between milliseconds, the time zone each answer counts its study days in, and the card
    events Anki logs no row for (suspend, bury, a due date kept through a settings change),
    and the value of a review from which memory starts on SM-2 (a card that came from Anki)."""

    times: dict[int, str]  # revlog id -> ISO time
    zones: dict[int, Zone]  # revlog id -> its zone
    events: list[CarriedEvent]
    values: dict[int, str]  # revlog id -> the value of a review that starts memory from SM-2


def write_scheduling(
    db: sqlite3.Connection, history: PackageHistory, notes: Mapping[str, tuple[str, bool]]
) -> LogExtras:
    """Give the package's cards their states and log (`notes`: guid -> the note's key field
    and whether it is a cloze note); what the rows' ids cannot say is returned."""
    days, created = anki_days(history.now, history.settings.day_cutoff_hour)
    _set_timing(db, created, history.settings.day_cutoff_hour)
    cards: dict[str, int] = {}
    for cid, guid, ord_ in db.execute(
        "SELECT c.id, n.guid, c.ord FROM cards c JOIN notes n ON c.nid = n.id"
    ):
        note = notes.get(str(guid))
        key = card_key(note[0], note[1], int(ord_)) if note else None
        if key is not None and key in history.cards:
            cards[key] = int(cid)
    cards = _numbered(db, cards, history.numbers)
    for key, cid in cards.items():
        state = history.cards[key].state
        if state == NEW_STATE:
            continue
        fields = schedule_for(state, days, history.now)
        db.execute(
            "UPDATE cards SET type = ?, queue = ?, due = COALESCE(?, due), ivl = ?,"
            " factor = ?, reps = ?, lapses = ?, left = ?, data = ? WHERE id = ?",
            (
                fields.type,
                fields.queue,
                fields.due,
                fields.ivl,
                0 if fields.type == 0 else 2500,
                fields.reps,
                fields.lapses,
                fields.left,
                memory_data(state, history.settings),
                cid,
            ),
        )
    rows, extras = _revlog(history, cards)
    db.executemany(
        "INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type)"
        " VALUES (?, ?, -1, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    return extras


def _zone(entry: LogEntry) -> Zone | None:
    if entry.zone is None:
        return None
    return zone_name(entry.zone), offset_minutes(entry.zone, entry.reviewed_at)


def _numbered(
    db: sqlite3.Connection, cards: Mapping[str, int], numbers: Mapping[str, int]
) -> dict[str, int]:
    """Each card under its number as its Anki card id: Anki draws a card's fuzz from its id,
    as ec2cards draws it from the number, so Anki and an import of the package schedule it
    as here. (A number another card already holds, never seen in practice, keeps its id.)"""
    taken = {int(cid) for (cid,) in db.execute("SELECT id FROM cards")}
    placed: dict[str, int] = {}
    for key, cid in cards.items():
        number = numbers.get(key) or card_number(key)
        if number != cid and number not in taken:
            db.execute("UPDATE cards SET id = ? WHERE id = ?", (number, cid))
            taken.discard(cid)
            taken.add(number)
            cid = number
        placed[key] = cid
    return placed


def _set_timing(db: sqlite3.Connection, created: datetime, cutoff_hour: int) -> None:
    """The v2 scheduler's timing: created at a day's start, the day starting at the cut-off."""
    (conf,) = db.execute("SELECT conf FROM col").fetchone()
    settings = json.loads(conf or "{}")
    offset = created.utcoffset() or timedelta(0)
    settings.update(
        schedVer=2, rollover=cutoff_hour, creationOffset=-int(offset.total_seconds() // 60)
    )
    db.execute("UPDATE col SET crt = ?, conf = ?", (int(created.timestamp()), json.dumps(settings)))


def _revlog(
    history: PackageHistory, cards: Mapping[str, int]
) -> tuple[list[tuple[int, int, int, int, int, int, int, int]], LogExtras]:
    """Every exported card's rows, ids unique, in time order, and what they cannot say."""
    events = sorted(
        ((entry, cards[key]) for key in cards for entry in history.cards[key].events),
        key=lambda pair: (pair[0].reviewed_at, pair[0].id),
    )
    rows = []
    extras = LogExtras({}, {}, [], {})
    taken: set[int] = set()
    for entry, cid in events:
        if entry.event not in REVLOG_EVENTS:
            at = entry.reviewed_at.isoformat()
            extras.events.append((entry.card_key, entry.event, at, entry.value, _zone(entry)))
            continue
        anki_id = anki_id_at(entry.reviewed_at)
        while anki_id in taken:
            anki_id += 1
        taken.add(anki_id)
        if time_of(anki_id) != entry.reviewed_at:
            extras.times[anki_id] = entry.reviewed_at.isoformat()
        zone = _zone(entry)
        if zone is not None:
            extras.zones[anki_id] = zone
        if entry.value is not None and entry.event == "review":
            extras.values[anki_id] = entry.value
        before = entry.state_before or NEW_STATE
        if entry.event == FORGET:
            last = before.interval_days if before.phase is Phase.REVIEW else 0
            rows.append((anki_id, cid, 0, 0, last, 0, 0, MANUAL))
        elif entry.rating is not None:
            after = entry.state_after or NEW_STATE
            rows.append(
                revlog_row(
                    anki_id, cid, entry.rating, entry.reviewed_at, entry.duration_ms, before, after
                )
            )
    return rows, extras
