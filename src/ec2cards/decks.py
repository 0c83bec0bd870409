"""Find deck files, load them safely, validate every field and derive card ids.

Validation works on YAML nodes rather than plain values so that every problem carries the
line and column it comes from, and all problems of all files are reported at once.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ec2cards import cloze
from ec2cards.errors import DeckError, Problem, UsageError
from ec2cards.model import Card, CardKind, Collection, Deck
from ec2cards.paths import bundled_decks_dir, user_decks_dir

if TYPE_CHECKING:
    from yaml import Node

MAX_DECK_BYTES = 5 * 1024 * 1024
MAX_NODES = 500_000
DECK_SUFFIXES = (".yaml", ".yml")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")

DECK_KEYS = ("deck", "title", "topic", "description", "source", "cards")
REQUIRED_DECK_KEYS = ("deck", "title", "topic", "cards")
COMMON_CARD_KEYS = ("id", "kind", "topics", "tags", "source", "note")
KIND_KEYS: dict[CardKind, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # kind: (required keys, optional keys beyond the common ones)
    CardKind.BASIC: (("q", "a"), ("accept",)),
    CardKind.CLOZE: (("text",), ()),
    CardKind.CHOICE: (("q", "options", "answer"), ()),
    CardKind.ORDER: (("q", "items"), ()),
}
ALL_CARD_KEYS = tuple(
    dict.fromkeys(COMMON_CARD_KEYS + tuple(k for req, opt in KIND_KEYS.values() for k in req + opt))
)
# Words people reach for, mapped to the key the format uses, for did-you-mean hints.
KEY_SYNONYMS = {"question": "q", "answer": "a", "front": "q", "back": "a", "kinds": "kind"}
SAFE_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp")
}
TEXT_TAGS = SAFE_TAGS - {"tag:yaml.org,2002:null", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"}


def normalise(text: str) -> str:
    """Lower case, accents, punctuation and runs of white space removed: for ids and grading."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    words = re.sub(r"[\W_]+", " ", stripped.casefold())
    return " ".join(words.split())


def derived_card_id(kind: CardKind, text: str) -> str:
    """An id from normalised content, so case, spacing and punctuation edits keep history."""
    norm = normalise(text)
    digest = hashlib.blake2b(f"{kind.value}:{norm}".encode(), digest_size=4).hexdigest()
    words = "-".join(norm.split()[:4])
    slug = re.sub(r"[^a-z0-9-]", "", words)
    return f"{slug}-{digest}" if slug else digest


@dataclass
class DeckSource:
    """A deck file to load, and whether it came with ec2cards."""

    path: Path
    bundled: bool = False


