"""Stats, due, optimizer, simulator and exam plan, on histories made through the real study path."""

from __future__ import annotations

import json
import math
import random
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from conftest import ROOT, invoke, write_deck

from ec2cards.config.file import load_settings
from ec2cards.config.settings import Settings
from ec2cards.decks.selection import load_collection
from ec2cards.model.ratings import Rating
from ec2cards.storage.store import Store
from ec2cards.study.session import StudySession

START = datetime(2026, 9, 1, 9, 0, tzinfo=timezone.utc)
# "True" memory of the simulated learner: FSRS-6 with parameters unlike the defaults.
TRUE_PARAMETERS = (
    0.8,
    1.6,
    4.0,
    10.0,
    6.8,
    0.7,
    2.4,
    0.01,
    1.2,
    0.3,
    0.8,
    1.9,
    0.09,
    0.35,
    1.3,
    0.4,
    2.2,
    0.6,
    0.15,
    0.05,
    0.25,
)


def deck_text(cards: int) -> str:
    return "deck: synth\ntitle: Synthetic\ntopic: synth\ncards:\n" + "".join(
        f"  - id: s{i}\n    q: Synthetic question {i}?\n    a: Answer {i}\n"
        + ("    topics: [extra]\n" if i % 3 == 0 else "")
        for i in range(cards)
    )


def make_history(home: Path, cards: int, days: int, seed: int = 1) -> None:
    """Study every day for `days` days; the learner recalls with the true model's probability."""
    from fsrs import Card as FsrsCard
    from fsrs import Rating as FsrsRating
    from fsrs import Scheduler as FsrsScheduler

    write_deck(home / "decks", "synth.yaml", deck_text(cards))
    deck_cards = list(load_collection(home).by_id["synth"].cards)
    truth = FsrsScheduler(parameters=TRUE_PARAMETERS, enable_fuzzing=False)
    memory: dict[str, FsrsCard] = {}
    rng = random.Random(seed)
    store = Store.open(home)
    store.db.connection.execute("PRAGMA synchronous = OFF")  # test speed only
    settings = Settings(new_per_day=25, reviews_per_day=1000)
    for day in range(days):
        now = START + timedelta(days=day)
        session = StudySession(deck_cards, store, settings, now)
        answered = 0
        while (card := session.next_card(now)) is not None and answered < 400:
            true_card = memory.get(card.key) or FsrsCard(card_id=len(memory) + 1, due=now)
            recall = truth.get_card_retrievability(true_card, now) if card.key in memory else 0.35
            if rng.random() < recall:
                rating = (
                    Rating.GOOD if rng.random() < 0.8 else rng.choice([Rating.HARD, Rating.EASY])
                )
            else:
                rating = Rating.AGAIN
            memory[card.key], _ = truth.review_card(true_card, FsrsRating(int(rating)), now)
            session.answer(card, rating, now, 4000)
            answered += 1
            now += timedelta(seconds=30)
    store.close()


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import os
    import time

    home = tmp_path_factory.mktemp("history")
    old = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    make_history(home, cards=400, days=120)
    if old is not None:
        os.environ["TZ"] = old
    return home


