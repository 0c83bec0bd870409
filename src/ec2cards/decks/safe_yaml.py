"""YAML read as plain data, safely: decks come from strangers.

The node tree is built from parser events without recursion, so that nesting, size and aliases
are refused before they can exhaust the process; tags that would build objects are refused too.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ec2cards.errors import Problem

if TYPE_CHECKING:
    from yaml import Node

MAX_DECK_BYTES = 5 * 1024 * 1024
MAX_NODES = 500_000
MAX_DEPTH = 64  # a deck needs 4 levels; libyaml's C composer crashes at about 100,000
SAFE_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp")
}
TEXT_TAGS = SAFE_TAGS - {"tag:yaml.org,2002:null", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"}


def _located(problems: list[Problem], path: Path, node: Node | None, message: str) -> None:
    line, col = (node.start_mark.line + 1, node.start_mark.column + 1) if node else (1, 1)
    problems.append(Problem(path, line, col, message))


def yaml_loader() -> type:
    """libyaml's safe loader when present (fast), else the pure-Python safe loader. Never unsafe."""
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def compose(text: str, path: Path, problems: list[Problem]) -> Node | None:
    """The YAML node tree, built from parser events without recursion.

    libyaml's own composer recurses in C, so a file of 100,000 nested brackets crashes the whole
    process; here nesting stops at MAX_DEPTH, the node count at MAX_NODES, and an alias at once
    (before anything is expanded: no "billion laughs"). Problems go to `problems`; None then.
    """
    import yaml
    from yaml.resolver import Resolver

    resolve: Any = Resolver().resolve
    scalar_event, sequence_event = yaml.ScalarEvent, yaml.SequenceStartEvent
    ends = (yaml.SequenceEndEvent, yaml.MappingEndEvent)
    root: Node | None = None
    stack: list[Any] = []  # open collection nodes
    keys: list[Node | None] = []  # per open collection: a mapping key waiting for its value
    count = documents = 0

    def stop(event: Any, message: str) -> None:
        mark = event.start_mark
        problems.append(Problem(path, mark.line + 1, mark.column + 1, message))

    events: Any = yaml.parse(text, Loader=yaml_loader())
    for event in events:
        kind = type(event)
        node: Any
        if kind is scalar_event:
            tag = event.tag
            if tag is None or tag == "!":
                tag = resolve(yaml.ScalarNode, event.value, event.implicit)
            node = yaml.ScalarNode(
                tag, event.value, event.start_mark, event.end_mark, style=event.style
            )
        elif kind is sequence_event or kind is yaml.MappingStartEvent:
            node_class: Any = yaml.SequenceNode if kind is sequence_event else yaml.MappingNode
            tag = event.tag
            if tag is None or tag == "!":
                tag = resolve(node_class, None, event.implicit)
            node = node_class(tag, [], event.start_mark, None, flow_style=event.flow_style)
        elif kind in ends:
            stack.pop().end_mark = event.end_mark
            keys.pop()
            continue
        elif kind is yaml.AliasEvent:
            stop(event, "YAML anchors and aliases (&name, *name) are not allowed in decks")
            return None
        elif kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                stop(event, "YAML syntax error: a deck file holds one YAML document, not several")
                return None
            continue
        else:
            continue
        count += 1
        if count > MAX_NODES:
            stop(event, f"the deck is too large (more than {MAX_NODES} YAML nodes)")
            return None
        if not stack:
            root = node
        elif isinstance(stack[-1], yaml.SequenceNode):
            stack[-1].value.append(node)
        elif keys[-1] is None:
            keys[-1] = node
        else:
            stack[-1].value.append((keys[-1], node))
            keys[-1] = None
        if kind is not scalar_event:
            if len(stack) >= MAX_DEPTH:
                stop(event, f"the deck is nested too deeply (more than {MAX_DEPTH} levels)")
                return None
            stack.append(node)
            keys.append(None)
    return root


def check_tree(root: Node, path: Path, problems: list[Problem]) -> bool:
    """Reject object-building tags, aliases (the way to a "billion laughs") and huge trees."""
    import yaml

    seen: set[int] = set()
    stack = [root]
    count = 0
    while stack:
        node = stack.pop()
        count += 1
        if count > MAX_NODES:
            _located(
                problems, path, root, f"the deck is too large (more than {MAX_NODES} YAML nodes)"
            )
            return False
        if id(node) in seen:
            _located(
                problems,
                path,
                node,
                "YAML anchors and aliases (&name, *name) are not allowed in decks",
            )
            return False
        seen.add(id(node))
        if node.tag not in SAFE_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            _located(problems, path, node, f"YAML tag '{tag}' is not allowed: decks are plain data")
            continue
        if isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
        elif isinstance(node, yaml.MappingNode):
            for key, value in reversed(node.value):
                stack.extend((value, key))
    return True
