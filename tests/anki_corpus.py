#!/usr/bin/env python3
"""Build the Anki packages of the import-fidelity corpus with Anki's own library, import each
into a fresh Anki collection as Anki does, and record what Anki makes of every card.

    .venv/bin/python tests/anki_corpus.py --out DIR

Real histories need real clocks: the script re-runs itself under libfaketime (the clock read
from a file it rewrites before every answer, TZ=UTC), so every review row of the modern cases
is written by Anki's scheduler itself: answers, filtered decks with and without rescheduling,
set due date, forget, FSRS's "reschedule cards on change". Only two things are written by hand,
because modern Anki can no longer make them: the v1 and v2-era collections (rows exactly as
the old Python schedulers logged them; v1 learning buttons were Again, Good, Easy) and card
C4's truncated log (its early rows deleted). Card ids and note guids are fixed (`ec2-<case>`),
so a build is the same every time.

`DIR/expected.json` holds, per package and card (guid, ord): Anki's `compute_memory_state` after
Anki imported the package into a fresh collection with FSRS on (a .colpkg: opened, then
upgraded as Anki's "Update" button does), and the question and answer HTML Anki renders.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import sys
import tempfile
import time
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

FAKETIME_LIBS = [
    "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1",
    "/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1",
    "/usr/lib/faketime/libfaketime.so.1",
]
DAY0 = datetime(2025, 1, 6, tzinfo=timezone.utc)  # day 0 of every history (a Monday)
CREATED = DAY0 + timedelta(hours=9)
NOW = datetime(2025, 6, 2, 12, 0, tzinfo=timezone.utc)  # when the packages are imported
BASIC, REVERSED, CLOZE = "Basic", "Basic (and reversed card)", "Cloze"


def faketime_library() -> str | None:
    return next((lib for lib in FAKETIME_LIBS if os.path.exists(lib)), None)


def _stamp(moment: datetime) -> str:
    return "@" + moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


def _reexec_under_faketime() -> None:
    if os.environ.get("EC2_CORPUS_FAKETIME") == "1":
        return
    library = faketime_library()
    if library is None:
        sys.exit("libfaketime is not installed (apt-get install libfaketime)")
    clock = Path(tempfile.mkdtemp(prefix="corpus-clock-")) / "now"
    clock.write_text(_stamp(CREATED) + "\n")
    keep = {k: v for k, v in os.environ.items() if k not in ("FAKETIME", "LD_PRELOAD")}
    env = dict(
        keep,
        LD_PRELOAD=library,
        FAKETIME_TIMESTAMP_FILE=str(clock),
        FAKETIME_NO_CACHE="1",
        FAKETIME_DONT_FAKE_MONOTONIC="1",
        TZ="UTC",
        EC2_CORPUS_FAKETIME="1",
    )
    script = str(Path(__file__).resolve())
    os.execve(sys.executable, [sys.executable, script, *sys.argv[1:]], env)


def set_clock(moment: datetime) -> None:
    Path(os.environ["FAKETIME_TIMESTAMP_FILE"]).write_text(_stamp(moment) + "\n")
    if abs(time.time() - moment.timestamp()) > 5:
        raise RuntimeError("libfaketime did not move the clock")


def at(day: int, hhmm: str) -> datetime:
    hours, minutes = map(int, hhmm.split(":"))
    return DAY0 + timedelta(days=day, hours=hours, minutes=minutes)


# == the modern cases: (deck, key, note type, fields, events) ===================================
# Events: (when, action, *args). ans EASE | set_due DAYS | forget | forget_nolog | cram (filtered
# deck without rescheduling) | resched_filtered (with rescheduling) | unfilter |
# reschedule_preset RETENTION (FSRS "reschedule cards on change").

# fmt: off
CASES: list[tuple[str, str, str, list[str], list[tuple[Any, ...]]]] = [
    ("E normal v3", "E1", BASIC, ["E1 learn, review, lapse, relearn", "e1"], [
        (at(0, "10:00"), "ans", 3), (at(0, "10:12"), "ans", 3), (at(1, "15:00"), "ans", 3),
        (at(4, "11:00"), "ans", 2), (at(12, "09:00"), "ans", 1), (at(12, "09:15"), "ans", 3),
        (at(14, "10:00"), "ans", 3), (at(30, "10:00"), "ans", 4)]),
    ("E normal v3", "E2", BASIC, ["E2 easy first, lapse with two agains", "e2"], [
        (at(0, "10:05"), "ans", 4), (at(10, "10:00"), "ans", 3), (at(40, "10:00"), "ans", 1),
        (at(40, "10:11"), "ans", 1), (at(40, "10:22"), "ans", 3), (at(41, "10:00"), "ans", 3)]),
    ("E normal v3", "E3", BASIC, ["E3 day cut-off: 03:30 counts for the day before", "e3"], [
        (at(1, "03:30"), "ans", 3), (at(1, "03:45"), "ans", 3), (at(1, "04:30"), "ans", 3),
        (at(2, "03:00"), "ans", 3), (at(2, "05:00"), "ans", 3), (at(9, "12:00"), "ans", 3)]),
    ("E normal v3", "E4", BASIC, ["E4 again again hard good good, one day", "e4"], [
        (at(0, "10:20"), "ans", 1), (at(0, "10:21"), "ans", 1), (at(0, "10:32"), "ans", 2),
        (at(0, "10:45"), "ans", 3), (at(0, "10:58"), "ans", 3), (at(3, "10:00"), "ans", 3),
        (at(9, "10:00"), "ans", 3)]),
    ("E normal v3", "E5", BASIC, ["E5 never studied", "e5"], []),
    ("E normal v3", "E6", REVERSED, ["E6 reversed, both cards studied", "e6"], [
        (at(0, "10:30"), "ans", 3), (at(0, "10:41"), "ans", 3), (at(2, "10:30"), "ans", 3)]),
    ("B filtered", "B1", BASIC, ["B1 crammed (no rescheduling) then reviewed", "b1"], [
        (at(0, "11:00"), "ans", 3), (at(0, "11:11"), "ans", 3), (at(2, "11:00"), "ans", 3),
        (at(9, "11:00"), "ans", 3), (at(15, "11:00"), "cram"), (at(15, "11:01"), "ans", 1),
        (at(15, "11:03"), "ans", 3), (at(15, "11:04"), "unfilter"), (at(25, "11:00"), "ans", 3)]),
    ("B filtered", "B2", BASIC, ["B2 early review in a rescheduling filtered deck", "b2"], [
        (at(0, "11:20"), "ans", 3), (at(0, "11:31"), "ans", 3), (at(2, "11:20"), "ans", 3),
        (at(5, "11:00"), "resched_filtered"), (at(5, "11:01"), "ans", 3),
        (at(5, "11:02"), "unfilter"), (at(30, "11:00"), "ans", 3)]),
    ("B filtered", "B3", BASIC, ["B3 new card learnt in a rescheduling filtered deck", "b3"], [
        (at(3, "11:00"), "resched_filtered"), (at(3, "11:01"), "ans", 3),
        (at(3, "11:12"), "ans", 3), (at(3, "11:13"), "unfilter"), (at(6, "11:00"), "ans", 3)]),
    ("B filtered", "B4", BASIC, ["B4 new card only ever crammed", "b4"], [
        (at(3, "11:30"), "cram"), (at(3, "11:31"), "ans", 3), (at(3, "11:32"), "unfilter")]),
    ("B filtered", "B5", BASIC, ["B5 due review in a rescheduling filtered deck", "b5"], [
        (at(0, "11:40"), "ans", 3), (at(0, "11:51"), "ans", 3),
        (at(6, "11:00"), "resched_filtered"), (at(6, "11:01"), "ans", 3),
        (at(6, "11:02"), "unfilter"), (at(20, "11:00"), "ans", 3)]),
    ("C manual", "C1", BASIC, ["C1 set due date 0, then reviewed that day", "c1"], [
        (at(0, "12:00"), "ans", 3), (at(0, "12:11"), "ans", 3), (at(2, "12:00"), "ans", 3),
        (at(8, "12:00"), "set_due", "0"), (at(8, "12:05"), "ans", 3),
        (at(20, "12:00"), "ans", 3)]),
    ("C manual", "C2", BASIC, ["C2 set due date +10 days", "c2"], [
        (at(0, "12:20"), "ans", 3), (at(0, "12:31"), "ans", 3),
        (at(3, "12:00"), "set_due", "10"), (at(13, "12:00"), "ans", 3),
        (at(30, "12:00"), "ans", 3)]),
    ("C manual", "C3", BASIC, ["C3 new card given a due date, never answered", "c3"], [
        (at(1, "12:00"), "set_due", "3")]),
    ("C manual", "C4", BASIC, ["C4 truncated log (rows before day 5 deleted)", "c4"], [
        (at(0, "12:40"), "ans", 3), (at(0, "12:51"), "ans", 3), (at(2, "12:40"), "ans", 3),
        (at(7, "12:40"), "ans", 3), (at(20, "12:40"), "ans", 3)]),
    ("C5 rescheduled", "C5", BASIC, ["C5 FSRS 'reschedule cards on change' row", "c5"], [
        (at(0, "12:50"), "ans", 3), (at(0, "13:01"), "ans", 3), (at(2, "12:50"), "ans", 3),
        (at(10, "09:00"), "reschedule_preset", 0.8), (at(21, "12:50"), "ans", 3)]),
    ("D forget", "D1", BASIC, ["D1 forgotten (logged) and relearnt", "d1"], [
        (at(0, "13:00"), "ans", 3), (at(0, "13:11"), "ans", 3), (at(2, "13:00"), "ans", 3),
        (at(6, "13:00"), "ans", 1), (at(6, "13:10"), "ans", 3), (at(8, "13:00"), "ans", 3),
        (at(21, "13:00"), "forget"), (at(21, "13:05"), "ans", 3), (at(21, "13:16"), "ans", 3),
        (at(24, "13:00"), "ans", 3)]),
    ("D forget", "D2", BASIC, ["D2 forgotten, not studied since", "d2"], [
        (at(0, "13:20"), "ans", 3), (at(0, "13:31"), "ans", 3), (at(2, "13:20"), "ans", 3),
        (at(10, "13:00"), "forget")]),
    ("D forget", "D3", BASIC, ["D3 forgotten without a log row (old Anki), relearnt", "d3"], [
        (at(0, "13:40"), "ans", 3), (at(0, "13:51"), "ans", 3), (at(2, "13:40"), "ans", 3),
        (at(9, "13:40"), "ans", 3), (at(21, "13:40"), "forget_nolog"),
        (at(21, "13:45"), "ans", 1), (at(21, "13:46"), "ans", 3), (at(21, "13:57"), "ans", 3),
        (at(25, "13:40"), "ans", 3)]),
    ("D forget", "D4", BASIC, ["D4 forgotten, given a due date, reviewed", "d4"], [
        (at(0, "14:00"), "ans", 3), (at(0, "14:11"), "ans", 3), (at(2, "14:00"), "ans", 3),
        (at(10, "14:00"), "forget"), (at(10, "14:01"), "set_due", "2"),
        (at(12, "14:00"), "ans", 3), (at(20, "14:00"), "ans", 3)]),
]
# fmt: on

# The HTML corpus: (key, answer HTML). Each is the back of a Basic note whose front is its key.
HTML_NOTES: list[tuple[str, str]] = [
    ("F1 angle brackets", "The &lt;thread&gt; header<br>declares <code>std::thread</code>"),
    (
        "F2 code",
        "<pre>#include &lt;thread&gt;<br>* not a bullet<br>int main() {<br>"
        "&nbsp; &nbsp; std::thread t;<br>}</pre>",
    ),
    ("F3 lines", "<div>first</div><div>second</div><div><br></div><div>after blank</div>"),
    ("F4 breaks", "one<br>two<br><br>four"),
    (
        "F5 nbsp",
        "&nbsp;&nbsp;&nbsp;&nbsp;if x:<br>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;y()",
    ),
    (
        "F6 table",
        "<table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2 &lt; 3</td></tr></table>",
    ),
    (
        "F7 table without head",
        "<table><tbody><tr><td>x</td><td>y|z</td></tr><tr><td>1</td>"
        "<td>2</td></tr></tbody></table>",
    ),
    ("F8 bold", "x<b> text</b>y and <i>it </i>z, <b>one</b><b>two</b>"),
    ("F9 math", r"Inline \(x^2 + y_1 &lt; z\) and display \[\sum_{i=1}^n i\]"),
    ("F10 image", '<img src="x.png">'),
    ("F11 sound", "hello [sound:hello.mp3]"),
    ("F12 markdown characters", "2*3*4 = 24, snake_case_name, # not a heading, [x](y) ~~z~~"),
    ("F13 line starts", "# one<br>- two<br>1. three<br>&gt; four"),
    (
        "F14 generics",
        "CSS &lt;links&gt; and JS &lt;scripts&gt;: List&lt;Integer&gt;, a^{&lt;t-1&gt;}",
    ),
    ("F15 backslash", r"C:\temp\new and a \* star"),
    ("F16 typed entity", "Type &amp;lt;b&amp;gt; to bold"),
    ("F17 list", "<ul><li>one</li><li>two <b>bold</b></li></ul>"),
]
ORPHAN_CLOZE = (
    "F18",
    "{{c1::Paris}} is the capital of {{c2::France}}.",
    "{{c1::Paris}} is the capital of France.",
)
TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


class Builder:
    """The modern source collection, its cases played through Anki's scheduler."""

    def __init__(self, work: Path) -> None:
        from anki.collection import Collection

        set_clock(CREATED)
        self.col = Collection(str(work / "source.anki2"))
        self.col.set_config("fsrs", True)
        self.cards: dict[str, int] = {}
        self.notes: dict[str, int] = {}
        self.filtered: int | None = None
        self.presets: dict[str, int] = {}

    def add(self, deck: str, key: str, kind: str, fields: list[str]) -> None:
        note = self.col.new_note(self.col.models.by_name(kind))  # type: ignore[arg-type]
        for index, value in enumerate(fields):
            note.fields[index] = value
        note.guid = f"ec2-{key.split()[0]}"
        self.col.add_note(note, self.col.decks.id(deck))  # type: ignore[arg-type]
        cards = sorted(note.cards(), key=lambda c: c.ord)
        self.notes[key] = note.id
        self.cards[key] = cards[0].id
        for card in cards[1:]:
            self.cards[f"{key}.{card.ord + 1}"] = card.id

    def ans(self, key: str, ease: int) -> None:
        card = self.col.get_card(self.cards[key])  # type: ignore[arg-type]
        card.start_timer()
        card.timer_started = time.time() - 6.5
        self.col.sched.answerCard(card, ease)  # type: ignore[arg-type]

    def set_due(self, key: str, days: str) -> None:
        self.col.sched.set_due_date([self.cards[key]], days)  # type: ignore[list-item]

    def forget(self, key: str) -> None:
        self.col.sched.schedule_cards_as_new([self.cards[key]])  # type: ignore[list-item]

    def forget_nolog(self, key: str) -> None:
        from anki.scheduler_pb2 import ScheduleCardsAsNewRequest

        request = ScheduleCardsAsNewRequest(card_ids=[self.cards[key]], log=False)
        self.col._backend.schedule_cards_as_new(request)

    def _filtered(self, key: str, reschedule: bool) -> None:
        deck = self.col.sched.get_or_create_filtered_deck(0)  # type: ignore[arg-type]
        deck.name = f"Filtered {key}"
        deck.config.reschedule = reschedule
        deck.config.search_terms[0].search = f"cid:{self.cards[key]}"
        deck.config.search_terms[0].limit = 10
        deck.config.preview_again_secs = 60
        deck.config.preview_hard_secs = 600
        deck.config.preview_good_secs = 0
        self.filtered = self.col.sched.add_or_update_filtered_deck(deck).id

    def cram(self, key: str) -> None:
        self._filtered(key, False)

    def resched_filtered(self, key: str) -> None:
        self._filtered(key, True)

    def unfilter(self, key: str) -> None:
        if self.filtered:
            self.col.decks.remove([self.filtered])  # type: ignore[list-item]
            self.filtered = None

    def reschedule_preset(self, key: str, retention: float) -> None:
        from anki.decks import UpdateDeckConfigs, UpdateDeckConfigsMode

        did = self.col.get_card(self.cards[key]).did  # type: ignore[arg-type]
        update = self.col.decks.get_deck_configs_for_update(did)
        config = next(c.config for c in update.all_config if c.config.id == self.presets[key])
        config.config.desired_retention = retention
        self.col.decks.update_deck_configs(
            UpdateDeckConfigs(
                target_deck_id=did,
                configs=[config],
                removed_config_ids=[],
                mode=UpdateDeckConfigsMode.UPDATE_DECK_CONFIGS_MODE_NORMAL,
                card_state_customizer=update.card_state_customizer,
                limits=update.current_deck.limits,
                new_cards_ignore_review_limit=update.new_cards_ignore_review_limit,
                fsrs=True,
                apply_all_parent_limits=update.apply_all_parent_limits,
                fsrs_reschedule=True,
                fsrs_health_check=False,
            )
        )

    def build(self) -> None:
        for deck, key, kind, fields, _events in CASES:
            self.add(deck, key, kind, fields)
        preset = self.col.decks.add_config_returning_id("preset C5")
        deck_dict = self.col.decks.get(self.col.decks.id("C5 rescheduled"))  # type: ignore[arg-type]
        deck_dict["conf"] = preset  # type: ignore[index]
        self.col.decks.save(deck_dict)  # type: ignore[arg-type]
        self.presets["C5"] = preset
        media = Path(self.col.media.dir())
        (media / "x.png").write_bytes(TINY_PNG)
        (media / "hello.mp3").write_bytes(b"ID3\x03\x00\x00\x00\x00\x00\x00")
        for key, back in HTML_NOTES:
            self.add("F html", key, BASIC, [key, back])
        key, text, _ = ORPHAN_CLOZE
        self.add(
            "F html",
            key,
            CLOZE,
            [text, "orphan cloze: card 2 loses its deletion<br>extra &lt;line&gt;"],
        )
        # Fixed card ids: Anki seeds interval fuzz with the card id.
        for index, name in enumerate(sorted(self.cards)):
            new_id = 1_700_000_000_000 + index
            self.col.db.execute("update cards set id=? where id=?", new_id, self.cards[name])
            self.cards[name] = new_id
        events = [
            (when, key, action, args)
            for _, key, _, _, found in CASES
            for when, action, *args in found
        ]
        events += [
            (at(0, "10:35"), "E6.2", "ans", [3]),
            (at(0, "10:46"), "E6.2", "ans", [3]),
            (at(5, "10:30"), "E6.2", "ans", [2]),
        ]
        events += [
            (at(0, "15:00"), "F18", "ans", [3]),
            (at(0, "15:11"), "F18", "ans", [3]),
            (at(0, "15:01"), "F18.2", "ans", [3]),
            (at(0, "15:12"), "F18.2", "ans", [3]),
            (at(3, "15:00"), "F18.2", "ans", [3]),
            (at(5, "15:00"), "F18", "edit", []),
        ]
        events += [
            (at(0, "16:00"), "F10 image", "ans", [3]),
            (at(0, "16:11"), "F10 image", "ans", [3]),
            (at(4, "16:00"), "F10 image", "ans", [4]),
        ]
        events.sort(key=lambda event: event[0])
        for when, key, action, args in events:
            set_clock(when)
            if action == "edit":
                note = self.col.get_note(self.notes[key])  # type: ignore[arg-type]
                note.fields[0] = ORPHAN_CLOZE[2]
                self.col.update_note(note)
            else:
                getattr(self, action)(key, *args)
        self.col.db.execute(
            "delete from revlog where cid=? and id<?",
            self.cards["C4"],
            int(at(5, "00:00").timestamp() * 1000),
        )
        set_clock(at(45, "20:00"))


