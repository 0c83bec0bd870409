"""`ec2cards sync` against Anki's own sync server (`python -m anki.syncserver`, from the `anki`
library), with ec2cards as one client and a plain Anki collection as the phone.

What is expected comes from Anki: the phone's cards, due dates, review logs and memory states as
Anki's library reads and computes them; what ec2cards shows is read as a user reads it, from
`ec2cards card KEY --json` and the command's own output.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from anki.collection import Collection
from anki.sync import SyncOutput
from conftest import invoke, venv_bin, write_deck

PASSWORD = "correct horse"
USERS = 24
MINE = """\
deck: mine
title: Mine
topic: mine
cards:
  - id: a
    q: What is a?
    a: Alpha
  - id: b
    q: What is b?
    a: Beta
  - id: c
    q: What is c?
    a: Gamma
"""


# -- the server --------------------------------------------------------------------------------


class Server:
    """`python -m anki.syncserver` with USERS test users, on a free loopback port."""

    def __init__(self, base: Path, port: int = 0) -> None:
        self.base, self.port = base, port
        self.process: subprocess.Popen[str] | None = None
        self.next_user = 0

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> Server:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SYNC_")}
        env.update({f"SYNC_USER{i}": f"user{i}:{PASSWORD}" for i in range(1, USERS + 1)})
        env.update(SYNC_BASE=str(self.base), SYNC_HOST="127.0.0.1", SYNC_PORT=str(self.port))
        env.update(RUST_LOG="anki=info", RUST_BACKTRACE="0")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "anki.syncserver"],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        listening = threading.Event()

        def read_log() -> None:
            assert self.process is not None and self.process.stdout is not None
            for line in self.process.stdout:
                found = re.search(
                    r"listening\s+addr=[0-9.]+:(\d+)", re.sub(r"\x1b\[[0-9;]*m", "", line)
                )
                if found:
                    self.port = int(found.group(1))
                    listening.set()

        threading.Thread(target=read_log, daemon=True).start()
        while not listening.wait(0.05):
            assert self.process.poll() is None, "the sync server did not start"
        while True:  # ready when /health answers
            try:
                with urllib.request.urlopen(self.endpoint + "health", timeout=2) as answer:
                    if answer.status == 200:
                        return self
            except OSError:
                assert self.process.poll() is None, "the sync server stopped"

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def account(self) -> str:
        self.next_user += 1
        assert self.next_user <= USERS, "raise USERS"
        return f"user{self.next_user}"


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    started = Server(tmp_path_factory.mktemp("syncserver")).start()
    yield started
    started.stop()


# -- the phone: a plain Anki collection --------------------------------------------------------


class Phone:
    """A second Anki client, driven only through Anki's library."""

    def __init__(self, folder: Path, endpoint: str, user: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.col = Collection(str(folder / "collection.anki2"))
        self.auth = self.col.sync_login(user, PASSWORD, endpoint)

    def sync(self, upload: bool = False) -> int:
        required = self.col.sync_collection(self.auth, sync_media=False).required
        if required in (SyncOutput.FULL_DOWNLOAD, SyncOutput.FULL_UPLOAD, SyncOutput.FULL_SYNC):
            self.col.close_for_full_sync()
            up = required == SyncOutput.FULL_UPLOAD or (required == SyncOutput.FULL_SYNC and upload)
            try:
                self.col.full_upload_or_download(auth=self.auth, server_usn=None, upload=up)
            finally:
                self.col.reopen(after_full_sync=True)
        return int(required)

    def card_id(self, key: str) -> int:
        found = self.col.find_cards(f'"ec2cards key:{key}"')
        assert len(found) == 1, (key, found)
        return int(found[0])

    def has(self, key: str) -> bool:
        return bool(self.col.find_cards(f'"ec2cards key:{key}"'))

    def answer(self, key: str, ease: int) -> None:
        card = self.col.get_card(self.card_id(key))
        card.start_timer()
        self.col.sched.answerCard(card, ease)

    def due_at(self, key: str) -> datetime:
        """When Anki shows the card as due: a learning card at its timestamp, a review card when
        its due day starts (the day's cut-off, from Anki's own `today` and `day_cutoff`).

        Not the card info's due date: that is now plus the days left, which between midnight
        and the cut-off falls on the calendar day after the one the card is due."""
        card = self.col.get_card(self.card_id(key))
        due = card.odue or card.due
        if card.queue == 1:  # learning: due is a timestamp
            return datetime.fromtimestamp(due, tz=timezone.utc)
        assert card.queue in (2, 3), card.queue  # review, or learning across days
        today, next_day_starts = self.col.sched.today, self.col.sched.day_cutoff
        return datetime.fromtimestamp(next_day_starts + (due - today - 1) * 86400, tz=timezone.utc)

    def reviews(self, key: str) -> list[tuple[int, int]]:
        rows = self.col.db.all(
            "SELECT id, ease FROM revlog WHERE cid = ? ORDER BY id", self.card_id(key)
        )
        return [(int(r[0]), int(r[1])) for r in rows]

    def close(self) -> None:
        self.col.close()


@pytest.fixture
def phone(tmp_path: Path, server: Server) -> Iterator[Any]:
    made: list[Phone] = []

    def make(user: str) -> Phone:
        made.append(Phone(tmp_path / f"phone{len(made)}", server.endpoint, user))
        return made[-1]

    yield make
    for each in made:
        each.close()


# -- ec2cards as a user runs it ----------------------------------------------------------------


def ec2(*args: str, input: str | None = None, now: datetime | None = None) -> Any:
    return invoke(list(args), input=input, now=now.isoformat() if now else None)


def log_in(home: Path, server: Server, user: str) -> None:
    write_deck(home / "decks", "mine.yaml", MINE)
    result = ec2("sync", "login", "--user", user, "--endpoint", server.endpoint, input=PASSWORD)
    assert result.exit_code == 0, result.output


def synced(**expected: int) -> dict[str, int]:
    """Run `ec2cards sync`, check it ended well, and read its summary line."""
    result = ec2("sync")
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.splitlines() if x.startswith("synced with"))
    numbers = re.search(
        r"(\d+) cards? pushed .* reviews (\d+) pushed and (\d+) pulled, (\d+) conflicts?", line
    )
    assert numbers, line
    found = dict(
        zip(("cards", "sent", "taken", "conflicts"), map(int, numbers.groups()), strict=True)
    )
    for name, value in expected.items():
        assert found[name] == value, (name, result.output)
    return found


