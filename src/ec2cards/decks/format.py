"""The deck file format: YAML text to a Deck, with every problem located.

Validation works on YAML nodes rather than plain values so that every problem carries the
line and column it comes from, and all problems of a file are reported at once. Imported only
when a deck file must be read (a cached start-up never needs it).
"""

from __future__ import annotations

import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, TypedDict

from ec2cards.decks.naming import derived_card_id
from ec2cards.decks.safe_yaml import MAX_DECK_BYTES, check_tree, compose
from ec2cards.decks.yaml_errors import yaml_syntax_problem
from ec2cards.decks.yaml_nodes import NodeReader
from ec2cards.errors import Problem
from ec2cards.model.card_lists import CardList
from ec2cards.model.cards import Card, CardKind, infer_kind
from ec2cards.model.decks import Deck
from ec2cards.model.text import normalise
from ec2cards.model.wording import did_you_mean

if TYPE_CHECKING:
    from yaml import Node


DECK_KEYS = ("deck", "title", "topic", "description", "source", "cards")
REQUIRED_DECK_KEYS = ("deck", "title", "topic", "cards")
COMMON_CARD_KEYS = ("id", "kind", "topics", "tags", "source", "note", "group")
KIND_KEYS: dict[CardKind, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # kind: (required keys, optional keys beyond the common ones)
    CardKind.BASIC: (("q", "a"), ("accept",)),
    CardKind.CLOZE: (("text",), ("accept",)),
    CardKind.CHOICE: (("q", "options", "answer"), ()),
    CardKind.ORDER: (("q", "items"), ()),
    CardKind.SCENARIO: (("q", "options"), ("answer", "answers", "explain", "tests")),
}
ALL_CARD_KEYS = tuple(
    dict.fromkeys(COMMON_CARD_KEYS + tuple(k for req, opt in KIND_KEYS.values() for k in req + opt))
)


class _Common(TypedDict):
    """What every card of an entry shares, as the Card fields it fills."""

    deck_id: str
    topics: tuple[str, ...]
    tags: tuple[str, ...]
    source: str
    note: str
    path: Path | None
    line: int
    position: int
    group: str


class _Fields(NamedTuple):
    """A card entry's values as read: texts, lists of texts, a cloze's other answers."""

    values: dict[str, str | None]
    lists: dict[str, list[str] | None]
    cloze_accept: dict[int, list[str]]


class _Entry(NamedTuple):
    """One card entry read and checked, ready for its kind's own checks."""

    card_id: str
    question: str
    keys: dict[str, tuple[Node, Node]]
    lists: dict[str, list[str] | None]
    common: _Common


