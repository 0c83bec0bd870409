"""The real screen in tmux (send-keys, capture-pane), and kill -9 in the middle of a session."""

from __future__ import annotations

import json
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
from conftest import invoke, replayed, venv_bin, write_deck
from test_practice import DECK as PRACTICE_DECK  # the same scenario deck
from test_study import DECK

from ec2cards.storage.database import Database
from ec2cards.storage.migrations import MIGRATIONS
from ec2cards.storage.store import Store

needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
NOW = "2026-11-24T10:00:00+00:00"


class Tmux:
    """One detached tmux session running a command; the pane stays readable after it exits.

    Each session has a tmux server of its own (`-L`): sessions of other tests starting and
    ending meanwhile cannot take it down, and no environment is left behind in a shared one."""

    def __init__(self, name: str, command: str, env: dict[str, str], width: int = 100) -> None:
        self.name = name
        exports = " ".join(f"{k}={v}" for k, v in env.items())
        # The pane decides the width: COLUMNS from the test run must not reach the program.
        script = (
            f"env -u COLUMNS -u LINES -u PYTHONPATH {exports} {command}; echo EXITED-$?; sleep 60"
        )
        self.tmux("new-session", "-d", "-s", name, "-x", str(width), "-y", "40", script)

    def tmux(self, *args: str, check: bool = True) -> str:
        done = subprocess.run(
            ["tmux", "-L", self.name, *args], capture_output=True, text=True, check=check
        )
        return done.stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.name, check=False)

    def joined_lines(self) -> list[str]:
        """The pane's lines with the lines the terminal wrapped joined again (what was printed)."""
        joined = self.tmux("capture-pane", "-p", "-J", "-t", self.name)
        return [line.rstrip() for line in joined.splitlines()]

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
        self.tmux("send-keys", "-t", self.name, *keys)

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.name, "kill-server"], capture_output=True)

    def reveal_and_quit(self) -> str:
        """On a study card: show the answer, read the screen with its rating keys, then quit."""
        self.keys("Space")
        screen = self.wait_for("3 Good · ")
        self.keys("q")
        self.wait_for("EXITED-0")
        return screen

    @classmethod
    def output_of(
        cls, name: str, command: str, env: dict[str, str], width: int
    ) -> tuple[str, list[str]]:
        """Run a command that asks nothing to its end: the screen, and its lines as printed."""
        session = cls(name, command, env, width)
        try:
            screen = session.wait_for("EXITED-0")
            return screen, session.joined_lines()
        finally:
            session.close()


@pytest.fixture
def tmux_env(home: Path) -> dict[str, str]:
    write_deck(home / "decks", "tiny.yaml", DECK)
    return {"EC2CARDS_HOME": str(home), "EC2CARDS_NOW": NOW, "TZ": "UTC", "TERM": "xterm-256color"}