def card(key: str) -> dict[str, Any]:
    result = ec2("card", key, "--json")
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.output))


def due_of(shown: dict[str, Any]) -> datetime:
    """When ec2cards says a card is due, from `card KEY --json`, to the whole second (as Anki
    keeps a learning card's due moment)."""
    return datetime.fromisoformat(shown["due"]).astimezone(timezone.utc).replace(microsecond=0)


def study(answer: str, now: datetime | None = None) -> None:
    """One card of deck `mine` in the line mode: reveal, then answer 1-4."""
    result = ec2("study", "--deck", "mine", input=f"\n{answer}\nq\n", now=now)
    assert result.exit_code == 0 and "saved:" in result.output, result.output


def one_line_error(result: Any) -> str:
    assert result.exit_code != 0 and result.exit_code != 70, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    assert "Traceback" not in result.output
    return str(lines[0])


# -- the tests ---------------------------------------------------------------------------------


def test_reviews_go_both_ways_with_the_due_dates_anki_gives(
    home: Path, server: Server, phone: Any
) -> None:
    user = server.account()
    log_in(home, server, user)
    login = home / "sync" / "login.json"
    assert login.stat().st_mode & 0o777 == 0o600
    assert PASSWORD not in login.read_text()

    # A month ago, in the terminal: card a answered Easy. It is due by now.
    started = datetime.now(timezone.utc)
    if clock := os.environ.get("EC2CARDS_TEST_CLOCK"):  # the run under a set clock
        assert started.strftime("%H:%M:%S") >= clock and started.hour < 4, started
    month_ago = started - timedelta(days=30)
    study("4", now=month_ago)
    assert synced(sent=1, taken=0)["cards"] >= 320 + 3  # the bundled decks (320 or more) and mine

    handheld = phone(user)
    handheld.sync()
    assert handheld.reviews("mine/a")[0][1] == 4  # the terminal's Easy
    assert handheld.due_at("mine/a") == due_of(card("mine/a"))
    assert handheld.card_id("mine/a") in handheld.col.find_cards("is:due")  # due on the phone

    # On the phone, now: card a answered Good. ec2cards takes it in and agrees on the due date.
    handheld.answer("mine/a", 3)
    handheld.sync()
    synced(sent=0, taken=1, conflicts=0)
    mine = card("mine/a")
    assert [r["rating"] for r in mine["reviews"]] == ["Easy", "Good"]
    assert due_of(mine) == handheld.due_at("mine/a")
    phone_memory = handheld.col.get_card(handheld.card_id("mine/a")).memory_state
    assert mine["stability"] == pytest.approx(phone_memory.stability, rel=1e-3)
    assert mine["difficulty"] == pytest.approx(phone_memory.difficulty, rel=1e-3)

    # Both answer card b between syncs: both reviews kept, on both sides.
    study("3")
    handheld.answer("mine/b", 1)
    handheld.sync()
    synced(sent=1, taken=1, conflicts=1)
    handheld.sync()
    both = card("mine/b")
    assert [r["rating"] for r in both["reviews"]] == ["Good", "Again"]
    assert [ease for _, ease in handheld.reviews("mine/b")] == [3, 1]
    merged = handheld.col.compute_memory_state(handheld.card_id("mine/b"))  # Anki's replay
    assert both["stability"] == pytest.approx(merged.stability, rel=1e-3)
    # A learning step: due at its moment, or (a step that crosses the cut-off) when the next
    # study day starts, where Anki makes it a learning card across days.
    assert handheld.due_at("mine/b") == due_of(both)

    # Nothing changed: nothing is pushed, and a no-change sync stays one.
    assert synced(sent=0, taken=0)["cards"] == 0
    status = ec2("sync", "status")
    assert status.exit_code == 0 and f"logged in to {server.endpoint} as {user}" in status.output
    assert "reviews waiting to go up: 0" in status.output

    out = ec2("sync", "logout")
    assert out.exit_code == 0 and not login.exists()
    assert not (home / "sync" / "collection.anki2").exists()
    assert len(card("mine/b")["reviews"]) == 2  # the log keeps every review


