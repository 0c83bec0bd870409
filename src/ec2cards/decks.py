"""Find deck files, load them safely, validate every field and derive card ids.

Validation works on YAML nodes rather than plain values so that every problem carries the
line and column it comes from, and all problems of all files are reported at once.
"""

from __future__ import annotations

import functools
import marshal
import os
import re
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from ec2cards.errors import DeckError, Problem, UsageError
from ec2cards.model import (
    Card,
    CardKind,
    CardList,
    CardRow,
    CardView,
    Collection,
    Deck,
    infer_kind,
)
from ec2cards.paths import bundled_decks_dir, user_decks_dir

if TYPE_CHECKING:
    from yaml import Node

MAX_DECK_BYTES = 5 * 1024 * 1024
MAX_NODES = 500_000
MAX_DEPTH = 64  # a deck needs 4 levels; libyaml's C composer crashes at about 100,000
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


def _close(word: str, choices: Sequence[str], n: int = 1, cutoff: float = 0.6) -> list[str]:
    """Did-you-mean candidates (difflib is imported only when something is wrong)."""
    import difflib

    return difflib.get_close_matches(word, list(choices), n=n, cutoff=cutoff)


def normalise(text: str) -> str:
    """Lower case, accents, punctuation and runs of white space removed: for ids and grading."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    words = re.sub(r"[\W_]+", " ", stripped.casefold())
    return " ".join(words.split())


def derived_card_id(kind: CardKind, text: str) -> str:
    """An id from normalised content, so case, spacing and punctuation edits keep history."""
    norm = normalise(text)
    import hashlib

    digest = hashlib.blake2b(f"{kind.value}:{norm}".encode(), digest_size=4).hexdigest()
    words = "-".join(norm.split()[:4])
    slug = re.sub(r"[^a-z0-9-]", "", words)
    return f"{slug}-{digest}" if slug else digest


class DeckSource(NamedTuple):
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
        close = _close(key, [*allowed, *synonyms], n=1, cutoff=0.6)
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
                close = _close(wrong, options, n=1)
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
                close = _close(raw, names, n=1)
                hint = f"did you mean '{close[0]}'?" if close else f"use one of {', '.join(names)}"
                self.problem(value_node, f"unknown card kind '{raw}' ({hint})")
                return None
        return infer_kind(keys)

    def _cloze_cards(
        self, text_node: Node, text: str, explicit_id: str | None, common: dict[str, object]
    ) -> list[Card]:
        from ec2cards import cloze  # only when a deck is parsed, not on a cached start-up

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


def _compose(text: str, reader: _Reader) -> Node | None:
    """The YAML node tree, built from parser events without recursion.

    libyaml's own composer recurses in C, so a file of 100,000 nested brackets crashes the whole
    process; here nesting stops at MAX_DEPTH, the node count at MAX_NODES, and an alias at once
    (before anything is expanded: no "billion laughs"). Problems go to `reader`; None then.
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
        reader.problems.append(Problem(reader.path, mark.line + 1, mark.column + 1, message))

    events: Any = yaml.parse(text, Loader=_yaml_loader())
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
        root = _compose(text, reader)
        if reader.problems:
            return None, reader.problems
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


CACHE_VERSION = 3


def cache_dir(home: Path) -> Path:
    return home / "cache" / "decks"


def _cache_file(folder: Path, resolved: Path, suffix: str) -> Path:
    # crc32 and adler32 rather than hashlib (slow to import); the file's own stamp holds the full
    # path, so a clash of names could only cost a re-parse, never give another deck's cards.
    data = str(resolved).encode()
    digest = f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}"
    return folder / f"{digest}.{suffix}"


def _write_atomic(path: Path, data: bytes) -> None:
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def _rows_loader(path: Path, stamp: tuple[object, ...]) -> Callable[[], Sequence[CardRow]]:
    def load() -> Sequence[CardRow]:
        data = marshal.loads(path.read_bytes())
        if tuple(data[0]) != stamp:
            raise DeckError([Problem(path, 1, 1, "the deck cache changed while in use; run again")])
        rows: Sequence[CardRow] = data[1]
        return rows

    return load


