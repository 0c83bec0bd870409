"""Reading a YAML node tree with every problem located: mappings, texts, lists of texts and
unknown keys, each problem with the line and column of its node. The deck format's reader
builds on this (`format.py`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ec2cards.decks.naming import SLUG
from ec2cards.decks.safe_yaml import SAFE_TAGS, TEXT_TAGS
from ec2cards.errors import Problem
from ec2cards.model.wording import close_matches

if TYPE_CHECKING:
    from yaml import Node

# Words people reach for, mapped to the key the format uses, for did-you-mean hints.
KEY_SYNONYMS = {"question": "q", "answer": "a", "front": "q", "back": "a", "kinds": "kind"}


@dataclass
class NodeReader:
    """Reads values out of the nodes of one file, collecting problems on the way."""

    path: Path
    bundled: bool
    problems: list[Problem] = field(default_factory=list)

    def problem(self, node: Node | None, message: str) -> None:
        line, col = (node.start_mark.line + 1, node.start_mark.column + 1) if node else (1, 1)
        self.problems.append(Problem(self.path, line, col, message))

    # -- node helpers -------------------------------------------------------------------------

    def mapping(self, node: Node, what: str) -> dict[str, tuple[Node, Node]] | None:
        import yaml

        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"{what} must be a mapping of keys to values")
            return None
        result: dict[str, tuple[Node, Node]] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in TEXT_TAGS:
                self.problem(key_node, f"{what} keys must be plain words")
                continue
            key = str(key_node.value)
            if key in result:
                self.problem(key_node, f"duplicate key '{key}' in {what}")
                continue
            result[key] = (key_node, value_node)
        return result

    def text(self, node: Node, key: str, *, slug: bool = False) -> str | None:
        import yaml

        if node.tag not in SAFE_TAGS:
            return None  # already reported by _check_tree
        if not isinstance(node, yaml.ScalarNode) or node.tag not in TEXT_TAGS:
            self.problem(node, f"'{key}' must be text")
            return None
        value = str(node.value).strip()
        if not value:
            self.problem(node, f"'{key}' is empty")
            return None
        if slug and not SLUG.match(value):
            self.problem(
                node,
                f"'{key}' must be a slug (lower-case letters, digits and '-'), not '{value}'",
            )
            return None
        return value

    def text_list(self, node: Node, key: str, *, slug: bool = False) -> list[str] | None:
        """A list of texts; a single text is taken as a list of one."""
        import yaml

        if isinstance(node, yaml.ScalarNode):
            one = self.text(node, key, slug=slug)
            return None if one is None else [one]
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, f"'{key}' must be a list of texts")
            return None
        values = [self.text(item, key, slug=slug) for item in node.value]
        if any(v is None for v in values):
            return None
        return [v for v in values if v is not None]

    def unknown_key(self, key_node: Node, key: str, allowed: Sequence[str], where: str) -> None:
        synonyms = {k: v for k, v in KEY_SYNONYMS.items() if v in allowed}
        close = close_matches(key, [*allowed, *synonyms])
        hint = (
            f" (did you mean '{synonyms.get(close[0], close[0])}'?)"
            if close
            else f" (known keys: {', '.join(allowed)})"
        )
        self.problem(key_node, f"unknown key '{key}' in {where}{hint}")
