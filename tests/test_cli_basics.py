"""The CLI's front door: version, help, decks, topics, and errors as one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ROOT, invoke, write_deck

from ec2cards import __version__

NOTES_TOPICS = {"virtualization", "ec2-architecture"}
BEYOND_TOPICS = {"instance-types", "storage", "purchase-options", "networking", "amis"}


def test_version_and_help() -> None:
    result = invoke(["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"ec2cards {__version__}"
    help_text = invoke(["--help"]).output
    for command in ("study", "quiz", "decks", "topics", "check", "config", "rebuild"):
        assert command in help_text


def test_decks_json_lists_bundled_topics() -> None:
    result = invoke(["decks", "--json"])
    assert result.exit_code == 0
    decks = json.loads(result.output)
    assert {"id", "title", "topics", "cards", "path"} <= set(decks[0])
    topics = {t for d in decks for t in d["topics"]}
    assert topics >= NOTES_TOPICS | BEYOND_TOPICS
    assert sum(d["cards"] for d in decks) >= 120
    assert all(d["bundled"] for d in decks)


def test_decks_listing_and_topics() -> None:
    table = invoke(["decks"])
    assert table.exit_code == 0
    lines = table.output.splitlines()
    assert lines[0].split() == ["DECK", "CARDS", "TITLE", "TOPICS", "WHERE"]
    decks = json.loads(invoke(["decks", "--json"]).output)
    for deck, line in zip(decks, lines[1:-1], strict=True):  # piped: whole lines, none clipped
        assert line.startswith(deck["id"]) and line.endswith("bundled")
        assert f" {deck['cards']}  {deck['title']}" in line and ", ".join(deck["topics"]) in line
    assert lines[-1] == f"{len(decks)} decks, {sum(d['cards'] for d in decks)} cards"
    topics = json.loads(invoke(["topics", "--json"]).output)
    counts = {t["topic"]: t["cards"] for t in topics}
    assert counts["virtualization"] >= 10
    assert counts["ec2-architecture"] >= 10


def test_user_deck_and_path_deck_are_found(home: Path, tmp_path: Path) -> None:
    deck = "deck: {id}\ntitle: T\ntopic: mine\ncards:\n  - q: one?\n    a: two\n"
    write_deck(home / "decks", "mine.yaml", deck.format(id="mine"))
    friend = write_deck(tmp_path, "friend.yaml", deck.format(id="friend"))
    ids = [d["id"] for d in json.loads(invoke(["decks", "--json"]).output)]
    assert "mine" in ids and "friend" not in ids
    with_path = json.loads(invoke(["decks", "--json", "--deck", str(friend)]).output)
    assert "friend" in [d["id"] for d in with_path]


def test_bundled_decks_pass_check() -> None:
    result = invoke(["check"])
    assert result.exit_code == 0, result.output
    bundled = len(list((ROOT / "decks").glob("*.yaml")))
    assert result.output.startswith(f"ok: {bundled} decks")


def test_unknown_deck_is_one_line_with_suggestion() -> None:
    result = invoke(["study", "--deck", "virtualisation"])
    assert result.exit_code == 2
    assert "unknown deck 'virtualisation'" in result.output
    assert "did you mean 'virtualization'" in result.output
    assert result.output.count("error:") == 1


def test_unknown_topic_lists_known_topics() -> None:
    result = invoke(["study", "--topic", "virtualizaton"])
    assert result.exit_code == 2
    assert "did you mean 'virtualization'" in result.output
    assert "known topics:" in result.output


def test_bad_clock_is_a_clear_error() -> None:
    result = invoke(["study"], now="next tuesday")
    assert result.exit_code == 2
    assert "EC2CARDS_NOW" in result.output and "ISO-8601" in result.output


def test_missing_path_is_a_clear_error(tmp_path: Path) -> None:
    result = invoke(["check", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert "no such deck file" in result.output


def test_a_broken_user_deck_leaves_study_of_the_others(home: Path) -> None:
    write_deck(home / "decks", "bad.yaml", "deck: bad\ntitle: B\ntopic: x\ncards:\n  - q: only\n")
    result = invoke(["study", "--deck", "virtualization"], input="\n3\nq\n")
    assert result.exit_code == 0
    assert "bad.yaml:5:5: basic card has no 'a'" in result.output
    assert "saved: Good" in result.output and "error:" not in result.output


def test_the_architecture_contracts_hold() -> None:
    """typer only in cli/, rich only in terminal/, sqlite3 only in storage/ (and interop/), the
    domain never importing cli/ or terminal/, and the layers: checked on the import graph by
    import-linter, with the contracts in pyproject.toml."""
    import subprocess

    from conftest import ROOT, venv_bin

    result = subprocess.run(
        [venv_bin("lint-imports"), "--no-cache"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


CLOCK_READS = {("datetime", "now"), ("datetime", "utcnow"), ("date", "today"), ("time", "time")}


def test_only_the_cli_reads_the_clock() -> None:
    """The time is read once, in cli/clock.py (where EC2CARDS_NOW replaces it), and passed in:
    no other module calls datetime.now(), date.today() or time.time() (found in the syntax
    tree, so a comment or a string saying so does not count)."""
    import ast

    package = ROOT / "src" / "ec2cards"
    readers = []
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            owner = node.func.value
            if isinstance(owner, ast.Name) and (owner.id, node.func.attr) in CLOCK_READS:
                readers.append(str(path.relative_to(package)))
    assert readers == ["cli/clock.py"]  # once, in that file


def test_single_command_app_matches_the_full_app() -> None:
    """main() runs a plain command through an app of that command alone (faster start-up);
    its help and its errors must read exactly as the full app's."""
    from typer.testing import CliRunner

    from ec2cards.cli.app import COMMANDS, GROUPS, app, app_for

    runner = CliRunner()
    plain = [name for name in COMMANDS if name not in GROUPS]
    assert {"study", "quiz", "stats", "due", "decks", "check", "import"} <= set(plain)
    for name in plain:
        full = runner.invoke(app, [name, "--help"])
        slim = runner.invoke(app_for([name, "--help"]), [name, "--help"])
        assert (slim.exit_code, slim.output) == (full.exit_code, full.output), name

    def commands(argv: list[str]) -> set[str]:
        return {c.name or "" for c in app_for(argv).registered_commands}

    assert commands(["--debug", "due"]) == {"due"}
    assert commands(["deck", "new", "x"]) == commands(["--help"]) == set(plain)


