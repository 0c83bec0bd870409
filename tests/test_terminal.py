"""The real screen in tmux (send-keys, capture-pane), and kill -9 in the middle of a session."""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest
from conftest import replayed, venv_bin, write_deck
from test_study import DECK

from ec2cards.storage.store import Store

needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
NOW = "2026-11-24T10:00:00+00:00"


class Tmux:
    """One detached tmux session running a command; the pane stays readable after it exits."""

    def __init__(self, name: str, command: str, env: dict[str, str], width: int = 100) -> None:
        self.name = name
        exports = " ".join(f"{k}={v}" for k, v in env.items())
        # The pane decides the width: COLUMNS from the test run must not reach the program;
        # nor may a PYTHONPATH left in the tmux server's environment by another session.
        script = (
            f"env -u COLUMNS -u LINES -u PYTHONPATH {exports} {command}; echo EXITED-$?; sleep 60"
        )
        subprocess.run(
            ["tmux", "new-session", "-d", "-s", name, "-x", str(width), "-y", "40", script],
            check=True,
        )

    def screen(self) -> str:
        return subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", self.name], capture_output=True, text=True
        ).stdout

    def wait_for(self, text: str, within: float = 20.0) -> str:
        """Poll the pane until `text` shows (a generous bound, not a timing assertion)."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.05)
        raise AssertionError(f"{text!r} never appeared; screen was:\n{self.screen()}")

    def keys(self, *keys: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, *keys], check=True)

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)


@pytest.fixture
def tmux_env(home: Path) -> dict[str, str]:
    write_deck(home / "decks", "tiny.yaml", DECK)
    return {"EC2CARDS_HOME": str(home), "EC2CARDS_NOW": NOW, "TZ": "UTC", "TERM": "xterm-256color"}


@needs_tmux
def test_decks_listing_fits_a_narrow_terminal(home: Path, tmux_env: dict[str, str]) -> None:
    """On a 60-column terminal, long titles and topic lists are clipped so each deck stays on
    one line (piped output keeps them whole: see test_cli_basics)."""
    session = Tmux(f"ec2decks{os.getpid()}", f"{venv_bin('ec2cards')} decks", tmux_env, width=60)
    try:
        screen = session.wait_for("EXITED-0")
    finally:
        session.close()
    lines = [line for line in screen.splitlines() if line.strip()]
    assert lines[0].split() == ["DECK", "CARDS", "TITLE", "TOPICS", "WHERE"]
    rows = lines[1 : lines.index(next(x for x in lines if x.endswith("cards")))]
    assert {row.split()[0] for row in rows} >= {"virtualization", "storage", "tiny"}
    assert all(len(row) <= 60 for row in rows) and any("…" in row for row in rows)


@needs_tmux
def test_study_screen_in_tmux(home: Path, tmux_env: dict[str, str]) -> None:
    session = Tmux(f"ec2study{os.getpid()}", f"{venv_bin('ec2cards')} study --deck tiny", tmux_env)
    try:
        screen = session.wait_for("Space/Enter answer")
        assert "First question?" in screen and "0 done · 4 new · 0 learning" in screen
        session.keys("Space")
        screen = session.wait_for("3 Good · ")
        assert "First answer" in screen and "A note shown after the answer." in screen
        labels = dict(re.findall(r"\d (Again|Hard|Good|Easy) · (\S+)", screen))
        # Anki's defaults, spread by fuzz: 1m and 10m steps, a week or so for Easy.
        assert labels["Again"] == "1m" and labels["Good"] in {"10m", "11m", "12m", "13m"}
        assert re.fullmatch(r"[789]d", labels["Easy"]), labels
        session.keys("3")
        # The label was a promise: the answer saved exactly that interval. (The status line
        # is drawn last: once it shows, the rest of the screen is there.)
        screen = session.wait_for(f"saved: Good · next in {labels['Good']}")
        assert "Second question?" in screen and "1 done" in screen
        session.keys("Enter")
        session.wait_for("Second answer")
        session.keys("u")  # undo the first card's answer: it comes back
        session.wait_for("First question?")
        session.keys("Space")
        session.wait_for(f"Good · {labels['Good']}")  # the same card, the same promise
        session.keys("4")
        session.wait_for("Second question?")
        session.keys("q")
        screen = session.wait_for("EXITED-0")
        assert "Session done: 1 card studied" in screen
    finally:
        session.close()
    db = sqlite3.connect(home / "ec2cards.db")
    rows = db.execute("SELECT card_key, event, rating FROM review_log ORDER BY id").fetchall()
    assert rows == [
        ("tiny/one", "review", 3),
        ("tiny/one", "undo", None),
        ("tiny/one", "review", 4),
    ]


@needs_tmux
def test_choice_card_in_tmux(home: Path, tmux_env: dict[str, str]) -> None:
    session = Tmux(f"ec2choice{os.getpid()}", f"{venv_bin('ec2cards')} study --deck tiny", tmux_env)
    try:
        for _ in range(2):
            session.wait_for("Space/Enter answer")
            session.keys("Space")
            session.wait_for("Good ·")
            session.keys("4")
        screen = session.wait_for("press 1-3")
        lines = [line for line in screen.splitlines() if "Right" in line]
        number = lines[0].split(".")[0].strip(" │")
        session.keys(number)
        screen = session.wait_for("✓ Right")
        session.keys("Enter")  # accept the suggested rating (Good)
        session.wait_for("saved: Good")
        session.keys("C-c")
        session.wait_for("EXITED-0")
    finally:
        session.close()
    db = sqlite3.connect(home / "ec2cards.db")
    assert db.execute("SELECT rating FROM review_log WHERE card_key='tiny/three'").fetchall() == [
        (3,)
    ]


KILL_MOMENTS = ("starting", "question shown", "answer revealed", "saving", "between cards")
LIVE_REVIEWS = (
    "SELECT card_key FROM review_log r WHERE event = 'review'"
    " AND NOT EXISTS (SELECT 1 FROM review_log u WHERE u.undoes = r.id)"
)


class PlainStudy:
    """`ec2cards study` on pipes, remembering which card each "saved:" line acknowledges."""

    def __init__(self, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            [venv_bin("ec2cards"), "study", "--deck", "many", "--new", "60"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=env,
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        self.stdin, self.stdout = self.process.stdin, self.process.stdout
        self.card = ""

    def send(self, text: str) -> None:
        self.stdin.write(text)
        self.stdin.flush()

    def read_until(self, marker: str) -> None:
        while marker not in (line := self.stdout.readline()):
            assert line, f"study ended early, waiting for {marker!r}"
            if line.startswith("Q: Question "):
                self.card = "many/c" + line.removeprefix("Q: Question ").strip().rstrip("?")

    def answer(self, rating: int) -> str:
        """Reveal, rate, and wait for the acknowledgement; returns the card's key."""
        self.send(f"\n{rating}\n")
        self.read_until("saved:")
        return self.card

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self.stdin.close()
        self.stdout.close()