# == v1 and v2-era collections, rows as the old Python schedulers logged them ================
# (day, time, ease, ivl, lastIvl, factor, type). v1 learning buttons: 1 Again, 2 Good, 3 Easy;
# v1 answers of cards in filtered decks: type 3, factor 0 for a card still learning.

# fmt: off
V1_ROWS: dict[str, list[tuple[Any, ...]]] = {
    "A1 v1 learn/review/lapse/relearn": [
        (0, "10:00", 1, -60, 0, 0, 0), (0, "10:01", 2, -600, -60, 0, 0),
        (0, "10:12", 2, 1, -600, 2500, 0), (1, "10:00", 3, 3, 1, 2500, 1),
        (4, "10:00", 4, 11, 3, 2650, 1), (15, "10:00", 1, -600, 11, 2450, 1),
        (15, "10:11", 2, 1, -600, 2450, 2), (16, "10:00", 3, 3, 1, 2450, 1),
        (19, "10:00", 2, 4, 3, 2300, 1)],
    "A2 v1 easy on first sight": [
        (0, "10:30", 3, 4, 0, 2500, 0), (4, "10:30", 2, 5, 4, 2350, 1),
        (9, "10:30", 3, 13, 5, 2350, 1)],
    "A3 v1 review card crammed in a filtered deck": [
        (0, "10:40", 2, -600, 0, 0, 0), (0, "10:51", 2, 1, -600, 2500, 0),
        (1, "10:40", 3, 3, 1, 2500, 1), (2, "10:00", 1, -600, 3, 2500, 3),
        (2, "10:10", 2, 3, -600, 2500, 3), (6, "10:40", 3, 8, 3, 2500, 1)],
    "A4 v1 learning card in a filtered deck": [
        (0, "11:00", 1, -60, 0, 0, 0), (0, "11:05", 2, -600, -60, 0, 3),
        (0, "11:16", 2, 1, -600, 2500, 3), (1, "11:00", 3, 3, 1, 2500, 1)],
    "A5 v1 relearning with Easy": [
        (0, "11:20", 2, -600, 0, 0, 0), (0, "11:31", 2, 1, -600, 2500, 0),
        (1, "11:20", 1, -600, 1, 2300, 1), (1, "11:25", 3, 2, -600, 2300, 2),
        (3, "11:20", 3, 5, 2, 2300, 1)],
    "A6 v1 never studied": [],
}
V2_ROWS: dict[str, list[tuple[Any, ...]]] = {
    "V1 v2 learn hard good easy": [
        (0, "10:00", 2, -360, 0, 0, 0), (0, "10:06", 3, -600, -360, 0, 0),
        (0, "10:17", 3, 1, -600, 2500, 0), (1, "10:00", 3, 3, 1, 2500, 1),
        (4, "10:00", 3, 8, 3, 2500, 1)],
    "V2 v2 easy in learning": [
        (0, "10:30", 3, -600, 0, 0, 0), (0, "10:41", 4, 4, -600, 2500, 0),
        (4, "10:30", 3, 10, 4, 2500, 1)],
    "V3 v2 relearn hard": [
        (0, "11:00", 3, -600, 0, 0, 0), (0, "11:11", 3, 1, -600, 2500, 0),
        (1, "11:00", 1, -600, 1, 2300, 1), (1, "11:10", 2, -900, -600, 2300, 2),
        (1, "11:25", 3, 1, -900, 2300, 2), (2, "11:00", 3, 3, 1, 2300, 1)],
}
# fmt: on


