"""Card actions both ways through Anki's own sync server: suspend, unsuspend, bury, forget and
set due date made on the phone (a plain Anki collection) come into ec2cards' log as events at
their times and are never set back; ec2cards' go up. What is expected comes from Anki: the
phone's queues, due dates and memory as its library reads them."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from test_sync import Server, card, due_of, ec2, log_in, phone, server, study, synced

__all__ = ["phone", "server"]  # the fixtures, shared with test_sync.py

SUSPENDED, USER_BURIED = -1, -3


def sync_output() -> str:
    result = ec2("sync")
    assert result.exit_code == 0, result.output
    return str(result.output)


def listed(state: str) -> set[str]:
    result = ec2("cards", "--state", state, "--json")
    assert result.exit_code == 0, result.output
    return {item["key"] for item in json.loads(result.output)}


def bundled_keys() -> list[str]:
    """Cards of the bundled decks, never studied (not cloze deletions: the phone finds a card
    by its note's key)."""
    result = ec2("cards", "--json")
    assert result.exit_code == 0, result.output
    keys = [item["key"] for item in json.loads(result.output)]
    return [k for k in keys if not k.startswith("mine/") and not re.search(r"-c\d+$", k)]


def queue(handheld: Any, key: str) -> int:
    return int(handheld.col.get_card(handheld.card_id(key)).queue)


def test_phone_suspend_bury_and_due_date_come_down_and_stay(
    home: Path, server: Server, phone: Any
) -> None:
    user = server.account()
    log_in(home, server, user)
    for _ in range(3):  # a, b and c answered Easy: review cards
        study("4")
    synced(sent=3)
    handheld = phone(user)
    handheld.sync()
    other, fresh = bundled_keys()[:2]
    cid = handheld.card_id
    handheld.col.sched.suspend_cards([cid("mine/a"), cid(other)])
    handheld.col.sched.bury_cards([cid("mine/b")])
    handheld.col.sched.set_due_date([cid("mine/c")], "9")
    handheld.col.sched.set_due_date([cid(fresh)], "3")  # a new card: a review card in Anki
    handheld.sync()

    told = sync_output()
    assert "card actions: 2 suspended, 1 buried, 2 due dates set in Anki" in told, told
    assert listed("suspended") == {"mine/a", other}  # the bundled card too
    assert "mine/b" in listed("buried")
    assert due_of(card("mine/c")) == handheld.due_at("mine/c")
    events = [entry["event"] for entry in card("mine/c")["reviews"]]
    assert events[-1] == "set_due", events
    assert card(fresh)["state"] == "review" and due_of(card(fresh)) == handheld.due_at(fresh)
    tomorrow = datetime.now(timezone.utc) + timedelta(days=1)
    late = ec2("cards", "--state", "buried", "--json", now=tomorrow)
    assert json.loads(late.output) == []  # a burial ends with the study day

    handheld.sync()  # nothing was set back on the phone
    assert queue(handheld, "mine/a") == SUSPENDED and queue(handheld, other) == SUSPENDED
    assert queue(handheld, "mine/b") == USER_BURIED
    assert due_of(card("mine/c")) == handheld.due_at("mine/c")
    assert queue(handheld, fresh) == 2 and due_of(card(fresh)) == handheld.due_at(fresh)
    again = sync_output()
    assert "card actions" not in again and "0 cards pushed" in again, again  # taken in once
    doctor = ec2("doctor")  # the cache is the replay of the log
    assert doctor.exit_code == 0 and "differed" not in doctor.output, doctor.output


def test_a_phone_review_after_a_phone_forget_starts_from_new(
    home: Path, server: Server, phone: Any
) -> None:
    user = server.account()
    log_in(home, server, user)
    month_ago = datetime.now(timezone.utc) - timedelta(days=30)
    study("4", now=month_ago)  # a: a review card a month old
    synced(sent=1)
    handheld = phone(user)
    handheld.sync()
    cid = handheld.card_id("mine/a")
    handheld.col.sched.schedule_cards_as_new([cid])  # Forget
    handheld.answer("mine/a", 3)  # then Good: a learning step, as a new card's
    handheld.sync()

    told = sync_output()
    assert "card actions: 1 forgotten in Anki" in told, told
    shown = card("mine/a")
    assert [e["rating"] for e in shown["reviews"] if e["event"] == "review"] == ["Easy", "Good"]
    assert shown["state"] == "learning", shown
    assert due_of(shown) == handheld.due_at("mine/a")
    memory = handheld.col.get_card(cid).memory_state
    assert shown["stability"] == pytest.approx(memory.stability, rel=1e-3)
    handheld.sync()
    assert handheld.col.get_card(cid).type == 1  # still learning on the phone
    assert due_of(card("mine/a")) == handheld.due_at("mine/a")
    doctor = ec2("doctor")
    assert doctor.exit_code == 0 and "differed" not in doctor.output, doctor.output


def test_a_suspend_here_reaches_the_phone_and_its_unsuspend_comes_back(
    home: Path, server: Server, phone: Any
) -> None:
    user = server.account()
    log_in(home, server, user)
    synced()
    handheld = phone(user)
    handheld.sync()
    other = bundled_keys()[0]
    assert ec2("suspend", "mine/b", other).exit_code == 0
    assert ec2("bury", "mine/c").exit_code == 0
    told = sync_output()
    assert "card actions: 2 suspended, 1 buried here" in told, told
    handheld.sync()
    assert queue(handheld, "mine/b") == SUSPENDED and queue(handheld, other) == SUSPENDED
    assert queue(handheld, "mine/c") == USER_BURIED

    handheld.col.sched.unsuspend_cards([handheld.card_id("mine/b")])
    handheld.sync()
    told = sync_output()
    assert "card actions: 1 unsuspended in Anki" in told, told
    assert listed("suspended") == {other}
    handheld.sync()
    assert queue(handheld, "mine/b") == 0 and queue(handheld, other) == SUSPENDED


def test_a_full_upload_of_an_older_phone_copy_does_not_undo_a_suspend_here(
    home: Path, server: Server, phone: Any
) -> None:
    """The phone uploads its whole collection, made before a suspend here had reached it: its
    card unsuspended is older than the suspend, which therefore stands, on both sides."""
    user = server.account()
    log_in(home, server, user)
    synced()
    handheld = phone(user)
    handheld.sync()
    assert ec2("suspend", "mine/a").exit_code == 0
    sync_output()
    handheld.col.mod_schema(check=False)  # a schema change: the phone's next sync is full
    handheld.sync(upload=True)

    told = sync_output()
    assert "full sync" in told and "card actions: 1 suspended here" not in told, told
    assert "in Anki" not in told, told
    assert listed("suspended") == {"mine/a"}
    handheld.sync()
    assert queue(handheld, "mine/a") == SUSPENDED