class Lane:
    """One data folder of the kill test: what was acknowledged in it, and what was in flight."""

    def __init__(self, home: Path) -> None:
        deck = "deck: many\ntitle: Many\ntopic: many\ncards:\n" + "".join(
            f"  - id: c{i}\n    q: Question {i}?\n    a: Answer {i}\n" for i in range(60)
        )
        write_deck(home / "decks", "many.yaml", deck)
        self.home = home
        self.env = {**os.environ, "EC2CARDS_HOME": str(home), "EC2CARDS_NOW": NOW}
        self.acknowledged: Counter[str] = Counter()
        self.in_flight = 0  # answers sent, then killed before "saved:": may or may not be saved

    def play(self, study: PlainStudy, moment: str, generator: random.Random) -> None:
        """Drive the session to `moment`, then kill it there."""
        if moment == "starting":
            time.sleep(generator.uniform(0, 0.3))  # migrating, backing up, loading decks
        else:
            for _answer in range(generator.randint(moment == "between cards", 3)):
                self.acknowledged[study.answer(generator.randint(1, 4))] += 1
            if moment == "question shown":
                study.read_until("Enter shows the answer")
                time.sleep(generator.uniform(0, 0.01))
            elif moment == "answer revealed":
                study.send("\n")
                study.read_until("Rating 1-4")
                study.send(str(generator.randint(1, 4)))  # a half-typed rating line
            elif moment == "saving":
                study.send(f"\n{generator.randint(1, 4)}\n")
                self.in_flight += 1
                time.sleep(generator.uniform(0, 0.02))
        study.kill()

    def check(self) -> None:
        """Every acknowledged answer logged, the log replays to the cache, the file is sound."""
        if not (self.home / "ec2cards.db").exists():
            assert not self.acknowledged
            return
        db = sqlite3.connect(self.home / "ec2cards.db")
        try:
            assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            if not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'review_log'").fetchone():
                assert not self.acknowledged  # killed before the first migration committed
                return
            logged = Counter(key for (key,) in db.execute(LIVE_REVIEWS))
            missing = self.acknowledged - logged
            assert not missing, f"acknowledged but not in the log: {dict(missing)}"
            assert logged.total() <= self.acknowledged.total() + self.in_flight
            store = Store(db)
            assert replayed(store) == store.states()
        finally:
            db.close()