@dataclass
class _Reader(NodeReader):
    """Turns the YAML node tree of one file into a Deck, collecting problems on the way."""

    # -- deck ------------------------------------------------------------------------------

    def deck(self, root: Node | None) -> Deck | None:
        if root is None:
            self.problems.append(Problem(self.path, 1, 1, "the deck file is empty"))
            return None
        keys = self.mapping(root, "the deck")
        if keys is None:
            return None
        for key, (key_node, _) in keys.items():
            if key not in DECK_KEYS:
                self.unknown_key(key_node, key, DECK_KEYS, "the deck")
        for key in REQUIRED_DECK_KEYS:
            if key not in keys:
                self.problem(root, f"the deck has no '{key}'")

        def field_text(key: str, slug: bool = False) -> str | None:
            return self.text(keys[key][1], key, slug=slug) if key in keys else None

        deck_id = field_text("deck", slug=True)
        title = field_text("title")
        topic = field_text("topic", slug=True)
        description = field_text("description") or ""
        source = field_text("source") or ""
        cards: list[Card] = []
        if "cards" in keys:
            cards = self.cards(keys["cards"][1], deck_id or "?", topic or "?", source)
        if deck_id is None or title is None or topic is None:
            return None
        return Deck(
            deck_id=deck_id,
            title=title,
            topic=topic,
            path=self.path,
            cards=CardList.of(cards),
            description=description,
            source=source,
            bundled=self.bundled,
        )

    def cards(self, node: Node, deck_id: str, topic: str, deck_source: str) -> list[Card]:
        import yaml

        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, "'cards' must be a list of cards")
            return []
        if not node.value:
            self.problem(node, "the deck has no cards")
        cards: list[Card] = []
        seen: dict[str, int] = {}
        for position, card_node in enumerate(node.value):
            for card in self.card(card_node, deck_id, topic, deck_source, position):
                if card.card_id in seen:
                    self.problem(
                        card_node,
                        f"duplicate card id '{card.card_id}' (also at line {seen[card.card_id]});"
                        " give each card its own 'id' or remove the duplicate",
                    )
                    continue
                seen[card.card_id] = card.line
                cards.append(card)
        return cards

    def card(
        self, node: Node, deck_id: str, topic: str, deck_source: str, position: int
    ) -> list[Card]:
        keys = self.mapping(node, "a card")
        if keys is None:
            return []
        kind = self._kind(keys)
        if kind is None:
            return []
        found = self._fields(node, keys, kind)
        if found is None:
            return []
        values, lists = found.values, found.lists
        extra_topics = lists.get("topics") or []
        common: _Common = {
            "deck_id": deck_id,
            "topics": tuple(dict.fromkeys([topic, *extra_topics])),
            "tags": tuple(lists.get("tags") or ()),
            "source": values.get("source") or deck_source,
            "note": values.get("note") or "",
            "path": self.path,
            "line": node.start_mark.line + 1,
            "position": position,
            "group": values.get("group") or "",
        }
        explicit_id = values.get("id")
        if kind is CardKind.CLOZE:
            text = values["text"] or ""
            accept_node = keys["accept"][1] if "accept" in keys else None
            return self._cloze_cards(
                keys["text"][1], text, explicit_id, common, found.cloze_accept, accept_node
            )
        question = values.get("q") or ""
        card_id = explicit_id or derived_card_id(kind, question)
        if kind is CardKind.BASIC:
            answer, accept = values.get("a") or "", tuple(lists.get("accept") or ())
            return [
                Card(
                    card_id=card_id,
                    kind=kind,
                    question=question,
                    answer=answer,
                    accept=accept,
                    **common,
                )
            ]
        if kind is CardKind.SCENARIO:
            from ec2cards.decks.scenario_format import scenario_card

            return scenario_card(self, card_id, question, keys, lists, dict(common))
        entry = _Entry(card_id, question, keys, lists, common)
        return self._choice_card(entry) if kind is CardKind.CHOICE else self._order_card(entry)

    def _fields(
        self, node: Node, keys: dict[str, tuple[Node, Node]], kind: CardKind
    ) -> _Fields | None:
        """The card's keys checked against its kind and its values read; None when any of it
        was wrong (every problem reported)."""
        required, optional = KIND_KEYS[kind]
        allowed = COMMON_CARD_KEYS + required + optional
        for key, (key_node, _) in keys.items():
            if key in allowed:
                continue
            if key in ALL_CARD_KEYS:
                self.problem(key_node, f"'{key}' does not belong on a {kind.value} card")
            else:
                self.unknown_key(key_node, key, allowed, f"a {kind.value} card")
        missing = [key for key in required if key not in keys]
        for key in missing:
            self.problem(node, f"{kind.value} card has no '{key}'")

        before = len(self.problems)
        values: dict[str, str | None] = {}
        for key in ("id", "q", "a", "text", "source", "note", "group"):
            if key in keys:
                values[key] = self.text(keys[key][1], key, slug=key in ("id", "group"))
        lists: dict[str, list[str] | None] = {}
        for key in ("accept", "options", "answer", "answers", "items", "topics", "tags", "tests"):
            if key in keys and not (key == "accept" and kind is CardKind.CLOZE):
                lists[key] = self.text_list(keys[key][1], key, slug=key == "topics")
        cloze_accept: dict[int, list[str]] = {}
        if kind is CardKind.CLOZE and "accept" in keys:
            cloze_accept = self.cloze_accept(keys["accept"][1])
        if missing or len(self.problems) > before:
            return None
        return _Fields(values, lists, cloze_accept)

    def _choice_card(self, entry: _Entry) -> list[Card]:
        card_id, question, keys, lists, common = entry
        options = lists.get("options") or []
        answer = lists.get("answer") or []
        ok = True
        if len(options) < 2:
            self.problem(keys["options"][1], "a choice card needs at least two options")
            ok = False
        if len({normalise(o) for o in options}) != len(options):
            self.problem(keys["options"][1], "choice options must all differ")
            ok = False
        for wrong in [a for a in answer if a not in options]:
            hint = did_you_mean(wrong, options)
            hint = f" ({hint})" if hint else ""
            self.problem(
                keys["answer"][1], f"choice answer '{wrong}' is not one of the options{hint}"
            )
            ok = False
        if not ok:
            return []
        return [
            Card(
                card_id=card_id,
                kind=CardKind.CHOICE,
                question=question,
                options=tuple(options),
                correct=tuple(answer),
                answer=", ".join(answer),
                **common,
            )
        ]

    def _order_card(self, entry: _Entry) -> list[Card]:
        card_id, question, keys, lists, common = entry
        items = lists.get("items") or []
        if len(items) < 2:
            self.problem(keys["items"][1], "an order card needs at least two items")
            return []
        if len(set(items)) != len(items):
            self.problem(keys["items"][1], "order items must all differ")
            return []
        return [
            Card(
                card_id=card_id,
                kind=CardKind.ORDER,
                question=question,
                items=tuple(items),
                answer=" → ".join(items),
                **common,
            )
        ]

    def _kind(self, keys: dict[str, tuple[Node, Node]]) -> CardKind | None:
        if "kind" in keys:
            _key_node, value_node = keys["kind"]
            raw = self.text(value_node, "kind")
            if raw is None:
                return None
            try:
                return CardKind(raw)
            except ValueError:
                names = [k.value for k in CardKind]
                hint = did_you_mean(raw, names) or f"use one of {', '.join(names)}"
                self.problem(value_node, f"unknown card kind '{raw}' ({hint})")
                return None
        return infer_kind(keys)

    def cloze_accept(self, node: Node) -> dict[int, list[str]]:
        """Other answers for a cloze's deletions: `{c1: [...], c2: [...]}`, or a list for a
        cloze of one deletion (0 stands for "the only one" until the text is read)."""
        import yaml

        if not isinstance(node, yaml.MappingNode):
            values = self.text_list(node, "accept")
            return {0: values} if values is not None else {}
        found: dict[int, list[str]] = {}
        for key_node, value_node in node.value:
            name = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else ""
            match = re.fullmatch(r"c([1-9][0-9]*)", name)
            if match is None:
                self.problem(key_node, f"'accept' keys name deletions (c1, c2, ...), not '{name}'")
                continue
            values = self.text_list(value_node, f"accept {name}")
            if values is not None:
                found[int(match.group(1))] = values
        return found

    def _cloze_cards(
        self,
        text_node: Node,
        text: str,
        explicit_id: str | None,
        common: _Common,
        accept: dict[int, list[str]],
        accept_node: Node | None,
    ) -> list[Card]:
        from ec2cards.model import cloze

        found = cloze.deletions(text)
        if not found:
            self.problem(
                text_node,
                "cloze card has no deletion; mark one as {{c1::words}} or {{c1::words::hint}}",
            )
            return []
        wrong = cloze.markup_problem(text)
        if wrong is not None:
            self.problem(text_node, wrong)
            return []
        empty = [d for d in found if not d.words.strip()]
        if empty:
            self.problem(text_node, f"cloze deletion c{empty[0].number} is empty")
            return []
        numbers = cloze.numbers(text)
        if 0 in accept:
            if len(numbers) > 1:
                self.problem(
                    accept_node,
                    "this cloze has several deletions: give each its answers, as"
                    " accept: {c1: [...], c2: [...]}",
                )
                return []
            accept = {numbers[0]: accept[0]}
        for number in sorted(set(accept) - set(numbers)):
            self.problem(accept_node, f"'accept' names c{number}, which the text does not delete")
            return []
        base = explicit_id or derived_card_id(CardKind.CLOZE, text)
        if not common["group"]:
            common = {**common, "group": base}
        return [
            Card(
                card_id=f"{base}-c{number}",
                kind=CardKind.CLOZE,
                question=cloze.front(text, number),
                answer=", ".join(cloze.answers(text, number)),
                accept=tuple(accept.get(number, ())),
                cloze_text=text,
                cloze_number=number,
                **common,
            )
            for number in numbers
        ]