@needs_tmux
def test_decks_listing_fits_a_narrow_terminal(home: Path, tmux_env: dict[str, str]) -> None:
    """On a 60-column terminal, long titles, topic lists and the paths of one's own decks (from
    their start: the file name stays) are clipped so each deck stays on one line, even with
    decks of one's own beside the bundled ones (piped output keeps them whole: see
    test_cli_basics)."""
    assert invoke(["deck", "new", "aws-iam", "--title", "AWS IAM"]).exit_code == 0
    decks = json.loads(invoke(["decks", "--json"]).stdout)
    command = f"{venv_bin('ec2cards')} decks"
    screen, _ = Tmux.output_of(f"ec2decks{os.getpid()}", command, tmux_env, 60)
    lines = [line for line in screen.splitlines() if line.strip()]
    assert lines[0].split() == ["DECK", "CARDS", "TITLE", "TOPICS", "WHERE"]
    rows = lines[1 : 1 + len(decks)]  # one line each: no row is wrapped onto a second one
    assert lines[1 + len(decks)].endswith(
        f"{len(decks)} decks, {sum(d['cards'] for d in decks)} cards"
    )
    assert [row.split()[0] for row in rows] == [deck["id"] for deck in decks]
    assert {"virtualization", "storage", "tiny", "aws-iam"} <= {deck["id"] for deck in decks}
    assert all(len(row) <= 60 for row in rows) and any("…" in row for row in rows)
    for row, deck in zip(rows, decks, strict=True):
        if deck["bundled"]:
            assert row.endswith("  bundled")
        else:
            where = row.split()[-1]
            assert where.startswith("…") and deck["path"].endswith(where[1:]), row
    assert "AWS IAM" in rows[[deck["id"] for deck in decks].index("aws-iam")]


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
            if Database(db).schema_version() < len(MIGRATIONS):  # killed between migrations
                # each migration commits on its own: the next command migrates the rest
                assert not self.acknowledged  # nothing is answered before the store is ready
                return
            logged = Counter(key for (key,) in db.execute(LIVE_REVIEWS))
            missing = self.acknowledged - logged
            assert not missing, f"acknowledged but not in the log: {dict(missing)}"
            assert logged.total() <= self.acknowledged.total() + self.in_flight
            store = Store(Database(db))
            assert replayed(store) == store.cards.states()
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
        url = "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-eni.html#eni-basics-and-the-rest-of-a-long-address"
        assert any(line.endswith(url) for line in session.joined_lines())
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
            # This question's offer, not the last one's still on screen: a key sent before the
            # offer is read is lost.
            deadline = time.monotonic() + 20
            while session.screen().count("any other key: go on") < number:
                assert time.monotonic() < deadline, session.screen()
                time.sleep(0.05)
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


WRAP_NOTE = (
    "This removes the I/O overhead that hardware-assisted virtualization still had,"
    " so I/O is faster and uses less host CPU."
)
WRAP_SOURCE = "EC2 notes › Virtualization 101 › Emulated virtualization"
WRAP_DECK = f"""deck: wrap
title: Wrapping
topic: virtualization
cards:
  - id: stopped
    q: >-
      What is attaching a network interface to a **stopped** instance called,
      as opposed to attaching it to a running one?
    a: Warm attach
    note: {WRAP_NOTE}
    source: "{WRAP_SOURCE}"
  - id: spot
    kind: choice
    q: Which purchase option uses spare EC2 capacity at a discount?
    options: [On-Demand Instances, Spot Instances, Reserved Instances, Savings Plans]
    answer: Spot Instances
    topics: [purchasing]
"""


def wrap_session(home: Path, name: str, command: str, width: int) -> Tmux:
    write_deck(home / "decks", "wrap.yaml", WRAP_DECK)
    env = {"EC2CARDS_HOME": str(home), "EC2CARDS_NOW": NOW, "TZ": "UTC", "TERM": "xterm-256color"}
    return Tmux(f"{name}{width}x{os.getpid()}", f"{venv_bin('ec2cards')} {command}", env, width)


@needs_tmux
@pytest.mark.parametrize("width", [60, 100])
def test_quiz_feedback_and_missed_list_break_at_words(home: Path, width: int) -> None:
    """The note and source after an answer are broken between words to the terminal's width
    (never `faste` / `r`, never a lone `.`); the missed list quotes the question as its box
    showed it (no `**`), cut after a whole word with `…`."""
    command = "quiz --deck wrap --mode typed --count 1 --seed 1"
    session = wrap_session(home, "ec2wrapquiz", command, width)
    try:
        session.wait_for("1/1 · virtualization")
        session.keys("nothing like it", "Enter")
        screen = session.wait_for("any other key: go on")
        session.keys("Enter")
        final = session.wait_for("EXITED-0")
    finally:
        session.close()
    lines = [line.rstrip() for line in screen.splitlines()]
    note = lines.index(next(line for line in lines if line.startswith("Note: ")))
    source = lines.index(next(line for line in lines if line.startswith("Source: ")))
    shown = lines[note : lines.index("o: I was right · any other key: go on")]
    assert all(0 < len(line) <= width for line in shown)
    assert " ".join(lines[note:source]) == f"Note: {WRAP_NOTE}"  # broken only at spaces
    assert " ".join(lines[source : note + len(shown)]) == f"Source: {WRAP_SOURCE}"
    assert len(shown) == (5 if width == 60 else 3)
    final_lines = [line.rstrip() for line in final.splitlines()]
    quoted = final_lines[final_lines.index("Missed:") + 1]
    question = (
        "What is attaching a network interface to a stopped instance called, as opposed to"
        " attaching it to a running one?"
    )
    assert quoted.startswith("  ") and quoted.endswith("…") and len(quoted) <= width
    clipped = quoted.strip().removesuffix("…")
    assert question.startswith(clipped) and question[len(clipped)] == " "
    assert final_lines[final_lines.index("Missed:") + 2] == "    → Warm attach"


