"""How a study session starts (`study/start.py`): the new-card share of the daily limit,
`--new N`, or an exam plan (`scheduling/exam.py`, `plan_for`), on a store in memory."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from conftest import memory_store, write_deck

from ec2cards.config.settings import Settings
from ec2cards.decks.selection import select
from ec2cards.model.ratings import Rating
from ec2cards.scheduling.answer import record_answer
from ec2cards.scheduling.exam import plan_for
from ec2cards.scheduling.scheduler import Scheduler
from ec2cards.study.start import start_session

NOW = datetime(2026, 11, 24, 10, tzinfo=timezone.utc)
DECK = "deck: d\ntitle: D\ntopic: t\ncards:\n" + "".join(
    f"  - id: c{i}\n    q: Question {i}?\n    a: Answer {i}\n" for i in range(40)
)


def test_an_exam_sets_todays_new_cards_from_its_plan(home: Path) -> None:
    write_deck(home / "decks", "d.yaml", DECK)
    selection = select(home, ["d"])
    store = memory_store()
    settings = Settings()
    record_answer(store, Scheduler(settings), "d/c0", Rating.GOOD, NOW)  # one new card today
    exam = date(2026, 11, 30)
    plan = plan_for(selection.cards, store, settings, NOW, exam)
    assert plan.unseen == 39 and plan.new_today > 0
    started = start_session(selection, store, settings, NOW, exam=exam)
    assert started.exam_new == plan.new_today
    assert started.session.new_quota == plan.new_today
    plain = start_session(selection, store, settings, NOW)
    assert plain.exam_new is None and plain.session.new_quota != plan.new_today
    asked = start_session(selection, store, settings, NOW, new=3, exam=exam)
    assert asked.exam_new is None and asked.session.new_quota == 3  # --new wins


# -- `study` started without building the Typer app ---------------------------------------------


@pytest.mark.parametrize(
    ("args", "runs_here"),
    [
        ([], True),
        (["--deck", "tiny", "-t", "x", "--new=3", "--limit", "5", "--ahead"], True),
        (["--exam", "2027-01-01", "-d", "a", "-d", "b"], True),
        (["--new", "-1"], False),  # Typer says what is wrong with it
        (["--limit", "0"], False),
        (["--new", "two"], False),
        (["--help"], False),
        (["--deck"], False),
        (["--new", "1", "--new", "2"], False),
        (["--debug"], False),
        (["extra"], False),
    ],
)
def test_the_fast_path_runs_only_the_plain_options(args: list[str], runs_here: bool) -> None:
    from ec2cards.cli.study_fast import parse

    assert (parse(args) is not None) is runs_here


def test_study_on_the_fast_path_says_and_saves_what_the_typer_command_does(
    home: Path, tmp_path: Path
) -> None:
    """The console script (no Typer) and the Typer command, the same session in two empty
    data folders: the same output, the same answers saved; and Typer is never imported."""
    import os
    import sqlite3
    import subprocess
    import sys

    from conftest import invoke

    script = "\n3\n\n4\nq\n"
    args = ["study", "--deck", "virtualization", "--new", "2"]
    typed = invoke(args, input=script, now="2026-11-24T10:00:00+00:00")
    other = tmp_path / "other"
    env = {**os.environ, "EC2CARDS_HOME": str(other), "EC2CARDS_NOW": "2026-11-24T10:00:00+00:00"}
    probe = (
        "import sys\nfrom ec2cards.cli.entry import main\nsys.argv = ['ec2cards', *sys.argv[1:]]\n"
        "try:\n    main()\nexcept SystemExit as end:\n    code = end.code\n"
        "print('TYPER' if 'typer' in sys.modules else 'NO-TYPER', code)\n"
    )
    fast = subprocess.run(
        [sys.executable, "-c", probe, *args], input=script, env=env, text=True, capture_output=True
    )
    assert fast.stdout.endswith("NO-TYPER 0\n"), fast.stdout + fast.stderr
    assert fast.stdout.removesuffix("NO-TYPER 0\n") == typed.output

    def saved(folder: Path) -> list[tuple[str, int]]:
        db = sqlite3.connect(folder / "ec2cards.db")
        return db.execute("SELECT card_key, rating FROM review_log ORDER BY id").fetchall()

    assert saved(other) == saved(home) and len(saved(home)) == 2
    refused = subprocess.run(
        [sys.executable, "-c", probe, "study", "--deck", "nope"],
        env=env,
        text=True,
        capture_output=True,
    )
    assert refused.stdout.strip() == "NO-TYPER 2"
    assert refused.stderr.startswith("error: unknown deck 'nope'")


@pytest.mark.parametrize(
    ("args", "runs_here"),
    [
        ([], True),
        (["--topic", "storage", "-n", "3", "--mode", "typed", "--seed", "4", "--json"], True),
        (["--record", "--weakest", "-d", "amis"], True),
        (["--history"], False),
        (["--retry"], False),
        (["--count", "0"], False),
        (["--seed", "x"], False),
        (["7"], False),
    ],
)
def test_the_quiz_fast_path_runs_only_the_plain_options(args: list[str], runs_here: bool) -> None:
    from ec2cards.cli.quiz_fast import parse

    assert (parse(args) is not None) is runs_here


def test_quiz_on_the_fast_path_says_what_the_typer_command_does(home: Path, tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from conftest import invoke

    args = ["quiz", "--topic", "virtualization", "--count", "3", "--seed", "2", "--mode", "choice"]
    script = "1\n2\n1\n"
    typed = invoke(args, input=script, now="2026-11-24T10:00:00+00:00")
    env = {
        **os.environ,
        "EC2CARDS_HOME": str(tmp_path / "o"),
        "EC2CARDS_NOW": "2026-11-24T10:00:00+00:00",
    }
    probe = (
        "import sys\nfrom ec2cards.cli.entry import main\nsys.argv = ['ec2cards', *sys.argv[1:]]\n"
        "try:\n    main()\nexcept SystemExit as end:\n    code = end.code\n"
        "print('TYPER' if 'typer' in sys.modules else 'NO-TYPER', code)\n"
    )
    fast = subprocess.run(
        [sys.executable, "-c", probe, *args], input=script, env=env, text=True, capture_output=True
    )
    assert fast.stdout.endswith("NO-TYPER 0\n"), fast.stdout + fast.stderr
    assert fast.stdout.removesuffix("NO-TYPER 0\n") == typed.output
