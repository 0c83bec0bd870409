"""A scenario card in a deck file: an exam's question (a situation and what it asks), its
options, the one right answer (`answer`) or several (`answers`), why each option is right or
wrong (`explain`, keyed by the option's text) and the recall cards it tests (`tests`, keys).
Checked here, each problem at its line and column; that each `tests` key is a card is
`check`'s to say, since it needs every deck."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ec2cards.decks.yaml_nodes import NodeReader
from ec2cards.model.cards import Card, CardKind
from ec2cards.model.text import normalise
from ec2cards.model.wording import did_you_mean

if TYPE_CHECKING:
    from yaml import Node

LEAST_OPTIONS, MOST_OPTIONS = 4, 6  # as the exams have them
KEY = re.compile(r"^[a-z0-9][a-z0-9-]*/[a-z0-9][a-z0-9-]*$")


def scenario_card(
    reader: NodeReader,
    card_id: str,
    question: str,
    keys: dict[str, tuple[Node, Node]],
    lists: dict[str, list[str] | None],
    common: dict[str, object],
) -> list[Card]:
    """The scenario card of an entry whose keys and texts were read; [] with every problem
    reported when any of it is wrong."""
    before = len(reader.problems)
    options_node = keys["options"][1]
    options = lists.get("options") or []
    if not LEAST_OPTIONS <= len(options) <= MOST_OPTIONS:
        reader.problem(
            options_node,
            f"a scenario has {LEAST_OPTIONS} to {MOST_OPTIONS} options, not {len(options)}",
        )
    if len({normalise(o) for o in options}) != len(options):
        reader.problem(options_node, "scenario options must all differ")
    right = _answers(reader, keys, lists, options)
    explain = _explained(reader, keys, options)
    tests = lists.get("tests") or []
    for key_text in tests:
        if not KEY.match(key_text):
            reader.problem(
                keys["tests"][1],
                f"'{key_text}' in 'tests' is not a card key; write deck/card-id",
            )
    if len(reader.problems) > before:
        return []
    return [
        Card(
            card_id=card_id,
            kind=CardKind.SCENARIO,
            question=question,
            options=tuple(options),
            correct=tuple(right),
            answer=", ".join(right),
            explain=tuple(explain[option] for option in options),
            tests=tuple(tests),
            **common,  # type: ignore[arg-type]
        )
    ]


def _answers(
    reader: NodeReader,
    keys: dict[str, tuple[Node, Node]],
    lists: dict[str, list[str] | None],
    options: list[str],
) -> list[str]:
    """The right options: `answer` (one) or `answers` (two or more), each among the options."""
    if ("answer" in keys) == ("answers" in keys):
        where = keys["answer"][0] if "answer" in keys else keys["options"][0]
        reader.problem(
            where,
            "a scenario has 'answer' (one right option) or 'answers' (two or more), not"
            + (" both" if "answer" in keys else " neither"),
        )
        return []
    name = "answer" if "answer" in keys else "answers"
    right = lists.get(name) or []
    node = keys[name][1]
    if name == "answer" and len(right) != 1:
        reader.problem(node, "'answer' is one option; write 'answers' for several")
    if name == "answers" and len(right) < 2:
        reader.problem(node, "'answers' lists two or more options; write 'answer' for one")
    if len(right) >= len(options) > 0:
        reader.problem(node, "every option is right: leave at least one wrong")
    for wrong in (a for a in right if a not in options):
        hint = did_you_mean(wrong, options)
        reader.problem(
            node, f"'{wrong}' is not one of the options" + (f" ({hint})" if hint else "")
        )
    return right


def _explained(
    reader: NodeReader, keys: dict[str, tuple[Node, Node]], options: list[str]
) -> dict[str, str]:
    """Why each option is right or wrong, by the option's text: every option, and no other."""
    if "explain" not in keys:
        reader.problem(
            keys["options"][0], "a scenario needs 'explain': why each option is right or wrong"
        )
        return {}
    entries = reader.mapping(keys["explain"][1], "'explain'")
    if entries is None:
        return {}
    explained: dict[str, str] = {}
    for option, (key_node, value_node) in entries.items():
        text = reader.text(value_node, "explain")
        if option not in options:
            hint = did_you_mean(option, options)
            reader.problem(
                key_node,
                f"'explain' names '{option}', which is not one of the options"
                + (f" ({hint})" if hint else ""),
            )
        elif text is not None:
            explained[option] = text
    for option in options:
        if option not in entries:
            reader.problem(keys["explain"][1], f"'explain' says nothing of option '{option}'")
    return explained
