"""The project's promises: README commands, CI, lint, types, a wheel that carries the decks."""

from __future__ import annotations

import re
import subprocess

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


def test_the_architecture_map_names_every_module() -> None:
    """The map is whole: every module of the source is on it, in its package's row or by its
    path (the other direction is the test above)."""
    text = (ROOT / "docs" / "architecture.md").read_text()
    package = ROOT / "src" / "ec2cards"
    rows = dict(re.findall(r"^\| `([a-z]+)/` \| (.+) \|$", text, re.MULTILINE))
    unnamed = []
    for path in sorted(package.rglob("*.py")):
        if path.name == "__init__.py":
            continue
        relative = path.relative_to(package)
        in_row = len(relative.parts) == 2 and f"`{path.name}`" in rows.get(relative.parts[0], "")
        if not (in_row or f"`{relative.as_posix()}`" in text):
            unnamed.append(relative.as_posix())
    assert unnamed == []


def test_no_function_is_longer_than_a_screen() -> None:
    """A function over 80 lines is split along a seam (docs/architecture.md, the habits)."""
    import ast

    package = ROOT / "src" / "ec2cards"
    long = [
        f"{path.relative_to(package)}:{node.lineno} {node.name}"
        for path in sorted(package.rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and (node.end_lineno or node.lineno) - node.lineno + 1 > 80
    ]
    assert long == []
