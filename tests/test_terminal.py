"""The real screen in tmux (send-keys, capture-pane), and kill -9 in the middle of a session."""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from conftest import venv_bin, write_deck
from test_study import DECK

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
NOW = "2026-11-24T10:00:00+00:00"


class Tmux:
    """One detached tmux session running a command; the pane stays readable after it exits."""

    def __init__(self, name: str, command: str, env: dict[str, str]) -> None:
        self.name = name
        exports = " ".join(f"{k}={v}" for k, v in env.items())
        script = f"env {exports} {command}; echo EXITED-$?; sleep 60"
        subprocess.run(
            ["tmux", "new-session", "-d", "-s", name, "-x", "100", "-y", "40", script],
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


def test_study_screen_in_tmux(home: Path, tmux_env: dict[str, str]) -> None:
    session = Tmux(f"ec2study{os.getpid()}", f"{venv_bin('ec2cards')} study --deck tiny", tmux_env)
    try:
        screen = session.wait_for("Space/Enter show answer")
        assert "First question?" in screen and "0 done · 4 left" in screen
        session.keys("Space")
        screen = session.wait_for("Good · 10m")
        assert "First answer" in screen and "A note shown after the answer." in screen
        assert "Again · 1m" in screen and "Easy · 8d" in screen
        session.keys("3")
        screen = session.wait_for("Second question?")
        assert "saved: Good · next in 10m" in screen and "1 done" in screen
        session.keys("Enter")
        session.wait_for("Second answer")
        session.keys("u")  # undo the first card's answer: it comes back
        session.wait_for("First question?")
        session.keys("Space")
        session.wait_for("Good · 10m")
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


def test_choice_card_in_tmux(home: Path, tmux_env: dict[str, str]) -> None:
    session = Tmux(f"ec2choice{os.getpid()}", f"{venv_bin('ec2cards')} study --deck tiny", tmux_env)
    try:
        for _ in range(2):
            session.wait_for("Space/Enter show answer")
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


def test_kill_9_loses_no_acknowledged_answer(home: Path) -> None:
    """SIGKILL at random moments: every answer shown as saved is in the log; the db is intact."""
    deck = "deck: many\ntitle: Many\ntopic: many\ncards:\n" + "".join(
        f"  - id: c{i}\n    q: Question {i}?\n    a: Answer {i}\n" for i in range(60)
    )
    write_deck(home / "decks", "many.yaml", deck)
    env = {**os.environ, "EC2CARDS_HOME": str(home), "EC2CARDS_NOW": NOW}
    generator = random.Random(20261124)
    total_acknowledged = 0
    for _trial in range(8):
        process = subprocess.Popen(
            [venv_bin("ec2cards"), "study", "--deck", "many", "--new", "60"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert process.stdin is not None and process.stdout is not None
        acknowledged = 0
        for _answer in range(generator.randint(1, 5)):
            process.stdin.write("\n" + str(generator.randint(1, 4)) + "\n")
            process.stdin.flush()
            while "saved:" not in (line := process.stdout.readline()):
                assert line, "study ended early"
            acknowledged += 1
        process.stdin.write("\n3\n")  # one more answer, killed at some moment while it is handled
        process.stdin.flush()
        time.sleep(generator.uniform(0, 0.05))
        process.send_signal(signal.SIGKILL)
        process.wait()
        total_acknowledged += acknowledged
        db = sqlite3.connect(home / "ec2cards.db")
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        (logged,) = db.execute("SELECT COUNT(*) FROM review_log WHERE event='review'").fetchone()
        db.close()
        assert total_acknowledged <= logged <= total_acknowledged + _trial + 1
        total_acknowledged = logged  # the unacknowledged one may have landed; count from the log


def test_quiz_in_tmux(home: Path, tmux_env: dict[str, str]) -> None:
    command = f"{venv_bin('ec2cards')} quiz --deck tiny --mode typed --count 2 --seed 4"
    session = Tmux(f"ec2quiz{os.getpid()}", command, tmux_env)
    try:
        screen = session.wait_for("1/2 · tiny")
        session.keys("kernel", "Enter")
        session.wait_for("2/2 · tiny")
        session.keys("C-d")
        screen = session.wait_for("EXITED-0")
        assert "Scorecard" in screen and "Score: " in screen
    finally:
        session.close()
    db = sqlite3.connect(home / "ec2cards.db")
    assert db.execute("SELECT total FROM quiz").fetchone() == (1,)