Stamp = tuple[int, str, int, int, bool]  # cache version, absolute path, size, mtime, bundled


def _cache_stamp(path: Path, bundled: bool) -> tuple[Stamp, Path] | None:
    try:
        status = path.stat()
        resolved = Path(os.path.abspath(path))  # no symlink walk: a syscall per folder level
    except OSError:
        return None
    return (CACHE_VERSION, str(resolved), status.st_size, status.st_mtime_ns, bundled), resolved


def _from_cache(path: Path, bundled: bool, cache: Path) -> tuple[Deck | None, list[Problem]] | None:
    """The deck as its cache holds it, or None when the file changed or has no cache yet."""
    found = _cache_stamp(path, bundled)
    if found is None:
        return None
    stamp, resolved = found
    try:
        data = marshal.loads(_cache_file(cache, resolved, "idx").read_bytes())
        if tuple(data[0]) != stamp:
            return None
        header, keys, topic_sets, topic_ids, problem_rows = data[1:]
    except (OSError, ValueError, EOFError, TypeError, IndexError):
        return None  # no cache yet, or an unreadable one: parse the file
    problems = [Problem(Path(p), line, col, msg) for p, line, col, msg in problem_rows]
    if header is None:
        return None, problems
    deck_id, title, topic, description, source = header
    cards = CardList(
        keys=keys,
        topic_sets=topic_sets,
        topic_ids=topic_ids,
        load_rows=_rows_loader(_cache_file(cache, resolved, "rows"), stamp),
    )
    return Deck(deck_id, title, topic, path, cards, description, source, bundled), problems


def load_deck_cached(
    path: Path, bundled: bool, cache: Path | None
) -> tuple[Deck | None, list[Problem]]:
    """Like load_deck, but a deck file whose path, size and mtime are unchanged is read back
    from a marshal cache in the data folder: no YAML parsing, and only keys and topics up
    front (an index file); the full card rows are read when a card is first looked at."""
    if cache is None:
        return load_deck(path, bundled)
    cached = _from_cache(path, bundled, cache)
    if cached is not None:
        return cached
    found = _cache_stamp(path, bundled)
    if found is None:
        return load_deck(path, bundled)
    stamp, resolved = found
    index_file = _cache_file(cache, resolved, "idx")
    rows_file = _cache_file(cache, resolved, "rows")
    deck, problems = load_deck(path, bundled)
    problem_rows = tuple((str(p.path), p.line, p.column, p.message) for p in problems)
    try:
        cache.mkdir(parents=True, exist_ok=True)
        if deck is None:
            index: Any = (stamp, None, (), (), (), problem_rows)
        else:
            cards = CardList.of(deck.cards)
            table = cards.topic_sets
            topic_ids = list(cards.topic_ids)
            header = (deck.deck_id, deck.title, deck.topic, deck.description, deck.source)
            index = (
                stamp,
                header,
                tuple(cards.keys),
                tuple(table),
                tuple(topic_ids),
                problem_rows,
            )
            _write_atomic(rows_file, marshal.dumps((stamp, cards.rows)))
        _write_atomic(index_file, marshal.dumps(index))
    except (OSError, ValueError):
        pass  # a read-only data folder only costs speed
    return deck, problems


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


PARALLEL_PARSE_MIN = 6


def _parse_into_cache(job: tuple[Path, bool, Path]) -> None:
    path, bundled, cache = job
    load_deck_cached(path, bundled, cache)


def _warm_cache(stale: Sequence[DeckSource], cache: Path) -> None:
    """Parse changed decks on every core when there are many (a first run, a big import):
    the workers write the cache, which the caller then reads like any other time."""
    cores = os.cpu_count() or 1
    if cores < 2 or len(stale) < PARALLEL_PARSE_MIN:
        return
    try:
        cache.mkdir(parents=True, exist_ok=True)
        if not os.access(cache, os.W_OK):
            return
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(min(cores, len(stale)), mp_context=context) as pool:
            list(pool.map(_parse_into_cache, [(s.path, s.bundled, cache) for s in stale]))
    except (OSError, ValueError, RuntimeError):
        pass  # no workers to be had: the caller parses one file after another