@pytest.fixture
def with_history(history: Path, home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    import shutil

    shutil.copytree(history, home)
    return home


NOW = "2026-12-30T09:00:00+00:00"  # the day after the 120-day history


def test_stats_json_matches_the_log(with_history: Path) -> None:
    result = invoke(["stats", "--json", "--deck", "synth"], now=NOW)
    assert result.exit_code == 0, result.output
    stats = json.loads(result.stdout)
    store = Store.open(with_history)
    assert stats["total_reviews"] == store.stats.review_count() > 1000
    synth = stats["cards_by_state"]["synth"]
    assert sum(synth.values()) == 400
    assert sum(stats["cards_by_state"]["extra"].values()) == 134
    assert synth["new"] == 0
    month = stats["retention"]["30d"]
    assert month["all"]["reviews"] == month["young"]["reviews"] + month["mature"]["reviews"]
    assert 0.5 < month["all"]["retention"] < 1.0
    assert len(stats["forecast"]) == 30 and stats["forecast"][0]["date"] == "2026-12-30"
    assert sum(stats["heatmap"].values()) == store.stats.review_count()
    assert stats["streak_days"] == 120  # 09-01 to 12-29; unbroken until a whole day is missed
    assert 0 < stats["recall_by_topic"]["synth"] <= 1
    assert stats["hardest"][0]["lapses"] >= stats["hardest"][-1]["lapses"]


def test_stats_streak_and_today(with_history: Path) -> None:
    stats = json.loads(invoke(["stats", "--json"], now="2026-12-29T20:00:00+00:00").stdout)
    assert stats["streak_days"] == 120
    assert stats["reviews_today"] > 0


def test_stats_screen_and_empty_history(with_history: Path, home: Path) -> None:
    screen = invoke(["stats", "--deck", "synth"], now=NOW).output
    for part in (
        "Cards by state",
        "True retention",
        "Due in the next 30 days",
        "Reviews in the past year",
        "Hardest cards",
    ):
        assert part in screen
    # A topic with no history of its own is still shown, as that topic: every card new.
    topic = invoke(["stats", "--topic", "virtualization"], now=NOW)
    assert topic.exit_code == 0
    assert "ec2cards stats · topic virtualization" in topic.output
    row = next(line for line in topic.output.splitlines() if "│ virtualization " in line)
    cells = [cell.strip() for cell in row.strip("│ ").split("│")]
    total = json.loads(invoke(["topics", "--json"]).stdout)
    count = next(t["cards"] for t in total if t["topic"] == "virtualization")
    assert cells[1:] == [str(count), "0", "0", "0", "0", "0", "—"]


def test_stats_empty_is_friendly() -> None:
    result = invoke(["stats"], now=NOW)
    assert result.exit_code == 0
    assert "No reviews yet" in result.output and "ec2cards study" in result.output


def test_due_counts(with_history: Path) -> None:
    due = json.loads(invoke(["due", "--json", "--deck", "synth"], now=NOW).stdout)
    store = Store.open(with_history)
    states = store.cards.states()
    now = datetime.fromisoformat(NOW)
    assert due["due_now"] == sum(
        1 for s in states.values() if s.due and s.due <= now and not s.suspended
    )
    assert due["new_available"] == 0
    line = invoke(["due", "--deck", "synth"], now=NOW).output
    assert f"{due['due_now']} due now" in line


def test_optimize_fits_the_learner_better_than_defaults(with_history: Path) -> None:
    result = invoke(["optimize", "--json", "--yes"], now=NOW)
    assert result.exit_code == 0, result.output
    fit = json.loads(result.stdout)
    assert fit["fitted"]["log_loss"] < fit["default"]["log_loss"]
    assert fit["saved"] is True and len(fit["parameters"]) == 21
    saved = load_settings(with_history).parameters
    assert saved == tuple(fit["parameters"])
    # The scheduler now uses them: a new card's Easy interval follows the fitted w[3].
    from ec2cards.model.states import NEW_STATE
    from ec2cards.scheduling.scheduler import Scheduler

    fitted = Scheduler(load_settings(with_history)).preview(
        NEW_STATE, datetime.fromisoformat(NOW), "k"
    )
    default = Scheduler(Settings()).preview(NEW_STATE, datetime.fromisoformat(NOW), "k")
    assert fitted[Rating.EASY] != default[Rating.EASY]


SHARED_LOG = ROOT.parent / "shared" / "data" / "fsrs-review-log.csv"


@pytest.mark.skipif(not SHARED_LOG.exists(), reason="shared review log not present")
def test_optimize_revlog_beats_defaults_and_asks_before_saving(home: Path) -> None:
    result = invoke(["optimize", "--revlog", str(SHARED_LOG), "--json"])
    fit = json.loads(result.stdout)
    assert (fit["reviews"], fit["cards"]) == (12580, 1205)
    # Both scored on the same future items (the later five sixths, in time order).
    assert math.isclose(fit["default"]["log_loss"], 0.4321, abs_tol=0.003)
    assert fit["fitted"]["log_loss"] < fit["default"]["log_loss"] - 0.002
    assert fit["fitted"]["rmse_bins"] < fit["default"]["rmse_bins"]
    assert fit["saved"] is False and not (home / "config.toml").exists()


def test_optimize_bad_csv(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("card,when\n1,2\n")
    result = invoke(["optimize", "--revlog", str(bad)])
    assert result.exit_code == 2 and f"{bad}:1:1: missing column(s)" in result.output
    rows = tmp_path / "rows.csv"
    rows.write_text("card_id,review_time,review_rating\n1,2024-01-01T00:00:00+00:00,7\n")
    result = invoke(["optimize", "--revlog", str(rows)])
    assert f"{rows}:2:1: bad review row" in result.output


def test_simulate_marks_current_retention() -> None:
    result = invoke(["simulate", "--days", "60", "--topic", "virtualization"])
    assert result.exit_code == 0, result.output
    assert "0.90 ◀ now" in result.output
    assert "0.70" in result.output and "0.97" in result.output


def test_exam_plan_covers_every_card(with_history: Path, home: Path) -> None:
    args = ["plan", "--exam", "2027-01-29", "--topic", "virtualization", "--json"]
    plan = json.loads(invoke(args, now=NOW).stdout)
    assert len(plan["days"]) == 30
    assert sum(d["new"] for d in plan["days"]) == plan["unseen"] == plan["cards"]
    assert all(d["new"] == 0 for d in plan["days"][-3:])
    assert plan["feasible"] is True
    for topic, value in plan["recall_if_stop"].items():
        assert plan["recall_with_plan"][topic] >= max(value, 0.89)
    screen = invoke(["plan", "--exam", "2027-01-29", "--topic", "virtualization"], now=NOW).output
    assert "Predicted recall on exam day" in screen and "Day by day" in screen
    study = invoke(
        ["study", "--exam", "2027-01-29", "--topic", "virtualization"], now=NOW, input=""
    )
    assert f"Exam plan for 2027-01-29: {plan['days'][0]['new']} new cards today." in study.output


def test_the_plan_counts_new_cards_already_introduced_today(home: Path) -> None:
    args = ["plan", "--exam", "2027-01-05", "--topic", "virtualization", "--json"]
    before = json.loads(invoke(args, now=NOW).stdout)["days"][0]["new"]
    assert before > 2
    invoke(["study", "--topic", "virtualization", "--new", "2"], now=NOW, input="\n3\n" * 2 + "q\n")
    after = json.loads(invoke(args, now=NOW).stdout)["days"][0]["new"]
    assert after == before - 2  # today's share, less the two already introduced
    study = invoke(
        ["study", "--exam", "2027-01-05", "--topic", "virtualization"], now=NOW, input=""
    )
    assert f"Exam plan for 2027-01-05: {after} new cards today." in study.output


def test_exam_plan_errors() -> None:
    past = invoke(["plan", "--exam", "2026-01-01"], now=NOW)
    assert past.exit_code == 2 and "must be after today" in past.output
    bad = invoke(["plan", "--exam", "soon"], now=NOW)
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output


LATER = "2027-01-20T09:00:00+00:00"


def test_due_counts_only_the_selected_cards(with_history: Path) -> None:
    """With a topic filter the SQL shortcut does not apply: cards outside it must not count."""
    everything = json.loads(invoke(["due", "--json", "--deck", "synth"], now=LATER).stdout)
    extra = json.loads(invoke(["due", "--json", "--topic", "extra"], now=LATER).stdout)
    store = Store.open(with_history)
    now = datetime.fromisoformat(LATER)
    extra_keys = {f"synth/s{i}" for i in range(400) if i % 3 == 0}
    states = store.cards.states()
    expected = sum(
        1
        for k, s in states.items()
        if k in extra_keys and s.due and s.due <= now and not s.suspended
    )
    assert extra["due_now"] == expected < everything["due_now"]


def test_stats_reads_well_on_a_narrow_terminal_without_colour(
    with_history: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 60 columns nothing is cut to an ellipsis (headers and percentages whole), section
    titles are never broken mid-word, an empty retention cell says so, and under NO_COLOR the
    heatmap still shows how busy each day was."""
    monkeypatch.setenv("COLUMNS", "60")
    monkeypatch.setenv("NO_COLOR", "1")
    screen = invoke(["stats", "--deck", "synth"], now=NOW).output
    assert "…" not in screen
    lines = screen.splitlines()
    assert all(len(line) <= 60 for line in lines)
    header = next(line for line in lines if line.split()[:2] == ["topic", "new"])
    assert header.split() == [
        "topic",
        "new",
        "learn",
        "review",
        "relearn",
        "susp.",
        "leech",
        "recall",
    ]
    assert re.search(r"\b\d+\.\d%", next(line for line in lines if line.startswith("synth")))
    assert "True retention (reviews not rated Again)" in lines
    assert "Hardest cards: lapsed, or FSRS difficulty 6 or more of 10" in lines
    start = lines.index(next(line for line in lines if line.startswith("Reviews in the past year")))
    heat = lines[start + 1 : start + 8]
    assert [line[0] for line in heat] == list("MTWTFSS")
    assert len({mark for line in heat for mark in line[2:]} - {" "}) >= 3  # levels, not one block
    empty = invoke(["stats", "--topic", "extra"], now=NOW).output
    assert " of 0" not in empty


def test_optimize_with_too_little_history_is_not_an_error(home: Path) -> None:
    write_deck(home / "decks", "synth.yaml", deck_text(5))
    result = invoke(["optimize"])
    assert result.exit_code == 0, result.output
    assert "error" not in result.output
    assert "not enough reviews to fit your own parameters yet" in result.output
    assert "the defaults stay" in result.output


def test_an_empty_retention_window_says_so() -> None:
    from ec2cards.terminal.progress_views import _retention_cell

    assert _retention_cell({"reviews": 0, "passed": 0, "retention": None}) == "—"
    assert _retention_cell({"reviews": 4, "passed": 3, "retention": 0.75}) == "75.0% of 4"


HARD_DECK = """deck: hard
title: Hard and easy
topic: virtualization
cards:
  - id: kernel-privileged-mode-and-hardware-access
    q: Which part of an operating system runs in privileged mode and is the only part allowed
      to access the hardware directly?
    a: The kernel
  - id: unmodified-operating-systems-crash-each-other
    q: What happens when several unmodified operating systems each try to access one server's
      hardware at the same time?
    a: They crash each other
  - id: app-reaches-hardware-via-kernel-system-calls
    q: On a server without virtualization, how does an application use hardware such as the
      disk or the network card?
    a: Through the kernel
  - id: hypervisor-emulates-hardware-for-each-guest
    q: What emulates hardware for each guest operating system in emulated virtualization?
    a: The hypervisor
"""
HARD_NOW = "2026-11-24T10:00:00+00:00"


def answer_hard_deck(home: Path, ratings: str) -> dict[str, str]:
    """Each card of HARD_DECK answered once in line mode, in deck order, with `ratings`."""
    write_deck(home / "decks", "hard.yaml", HARD_DECK)
    keys = [
        item["key"] for item in json.loads(invoke(["cards", "--deck", "hard", "--json"]).stdout)
    ]
    answers = "".join(f"\n{rating}\n" for rating in ratings)
    result = invoke(["study", "--deck", "hard"], now=HARD_NOW, input=answers)
    assert result.exit_code == 0, result.output
    questions = {
        item["key"]: item["question"]
        for item in json.loads(invoke(["cards", "--deck", "hard", "--json"]).stdout)
    }
    return {key: " ".join(questions[key].split()) for key in keys}


@pytest.mark.parametrize("width", [60, 100])
def test_hardest_cards_are_the_ones_that_were_hard_and_read_whole(
    home: Path, monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    """Only cards that were hard are listed (an Again answer, not Good, Easy or one Hard); keys
    are never broken in two, and a question is cut between words, with `…`, to the width."""
    questions = answer_hard_deck(home, "1342")  # Again, Good, Easy, Hard
    keys = list(questions)
    stats = json.loads(invoke(["stats", "--deck", "hard", "--json"], now=HARD_NOW).stdout)
    assert [row["card"] for row in stats["hardest"]] == [keys[0]]
    assert " ".join(stats["hardest"][0]["question"].split()) == questions[keys[0]]  # all of it
    monkeypatch.setenv("COLUMNS", str(width))
    screen = invoke(["stats", "--deck", "hard"], now=HARD_NOW).output
    lines = screen.splitlines()
    assert all(len(line) <= width for line in lines)
    start = lines.index("Hardest cards: lapsed, or FSRS difficulty 6 or more of 10")
    hardest = "\n".join(lines[start + 1 :])
    assert keys[0] in hardest  # whole, on one line
    for other in keys[1:]:
        assert other.split("/")[1][:10] not in hardest
    question = questions[keys[0]]
    kept = next(question[:i] for i in range(len(question), 0, -1) if question[:i] + "…" in hardest)
    assert len(kept) >= 16 and question[len(kept)] in " ,", kept  # cut between words


def test_no_hardest_cards_is_said_in_one_line(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    answer_hard_deck(home, "3434")  # Good and Easy only
    stats = json.loads(invoke(["stats", "--deck", "hard", "--json"], now=HARD_NOW).stdout)
    assert stats["hardest"] == []
    monkeypatch.setenv("COLUMNS", "60")
    lines = invoke(["stats", "--deck", "hard"], now=HARD_NOW).output.splitlines()
    assert lines[-1] == "Hardest cards: none lapsed or reached FSRS difficulty 6"


@pytest.mark.parametrize("width", [60, 100])
def test_topic_names_in_cards_by_state_are_never_broken(
    home: Path, monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    """One line per topic, the name whole or clipped with `…` (never `monitorin` over `g`),
    and every count column lined up."""
    answer_hard_deck(home, "3")
    topics = [item["topic"] for item in json.loads(invoke(["topics", "--json"]).stdout)]
    monkeypatch.setenv("COLUMNS", str(width))
    lines = invoke(["stats"], now=HARD_NOW).output.splitlines()
    assert all(len(line) <= width for line in lines)
    plain = [re.sub("[│┃]", " ", line).rstrip() for line in lines]
    header = next(i for i, line in enumerate(plain) if line.split()[:2] == ["topic", "new"])
    rows = [line for line in plain[header + 1 :] if line.strip(" ─━┡╇┩")][: len(topics)]
    names = [row.split()[0] for row in rows]
    for name, topic in zip(names, sorted(topics), strict=True):
        assert name == topic or (name.endswith("…") and topic.startswith(name[:-1])), name
    if width == 60:
        assert {"monitoring", "auto-scaling", "ec2-architecture"} <= set(names)
    assert len({len(row) for row in rows}) == 1  # the counts line up, right-aligned


DEEP_NAME = "a-deck-file-whose-name-is-long-enough-to-need-more-than-one-line-of-a-terminal.yaml"
PATH_DECK = """deck: pathy
title: A deck in a long path
topic: virtualization
cards:
  - id: one
    q: What runs in privileged mode?
    a: The kernel
    note: Everything else runs unprivileged.
    source: "EC2 notes › Virtualization 101 › Without virtualization"
"""


def test_card_page_piped_keeps_the_whole_path_and_shows_note_and_source(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Piped, `card` never clips: the deck file's whole path and line on one line; the card
    as study shows it, with its note and source."""
    path = write_deck(home / "decks", DEEP_NAME, PATH_DECK)
    monkeypatch.setenv("COLUMNS", "60")
    result = invoke(["card", "pathy/one"], now=HARD_NOW)
    assert result.exit_code == 0, result.output
    lines = [line.rstrip() for line in result.output.splitlines()]
    assert f"deck file  {path}:5" in lines
    assert "Source: EC2 notes › Virtualization 101 › Without" in lines
    assert "virtualization" in lines  # broken between words, as study breaks it
    assert "Everything else runs unprivileged." in result.output
    info = json.loads(invoke(["card", "pathy/one", "--json"], now=HARD_NOW).stdout)
    assert info["note"] == "Everything else runs unprivileged."
    assert info["source"].startswith("EC2 notes")