def test_listing_columns_align_wide_text_and_fit_a_terminal() -> None:
    from ec2cards.terminal.listing import cell_width, clip, columns

    assert cell_width("日本語") == 6 and cell_width("e\u0301") == 1 and cell_width("abc") == 3
    assert clip("日本語テキスト", 7) == "日本語…" and clip("short", 10) == "short"
    rows = [("日本", "3", "a long title that goes on", "x"), ("b", "12", "t", "y")]
    text = columns(("name", "n", "title", "last"), rows, right=(1,))
    assert text.splitlines() == [  # "日本" takes 4 cells; numbers are right-aligned
        "NAME   N  TITLE                      LAST",
        "日本   3  a long title that goes on  x",
        "b     12  t                          y",
    ]
    fitted = columns(("name", "n", "title", "last"), rows, right=(1,), fit=30, flexible=(2,))
    assert all(cell_width(line) <= 30 for line in fitted.splitlines())
    assert "a long title …" in fitted and fitted.splitlines()[1].endswith("x")


def test_listing_clips_between_words_paths_from_the_start_quizzes_by_topic() -> None:
    from ec2cards.terminal.listing import clip_start, clip_words, wrap_past_quiz

    assert clip_words("Which part of an operating system runs", 20) == "Which part of an…"
    assert clip_words("SR-IOV stands for [...].", 30) == "SR-IOV stands for [...]."
    assert clip_words("abcdefghijklmnop", 8) == "abcdefg…"  # no word ends near: cut in it
    assert clip_start("/home/me/decks/aws-iam.yaml", 14) == "…/aws-iam.yaml"
    line = (
        "#2    2026-11-24 10:05  0/8 (0%)  typed  all decks"
        "  [auto-scaling 0/3, instance-types 0/1, storage 0/1]"
    )
    assert wrap_past_quiz(line, None) == line == wrap_past_quiz(line, 200)
    assert wrap_past_quiz(line, 50).splitlines() == [
        "#2    2026-11-24 10:05  0/8 (0%)  typed  all decks",
        "      [auto-scaling 0/3, instance-types 0/1,",
        "      storage 0/1]",
    ]


MODULES_AT_EXIT = """
import sys
from ec2cards.cli.app import main
sys.argv = ["ec2cards", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
finally:
    sys.stderr.write("MODULES " + " ".join(sorted(sys.modules)) + "\\n")
"""
HEAVY = (
    "yaml",
    "fsrs",
    "fsrs_rs_python",
    "rich",
    "markdown_it",
    "rapidfuzz",
    "ec2cards.deckformat",
)