def test_a_phone_review_synced_late_takes_its_place_in_time(
    home: Path, server: Server, phone: Any
) -> None:
    """The phone answers a card Again while offline; two days later the terminal answers it
    Good and syncs; then the phone syncs, then the terminal. The phone's older review arrives
    last, yet both sides end where Anki's own replay of the two reviews in time order ends:
    the Good counts after the Again, not the other way round."""
    user = server.account()
    log_in(home, server, user)
    synced(sent=0, taken=0)
    handheld = phone(user)
    handheld.sync()
    handheld.answer("mine/a", 1)  # offline, two days ago (the row moved back as it would be)
    cid = handheld.card_id("mine/a")
    (answered,) = handheld.col.db.list("SELECT id FROM revlog WHERE cid = ?", cid)
    two_days = 2 * 86_400_000
    handheld.col.db.execute("UPDATE revlog SET id = ? WHERE id = ?", answered - two_days, answered)
    study("3")  # the terminal's Good, now
    synced(sent=1, taken=0)
    handheld.sync()  # the phone's Again goes up, after the Good
    synced(taken=1)
    handheld.sync()

    shown = card("mine/a")
    assert [r["rating"] for r in shown["reviews"]] == ["Again", "Good"]  # in time order
    anki = handheld.col.compute_memory_state(cid)  # Anki's replay of both, in time order
    assert shown["stability"] == pytest.approx(anki.stability, rel=1e-3)
    assert shown["difficulty"] == pytest.approx(anki.difficulty, rel=1e-3)
    on_phone = handheld.col.get_card(cid)
    assert on_phone.memory_state.stability == pytest.approx(anki.stability, rel=1e-3)
    assert handheld.due_at("mine/a") == due_of(shown)