def test_kill_9_loses_no_acknowledged_answer(home: Path) -> None:
    """SIGKILL at seeded random moments of 26 sessions (starting up, a card on screen, mid-answer,
    while saving, between cards): every answer acknowledged with "saved:" is in the log, the log
    replays to the cached states, and SQLite finds the file sound. Two data folders take turns,
    so that one session starts up while the other is driven."""
    generator = random.Random(20261124)
    schedule = list(KILL_MOMENTS) * 5 + ["saving"]
    generator.shuffle(schedule)
    lanes = [Lane(home / "a"), Lane(home / "b")]
    for first, second in zip(schedule[::2], schedule[1::2], strict=True):
        sessions = [PlainStudy(lane.env) for lane in lanes]
        for lane, study, moment in zip(lanes, sessions, (first, second), strict=True):
            lane.play(study, moment, generator)
            lane.check()
    assert all(lane.acknowledged.total() >= 5 for lane in lanes)


@needs_tmux
def test_quiz_in_tmux(home: Path, tmux_env: dict[str, str]) -> None:
    command = f"{venv_bin('ec2cards')} quiz --deck tiny --mode typed --count 2 --seed 4"
    session = Tmux(f"ec2quiz{os.getpid()}", command, tmux_env)
    try:
        session.wait_for("1/2 · tiny")
        session.keys("kernel", "Enter")
        session.wait_for("o: I was right")  # a wrong answer waits for a key: o overrules
        session.keys("Enter")
        session.wait_for("2/2 · tiny")
        session.keys("C-d")
        screen = session.wait_for("EXITED-0")
        assert "Scorecard" in screen and "Score: " in screen
    finally:
        session.close()
    db = sqlite3.connect(home / "ec2cards.db")
    assert db.execute("SELECT total FROM quiz").fetchone() == (1,)


SCREEN_DECK = """deck: net
title: Networking
topic: net
cards:
  - id: one
    q: What does ENI stand for?
    a: Elastic Network Interface
    source: "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-eni.html#eni-basics-and-the-rest-of-a-long-address"
  - id: two
    q: What does AZ stand for?
    a: Availability Zone
  - id: three
    q: Which service gives block storage volumes to EC2 instances?
    a: Amazon Elastic Block Store
"""


@needs_tmux
def test_the_study_screen_says_only_what_is_true_at_60_columns(home: Path) -> None:
    """On a 60-column terminal without colour: the header names deck and topic once and counts
    what is left by queue; the previous card's 'saved' line is gone once the next answer shows;
    undo says what it did; a long source URL is one line (soft-wrapped, so copying keeps it)."""
    write_deck(home / "decks", "net.yaml", SCREEN_DECK)
    env = {
        "EC2CARDS_HOME": str(home),
        "EC2CARDS_NOW": NOW,
        "TZ": "UTC",
        "TERM": "xterm-256color",
        "NO_COLOR": "1",
    }
    command = f"{venv_bin('ec2cards')} study --deck net"
    session = Tmux(f"ec2narrow{os.getpid()}", command, env, width=60)
    try:
        screen = session.wait_for("Space/Enter answer")
        assert "net · basic" in screen and "net · net" not in screen
        assert "0 done · 3 new · 0 learning · 0 to review" in screen
        session.keys("Space")
        session.wait_for("3 Good")
        joined = subprocess.run(
            ["tmux", "capture-pane", "-p", "-J", "-t", session.name], capture_output=True, text=True
        ).stdout
        url = "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-eni.html#eni-basics-and-the-rest-of-a-long-address"
        assert any(line.endswith(url) for line in joined.splitlines())
        session.keys("1")  # Again
        screen = session.wait_for("saved: Again · next in 1m")  # drawn last, after the card
        assert "What does AZ stand for?" in screen
        session.keys("Space")
        screen = session.wait_for("3 Good")
        assert "saved:" not in screen  # said of the previous card: gone with its answer
        session.keys("u")
        screen = session.wait_for("undone:")
        assert "What does ENI stand for?" in screen and "saved:" not in screen
        session.keys("q")
        session.wait_for("EXITED-0")
    finally:
        session.close()


@needs_tmux
def test_the_quiz_missed_list_keeps_each_answer_on_its_own_line(home: Path) -> None:
    write_deck(home / "decks", "net.yaml", SCREEN_DECK)
    env = {"EC2CARDS_HOME": str(home), "EC2CARDS_NOW": NOW, "TZ": "UTC", "TERM": "xterm-256color"}
    command = f"{venv_bin('ec2cards')} quiz --deck net --mode typed --count 3 --seed 1"
    session = Tmux(f"ec2missed{os.getpid()}", command, env, width=60)
    try:
        for number in (1, 2, 3):
            session.wait_for(f"{number}/3")
            session.keys("nothing like it", "Enter")
            session.wait_for("any other key: go on")
            session.keys("Enter")
        screen = session.wait_for("EXITED-0")
    finally:
        session.close()
    lines = screen.splitlines()
    start = lines.index("Missed:")
    missed = lines[start + 1 : start + 7]
    assert [line.startswith("    → ") for line in missed] == [False, True] * 3
    assert "    → Amazon Elastic Block Store" in missed
    assert all(len(line) <= 60 for line in missed)
