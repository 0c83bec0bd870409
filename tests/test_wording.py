"""`model/wording.py`: one way to count a noun and one way to suggest a name, used everywhere."""

from __future__ import annotations

import ast
from typing import Any

from conftest import ROOT
from hypothesis import given
from hypothesis import strategies as st

from ec2cards.model.wording import close_matches, did_you_mean, plural


@given(count=st.integers(min_value=-5, max_value=10**6), noun=st.sampled_from(["card", "day"]))
def test_a_count_says_its_noun_in_the_singular_only_for_one(count: int, noun: str) -> None:
    assert plural(count, noun) == f"{count} {noun if count == 1 else noun + 's'}"


def test_an_irregular_plural_is_given() -> None:
    assert (
        plural(2, "entry", "entries") == "2 entries" and plural(1, "entry", "entries") == "1 entry"
    )
    assert plural(0, "media file") == "0 media files"


def test_did_you_mean_names_the_closest_choice_or_nothing() -> None:
    names = ["new_per_day", "desired_retention", "day_cutoff_hour"]
    assert did_you_mean("new_per_dya", names) == "did you mean 'new_per_day'?"
    assert did_you_mean("zzz", names) == ""
    assert did_you_mean("x", []) == ""
    assert close_matches("aws/ec2-basics", ["aws/ec2-basic", "aws/ec2-basics-2", "x/y"], n=3) == [
        "aws/ec2-basic",
        "aws/ec2-basics-2",
    ]


def test_the_messages_use_them(home: object) -> None:
    from conftest import invoke

    result: Any = invoke(["config", "new_per_dya", "3"])
    assert "unknown setting 'new_per_dya' (did you mean 'new_per_day'?)" in result.output
    result = invoke(["study", "--deck", "virtualisation"])
    assert "unknown deck 'virtualisation' (did you mean 'virtualization'?)" in result.output


def test_no_module_suggests_or_counts_in_its_own_way() -> None:
    """difflib is imported only by model/wording.py, and no message builds a plural with an
    `== 1` / `!= 1` test of its own (found in the syntax tree: comparisons inside a choice of
    strings, such as `"" if n == 1 else "s"`)."""
    package = ROOT / "src" / "ec2cards"
    own_ways = []
    for path in package.rglob("*.py"):
        name = str(path.relative_to(package))
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import | ast.ImportFrom):
                modules = [a.name for a in node.names] if isinstance(node, ast.Import) else []
                if "difflib" in modules or getattr(node, "module", None) == "difflib":
                    own_ways.append(f"{name}:{node.lineno} imports difflib")
            if (
                isinstance(node, ast.IfExp)
                and isinstance(node.test, ast.Compare)
                and any(isinstance(c, ast.Constant) and c.value == 1 for c in node.test.comparators)
                and all(
                    isinstance(branch, ast.Constant) and isinstance(branch.value, str)
                    for branch in (node.body, node.orelse)
                )
            ):
                own_ways.append(f"{name}:{node.lineno} pluralises")
    assert own_ways == ["model/wording.py:21 imports difflib"]