@needs_tmux
def test_the_quiz_asks_for_the_option_numbers_it_shows(home: Path) -> None:
    """The screen numbers its options, so the prompt asks for a number; a letter still counts."""
    command = "quiz --deck wrap --topic purchasing --mode choice --count 1 --seed 1"
    session = wrap_session(home, "ec2numbers", command, 100)
    try:
        screen = session.wait_for("Answer with")
        prompt = [line.rstrip() for line in screen.splitlines() if "Answer with" in line]
        assert prompt == ["Answer with the option number or text:"] and "letter" not in screen
        options = dict(re.findall(r"│ (\d)\. (.+?)\s+│", screen))
        assert sorted(options) == ["1", "2", "3", "4"]
        right = next(number for number, text in options.items() if text == "Spot Instances")
        session.keys("abcd"[int(right) - 1], "Enter")
        screen = session.wait_for("EXITED-0")
    finally:
        session.close()
    assert "Right!" in screen and "not understood" not in screen


@needs_tmux
def test_the_study_screen_breaks_source_and_keys_between_words_at_60_columns(
    home: Path,
) -> None:
    """At 60 columns the source breaks between words and the key help between whole
    `key action` items, with no `·` left dangling at a line's end."""
    session = wrap_session(home, "ec2wrapstudy", "study --deck wrap", 60)
    try:
        screen = session.wait_for("Space/Enter answer")
        keys = [line.rstrip() for line in screen.splitlines() if "s suspend" in line]
        assert keys == ["Space/Enter answer · s suspend · b bury · e edit · u undo"]
        assert "q quit" in [line.rstrip() for line in screen.splitlines()]
        screen = session.reveal_and_quit()
    finally:
        session.close()
    lines = [line.rstrip() for line in screen.splitlines()]
    start = lines.index("Source: EC2 notes › Virtualization 101 › Emulated")
    assert lines[start + 1] == "virtualization"
    assert not [line for line in lines if line.endswith("·")]
    assert len(re.findall(r"\d (?:Again|Hard|Good|Easy) · \S+", screen)) == 4


@needs_tmux
@pytest.mark.parametrize("width", [60, 100])
def test_card_page_shows_the_whole_deck_path_note_and_source(
    home: Path, tmux_env: dict[str, str], width: int
) -> None:
    """`card` shows the deck file's whole `path:line` (wrapped by the terminal, never cut to
    `…`), and the card as study shows it: with its note, and its source below it."""
    from test_progress import DEEP_NAME, PATH_DECK

    path = write_deck(home / "decks", DEEP_NAME, PATH_DECK)
    command = f"{venv_bin('ec2cards')} card pathy/one"
    screen, lines = Tmux.output_of(f"ec2card{width}x{os.getpid()}", command, tmux_env, width)
    assert all(len(line) <= width for line in screen.splitlines())
    assert f"deck file  {path}:5" in lines
    assert "…" not in screen
    assert "Everything else runs unprivileged." in screen
    source = "Source: EC2 notes › Virtualization 101 › Without virtualization"
    if width == 100:
        assert source in lines
    else:  # broken between words, as the study screen breaks it
        assert lines[lines.index("Source: EC2 notes › Virtualization 101 › Without") + 1] == (
            "virtualization"
        )