def test_a_warm_start_imports_only_what_the_command_needs(home: Path) -> None:
    """The start-up budget depends on lazy imports: with the deck cache warm, listing decks,
    counting what is due and showing the first card load no YAML parser, scheduler or Rich."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "EC2CARDS_HOME": str(home), "EC2CARDS_NOW": "2026-11-24T10:00:00"}

    def modules_after(args: list[str]) -> tuple[str, set[str]]:
        run = subprocess.run(
            [sys.executable, "-c", MODULES_AT_EXIT, *args],
            input="",  # study: end of input right after the first card
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        return run.stdout, set(run.stderr.split("MODULES ", 1)[1].split())

    modules_after(["due"])  # parses the decks (on every core) and fills the cache
    bundled = len(list((ROOT / "decks").glob("*.yaml")))
    assert len(list((home / "cache" / "decks").glob("*.idx"))) == bundled
    for args in (["--help"], ["decks"], ["due"], ["study"]):
        output, loaded = modules_after(args)
        assert ("Q:" in output) if args == ["study"] else output.strip()
        heavy = sorted(m for m in loaded if m in HEAVY or m.split(".")[0] in HEAVY)
        assert heavy == [], (args, heavy)


def test_due_answers_without_typer_and_says_the_same(home: Path) -> None:
    """A plain `ec2cards due` (and --json, --format, deck ids, topics) is answered without
    Typer, at shell-prompt speed; what it prints is what the full command prints, and anything
    out of the ordinary (a path, an unknown deck, a broken deck, no backup yet today) is left
    to the full command."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "EC2CARDS_HOME": str(home), "EC2CARDS_NOW": "2026-11-24T10:00:00"}

    def run(*args: str) -> tuple[str, str, set[str]]:
        done = subprocess.run(
            [sys.executable, "-c", MODULES_AT_EXIT_ENTRY, *args],
            capture_output=True,
            text=True,
            env=env,
        )
        modules = set(done.stderr.split("MODULES ", 1)[1].split())
        return done.stdout, done.stderr.split("MODULES ", 1)[0], modules

    invoke(["study"], input="\n1\n\n4\nq\n", now="2026-11-24T09:00:00")
    invoke(["due"], now="2026-11-24T10:00:00")  # the day's backup, the deck cache
    cases = [
        [],
        ["--json"],
        ["--format", "{now}/{today}/{new} next {next}"],
        ["--deck", "virtualization"],
        ["--topic", "storage", "-t", "amis"],
        ["-d", "storage", "--json"],
    ]
    for args in cases:
        fast, errors, modules = run("due", *args)
        assert "typer" not in modules, args  # the fast path answered
        full = invoke(["due", *args], now="2026-11-24T10:00:00").stdout  # the Typer command
        assert (fast, errors) == (full, ""), args
    assert run("due", "--format", "{due}/{new}")[0] == "1/18\n"  # the Again card, 18 new left
    for args in (["--deck", "nope"], ["--topic", "nope"], ["--deck", "./x.yaml"], ["--bogus"]):
        _, errors, modules = run("due", *args)
        assert "typer" in modules and errors.startswith("error: "), args
    write_deck(home / "decks", "bad.yaml", "deck: bad\ntitle: B\ntopic: x\ncards:\n  - q: only\n")
    _, errors, modules = run("due")
    assert "typer" in modules and errors.startswith("warning: deck skipped")


MODULES_AT_EXIT_ENTRY = MODULES_AT_EXIT.replace(
    "from ec2cards.cli.app import main", "from ec2cards.cli.entry import main"
)


def test_shell_completion_offers_commands_decks_topics_and_cards(home: Path) -> None:
    """`--show-completion` / `--install-completion` exist, and Tab completes commands, deck ids,
    topics and card keys (from the deck cache)."""
    import os
    import subprocess

    from conftest import venv_bin

    env = {**os.environ, "EC2CARDS_HOME": str(home)}
    invoke(["decks"])  # fills the deck cache

    def complete(words: str) -> list[str]:
        index = len(words.split()) - (0 if words.endswith(" ") else 1)
        done = subprocess.run(
            [venv_bin("ec2cards")],
            env={
                **env,
                "COMP_WORDS": words,
                "COMP_CWORD": str(index),
                "_EC2CARDS_COMPLETE": "complete_bash",
            },
            capture_output=True,
            text=True,
        )
        return done.stdout.split()

    assert {"study", "stats"} <= set(complete("ec2cards st"))
    assert complete("ec2cards study --deck virt") == ["virtualization", "virtualization-exam"]
    assert complete("ec2cards quiz --topic stor") == ["storage"]
    assert "virtualization/kernel-privileged-mode" in complete("ec2cards card virtualization/k")
    assert complete("ec2cards edit kernel-privileged-m") == ["kernel-privileged-mode"]
    shown = subprocess.run(
        [venv_bin("ec2cards"), "--show-completion", "bash"], env=env, capture_output=True, text=True
    )
    assert shown.returncode == 0 and "_ec2cards_completion" in shown.stdout
    assert "--install-completion" in invoke(["--help"]).output


def test_help_gives_every_command_a_whole_description(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    lines = invoke(["--help"]).output.splitlines()
    start = lines.index("Commands:")
    described = [line for line in lines[start + 1 :] if line.strip()]
    assert len(described) >= 20
    assert not any(line.rstrip().endswith("...") for line in described)
    assert all(len(line) <= 80 and len(line.split(maxsplit=1)) == 2 for line in described)
