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
    return Problem(path, line, col, f"YAML syntax error: {what}")