def old_collection(
    work: Path, name: str, rows: dict[str, list[tuple[Any, ...]]], sched_ver: int
) -> Path:
    """A schema-11 collection (Anki <= 2.1.27's layout) with hand-written review rows."""
    from anki.collection import Collection

    set_clock(CREATED)
    path = work / f"{name}.anki2"
    col = Collection(str(path))
    did = col.decks.id(f"A {name}")
    ids = {}
    for label in rows:
        note = col.new_note(col.models.by_name(BASIC))  # type: ignore[arg-type]
        note.fields[0], note.fields[1] = label, label.split()[0].lower()
        note.guid = f"ec2-{name}-{label.split()[0]}"
        col.add_note(note, did)  # type: ignore[arg-type]
        ids[label] = note.cards()[0].id
    crt = col.crt
    col.close(downgrade=True)
    db = sqlite3.connect(path)
    conf = json.loads(db.execute("select conf from col").fetchone()[0])
    conf["schedVer"] = sched_ver
    for key in ("sched2021", "creationOffset", "localOffset"):
        conf.pop(key, None)
    db.execute("update col set conf=?", (json.dumps(conf),))
    for label, entries in rows.items():
        for day, hhmm, ease, ivl, last, factor, kind in entries:
            row_id = int(at(day, hhmm).timestamp() * 1000)
            db.execute(
                "insert into revlog values (?,?,?,?,?,?,?,?,?)",
                (row_id, ids[label], -1, ease, ivl, last, factor, 7000, kind),
            )
        if entries:
            day, _, _, ivl, _, factor, _ = entries[-1]
            due = int((at(day, "12:00").timestamp() - crt) // 86400) + max(ivl, 1)
            db.execute(
                "update cards set type=2, queue=2, ivl=?, due=?, factor=?, reps=? where id=?",
                (max(ivl, 1), due, factor, len(entries), ids[label]),
            )
    db.commit()
    db.execute("vacuum")
    db.close()
    return path


def zip_legacy(out: Path, collection: Path, member: str) -> None:
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(collection, member)
        archive.writestr("media", "{}")


# == what Anki makes of each package ============================================================


def describe(col: Any) -> list[dict[str, Any]]:
    cards = []
    for card_id, guid, ord_, deck_id in col.db.all(
        "select c.id, n.guid, c.ord, c.did from cards c join notes n on n.id = c.nid"
        " order by n.id, c.ord"
    ):
        card = col.get_card(card_id)
        state = col.compute_memory_state(card_id)
        answer = card.answer().split("<hr id=answer>", 1)[-1].strip()
        cards.append(
            {
                "guid": guid,
                "ord": ord_,
                "deck": col.decks.name(deck_id),
                "stability": state.stability,
                "difficulty": state.difficulty,
                "cloze": card.note().note_type()["type"] == 1,
                "question_html": card.question(),
                "answer_html": answer,
                "answer_sounds": [tag.filename for tag in card.answer_av_tags()],
                "reviews": col.db.scalar(
                    "select count() from revlog where cid=? and ease>0", card_id
                ),
            }
        )
    return cards


def import_apkg(package: Path, folder: Path) -> list[dict[str, Any]]:
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

    target = folder / f"import-{package.stem}" / "collection.anki2"
    target.parent.mkdir(parents=True)
    col = Collection(str(target))
    col.set_config("fsrs", True)
    options = ImportAnkiPackageOptions(
        with_scheduling=True, with_deck_configs=True, merge_notetypes=True
    )
    col.import_anki_package(ImportAnkiPackageRequest(package_path=str(package), options=options))
    try:
        return describe(col)
    finally:
        col.close()


def open_colpkg(package: Path, folder: Path) -> list[dict[str, Any]]:
    """What importing a .colpkg does (it becomes the collection), then Anki's "Update"."""
    from anki.collection import Collection

    target = folder / f"restore-{package.stem}" / "collection.anki2"
    target.parent.mkdir(parents=True)
    with zipfile.ZipFile(package) as archive:
        names = set(archive.namelist())
        if "collection.anki21b" in names:
            import zstandard

            data = zstandard.ZstdDecompressor().stream_reader(archive.read("collection.anki21b"))
            target.write_bytes(data.read())
        else:
            member = "collection.anki21" if "collection.anki21" in names else "collection.anki2"
            target.write_bytes(archive.read(member))
    col = Collection(str(target))
    try:
        col.set_config("fsrs", True)
        if col.sched_ver() == 1:
            col.upgrade_to_v2_scheduler()
        return describe(col)
    finally:
        col.close()


def main() -> None:
    _reexec_under_faketime()
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, required=True)
    out: Path = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="ec2-corpus-"))
    from anki.collection import DeckIdLimit, ExportAnkiPackageOptions

    builder = Builder(work)
    builder.build()
    col = builder.col
    exports = {
        "b_filtered.apkg": ("B filtered", False),
        "c_manual.apkg": ("C manual", False),
        "c5_rescheduled.apkg": ("C5 rescheduled", False),
        "d_forget.apkg": ("D forget", False),
        "e_v3.apkg": ("E normal v3", False),
        "e_v3_legacy.apkg": ("E normal v3", True),
        "f_html.apkg": ("F html", False),
        "f_html_legacy.apkg": ("F html", True),
    }
    for name, (deck, legacy) in exports.items():
        options = ExportAnkiPackageOptions(
            with_scheduling=True, with_deck_configs=True, with_media=True, legacy=legacy
        )
        limit = DeckIdLimit(col.decks.id(deck))  # type: ignore[arg-type]
        col.export_anki_package(out_path=str(out / name), options=options, limit=limit)
    col.export_collection_package(str(out / "v3_all.colpkg"), include_media=True, legacy=False)
    col.close()
    v1 = old_collection(work, "v1", V1_ROWS, sched_ver=1)
    zip_legacy(out / "a1_v1.apkg", v1, "collection.anki2")
    zip_legacy(out / "a1_v1.colpkg", v1, "collection.anki2")
    # Anki 2.1.28-2.1.44 exported v2 collections with a conf saying schedVer 1: Anki converts
    # their rows on import all the same.
    quirk = old_collection(work, "anki21_schedver1", V2_ROWS, sched_ver=1)
    zip_legacy(out / "a2_anki21_schedver1.apkg", quirk, "collection.anki21")
    v2 = old_collection(work, "v2", V2_ROWS, sched_ver=2)
    zip_legacy(out / "a3_v2.apkg", v2, "collection.anki21")

    set_clock(NOW)
    checks = work / "checks"
    checks.mkdir()
    expected: dict[str, Any] = {"now": NOW.isoformat(), "packages": {}}
    for package in sorted(out.glob("*.apkg")):
        expected["packages"][package.name] = import_apkg(package, checks)
    for package in sorted(out.glob("*.colpkg")):
        expected["packages"][package.name] = open_colpkg(package, checks)
    text = json.dumps(expected, indent=1, ensure_ascii=False) + "\n"
    (out / "expected.json").write_text(text)
    shutil.rmtree(work, ignore_errors=True)
    shutil.rmtree(Path(os.environ["FAKETIME_TIMESTAMP_FILE"]).parent, ignore_errors=True)


if __name__ == "__main__":
    main()