@needs_tmux
@pytest.mark.parametrize("width", [60, 100])
def test_found_cards_fit_the_terminal_and_give_the_question_room(
    home: Path, tmux_env: dict[str, str], width: int
) -> None:
    """`cards sr-iov`: no line wider than the terminal, every key whole, and the question given
    the room left (cut between words), on a line of its own under the key when a line has too
    little room for it."""
    found = json.loads(invoke(["cards", "sr-iov", "--json"]).stdout)
    assert len(found) >= 4
    command = f"{venv_bin('ec2cards')} cards sr-iov"
    screen, lines = Tmux.output_of(f"ec2cards{width}x{os.getpid()}", command, tmux_env, width)
    lines = lines[: lines.index(f"{len(found)} cards") + 1]
    assert all(len(line) <= width for line in lines)  # the terminal wrapped none of them
    if width == 60:
        assert lines[:2] == ["CARD", "  STATE  DUE  LAPSES  QUESTION"]
        pairs = [(lines[i], lines[i + 1]) for i in range(2, 2 + 2 * len(found), 2)]
    else:
        assert lines[0].split() == ["CARD", "STATE", "DUE", "LAPSES", "QUESTION"]
        pairs = [(line, line) for line in lines[1 : 1 + len(found)]]
    for (key_line, rest), item in zip(pairs, found, strict=True):
        assert key_line.split()[0] == item["key"]
        question = " ".join(item["question"].split())
        shown = rest.split("  ")[-1].strip()
        if shown.endswith("…"):
            kept = shown[:-1]
            assert question.startswith(kept), shown
            if question[len(kept)] in " ,":  # cut between words: that word did not fit
                following = question[len(kept) :].split()[0]
                assert len(rest) + len(following) >= width
            else:  # inside a word, only when the last space would lose over half the room
                assert kept.rfind(" ") < len(kept) // 2, shown
        else:
            assert shown == question
    assert "SR-IOV stands for [...]." in screen


@needs_tmux
def test_quiz_history_breaks_between_topics_at_60_columns(
    home: Path, tmux_env: dict[str, str]
) -> None:
    """A past quiz too long for the terminal goes on below, indented, broken between its
    per-topic scores: `[storage 0/2]` is never cut in two."""
    answered = invoke(
        ["quiz", "--count", "8", "--mode", "typed", "--seed", "3"], input="\n" * 8, now=NOW
    )
    assert answered.exit_code == 0, answered.output
    past = json.loads(invoke(["quiz", "--history", "--json"]).stdout)
    entries = [f"{t} {v['score']}/{v['total']}" for t, v in past[0]["by_topic"].items()]
    assert len(entries) >= 3
    command = f"{venv_bin('ec2cards')} quiz --history"
    session = Tmux(f"ec2history{os.getpid()}", command, tmux_env, 60)
    try:
        screen = session.wait_for("EXITED-0")
        lines = session.joined_lines()
    finally:
        session.close()
    shown = lines[: lines.index("EXITED-0")]
    assert shown[0].startswith("#1 ") and all(line.startswith("      ") for line in shown[1:])
    assert all(len(line) <= 60 for line in shown) and len(shown) > 1
    assert screen.splitlines()[: len(shown)] == shown  # the terminal wrapped none of them
    for entry in entries:
        assert any(entry in line for line in shown), entry
    assert " ".join(line.strip() for line in shown).endswith("[" + ", ".join(entries) + "]")