def load_sources(
    sources: Sequence[DeckSource], cache: Path | None = None
) -> tuple[list[Deck], list[Problem]]:
    """Load every source, report every problem, and reject deck ids used twice."""
    ready: dict[Path, tuple[Deck | None, list[Problem]]] = {}
    if cache is not None:
        stale: list[DeckSource] = []
        for source in sources:
            cached = _from_cache(source.path, source.bundled, cache)
            if cached is None:
                stale.append(source)
            else:
                ready[source.path] = cached
        _warm_cache(stale, cache)
    decks: list[Deck] = []
    problems: list[Problem] = []
    first_seen: dict[str, Deck] = {}
    loaded: set[tuple[int, int]] = set()
    for source in sources:
        try:
            status = source.path.stat()
            identity = (status.st_dev, status.st_ino)  # the same file, however it was named
        except OSError:
            identity = (-1, len(loaded))
        if identity in loaded:
            continue
        loaded.add(identity)
        deck, found = ready.get(source.path) or load_deck_cached(source.path, source.bundled, cache)
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
    """The collection and the cards a command was asked to work on (listed on first use)."""

    collection: Collection
    deck_ids: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()

    @functools.cached_property
    def cards(self) -> CardView:
        wanted = set(self.topics)
        segments: list[tuple[CardList, list[int] | None]] = []
        for deck in self.collection.decks:
            if self.deck_ids and deck.deck_id not in self.deck_ids:
                continue
            cards = CardList.of(deck.cards)
            if not wanted:
                segments.append((cards, None))
            else:
                picked = [i for i in range(len(cards)) if not wanted.isdisjoint(cards.topics(i))]
                segments.append((cards, picked))
        return CardView(segments)

    def describe(self) -> str:
        parts = []
        if self.deck_ids:
            parts.append(", ".join(self.deck_ids))
        if self.topics:
            parts.append("topic " + ", ".join(self.topics))
        return " · ".join(parts) if parts else "all decks"


def load_collection(home: Path, extra: Sequence[Path] = ()) -> Collection:
    """Every deck ec2cards can find plus `extra` paths; raises DeckError listing every problem."""
    decks, problems = load_sources(
        default_sources(home) + sources_for_paths(extra), cache_dir(home)
    )
    if problems:
        raise DeckError(problems)
    return Collection.of(decks)


def select(home: Path, deck_args: Sequence[str] = (), topics: Sequence[str] = ()) -> Selection:
    """Resolve `--deck` (ids or paths) and `--topic` options to cards, with helpful errors."""
    paths = [Path(value) for value in deck_args if looks_like_path(value)]
    collection = load_collection(home, paths)
    expanded = _expand(paths) if paths else set()
    path_ids = {
        deck.deck_id: deck
        for deck in (collection.decks if paths else ())
        if deck.path.resolve() in expanded
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
            close = _close(value, known, n=1)
            hint = f"did you mean '{close[0]}'?" if close else "known decks: " + ", ".join(known)
            raise UsageError(f"unknown deck '{value}' ({hint})")
    if topics:
        known_topics = collection.topic_counts()
        for topic in topics:
            if topic not in known_topics:
                close = _close(topic, list(known_topics), n=1)
                hint = f"did you mean '{close[0]}'? " if close else ""
                raise UsageError(
                    f"unknown topic '{topic}' ({hint}known topics: {', '.join(known_topics)})"
                )
    return Selection(collection, tuple(dict.fromkeys(deck_ids)), tuple(topics))


def _expand(paths: Sequence[Path]) -> set[Path]:
    result: set[Path] = set()
    for path in paths:
        if path.is_dir():
            result.update(p.resolve() for p in deck_files(path))
        else:
            result.add(path.resolve())
    return result
