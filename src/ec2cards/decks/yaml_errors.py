"""YAML syntax errors as deck problems, pointed at the place a user has to fix."""

from __future__ import annotations

from pathlib import Path

import yaml

from ec2cards.errors import Problem

# What the parser was inside when it gave up, for the openings a user leaves unclosed: the
# mistake is at the opening, often lines before the place the parser noticed it.
UNCLOSED = {
    "flow sequence": "the [ list opened here is not closed",
    "flow mapping": "the { mapping opened here is not closed",
    "quoted scalar": "the quoted text opened here is not closed",
}


def yaml_syntax_problem(path: Path, error: yaml.MarkedYAMLError) -> Problem:
    """A YAML syntax error at the place to fix: an unclosed bracket or quote is pointed at where
    it opens, with where the parser stopped; anything else at where the parser stopped."""
    problem, context = error.problem_mark, error.context_mark
    what = error.problem or error.context or "invalid YAML"
    opened = next((text for key, text in UNCLOSED.items() if key in (error.context or "")), None)
    if opened and context and problem and context.line < problem.line:
        stopped = f"line {problem.line + 1}, column {problem.column + 1}"
        return Problem(
            path,
            context.line + 1,
            context.column + 1,
            f"YAML syntax error: {opened} ({what} at {stopped})",
        )
    mark = problem or context
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    fix = _fix(what, _character_at(path, line, col))
    return Problem(path, line, col, f"YAML syntax error: {what}" + (f"; {fix}" if fix else ""))


# The fix for the YAML mistakes people make in decks, by what the parser says.
FIXES = {
    "mapping values are not allowed": (
        "a ': ' inside a text needs the whole text in quotes, e.g. q: \"Why: because\""
    ),
    "tab character": "indent with spaces: YAML does not allow tabs",
    "could not find expected ':'": (
        "a text that goes on to the next line needs quotes, or '|' and the lines indented below"
    ),
    "did not find expected key": (
        "check the indentation (a card's keys line up under its first key) and the quotes"
        " (a ' inside '...' is written '')"
    ),
    "did not find expected '-' indicator": (
        "check the indentation: each card starts with '- ' at the same column"
    ),
    "expected <block end>": "check the indentation: each card starts with '- ' at the same column",
}


def _fix(what: str, character: str) -> str | None:
    """How to fix a YAML syntax error, when it is one of the usual ones."""
    if "cannot start any token" in what and character:
        return f'a text that starts with {character!r} needs quotes, e.g. q: "{character}..."'
    return next((fix for found, fix in FIXES.items() if found in what), None)


def _character_at(path: Path, line: int, column: int) -> str:
    """The character at a 1-based line and column of the file, or '' when it can't be read."""
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            for number, text in enumerate(handle, start=1):
                if number == line:
                    return text[column - 1 : column].strip()
    except OSError:
        pass
    return ""
