"""The project's promises: README commands, CI, lint, types, a wheel that carries the decks."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, venv_bin

from ec2cards.cli.app import app


def fenced_commands(readme: str) -> list[str]:
    return re.findall(r"```sh\n(.+?)\n```", readme)


def test_readme_opens_with_two_commands_and_ci_runs_the_second() -> None:
    readme = (ROOT / "README.md").read_text()
    head = readme.split("## ", 1)[0]
    run, test = fenced_commands(head)
    assert run.endswith("ec2cards study") and "pip install ." in run
    assert "pytest" in test and ".[test]" in test
    ci = (ROOT / ".ci" / "run").read_text()
    pattern = re.search(r"grep -m1 -E '(.+?)' README.md", ci)
    assert pattern is not None
    matching = [line for line in readme.splitlines() if re.search(pattern.group(1), line)]
    assert matching[0] == test


def test_readme_lists_every_command() -> None:
    readme = (ROOT / "README.md").read_text()
    names = [c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands]
    for name in names:
        assert f"`ec2cards {name}" in readme, name


def test_ruff_lint_and_format_are_clean() -> None:
    ruff = venv_bin("ruff")
    subprocess.run([ruff, "check", "src", "tests"], cwd=ROOT, check=True)
    subprocess.run([ruff, "format", "--check", "src", "tests"], cwd=ROOT, check=True)


def test_mypy_is_clean() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "src"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        check=True,
    )
    return next(out.glob("ec2cards-*.whl"))


def test_wheel_ships_the_bundled_decks(wheel: Path, tmp_path: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    decks = [n for n in names if n.startswith("ec2cards/bundled/") and n.endswith(".yaml")]
    assert len(decks) == len(list((ROOT / "decks").glob("*.yaml")))
    # Run from the unpacked wheel, far from the source tree: the decks must come from the package.
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    env = {**os.environ, "PYTHONPATH": str(site), "EC2CARDS_HOME": str(tmp_path / "h")}

    def run(*args: str) -> str:
        command = [sys.executable, "-m", "ec2cards", *args]
        return subprocess.run(
            command, cwd=tmp_path, env=env, capture_output=True, text=True, check=True
        ).stdout

    listed = json.loads(run("decks", "--json"))
    assert {d["id"] for d in listed} >= {"virtualization", "ec2-architecture"}
    assert all(str(site) in d["path"] for d in listed)
    # The template of `deck new` points at `deck format`: the guide ships in the wheel too.
    guide = run("deck", "format")
    assert guide == (ROOT / "docs" / "deck-format.md").read_text(encoding="utf-8")


def test_console_script_runs() -> None:
    result = subprocess.run([venv_bin("ec2cards"), "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.startswith("ec2cards ")


def test_the_architecture_map_names_only_real_places() -> None:
    """docs/architecture.md is the map a newcomer reads first: every file and package it names
    exists, and every package of the source is on it."""
    text = (ROOT / "docs" / "architecture.md").read_text()
    package = ROOT / "src" / "ec2cards"
    named = {n for n in re.findall(r"`([a-z_/]+(?:\.py|/))`", text) if "/" in n}
    assert len(named) > 30
    for name in named:
        in_package = package / name.rstrip("/")
        in_repo = ROOT / name.rstrip("/")
        assert in_package.exists() or in_repo.exists(), name
    # Bare file names in a package's row are that package's files.
    for row in re.findall(r"^\| `([a-z]+)/` \| (.+) \|$", text, re.MULTILINE):
        folder, cells = row
        for file_name in re.findall(r"`([a-z_]+\.py)`", cells):
            assert (package / folder / file_name).exists(), (folder, file_name)
    packages = {p.name for p in package.iterdir() if (p / "__init__.py").exists()}
    for name in packages:
        assert f"`{name}/`" in text, name
    longest = max(len(p.read_text().splitlines()) for p in package.rglob("*.py"))
    assert longest <= 450