@needs_tmux
def test_the_study_screen_is_redrawn_at_once_when_the_terminal_is_resized(
    home: Path, tmux_env: dict[str, str]
) -> None:
    """No key pressed: narrower, then wider, the card's panel is drawn again to the edge."""

    def panel_edge(screen: str) -> int:
        tops = [line.rstrip() for line in screen.splitlines() if line.startswith("╭")]
        return len(tops[0]) if tops and tops[0].endswith("╮") else 0

    session = Tmux(f"ec2size{os.getpid()}", f"{venv_bin('ec2cards')} study --deck tiny", tmux_env)
    try:
        screen = session.wait_for("Space/Enter answer")
        assert panel_edge(screen) == 100

        def redrawn(width: int, *texts: str) -> None:
            """Until the whole frame is drawn again at `width` (a capture may fall mid-draw)."""
            deadline = time.monotonic() + 20
            while True:
                screen = session.screen()
                if panel_edge(screen) == width and all(text in screen for text in texts):
                    return
                assert time.monotonic() < deadline, f"not redrawn at {width}:\n{screen}"
                time.sleep(0.05)

        for width in (60, 100):
            session.tmux("resize-window", "-t", session.name, "-x", str(width))
            redrawn(width, "First question?", "q quit")
        session.keys("Space")
        session.wait_for("3 Good · ")
        session.tmux("resize-window", "-t", session.name, "-x", "60")
        redrawn(60, "3 Good · ", "First answer", "q quit")
        session.keys("3")
        session.wait_for("saved: Good")
        session.keys("q")
        session.wait_for("EXITED-0")
    finally:
        session.close()


@needs_tmux
@pytest.mark.parametrize("width", [100, 60])
def test_practice_exam_screen_flags_moves_reviews_and_submits(
    home: Path, tmux_env: dict[str, str], width: int
) -> None:
    """Pick by number and by cursor, flag, move back and forth, see the review list, submit:
    no verdict before the end, then the score and each option's reason."""
    write_deck(home / "decks", "lab.yaml", PRACTICE_DECK)
    command = f"{venv_bin('ec2cards')} practice --deck lab --seed 4"
    session = Tmux(f"ec2prac{width}{os.getpid()}", command, tmux_env, width)
    try:
        screen = session.wait_for("r review and submit")
        assert "1/2" in screen and "left" in screen
        first = "Choose TWO" in screen
        session.keys("1", "f")
        screen = session.wait_for("⚑ flagged")
        assert "Right" not in screen and "Wrong" not in screen  # no feedback before the end
        session.keys("n")
        session.wait_for("2/2")
        session.keys("p")
        screen = session.wait_for("1/2")
        assert "⚑ flagged" in screen  # the flag stayed
        session.keys("n", "Down", "Space", "n")
        screen = session.wait_for("(counted wrong)")
        answered = "2 answered ✓" if not first else "1 answered ✓"
        assert answered in screen and "1 flagged ⚑" in screen and "s submit" in screen
        session.keys("s")
        session.wait_for("EXITED-0")
        printed = session.tmux("capture-pane", "-p", "-J", "-S", "-300", "-t", session.name)
        printed = " ".join(printed.split())  # lines broken between words at 60 columns
        assert "Practice exam:" in printed and "(720 to pass)" in printed
        assert "(flagged)" in printed and "Right: io2 attaches" in printed
    finally:
        session.close()
    db = sqlite3.connect(home / "ec2cards.db")
    (saved,) = db.execute("SELECT questions, finished_at FROM practice_exam").fetchall()
    assert saved[1] is not None and '"flagged": true' in saved[0]


@needs_tmux
def test_practice_exam_is_submitted_when_the_time_runs_out(
    home: Path, tmux_env: dict[str, str]
) -> None:
    write_deck(home / "decks", "lab.yaml", PRACTICE_DECK)
    # EC2CARDS_NOW stands still; the exam's clock runs on from it with the real seconds.
    command = f"{venv_bin('ec2cards')} practice --deck lab --minutes 0.05"
    session = Tmux(f"ec2time{os.getpid()}", command, tmux_env)
    try:
        session.wait_for("r review and submit")
        session.keys("1")
        session.wait_for("EXITED-0", within=30)  # no key pressed after the first
        printed = session.tmux("capture-pane", "-p", "-J", "-S", "-300", "-t", session.name)
        printed = " ".join(printed.split())
        assert "Time is up: the exam is submitted as it stands." in printed
        assert "Practice exam:" in printed and "time 0:03 of 0:03" in printed
    finally:
        session.close()