@dataclass
class _Reader:
    """Turns the YAML node tree of one file into a Deck, collecting problems on the way."""

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
        close = difflib.get_close_matches(key, [*allowed, *synonyms], n=1, cutoff=0.6)
        hint = (
            f" (did you mean '{synonyms.get(close[0], close[0])}'?)"
            if close
            else f" (known keys: {', '.join(allowed)})"
        )
        self.problem(key_node, f"unknown key '{key}' in {where}{hint}")

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
            cards=tuple(cards),
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
        for key in ("id", "q", "a", "text", "source", "note"):
            if key in keys:
                values[key] = self.text(keys[key][1], key, slug=key == "id")
        lists: dict[str, list[str] | None] = {}
        for key in ("accept", "options", "answer", "items", "topics", "tags"):
            if key in keys:
                lists[key] = self.text_list(keys[key][1], key, slug=key == "topics")
        if missing or len(self.problems) > before:
            return []

        question = values.get("q") or ""
        extra_topics = lists.get("topics") or []
        common = {
            "deck_id": deck_id,
            "topics": tuple(dict.fromkeys([topic, *extra_topics])),
            "tags": tuple(lists.get("tags") or ()),
            "source": values.get("source") or deck_source,
            "note": values.get("note") or "",
            "path": self.path,
            "line": node.start_mark.line + 1,
            "position": position,
        }
        explicit_id = values.get("id")

        if kind is CardKind.CLOZE:
            text = values["text"] or ""
            return self._cloze_cards(keys["text"][1], text, explicit_id, common)

        card_id = explicit_id or derived_card_id(kind, question)
        if kind is CardKind.BASIC:
            return [
                Card(
                    card_id=card_id,
                    kind=kind,
                    question=question,
                    answer=values.get("a") or "",
                    accept=tuple(lists.get("accept") or ()),
                    **common,  # type: ignore[arg-type]
                )
            ]
        if kind is CardKind.CHOICE:
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
                close = difflib.get_close_matches(wrong, options, n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                self.problem(
                    keys["answer"][1], f"choice answer '{wrong}' is not one of the options{hint}"
                )
                ok = False
            if not ok:
                return []
            return [
                Card(
                    card_id=card_id,
                    kind=kind,
                    question=question,
                    options=tuple(options),
                    correct=tuple(answer),
                    answer=", ".join(answer),
                    **common,  # type: ignore[arg-type]
                )
            ]
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
                kind=kind,
                question=question,
                items=tuple(items),
                answer=" → ".join(items),
                **common,  # type: ignore[arg-type]
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
                close = difflib.get_close_matches(raw, names, n=1)
                hint = f"did you mean '{close[0]}'?" if close else f"use one of {', '.join(names)}"
                self.problem(value_node, f"unknown card kind '{raw}' ({hint})")
                return None
        # No kind: infer it from the fields, basic by default.
        if "text" in keys and "q" not in keys:
            return CardKind.CLOZE
        if "options" in keys:
            return CardKind.CHOICE
        if "items" in keys:
            return CardKind.ORDER
        return CardKind.BASIC

    def _cloze_cards(
        self, text_node: Node, text: str, explicit_id: str | None, common: dict[str, object]
    ) -> list[Card]:
        found = cloze.deletions(text)
        if not found:
            self.problem(
                text_node,
                "cloze card has no deletion; mark one as {{c1::words}} or {{c1::words::hint}}",
            )
            return []
        if cloze.has_stray_braces(text):
            self.problem(
                text_node, "malformed cloze deletion; write {{c1::words}} or {{c1::words::hint}}"
            )
            return []
        empty = [d for d in found if not d.words.strip()]
        if empty:
            self.problem(text_node, f"cloze deletion c{empty[0].number} is empty")
            return []
        base = explicit_id or derived_card_id(CardKind.CLOZE, text)
        return [
            Card(
                card_id=f"{base}-c{number}",
                kind=CardKind.CLOZE,
                question=cloze.front(text, number),
                answer=", ".join(cloze.answers(text, number)),
                cloze_text=text,
                cloze_number=number,
                **common,  # type: ignore[arg-type]
            )
            for number in cloze.numbers(text)
        ]


def _yaml_loader() -> type:
    """libyaml's safe loader when present (fast), else the pure-Python safe loader. Never unsafe."""
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _check_tree(root: Node, reader: _Reader) -> bool:
    """Reject object-building tags, aliases (the way to a "billion laughs") and huge trees."""
    import yaml

    seen: set[int] = set()
    stack = [root]
    count = 0
    while stack:
        node = stack.pop()
        count += 1
        if count > MAX_NODES:
            reader.problem(root, f"the deck is too large (more than {MAX_NODES} YAML nodes)")
            return False
        if id(node) in seen:
            reader.problem(node, "YAML anchors and aliases (&name, *name) are not allowed in decks")
            return False
        seen.add(id(node))
        if node.tag not in SAFE_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            reader.problem(node, f"YAML tag '{tag}' is not allowed: decks are plain data")
            continue
        if isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
        elif isinstance(node, yaml.MappingNode):
            for key, value in reversed(node.value):
                stack.extend((value, key))
    return True


def load_deck(path: Path, bundled: bool = False) -> tuple[Deck | None, list[Problem]]:
    """Load and validate one deck file; never raises for bad content."""
    import yaml

    reader = _Reader(path, bundled)
    try:
        size = path.stat().st_size
        if size > MAX_DECK_BYTES:
            reader.problem(None, f"the file is {size} bytes; decks are limited to {MAX_DECK_BYTES}")
            return None, reader.problems
        raw = path.read_bytes()
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
        root = yaml.compose(text, Loader=_yaml_loader())
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = error.problem or error.context or "invalid YAML"
        reader.problems.append(Problem(path, line, col, f"YAML syntax error: {what}"))
        return None, reader.problems
    except yaml.YAMLError as error:
        reader.problems.append(Problem(path, 1, 1, f"YAML error: {error}"))
        return None, reader.problems
    if root is not None and not _check_tree(root, reader):
        return None, reader.problems
    deck = reader.deck(root)
    return (deck if not reader.problems else None), reader.problems


def deck_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in DECK_SUFFIXES and p.is_file())


