"""`ec2cards add`: one card, checked field by field, appended to a deck of the user's own as
text (see `entries`), which leaves the rest of the file exactly as the user wrote it."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from ec2cards.config.paths import bundled_decks_dir, user_decks_dir
from ec2cards.decks.entries import append_entries, check_text, entry_ids, read_exact
from ec2cards.decks.fields import (
    FieldError,
    clean_answer,
    clean_cloze,
    clean_explanations,
    clean_items,
    clean_options,
    clean_text,
    clean_topics,
    slug_error,
)
from ec2cards.decks.format import load_deck
from ec2cards.decks.selection import looks_like_path
from ec2cards.decks.sources import DECK_SUFFIXES, default_sources, load_sources
from ec2cards.errors import DeckError, Ec2CardsError, UsageError
from ec2cards.files import atomic_write
from ec2cards.model.cards import Card, CardKind, infer_kind
from ec2cards.model.decks import Deck
from ec2cards.model.text import normalise
from ec2cards.model.wording import did_you_mean


def user_decks(home: Path) -> list[Path]:
    folder = user_decks_dir(home)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in DECK_SUFFIXES and p.is_file())


def find_deck(home: Path, name: str) -> Deck:
    """A deck the user may write to: by id or path; bundled decks are refused with the way out."""
    if looks_like_path(name):
        path = Path(name)
        if not path.is_file():
            raise UsageError(f"{path}: no such deck file")
        if path.resolve().is_relative_to(bundled_decks_dir().resolve()):
            raise UsageError(_BUNDLED.format(name=name))
        deck, problems = load_deck(path)
        if deck is None:
            raise DeckError(problems)
        return deck
    decks, problems = load_sources(default_sources(home))
    by_id = {deck.deck_id: deck for deck in decks}
    deck = by_id.get(name)
    if deck is None:
        if problems:  # the deck may be one that does not load: show why
            raise DeckError(problems)
        known = sorted(d.deck_id for d in decks if not d.bundled)
        if known:
            hint = did_you_mean(name, known) or "your decks: " + ", ".join(known)
        else:
            hint = f"create it with: ec2cards deck new {name}"
        raise UsageError(f"unknown deck '{name}' ({hint})")
    if deck.bundled:
        raise UsageError(_BUNDLED.format(name=name))
    return deck


_BUNDLED = (
    "deck '{name}' comes with ec2cards and is not changed by add; make a deck of your own"
    " with `ec2cards deck new NAME`, then `ec2cards add --deck NAME`"
)


@dataclass
class Draft:
    """The fields of a card being written, before it is a YAML entry."""

    kind: CardKind = CardKind.BASIC
    q: str = ""
    a: str = ""
    text: str = ""
    accept: list[str] = field(default_factory=list)
    options: list[str] = field(default_factory=list)
    answer: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    source: str = ""
    note: str = ""
    card_id: str = ""
    explain: list[str] = field(default_factory=list)  # a scenario's, in the options' order
    tests: list[str] = field(default_factory=list)  # a scenario's recall cards, by key

    def missing(self) -> list[str]:
        """Required fields still empty, named as the options that give them."""
        needs: dict[CardKind, list[tuple[str, str | list[str]]]] = {
            CardKind.BASIC: [("--q", self.q), ("--a", self.a)],
            CardKind.CLOZE: [("--text", self.text)],
            CardKind.CHOICE: [
                ("--q", self.q),
                ("--option", self.options),
                ("--answer", self.answer),
            ],
            CardKind.ORDER: [("--q", self.q), ("--item", self.items)],
            CardKind.SCENARIO: [
                ("--q", self.q),
                ("--option", self.options),
                ("--answer", self.answer),
                ("--explain", self.explain),
            ],
        }
        return [name for name, value in needs[self.kind] if not value]

    def entry(self) -> dict[str, Any]:
        entry: dict[str, Any] = {}
        if self.card_id:
            entry["id"] = self.card_id
        if self.kind is not CardKind.BASIC:
            entry["kind"] = self.kind.value
        if self.kind is CardKind.CLOZE:
            entry["text"] = self.text
        else:
            entry["q"] = self.q
        if self.kind is CardKind.BASIC:
            entry["a"] = self.a
            if self.accept:
                entry["accept"] = list(self.accept)
        if self.kind is CardKind.CHOICE:
            entry["options"] = list(self.options)
            entry["answer"] = self.answer[0] if len(self.answer) == 1 else list(self.answer)
        if self.kind is CardKind.ORDER:
            entry["items"] = list(self.items)
        if self.kind is CardKind.SCENARIO:
            entry["options"] = list(self.options)
            if len(self.answer) == 1:
                entry["answer"] = self.answer[0]
            else:
                entry["answers"] = list(self.answer)
            entry["explain"] = dict(zip(self.options, self.explain, strict=False))
            if self.tests:
                entry["tests"] = list(self.tests)
        if self.note:
            entry["note"] = self.note
        if self.source:
            entry["source"] = self.source
        if self.topics:
            entry["topics"] = list(self.topics)
        if self.tags:
            entry["tags"] = list(self.tags)
        return entry


# Field checks: each returns the cleaned value or raises FieldError with what to do.


def clash(deck: Deck, draft: Draft) -> str | None:
    """Which existing card the draft would collide with: the same id, or the same question
    (or cloze text) asked the same way, whatever ids the two have."""
    ids = set(entry_ids(draft.entry()))
    wording = normalise(draft.text if draft.kind is CardKind.CLOZE else draft.q)
    for card in deck.cards:
        same_id = card.card_id in ids
        asked = card.cloze_text if card.kind is CardKind.CLOZE else card.question
        if same_id or (card.kind is draft.kind and wording and normalise(asked) == wording):
            where = f"{card.path}:{card.line}" if card.path else card.card_id
            if same_id and draft.card_id:
                return f"the deck already has a card with this id ({where}); choose another id"
            what = "question" if draft.q else "text"
            return f"the deck already has a card with this {what} ({where}); change it"
    return None


def clean_draft(deck: Deck, draft: Draft) -> Draft:
    """Every field checked, as the options give them (non-interactive add)."""
    missing = draft.missing()
    if missing:
        raise UsageError(
            f"a {draft.kind.value} card needs {' and '.join(missing)}"
            " (or leave the card options out to be asked for each field)"
        )
    try:
        cleaned = replace(draft, topics=clean_topics(draft.topics))
        if draft.card_id:
            problem = slug_error(draft.card_id, "the id")
            if problem:
                raise FieldError(problem)
        if draft.kind is CardKind.CLOZE:
            cleaned.text = clean_cloze(draft.text)
        else:
            cleaned.q = clean_text(draft.q, "question")
        if draft.kind is CardKind.BASIC:
            cleaned.a = clean_text(draft.a, "answer")
            cleaned.accept = [a.strip() for a in draft.accept if a.strip()]
        if draft.kind.chooses:
            cleaned.options = clean_options(draft.options)
            cleaned.answer = clean_answer(draft.answer, cleaned.options)
        if draft.kind is CardKind.SCENARIO:
            cleaned.explain = clean_explanations(draft.explain, cleaned.options)
        if draft.kind is CardKind.ORDER:
            cleaned.items = clean_items(draft.items)
    except FieldError as error:
        raise UsageError(str(error)) from None
    problem = clash(deck, cleaned)
    if problem:
        raise UsageError(problem)
    return cleaned


@dataclass(frozen=True)
class PlannedAdd:
    """The deck file's new text, checked, and the cards the new entry yields."""

    deck: Deck
    original: str
    text: str
    cards: list[Card]