@pytest.mark.parametrize("clock", ["00:30:00", "03:59:00"])
@pytest.mark.timeout(240)
def test_the_due_dates_agree_between_midnight_and_the_cut_off(clock: str) -> None:
    """Between midnight and the 04:00 cut-off the study day is still yesterday's. The test above,
    run whole under a clock set to that hour (libfaketime: ec2cards, the phone and the sync
    server all read it), gives the same due moments on both sides."""
    from anki_corpus import faketime_library

    if os.environ.get("EC2CARDS_TEST_CLOCK"):
        pytest.skip("already under a set clock")
    library = faketime_library()
    if library is None:
        pytest.skip("libfaketime is not installed (apt-get install libfaketime)")
    env = {
        **os.environ,
        "LD_PRELOAD": library,
        "FAKETIME": f"@2026-11-10 {clock}",
        "EC2CARDS_TEST_CLOCK": clock,
    }
    target = f"{__file__}::test_reviews_go_both_ways_with_the_due_dates_anki_gives"
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", target],
        env=env,
        capture_output=True,
        text=True,
        timeout=220,
    )
    assert run.returncode == 0 and "1 passed" in run.stdout, run.stdout[-4000:]


def test_deck_edits_and_deleted_cards_reach_the_phone_and_its_own_notes_stay(
    home: Path, server: Server, phone: Any
) -> None:
    user = server.account()
    log_in(home, server, user)
    study("3")  # card a: its history must outlive the card
    synced(sent=1)
    handheld = phone(user)
    handheld.sync()
    own = handheld.col.new_note(handheld.col.models.by_name("Basic"))
    own["Front"], own["Back"] = "a note of the phone's own", "kept"
    handheld.col.add_note(own, handheld.col.decks.id("Phone stuff"))
    edited_on_phone = handheld.col.get_note(handheld.col.get_card(handheld.card_id("mine/b")).nid)
    edited_on_phone["Front"] = "changed on the phone"
    handheld.col.update_note(edited_on_phone)
    handheld.sync()

    deck = home / "decks" / "mine.yaml"
    edited = MINE.replace("a: Beta", "a: Beta, edited").replace(
        "  - id: a\n    q: What is a?\n    a: Alpha\n", ""
    )
    deck.write_text(edited)
    result = ec2("sync")
    assert result.exit_code == 0 and "1 changed, 1 removed" in result.output, result.output
    assert "1 note edited in Anki set back to the decks' text" in result.output
    handheld.sync()
    assert not handheld.has("mine/a")
    note = handheld.col.get_note(handheld.col.get_card(handheld.card_id("mine/b")).nid)
    assert "Beta, edited" in note["Back"] and "What is b?" in note["Front"]
    assert handheld.col.find_notes('"deck:Phone stuff"') == [own.id]
    assert [r["rating"] for r in card("mine/a")["reviews"]] == ["Good"]  # history kept
    assert synced()["cards"] == 0  # nothing churns


def test_a_forced_full_sync_loses_no_review(home: Path, server: Server, phone: Any) -> None:
    user = server.account()
    log_in(home, server, user)
    synced()
    handheld = phone(user)
    handheld.sync()
    study("3")  # card a, in the terminal, not yet synced
    handheld.answer("mine/b", 4)
    handheld.col.mod_schema(check=False)  # the phone changes its schema: a full sync is due
    assert handheld.sync(upload=True) == SyncOutput.FULL_SYNC  # and it uploads its collection

    result = ec2("sync")
    assert result.exit_code == 0 and "full sync" in result.output, result.output
    assert "reviews 1 pushed and 1 pulled" in result.output
    assert handheld.sync() == SyncOutput.NO_CHANGES
    assert [ease for _, ease in handheld.reviews("mine/a")] == [3]
    assert [ease for _, ease in handheld.reviews("mine/b")] == [4]
    assert [r["rating"] for r in card("mine/b")["reviews"]] == ["Easy"]
    assert synced(sent=0, taken=0)["cards"] == 0


