#!/usr/bin/env python3
"""Drive the real Anki library (PyPI `anki`, Rust backend) through rating timelines
and write anki_timelines.json: what Anki shows and saves for every answer (the fixture of
tests/test_golden_anki.py).

Time control: every timeline runs in its own subprocess started with libfaketime
(Debian package `libfaketime`) preloaded.  The worker writes the wanted epoch second
into a private timestamp file before each call into Anki; FAKETIME_NO_CACHE=1 makes
libfaketime re-read that file on every clock read, FAKETIME_FMT=%s lets it hold a
plain epoch, and a value without '@' freezes the clock there.  Both Python
(time.time -> answered_at) and Rust (SystemTime::now -> "now", day rollover, learning
due) see the same frozen time.

Fuzz: Anki has no user setting to turn fuzz off.  The Rust backend disables it
(review-interval fuzz, learning-step fuzz and load-balancer choice) when the
environment variable ANKI_TEST_MODE is set when the process starts
(rslib/src/lib.rs PYTHON_UNIT_TESTS, used by answering/mod.rs
get_fuzz_seed_for_id_and_reps).  Side effect of that variable: rslib/src/timestamp.rs
elapsed() moves the clock back 2 h while the local hour is 2 or 3, so fuzz-off
timelines never answer between 02:00 and 03:59 local.  Timelines with "fuzz": True
run without ANKI_TEST_MODE (real fuzz, load balancer disabled) and may use those hours.

Usage:  python tests/golden/make_anki_timelines.py [--out FILE] [--only NAME ...] [--jobs 2]
Needs:  apt-get install -y libfaketime tzdata; the test extras (`anki`).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
FAKETIME_LIBS = [
    "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1",
    "/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1",
    "/usr/lib/faketime/libfaketime.so.1",
]

BASE_CONFIG = {
    "learn_steps": [1.0, 10.0],  # minutes
    "relearn_steps": [10.0],
    "max_ivl": 36500,
    "desired_retention": 0.9,
    "rollover": 4,
    "load_balancer": False,
}

# --------------------------------------------------------------------------------------
# Timelines.  "created" is the local time the collection (and the card) is created.
# Each event is [when, rating] or {"set": {...config...}} (applied before the next answer).
# `when` forms (local time of the timeline's TZ):
#   "YYYY-MM-DD HH:MM[:SS]"   absolute
#   "+90s" "+10m" "+5h" "+3d" relative to the previous answer (or creation)
#   "due" / "due+30s"         the card's learning-queue due timestamp (+offset)
#   "due HH:MM"               calendar date of the card's due *day* (review/day-learn) at HH:MM
#   "due+3d HH:MM" "due-2d HH:MM"   that date shifted by days
#   "due~HH:MM"               "due" if the card is in the learning queue, else "due HH:MM"
#   "next HH:MM"              first HH:MM strictly after the previous answer
# --------------------------------------------------------------------------------------


# Anki's default FSRS-6 parameters with the two short-term weights (w17, w18) set to zero, as a
# fit on a log without same-day reviews can leave them.
NO_SHORT_TERM = [
    0.212,
    1.2931,
    2.3065,
    8.2956,
    6.4133,
    0.8334,
    3.0194,
    0.001,
    1.8722,
    0.1666,
    0.796,
    1.4835,
    0.0614,
    0.2629,
    1.6483,
    0.6014,
    1.8729,
    0.0,
    0.0,
    0.0658,
    0.1542,
]
# The defaults given as fitted parameters, and with only one of the two zero.
FITTED_DEFAULTS = [*NO_SHORT_TERM[:17], 0.5425, 0.0912, *NO_SHORT_TERM[19:]]
ONLY_W18_ZERO = [*NO_SHORT_TERM[:17], 0.5425, 0.0, *NO_SHORT_TERM[19:]]
ONLY_W17_ZERO = [*NO_SHORT_TERM[:17], 0.0, 0.0912, *NO_SHORT_TERM[19:]]


def fitted_without_steps(name: str, params: list[float], doc: str) -> dict:
    """A timeline without learning or relearning steps under fitted parameters: lapses and
    same-day answers, where short-term scheduling gives hours or whole days."""
    return {
        "name": name,
        "doc": doc,
        "created": "2026-01-05 08:00",
        "config": {"fsrs_params": params, "learn_steps": [], "relearn_steps": []},
        "events": [
            ["2026-01-05 09:10", 1],
            ["+10m", 2],
            ["due~09:10", 3],
            ["due~09:10", 1],
            ["+1h", 2],
            ["due~09:10", 3],
        ],
    }


def goods_on_due(n: int, hhmm: str = "09:10") -> list:
    return [[f"due {hhmm}", 3] for _ in range(n)]


TIMELINES: list[dict] = [
    {
        "name": "again_easy_good_good",
        "doc": "New card Again, then Easy from the first learning step, then Good, Good on due"
        " days.",
        "created": "2026-01-05 08:00",
        "events": [["2026-01-05 09:10", 1], ["due", 4], ["due 09:10", 3], ["due 09:10", 3]],
    },
    {
        "name": "new_hard_first_step",
        "doc": "Hard on the first step (avg of 1m and 10m), Hard again, Good, Hard on 2nd step,"
        " Good graduates.",
        "created": "2026-01-05 08:00",
        "events": [
            ["2026-01-05 09:10", 2],
            ["due", 2],
            ["due", 3],
            ["due", 2],
            ["due", 3],
            ["due 09:10", 3],
            ["due 09:10", 2],
            ["due 09:10", 4],
        ],
    },
    {
        "name": "again_on_second_step",
        "doc": "Good to step 2, Again back to step 1, Good, Good graduates, then review buttons.",
        "created": "2026-01-05 08:00",
        "events": [
            ["2026-01-05 09:10", 3],
            ["due", 1],
            ["due", 3],
            ["due", 3],
            ["due 09:10", 2],
            ["due 09:10", 3],
        ],
    },
    {
        "name": "new_easy",
        "doc": "Easy on a new card, then Good on due days.",
        "created": "2026-01-05 08:00",
        "events": [["2026-01-05 09:10", 4], *goods_on_due(5)],
    },
    {
        "name": "easy_second_step",
        "doc": "Good to the second step then Easy (graduates with Easy >= Good+1).",
        "created": "2026-01-05 08:00",
        "events": [
            ["2026-01-05 09:10", 3],
            ["due", 4],
            ["due 09:10", 4],
            ["due 09:10", 1],
            ["due", 4],
        ],
    },
    {
        "name": "many_goods_years",
        "doc": "Good, Good, then Good on every due day at 09:10 until the interval is capped at"
        " 36500 days (Python cannot represent times after 2262, so the chain stops there).",
        "created": "2026-01-05 08:00",
        "events": [["2026-01-05 09:10", 3], ["due", 3], *goods_on_due(10)],
    },
    {
        "name": "early_morning_0700",
        "doc": "Card became due at 09:10; all reviews answered at 07:00 on the due day (on time).",
        "created": "2026-01-05 08:00",
        "events": [["2026-01-05 09:10", 3], ["due", 3], *goods_on_due(7, "07:00")],
    },
    {
        "name": "late_night_2330",
        "doc": "Reviews answered at 23:30 on the due day.",
        "created": "2026-01-05 08:00",
        "events": [
            ["2026-01-05 09:10", 3],
            ["due", 3],
            *goods_on_due(6, "23:30"),
            ["due 23:30", 2],
            ["due 23:30", 4],
        ],
    },
    {
        "name": "after_midnight_0130",
        "doc": "Reviews answered at 01:30 of the calendar day after the due date: still the due"
        " day (rollover 04:00).",
        "created": "2026-01-05 08:00",
        "events": [["2026-01-05 09:10", 3], ["due", 3]]
        + [["due+1d 01:30", 3] for _ in range(5)]
        + [["due+1d 05:00", 3]],
    },
    {
        "name": "overdue",
        "doc": "Reviews answered 3, 10 and 40 days late with Good, Hard, Easy, Good.",
        "created": "2026-01-05 08:00",
        "events": [
            ["2026-01-05 09:10", 3],
            ["due", 3],
            ["due 09:10", 3],
            ["due+3d 12:00", 3],
            ["due+10d 12:00", 2],
            ["due+40d 12:00", 4],
            ["due+5d 12:00", 3],
            ["due 12:00", 1],
            ["due", 3],
            ["due+20d 08:00", 3],
        ],
    },
    {
        "name": "early_review",
        "doc": "Reviews answered before their due day (1, 2, 5 days early).",
        "created": "2026-01-05 08:00",
        "events": [
            ["2026-01-05 09:10", 3],
            ["due", 3],
            ["due 09:10", 3],
            ["due 09:10", 3],
            ["due-2d 09:10", 3],
            ["due-1d 09:10", 2],
            ["due-5d 09:10", 4],
            ["due 09:10", 3],
        ],
    },
    {
        "name": "same_day_review_repeats",
        "doc": "A review card answered several times on one day (elapsed 0 -> short-term FSRS).",
        "created": "2026-01-05 08:00",
        "events": [
            ["2026-01-05 09:10", 3],
            ["due", 3],
            ["due 09:10", 3],
            ["due 09:10", 3],
            ["+6h", 3],
            ["+2h", 2],
            ["+1h", 4],
            ["+30m", 3],
            ["due 09:10", 3],
        ],
    },
    {
        "name": "lapse_relearn_good",
        "doc": "Reviews, a lapse (Again), relearning step 10m Good graduates, then reviews.",
        "created": "2026-01-05 08:00",
        "events": [
            ["2026-01-05 09:10", 3],
            ["due", 3],
            *goods_on_due(3),
            ["due 09:10", 1],
            ["due", 3],
            ["due 09:10", 3],
            ["due 09:10", 3],
        ],
    },
    {
        "name": "lapse_relearn_hard_easy",
        "doc": "Lapse, Hard in relearning (1.5x the only step), Hard, then Easy.",
        "created": "2026-01-05 08:00",
        "events": [
            ["2026-01-05 09:10", 3],
            ["due", 3],
            *goods_on_due(3),
            ["due 09:10", 1],
            ["due", 2],
            ["due", 2],
            ["due", 4],
            ["due 09:10", 3],
        ],
    },
    {
        "name": "lapse_again_again",
        "doc": "Lapse, Again, Again in relearning, Good; then another lapse days later.",
        "created": "2026-01-05 08:00",
        "events": [
            ["2026-01-05 09:10", 3],
            ["due", 3],
            *goods_on_due(2),
            ["due 09:10", 1],
            ["due", 1],
            ["due+2m", 1],
            ["due", 3],
            ["due 09:10", 3],
            ["due+2d 10:00", 1],
            ["due", 3],
        ],
    },
    {
        "name": "lapse_overnight_relearn",
        "doc": "Lapse at 23:55, relearning step left until next morning (FSRS elapsed 1).",
        "created": "2026-01-05 08:00",
        "events": [
            ["2026-01-05 09:10", 3],
            ["due", 3],
            *goods_on_due(2),
            ["due 23:55", 1],
            ["next 09:00", 3],
            ["due 09:10", 3],
        ],
    },
    {
        "name": "learning_left_overnight",
        "doc": "New card Good at 09:00, 10m step answered next day (and 3 days later after Again).",
        "created": "2026-01-05 08:00",
        "events": [
            ["2026-01-05 09:00", 3],
            ["next 09:00", 1],
            ["+3d", 3],
            ["+3d", 3],
            ["due 09:10", 3],
        ],
    },
    {
        "name": "steps_change_longer",
        "doc": "Learning steps changed from 1m 10m to 1m 10m 1h 1d while the card is on step 2"
        " (maps to the last step, 1d).",
        "created": "2026-01-05 08:00",
        "events": [
            ["2026-01-05 09:10", 3],
            {"set": {"learn_steps": [1.0, 10.0, 60.0, 1440.0]}},
            ["due", 2],
            ["due 09:10", 1],
            ["due", 3],
            ["due", 3],
            ["due", 2],
            ["due", 3],
            ["due 09:10", 3],
            ["due 09:10", 3],
        ],
    },
    {
        "name": "steps_change_single",
        "doc": "Learning steps changed to a single 30m step mid-learning (Hard = 45m), then back.",
        "created": "2026-01-05 08:00",
        "events": [
            ["2026-01-05 09:10", 3],
            {"set": {"learn_steps": [30.0]}},
            ["due", 2],
            ["due", 1],
            ["due", 3],
            {"set": {"learn_steps": [1.0, 10.0]}},
            ["due 09:10", 1],
            ["due", 3],
            ["due 09:10", 3],
        ],
    },
    {
        "name": "no_steps_short_term",
        "doc": "Learning and relearning steps removed mid-timeline: FSRS short-term intervals"
        " (<0.5d) become seconds.",
        "created": "2026-01-05 08:00",
        "events": [
            ["2026-01-05 09:10", 1],
            {"set": {"learn_steps": [], "relearn_steps": []}},
            ["due~09:10", 1],
            ["due~09:10", 2],
            ["due~09:10", 3],
            ["due~09:10", 3],
            ["due~09:10", 1],
            ["due~09:10", 1],
            ["due~09:10", 3],
            ["due~09:10", 3],
            ["due~09:10", 3],
        ],
    },
    {
        "name": "relearning_steps_removed",
        "doc": "A card in relearning when the relearning steps are removed: Again, Hard and Good"
        " now leave the steps at once.",
        "created": "2026-01-05 08:00",
        "events": [
            ["2026-01-05 09:10", 3],
            ["due", 3],
            ["due~09:10", 3],
            ["due~09:10", 1],
            {"set": {"relearn_steps": []}},
            ["+5m", 1],
            ["+5m", 2],
            ["+5m", 1],
            ["+5m", 3],
            ["due~09:10", 1],
            ["+2m", 2],
            ["due~09:10", 3],
        ],
    },
    {
        "name": "learning_steps_removed",
        "doc": "A new card in learning when the learning steps are removed: Again and Hard leave"
        " the steps at once.",
        "created": "2026-01-05 08:00",
        "events": [
            ["2026-01-05 09:10", 1],
            {"set": {"learn_steps": []}},
            ["+30s", 1],
            ["+1m", 2],
            ["due~09:10", 1],
            ["+1m", 3],
            ["due~09:10", 2],
        ],
    },
    {
        "name": "fitted_no_short_term",
        "doc": "Fitted parameters whose short-term weights (w17, w18) are zero, which turns FSRS's"
        " same-day scheduling off: learning, same-day reviews and a lapse.",
        "created": "2026-01-05 08:00",
        "config": {"fsrs_params": NO_SHORT_TERM},
        "events": [
            ["2026-01-05 09:10", 3],
            ["due", 3],
            ["due 09:10", 3],
            ["+6h", 3],
            ["+2h", 2],
            ["due 09:10", 1],
            ["due", 2],
            ["due", 3],
            ["due~09:10", 3],
            ["+1h", 4],
        ],
    },
    fitted_without_steps(
        "fitted_no_short_term_no_steps",
        NO_SHORT_TERM,
        "The same parameters without learning or relearning steps: where default parameters"
        " give intervals of hours (short-term), these give whole days.",
    ),
    fitted_without_steps(
        "fitted_defaults_no_steps",
        FITTED_DEFAULTS,
        "The default values given as fitted parameters, without steps: short-term stays on.",
    ),
    fitted_without_steps(
        "fitted_only_w18_zero_no_steps",
        ONLY_W18_ZERO,
        "Fitted parameters with only w18 zero, without steps.",
    ),
    fitted_without_steps(
        "fitted_only_w17_zero_no_steps",
        ONLY_W17_ZERO,
        "Fitted parameters with only w17 zero, without steps.",
    ),
    {
        "name": "no_steps_from_new",
        "doc": "Collection with no learning/relearning steps from the start.",
        "created": "2026-01-05 08:00",
        "config": {"learn_steps": [], "relearn_steps": []},
        "events": [
            ["2026-01-05 09:10", 2],
            ["due~09:10", 2],
            ["due~09:10", 3],
            ["due~09:10", 1],
            ["due~09:10", 2],
            ["due~10:00", 1],
            ["+1h", 3],
            ["due~10:00", 3],
        ],
    },
    {
        "name": "relearn_multi_steps",
        "doc": "Relearning steps 10m 1h 1d; the 1d step becomes a day-learning card.",
        "created": "2026-01-05 08:00",
        "config": {"relearn_steps": [10.0, 60.0, 1440.0]},
        "events": [
            ["2026-01-05 09:10", 3],
            ["due", 3],
            *goods_on_due(3),
            ["due 09:10", 1],
            ["due", 3],
            ["due", 3],
            ["due 09:10", 3],
            ["due 09:10", 3],
        ],
    },
    {
        "name": "learn_step_over_a_day",
        "doc": "Learning steps 1m 2d: Hard on first step rounds to whole days; the 2d step is"
        " day-learning.",
        "created": "2026-01-05 08:00",
        "config": {"learn_steps": [1.0, 2880.0]},
        "events": [
            ["2026-01-05 09:10", 2],
            ["due 09:10", 3],
            ["due 09:10", 2],
            ["due 07:00", 3],
            ["due 09:10", 3],
        ],
    },
    {
        "name": "max_interval_10",
        "doc": "Maximum interval 10 days: Easy/Good/Hard capped.",
        "created": "2026-01-05 08:00",
        "config": {"max_ivl": 10},
        "events": [
            ["2026-01-05 09:10", 4],
            ["due 09:10", 4],
            ["due 09:10", 3],
            ["due 09:10", 2],
            ["due 09:10", 3],
            ["due 09:10", 1],
            ["due", 4],
            ["due 09:10", 3],
        ],
    },
    {
        "name": "max_interval_2",
        "doc": "Fuzz ON. Maximum interval 2 days: learning Easy's minimum Good+1 exceeds the"
        " maximum. (With ANKI_TEST_MODE this panics in Rust: u32::clamp(min=3, max=2) in fuzz.rs"
        " with_review_fuzz.)",
        "created": "2026-01-05 08:00",
        "fuzz": True,
        "config": {"max_ivl": 2},
        "events": [["2026-01-05 09:10", 3], ["due", 4], ["due 09:10", 3], ["due 09:10", 4]],
    },
    {
        "name": "max_interval_change",
        "doc": "Maximum interval lowered from 36500 to 5 mid-timeline, then raised to 30.",
        "created": "2026-01-05 08:00",
        "events": [
            ["2026-01-05 09:10", 3],
            ["due", 3],
            *goods_on_due(4),
            {"set": {"max_ivl": 5}},
            *goods_on_due(2),
            {"set": {"max_ivl": 30}},
            *goods_on_due(3),
        ],
    },
    {
        "name": "desired_retention_change",
        "doc": "Desired retention changed 0.9 -> 0.8 -> 0.95 mid-timeline.",
        "created": "2026-01-05 08:00",
        "events": [
            ["2026-01-05 09:10", 3],
            ["due", 3],
            *goods_on_due(3),
            {"set": {"desired_retention": 0.8}},
            *goods_on_due(2),
            {"set": {"desired_retention": 0.95}},
            *goods_on_due(2),
        ],
    },
    {
        "name": "rollover_midnight_step_crossing",
        "doc": "Next day starts at 00:00; a 10m learning step at 23:55 crosses the day boundary"
        " (day-learning).",
        "created": "2026-01-05 08:00",
        "config": {"rollover": 0},
        "events": [
            ["2026-01-05 23:52", 3],
            ["2026-01-06 00:10", 3],
            ["due 23:58", 1],
            ["due 00:05", 3],
            ["due 23:59", 3],
        ],
    },
    {
        "name": "mixed_buttons_long",
        "doc": "Mixed ratings at assorted times of day over months.",
        "created": "2026-01-05 08:00",
        "events": [
            ["2026-01-05 10:00", 3],
            ["+12m", 2],
            ["+10m", 3],
            ["due 18:00", 2],
            ["due 07:30", 3],
            ["due+1d 21:00", 4],
            ["due 06:00", 2],
            ["due+2d 13:00", 1],
            ["+15m", 3],
            ["due 23:00", 3],
            ["due-1d 09:00", 3],
            ["due 09:00", 4],
            ["due+4d 01:00", 3],
        ],
    },
    # ---- fuzz on (no ANKI_TEST_MODE), load balancer off --------------------------------
    {
        "name": "fuzz_goods",
        "doc": "Fuzz ON: learning and many Goods; review intervals fuzzed with seed card_id+reps.",
        "created": "2026-01-05 08:00",
        "fuzz": True,
        "events": [["2026-01-05 09:10", 3], ["due", 3], *goods_on_due(10)],
    },
    {
        "name": "fuzz_mixed",
        "doc": "Fuzz ON: every button from learning and review, lapse and relearning.",
        "created": "2026-01-05 08:00",
        "fuzz": True,
        "events": [
            ["2026-01-05 09:10", 2],
            ["due", 1],
            ["due", 3],
            ["due", 2],
            ["due+30s", 4],
            ["due 09:10", 3],
            ["due 07:00", 2],
            ["due+2d 09:10", 4],
            ["due 23:30", 3],
            ["due 09:10", 1],
            ["due", 2],
            ["due", 3],
            ["due 09:10", 3],
            ["due-1d 09:10", 3],
            ["due+3d 09:10", 3],
        ],
    },
    {
        "name": "fuzz_step_crosses_rollover",
        "doc": "Fuzz ON: Good at 03:52 gives the 10m step, which crosses the 04:00 rollover ->"
        " day-learning due next day; answers at 03:30/03:59 belong to the previous Anki day.",
        "created": "2026-01-05 08:00",
        "fuzz": True,
        "events": [
            ["2026-01-06 03:45", 1],
            ["2026-01-06 03:52", 3],
            ["2026-01-06 04:05", 3],
            ["due+1d 03:30", 3],
            ["due+1d 03:59", 3],
            ["due 04:00", 3],
        ],
    },
    {
        "name": "fuzz_load_balancer_on",
        "doc": "Fuzz ON and load balancer ON (default), answered without building the queue: load"
        " balancer inactive.",
        "created": "2026-01-05 08:00",
        "fuzz": True,
        "config": {"load_balancer": True},
        "events": [["2026-01-05 09:10", 3], ["due", 3], *goods_on_due(6)],
    },
    {
        "name": "fuzz_load_balancer_via_queue",
        "doc": "Fuzz ON, load balancer ON, queues built with get_queued_cards before each answer"
        " (the reviewer's path): review intervals <= 90 days are picked by the load balancer"
        " (weighted choice), not by the plain fuzz factor.",
        "created": "2026-01-05 08:00",
        "fuzz": True,
        "via_queue": True,
        "config": {"load_balancer": True},
        "events": [
            ["2026-01-05 09:10", 3],
            ["due", 3],
            *goods_on_due(3),
            ["due 09:10", 1],
            ["due", 3],
            *goods_on_due(3),
        ],
    },
    # ---- New York (non-UTC, DST on 2026-03-08) -----------------------------------------
    {
        "name": "new_york_dst",
        "doc": "TZ=America/New_York across the 2026-03-08 DST change; reviews at 07:00, 23:30 and"
        " 01:30.",
        "tz": "America/New_York",
        "created": "2026-03-02 08:00",
        "events": [
            ["2026-03-02 09:10", 3],
            ["due", 3],
            ["due 23:30", 3],
            ["due 07:00", 3],
            ["due+1d 01:30", 3],
            ["due 07:00", 2],
            ["due 09:10", 1],
            ["due", 3],
            ["due 07:00", 3],
        ],
    },
    {
        "name": "new_york_dst_day_cache",
        "doc": "TZ=America/New_York. Anki caches the day (scheduler_info) until the cached"
        " next_day_at, which was computed with the pre-DST offset: at 04:30 EDT on 2026-03-08 the"
        " collection is still on the previous day (next_day_at = 04:00 EST = 05:00 EDT), so FSRS"
        " gets elapsed 0 (short-term).",
        "tz": "America/New_York",
        "created": "2026-03-05 08:00",
        "events": [
            ["2026-03-07 10:00", 3],
            ["+10m", 3],
            ["2026-03-08 04:30", 3],
            ["+2h", 3],
            ["due 09:10", 3],
        ],
    },
    {
        "name": "new_york_dst_edge_fuzz",
        "doc": "TZ=America/New_York, fuzz ON: last review 03:59 on 2026-03-07 (previous Anki day),"
        " next on 03-08 after DST: FSRS elapsed days = floor((next_day_at - last_review)/86400) is"
        " 1 though 2 Anki days passed.",
        "tz": "America/New_York",
        "created": "2026-03-04 08:00",
        "fuzz": True,
        "events": [
            ["2026-03-04 09:10", 3],
            ["+10m", 3],
            ["2026-03-07 03:59", 3],
            ["2026-03-08 10:00", 3],
            ["due 07:00", 3],
            ["due 07:00", 3],
        ],
    },
]


# --------------------------------------------------------------------------------------
# worker side (runs under libfaketime)
# --------------------------------------------------------------------------------------


class Clock:
    def __init__(self, path: str, tz: ZoneInfo):
        self.path = path
        self.tz = tz
        self.now = 0

    def set(self, epoch: int) -> None:
        with open(self.path, "w") as f:
            f.write(f"{int(epoch)}\n")
        self.now = int(epoch)


def parse_local(s: str, tz: ZoneInfo) -> int:
    fmt = "%Y-%m-%d %H:%M:%S" if s.count(":") == 2 else "%Y-%m-%d %H:%M"
    return int(datetime.strptime(s, fmt).replace(tzinfo=tz).timestamp())


def iso(epoch: int, tz: ZoneInfo) -> str:
    return datetime.fromtimestamp(epoch, tz).isoformat()


UNIT = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def memory(ms) -> dict | None:
    if ms is None:
        return None
    return {"stability": ms.stability, "difficulty": ms.difficulty}


def summarize_state(state) -> dict:
    """Compact description of a SchedulingState protobuf (normal states only)."""
    kind = state.WhichOneof("kind")
    if kind != "normal":
        return {"kind": kind}
    normal = state.normal
    k = normal.WhichOneof("kind")
    if k == "new":
        return {"kind": "new"}
    if k == "learning":
        s = normal.learning
        return {
            "kind": "learning",
            "secs": s.scheduled_secs,
            "remaining_steps": s.remaining_steps,
            "memory": memory(s.memory_state if s.HasField("memory_state") else None),
        }
    if k == "review":
        s = normal.review
        return {
            "kind": "review",
            "days": s.scheduled_days,
            "elapsed_days": s.elapsed_days,
            "lapses": s.lapses,
            "memory": memory(s.memory_state if s.HasField("memory_state") else None),
        }
    if k == "relearning":
        s = normal.relearning
        return {
            "kind": "relearning",
            "secs": s.learning.scheduled_secs,
            "remaining_steps": s.learning.remaining_steps,
            "review_days": s.review.scheduled_days,
            "lapses": s.review.lapses,
            "memory": memory(
                s.learning.memory_state if s.learning.HasField("memory_state") else None
            ),
        }
    return {"kind": k}


def run_worker(tl: dict, timefile: str, out: str) -> None:
    from anki.collection import Collection, Config

    cfg = dict(BASE_CONFIG, **tl.get("config", {}))
    tz = ZoneInfo(tl.get("tz", "UTC"))
    clock = Clock(timefile, tz)
    created = parse_local(tl["created"], tz)
    clock.set(created)
    tmp = tempfile.mkdtemp(prefix="golden-col-")
    path = os.path.join(tmp, "col.anki2")

    col = Collection(path)
    col.set_config("fsrs", True)
    col.set_config_bool(Config.Bool.LOAD_BALANCER_ENABLED, bool(cfg["load_balancer"]))
    col.set_config("rollover", int(cfg["rollover"]))
    col.close()
    col = Collection(path)  # reopen so no cached day timing survives the rollover change

    def apply_config(c: dict) -> None:
        conf = col.decks.config_dict_for_deck_id(1)
        conf["new"]["delays"] = list(c["learn_steps"])
        conf["lapse"]["delays"] = list(c["relearn_steps"])
        conf["rev"]["maxIvl"] = int(c["max_ivl"])
        conf["desiredRetention"] = float(c["desired_retention"])
        conf["fsrsParams6"] = list(c.get("fsrs_params", []))  # empty: the default FSRS-6 ones
        col.decks.update_config(conf)

    apply_config(cfg)
    note = col.newNote()
    note["Front"] = f"front {tl['name']}"
    note["Back"] = "back"
    col.add_note(note, 1)
    card = note.cards()[0]
    cid = card.id
    crt = col.crt

    def day_start(day: int) -> int:
        """Epoch of the local rollover that starts Anki day number `day`."""
        d0 = datetime.fromtimestamp(crt, tz).date()
        d = d0 + timedelta(days=day)
        return int(datetime(d.year, d.month, d.day, int(cfg["rollover"]), tzinfo=tz).timestamp())

    def card_info() -> dict:
        c = col.get_card(cid)
        info = {
            "type": int(c.type),
            "queue": int(c.queue),
            "due": c.due,
            "ivl": c.ivl,
            "left": c.left,
            "reps": c.reps,
            "lapses": c.lapses,
            "factor": c.factor,
            "memory": memory(c.memory_state),
            "last_review_time": c.last_review_time,
        }
        if c.queue == 1:
            info["due_at"] = iso(c.due, tz)
        elif c.queue in (2, 3):
            info["due_at"] = iso(day_start(c.due), tz)
        return info

    def resolve(when: str, prev: int) -> int:
        when = when.strip()
        c = col.get_card(cid)
        m = re.fullmatch(r"\+(\d+)([smhd])", when)
        if m:
            return prev + int(m.group(1)) * UNIT[m.group(2)]
        m = re.fullmatch(r"due~(\d\d:\d\d)", when)
        if m:  # learning queue: the due timestamp; day-based queues: due day at HH:MM
            when = "due" if c.queue == 1 else f"due {m.group(1)}"
        m = re.fullmatch(r"due(?:\+(\d+)([smh]))?", when)
        if m:
            if c.queue != 1:
                raise SystemExit(f"{tl['name']}: 'due' used but card queue is {c.queue}")
            off = int(m.group(1)) * UNIT[m.group(2)] if m.group(1) else 0
            return c.due + off
        m = re.fullmatch(r"due(?:([+-]\d+)d)? (\d\d:\d\d)", when)
        if m:
            if c.queue not in (2, 3):
                raise SystemExit(f"{tl['name']}: '{when}' used but card queue is {c.queue}")
            d0 = datetime.fromtimestamp(crt, tz).date()
            d = d0 + timedelta(days=c.due + int(m.group(1) or 0))
            return parse_local(f"{d.isoformat()} {m.group(2)}", tz)
        m = re.fullmatch(r"next (\d\d:\d\d)", when)
        if m:
            d = datetime.fromtimestamp(prev, tz).date()
            for k in range(3):
                t = parse_local(f"{(d + timedelta(days=k)).isoformat()} {m.group(1)}", tz)
                if t > prev:
                    return t
        return parse_local(when, tz)

    steps = []
    prev = created
    pending_change = None
    for ev in tl["events"]:
        if isinstance(ev, dict):
            cfg.update(ev["set"])
            pending_change = dict(ev["set"])
            continue
        when, rating = ev
        now = resolve(when, prev)
        if now < prev:
            raise SystemExit(f"{tl['name']}: time went backwards at {when}")
        if not tl.get("fuzz") and datetime.fromtimestamp(now, tz).hour in (2, 3):
            raise SystemExit(f"{tl['name']}: fuzz-off timeline answers at 02:00-03:59 ({when})")
        print(f"answer {when!r} -> {iso(now, tz)} rating {rating}", flush=True)
        clock.set(now)
        if pending_change is not None:
            apply_config(cfg)
        before = card_info()
        today = col.sched.today
        next_day_at = col.sched.day_cutoff
        if tl.get("via_queue"):
            # the reviewer's path: build/refresh the queues; this activates the load balancer
            # (if enabled) for the states returned by get_scheduling_states
            col.sched.get_queued_cards(fetch_limit=1)
        states = col._backend.get_scheduling_states(cid)
        labels = list(col.sched.describe_next_states(states))
        chosen = [states.again, states.hard, states.good, states.easy][rating - 1]
        c = col.get_card(cid)
        c.start_timer()
        answer = col.sched.build_answer(card=c, states=states, rating=rating - 1)
        col.sched.answer_card(answer)
        after = card_info()
        rev = col.db.first(
            "select ease, ivl, lastIvl, factor, type, id from revlog where cid=? order by id desc"
            " limit 1",
            cid,
        )
        if after["queue"] == 1:
            saved = {"unit": "s", "value": after["due"] - now}
        elif after["queue"] == 3:
            saved = {"unit": "d", "value": after["due"] - today}
        else:
            saved = {"unit": "d", "value": after["ivl"]}
        step = {
            "when": when,
            "at": iso(now, tz),
            "epoch": now,
            "rating": rating,
            "config_change": pending_change,
            "today": today,
            "next_day_at": next_day_at,
            "before": before,
            "current": summarize_state(states.current),
            "options": [
                summarize_state(s) for s in (states.again, states.hard, states.good, states.easy)
            ],
            "labels": labels,
            "chosen": summarize_state(chosen),
            "label": labels[rating - 1],
            "saved_interval": saved,
            "due": after["due"],
            "due_at": after.get("due_at"),
            "stability": after["memory"]["stability"] if after["memory"] else None,
            "difficulty": after["memory"]["difficulty"] if after["memory"] else None,
            "after": after,
            "revlog": {
                "ease": rev[0],
                "ivl": rev[1],
                "lastIvl": rev[2],
                "factor": rev[3],
                "type": rev[4],
                "id": rev[5],
            },
        }
        steps.append(step)
        pending_change = None
        prev = now

    result = {
        "name": tl["name"],
        "doc": tl.get("doc", ""),
        "tz": tl.get("tz", "UTC"),
        "fuzz": bool(tl.get("fuzz", False)),
        "via_queue": bool(tl.get("via_queue", False)),
        "config": dict(BASE_CONFIG, **tl.get("config", {})),
        "created_at": iso(created, tz),
        "crt": crt,
        "card_id": cid,
        "steps": steps,
    }
    col.close()
    with open(out, "w") as f:
        json.dump(result, f)


# --------------------------------------------------------------------------------------
# parent side
# --------------------------------------------------------------------------------------


def find_faketime() -> str:
    for p in FAKETIME_LIBS:
        if os.path.exists(p):
            return p
    raise SystemExit("libfaketime not found: apt-get install -y libfaketime")


def spawn(tl: dict, lib: str, workdir: str) -> tuple[subprocess.Popen, str]:
    timefile = os.path.join(workdir, f"{tl['name']}.faketime")
    out = os.path.join(workdir, f"{tl['name']}.json")
    tz = ZoneInfo(tl.get("tz", "UTC"))
    with open(timefile, "w") as f:
        f.write(f"{parse_local(tl['created'], tz)}\n")
    env = {
        k: v for k, v in os.environ.items() if k not in ("ANKI_TEST_MODE", "FAKETIME", "LD_PRELOAD")
    }
    env.update(
        {
            "LD_PRELOAD": lib,
            "FAKETIME_TIMESTAMP_FILE": timefile,
            "FAKETIME_NO_CACHE": "1",
            "FAKETIME_FMT": "%s",
            "FAKETIME_DONT_FAKE_MONOTONIC": "1",
            "TZ": tl.get("tz", "UTC"),
            "PYTHONHASHSEED": "0",
        }
    )
    if not tl.get("fuzz"):
        env["ANKI_TEST_MODE"] = "1"
    proc = subprocess.Popen(
        [
            sys.executable,
            str(Path(__file__).resolve()),
            "--worker",
            tl["name"],
            "--timefile",
            timefile,
            "--result",
            out,
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    return proc, out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(HERE / "anki_timelines.json"))
    ap.add_argument("--only", nargs="*")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--worker")
    ap.add_argument("--timefile")
    ap.add_argument("--result")
    args = ap.parse_args()

    by_name = {t["name"]: t for t in TIMELINES}
    assert len(by_name) == len(TIMELINES), "duplicate timeline names"
    if args.worker:
        run_worker(by_name[args.worker], args.timefile, args.result)
        return

    lib = find_faketime()
    chosen = [by_name[n] for n in args.only] if args.only else TIMELINES
    results: dict[str, dict] = {}
    failed = []
    with tempfile.TemporaryDirectory(prefix="golden-") as workdir:
        queue = list(chosen)
        running: list[tuple[dict, subprocess.Popen, str]] = []
        while queue or running:
            while queue and len(running) < max(1, args.jobs):
                tl = queue.pop(0)
                proc, out = spawn(tl, lib, workdir)
                running.append((tl, proc, out))
            tl, proc, out = running.pop(0)
            log, _ = proc.communicate()
            if proc.returncode != 0 or not os.path.exists(out):
                failed.append(tl["name"])
                print(f"FAILED {tl['name']}:\n{log}", file=sys.stderr)
                continue
            with open(out) as f:
                results[tl["name"]] = json.load(f)
            print(f"ok {tl['name']}: {len(results[tl['name']]['steps'])} answers")

    import anki.buildinfo  # only for the version string

    try:
        from importlib.metadata import version as pkg_version

        fsrs_rs_python_version = pkg_version("fsrs-rs-python")
    except Exception:
        fsrs_rs_python_version = None
    doc = {
        "generator": "tests/golden/make_anki_timelines.py",
        "anki_version": anki.buildinfo.version,
        "fsrs_rs_python_version": fsrs_rs_python_version,
        "time_control": "libfaketime (LD_PRELOAD, FAKETIME_TIMESTAMP_FILE, FAKETIME_NO_CACHE=1,"
        " FAKETIME_FMT=%s, frozen)",
        "fuzz_off_method": "ANKI_TEST_MODE=1 in the worker environment",
        "defaults": BASE_CONFIG,
        "fsrs_params": "Anki default FSRS-6 parameters (deck config fsrsParams6 = [])"
        " unless a timeline's config gives fsrs_params",
        "fields": {
            "at": "local answer time, ISO-8601 with the timeline's UTC offset",
            "rating": "1 Again, 2 Hard, 3 Good, 4 Easy",
            "labels": "describe_next_states() strings for the 4 buttons (with Unicode FSI/PDI"
            " isolates)",
            "options": "get_scheduling_states() for the 4 buttons; learning/relearning 'secs'"
            " unfuzzed, review 'days' fuzzed",
            "saved_interval": "what was saved: unit 's' = card.due - answer time (learning queue,"
            " includes learning fuzz); unit 'd' = card.ivl (review) or due day - today"
            " (day-learning)",
            "due": "card.due after the answer: epoch seconds for queue 1, Anki day number for"
            " queues 2/3",
            "due_at": "local time the card becomes due (for day numbers: the rollover that starts"
            " that day)",
            "stability/difficulty": "card memory state after the answer as stored (S rounded to 4,"
            " D to 3 decimals, f32)",
            "today": "Anki day number at the answer; next_day_at: epoch of the next rollover",
        },
        "timelines": [results[t["name"]] for t in chosen if t["name"] in results],
    }
    with open(args.out, "w") as f:
        json.dump(doc, f, indent=1, ensure_ascii=True)
        f.write("\n")
    print(
        f"wrote {args.out}: {len(doc['timelines'])} timelines, "
        f"{sum(len(t['steps']) for t in doc['timelines'])} answers"
    )
    if failed:
        raise SystemExit(f"failed timelines: {failed}")


if __name__ == "__main__":
    main()