def default_sources(home: Path) -> list[DeckSource]:
    """Bundled decks first, then the user's own."""
    bundled = [DeckSource(p, bundled=True) for p in deck_files(bundled_decks_dir())]
    return bundled + [DeckSource(p) for p in deck_files(user_decks_dir(home))]


def sources_for_paths(paths: Iterable[Path]) -> list[DeckSource]:
    """Deck files named on the command line: files, or folders of deck files."""
    sources: list[DeckSource] = []
    for path in paths:
        if path.is_dir():
            sources.extend(DeckSource(p) for p in deck_files(path))
        elif path.exists():
            sources.append(DeckSource(path))
        else:
            raise UsageError(f"{path}: no such deck file or folder")
    return sources


def load_sources(sources: Sequence[DeckSource]) -> tuple[list[Deck], list[Problem]]:
    """Load every source, report every problem, and reject deck ids used twice."""
    decks: list[Deck] = []
    problems: list[Problem] = []
    first_seen: dict[str, Deck] = {}
    loaded: set[Path] = set()
    for source in sources:
        resolved = source.path.resolve()
        if resolved in loaded:
            continue
        loaded.add(resolved)
        deck, found = load_deck(source.path, source.bundled)
        problems.extend(found)
        if deck is None:
            continue
        other = first_seen.get(deck.deck_id)
        if other is not None:
            problems.append(
                Problem(
                    deck.path,
                    1,
                    1,
                    f"deck id '{deck.deck_id}' is already used by {other.path};"
                    " give this deck another 'deck:' id",
                )
            )
            continue
        first_seen[deck.deck_id] = deck
        decks.append(deck)
    return decks, problems


def looks_like_path(value: str) -> bool:
    return "/" in value or "\\" in value or value.endswith(DECK_SUFFIXES) or Path(value).exists()


@dataclass(frozen=True)
class Selection:
    """The collection and the cards a command was asked to work on."""

    collection: Collection
    cards: list[Card]
    deck_ids: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()

    def describe(self) -> str:
        parts = []
        if self.deck_ids:
            parts.append(", ".join(self.deck_ids))
        if self.topics:
            parts.append("topic " + ", ".join(self.topics))
        return " · ".join(parts) if parts else "all decks"


def load_collection(home: Path, extra: Sequence[Path] = ()) -> Collection:
    """Every deck ec2cards can find plus `extra` paths; raises DeckError listing every problem."""
    decks, problems = load_sources(default_sources(home) + sources_for_paths(extra))
    if problems:
        raise DeckError(problems)
    return Collection.of(decks)


def select(home: Path, deck_args: Sequence[str] = (), topics: Sequence[str] = ()) -> Selection:
    """Resolve `--deck` (ids or paths) and `--topic` options to cards, with helpful errors."""
    paths = [Path(value) for value in deck_args if looks_like_path(value)]
    collection = load_collection(home, paths)
    path_ids = {
        deck.deck_id: deck for deck in collection.decks if deck.path.resolve() in _expand(paths)
    }
    deck_ids: list[str] = []
    for value in deck_args:
        if looks_like_path(value):
            expanded = _expand([Path(value)])
            deck_ids.extend(d.deck_id for d in path_ids.values() if d.path.resolve() in expanded)
        elif value in collection.by_id:
            deck_ids.append(value)
        else:
            known = sorted(collection.by_id)
            close = difflib.get_close_matches(value, known, n=1)
            hint = f"did you mean '{close[0]}'?" if close else "known decks: " + ", ".join(known)
            raise UsageError(f"unknown deck '{value}' ({hint})")
    cards = [c for d in collection.decks if not deck_ids or d.deck_id in deck_ids for c in d.cards]
    known_topics = collection.topic_counts()
    for topic in topics:
        if topic not in known_topics:
            close = difflib.get_close_matches(topic, list(known_topics), n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            raise UsageError(
                f"unknown topic '{topic}' ({hint}known topics: {', '.join(known_topics)})"
            )
    if topics:
        cards = [c for c in cards if set(c.topics) & set(topics)]
    return Selection(collection, cards, tuple(dict.fromkeys(deck_ids)), tuple(topics))


def _expand(paths: Sequence[Path]) -> set[Path]:
    result: set[Path] = set()
    for path in paths:
        if path.is_dir():
            result.update(p.resolve() for p in deck_files(path))
        else:
            result.add(path.resolve())
    return result