def new_card_id(deck: Deck, draft: Draft, longest: int = 40) -> str:
    """An id for a card written without one: its first words as a slug (at most `longest`
    characters, whole words), made unique in the deck with -2, -3…. Written into the entry, it
    keeps the card's history when its text is reworded later."""
    import re

    asked = draft.text if draft.kind is CardKind.CLOZE else draft.q
    words = re.sub(r"\{\{c\d+::|::[^}]*\}\}|\}\}", " ", asked)  # a cloze's words, bare
    slug = ""
    for word in re.findall(r"[a-z0-9]+", normalise(words)):
        if len(slug) + len(word) + 1 > longest:
            break
        slug = f"{slug}-{word}" if slug else word
    slug = slug or draft.kind.value
    taken = {card.card_id for card in deck.cards}
    taken |= {card.card_id.rsplit("-c", 1)[0] for card in deck.cards if card.cloze_text}
    candidate, number = slug, 1
    while candidate in taken or any(key.startswith(candidate + "-c") for key in taken):
        number += 1
        candidate = f"{slug}-{number}"
    return candidate


def plan_add(deck: Deck, draft: Draft) -> PlannedAdd:
    """Insert the draft into the deck's text, with an `id:` (given, or made from its words),
    and check the result; writes nothing."""
    try:
        original = read_exact(deck.path)
    except OSError as error:
        raise Ec2CardsError(f"{deck.path}: cannot read the deck: {error.strerror}") from None
    if not draft.card_id:
        draft = replace(draft, card_id=new_card_id(deck, draft))
    text = append_entries(original, [draft.entry()], deck.path)
    checked, problems = check_text(text, deck.path)
    if problems:
        raise DeckError(problems)
    before = {card.card_id for card in deck.cards}
    new = [c for c in checked.cards if c.card_id not in before]
    return PlannedAdd(checked, original, text, new)


def commit_add(plan: PlannedAdd) -> None:
    """Replace the deck file, unless someone changed it meanwhile (then write nothing)."""
    if read_exact(plan.deck.path) != plan.original:
        raise Ec2CardsError(
            f"{plan.deck.path} changed while the card was being written; nothing added,"
            " add it again"
        )
    atomic_write(plan.deck.path, plan.text)


class Prompter(Protocol):
    """Asks one line at a time; `ask` returns '' when the user just presses Enter."""

    def ask(self, label: str) -> str: ...

    def say(self, message: str) -> None: ...


def choose_deck(home: Path, name: str | None, prompter: Prompter | None = None) -> Deck:
    """The deck of the user's own to add to: the one named, else the only one; with several,
    the user picks one at the prompter, or without one a UsageError lists them."""
    if name:
        return find_deck(home, name)
    paths = user_decks(home)
    if not paths:
        raise UsageError("you have no deck of your own yet: make one with `ec2cards deck new NAME`")
    if len(paths) == 1:
        return find_deck(home, str(paths[0]))
    names = ", ".join(p.stem for p in paths)
    if prompter is None:
        raise UsageError(f"you have several decks; choose one with --deck ({names})")
    while True:
        chosen = prompter.ask(f"Deck ({names})").strip()
        match = [p for p in paths if chosen in (p.stem, p.name)]
        if match:
            return find_deck(home, str(match[0]))
        prompter.say(f"  ✗ no deck '{chosen}' among yours")


def draft_kind(kind: str | None, text: str, options: list[str], items: list[str]) -> CardKind:
    """The kind of card being added: as given, else from the fields given (the same rule as
    for a deck entry without `kind:`)."""
    if kind is None:
        given = {"text"} if text else {"q"}
        given.update(key for key, value in (("options", options), ("items", items)) if value)
        return infer_kind(given)
    try:
        return CardKind(kind)
    except ValueError:
        raise UsageError(
            f"unknown kind '{kind}' (use one of {', '.join(k.value for k in CardKind)})"
        ) from None