def test_login_failures_are_one_line_and_keep_nothing(home: Path, server: Server) -> None:
    user = server.account()
    wrong = ec2("sync", "login", "--user", user, "--endpoint", server.endpoint, input="wrong")
    line = one_line_error(wrong)
    assert f"sync login --user {user}" in line and "password" in line
    assert not (home / "sync" / "login.json").exists()

    with socket.socket() as probe:  # a port where nothing listens
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    down = ec2(
        "sync", "login", "--user", user, "--endpoint", f"http://127.0.0.1:{closed}/", input="x"
    )
    assert f"cannot reach the sync server http://127.0.0.1:{closed}/" in one_line_error(down)

    assert "not logged in" in one_line_error(ec2("sync"))
    bad = ec2("sync", "login", "--user", user, "--endpoint", "localhost:8080", input="x")
    assert "http://HOST:PORT/" in one_line_error(bad)


def test_without_ankis_library_sync_says_how_to_get_it(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("anki", "anki.collection", "anki.buildinfo"):
        monkeypatch.setitem(sys.modules, name, None)
    for args in (["sync"], ["sync", "login", "--user", "me"]):
        assert "pip install 'ec2cards[anki]'" in one_line_error(ec2(*args, input="pw"))
    status = ec2("sync", "status")
    assert status.exit_code == 0 and "not logged in" in status.output


def test_server_down_then_back_finishes_the_sync(home: Path, tmp_path: Path, phone: Any) -> None:
    own = Server(tmp_path / "own-server").start()
    try:
        user = own.account()
        log_in(home, own, user)
        synced()
        study("2")
        own.stop()
        line = one_line_error(ec2("sync"))
        assert f"cannot reach the sync server {own.endpoint}" in line
        assert [r["rating"] for r in card("mine/a")["reviews"]] == ["Hard"]  # the log is intact
        own = Server(own.base, own.port).start()
        synced(sent=1)
        handheld = Phone(tmp_path / "phone", own.endpoint, user)
        handheld.sync()
        assert [ease for _, ease in handheld.reviews("mine/a")] == [2]
        handheld.close()
    finally:
        own.stop()


def test_a_sync_killed_midway_is_finished_by_the_next(
    home: Path, server: Server, phone: Any
) -> None:
    user = server.account()
    log_in(home, server, user)
    study("3")
    shadow = home / "sync" / "collection.anki2"
    env = {**os.environ, "EC2CARDS_HOME": str(home)}
    for marker in (shadow, shadow.with_name(shadow.name + "-wal")):
        running = subprocess.Popen(
            [venv_bin("ec2cards"), "sync"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        while not marker.exists() and running.poll() is None:
            time.sleep(0.005)
        running.send_signal(signal.SIGKILL)
        running.wait()
    result = ec2("sync")
    assert result.exit_code == 0, result.output
    assert [r["rating"] for r in card("mine/a")["reviews"]] == ["Good"]  # taken in once only
    handheld = phone(user)
    handheld.sync()
    assert [ease for _, ease in handheld.reviews("mine/a")] == [3]
    assert handheld.has("mine/c") and len(handheld.col.find_cards('"deck:EC2::*"')) >= 320 + 3
    assert ec2("doctor").exit_code == 0
    with sqlite3.connect(home / "ec2cards.db") as db:  # the log: one review, whole
        assert db.execute("SELECT count(*) FROM review_log").fetchone()[0] == 1
    assert synced(sent=0, taken=0)["cards"] == 0

    # Killed right after its pull: the Anki copy holds the phone's review and suspend, the
    # log not yet; the next sync takes both in.
    handheld.answer("mine/b", 2)
    handheld.col.sched.suspend_cards([handheld.card_id("mine/c")])
    handheld.sync()
    copy = Collection(str(shadow))
    copy.sync_collection(copy.sync_login(user, PASSWORD, server.endpoint), sync_media=False)
    copy.close()
    synced(taken=1)
    assert [r["rating"] for r in card("mine/b")["reviews"]] == ["Hard"]
    suspended = json.loads(ec2("cards", "--state", "suspended", "--json").stdout)
    assert [c["key"] for c in suspended] == ["mine/c"]