def load_deck(path: Path, bundled: bool = False) -> tuple[Deck | None, list[Problem]]:
    """Load and validate one deck file; never raises for bad content."""
    import yaml

    reader = _Reader(path, bundled)
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):  # a FIFO would wait for a writer for ever
            reader.problem(None, "not a regular file; a deck is a YAML file")
            return None, reader.problems
        size = status.st_size
        if size > MAX_DECK_BYTES:
            reader.problem(None, f"the file is {size} bytes; decks are limited to {MAX_DECK_BYTES}")
            return None, reader.problems
        with path.open("rb") as handle:  # bounded: a FIFO or /dev/zero has no honest size
            raw = handle.read(MAX_DECK_BYTES + 1)
        if len(raw) > MAX_DECK_BYTES:
            reader.problem(None, f"the file is over {MAX_DECK_BYTES} bytes, the limit for a deck")
            return None, reader.problems
    except OSError as error:
        reader.problem(None, f"cannot read the file: {error.strerror or error}")
        return None, reader.problems
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        reader.problems.append(Problem(path, line, 1, "the file is not UTF-8 text"))
        return None, reader.problems
    try:
        root = compose(text, path, reader.problems)
        if reader.problems:
            return None, reader.problems
    except yaml.MarkedYAMLError as error:
        reader.problems.append(yaml_syntax_problem(path, error))
        return None, reader.problems
    except yaml.YAMLError as error:
        reader.problems.append(Problem(path, 1, 1, f"YAML error: {error}"))
        return None, reader.problems
    if root is not None and not check_tree(root, path, reader.problems):
        return None, reader.problems
    deck = reader.deck(root)
    return (deck if not reader.problems else None), reader.problems