INPUT_DECK = """deck: pick
title: Pick
topic: virtualization
cards:
  - id: hvm
    kind: choice
    q: Which virtualization technique do EC2 HVM AMIs use?
    options: [Emulated virtualization, Hardware-assisted virtualization, Para-virtualization]
    answer: Hardware-assisted virtualization
  - id: kernel
    q: Which part of an operating system runs in privileged mode?
    a: The kernel
"""


@needs_tmux
def test_the_quiz_takes_what_a_learner_types_at_60_columns(home: Path) -> None:
    """A choice answered by the start of its text; flip's y or n as one key, a stray key
    waiting instead of asking again; an empty reply is "don't know" and shows the answer,
    with nothing to overrule; q ends a quiz in line mode with the scorecard."""
    write_deck(home / "decks", "pick.yaml", INPUT_DECK)
    env = {"EC2CARDS_HOME": str(home), "EC2CARDS_NOW": NOW, "TZ": "UTC", "TERM": "xterm-256color"}

    def quiz(name: str, args: str) -> Tmux:
        command = f"{venv_bin('ec2cards')} quiz --deck pick --count 1 --seed 1 {args}"
        return Tmux(f"ec2input{name}{os.getpid()}", command, env, 60)

    session = quiz("choice", "--mode choice --topic virtualization")
    try:
        screen = session.wait_for("Answer with the option number or text:")
        assert "Enter: don't know · q: quit" in screen
        session.keys("hardware ass", "Enter")
        chose = session.wait_for("EXITED-0")
    finally:
        session.close()
    assert "Right!" in chose and "not understood" not in chose

    session = quiz("flip", "--mode flip")
    try:
        session.wait_for("Any key shows the answer")
        session.keys("x")
        session.wait_for("Did you know it? y/n")
        session.keys("z")  # a stray key: the question waits for y or n
        session.keys("y")
        flipped = session.wait_for("EXITED-0")
    finally:
        session.close()
    assert "Right!" in flipped and flipped.count("1/1 · virtualization · flip") == 1
    assert "not understood" not in flipped

    session = quiz("empty", "--mode typed")
    try:
        session.wait_for("Type the answer:")
        session.keys("Enter")
        unanswered = session.wait_for("EXITED-0")
    finally:
        session.close()
    lines = [line.rstrip() for line in unanswered.splitlines()]
    assert any(line.startswith("Not answered. The answer: ") for line in lines)
    assert "o: I was right" not in unanswered and "read as" not in unanswered

    session = quiz("lines", "--mode typed --json")  # --json: the questions in line mode
    try:
        session.wait_for("Type the answer:")
        session.keys("q", "Enter")
        quit_screen = session.wait_for("EXITED-0")
    finally:
        session.close()
    assert '"total": 0' in quit_screen and "Wrong" not in quit_screen


@needs_tmux
def test_the_quiz_question_is_redrawn_at_once_when_the_terminal_is_resized(
    home: Path, tmux_env: dict[str, str]
) -> None:
    """A typed question waiting for its answer: narrower, the question's panel is drawn again
    to the new edge with its prompt, and the answer typed then is taken."""
    command = f"{venv_bin('ec2cards')} quiz --deck tiny --count 2 --mode typed --seed 1"
    session = Tmux(f"ec2qsize{os.getpid()}", command, tmux_env)
    try:
        session.wait_for("Type the")
        session.tmux("resize-window", "-t", session.name, "-x", "60")
        deadline = time.monotonic() + 20
        while True:
            screen = session.screen()
            tops = [line.rstrip() for line in screen.splitlines() if line.startswith("╭")]
            if tops and len(tops[0]) == 60 and tops[0].endswith("╮") and "Type the" in screen:
                break
            assert time.monotonic() < deadline, f"not redrawn:\n{screen}"
            time.sleep(0.05)
        session.keys("answer", "Enter")
        session.wait_for("2/2")
        session.keys("q", "Enter")
        session.wait_for("EXITED-0")
    finally:
        session.close()
