"""Writing decks: `deck new` (a commented template) and `add` (one card, checked field by field).

The fields of a card are checked as they are given (at a prompt or as options), so a person
hears about a problem right away; the card is then appended to the deck file as text by
`deckfile`, which leaves the rest of the file exactly as the user wrote it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from ec2cards import cloze
from ec2cards.deckfile import (
    append_entries,
    check_text,
    entry_ids,
    read_exact,
    write_text,
    yaml_scalar,
)
from ec2cards.deckformat import SLUG, load_deck, normalise
from ec2cards.decks import DECK_SUFFIXES, default_sources, load_sources, looks_like_path
from ec2cards.errors import DeckError, Ec2CardsError, UsageError
from ec2cards.model import Card, CardKind, Deck
from ec2cards.paths import bundled_decks_dir, user_decks_dir


class FieldError(ValueError):
    """A value typed at a prompt or given as an option that cannot go into a card."""


def slug_error(value: str, what: str) -> str | None:
    if SLUG.match(value):
        return None
    suggestion = re.sub(r"[^a-z0-9]+", "-", normalise(value)).strip("-")
    hint = f", e.g. '{suggestion}'" if suggestion else ""
    return f"{what} must be a slug (lower-case letters, digits and '-'){hint}, not '{value}'"


# -- deck new ------------------------------------------------------------------------------

TEMPLATE = """\
# {title}: a deck of your own for ec2cards ({file_name}).
#
#   study it:     ec2cards study --deck {deck_id}
#   add a card:   ec2cards add --deck {deck_id}              (asks for each field)
#                 ec2cards add --deck {deck_id} --q "Question?" --a "Answer"
#   check it:     ec2cards check {path}
#
# The four example cards below show every kind of card. Edit them or delete them once you have
# cards of your own (a deck needs at least one card). The whole format: docs/deck-format.md.
deck: {deck_id}{deck_pad}# the deck id: a slug, unique across all your decks
title: {title_yaml}{title_pad}# shown by `ec2cards decks`
topic: {topic}{topic_pad}# the topic of every card (a slug); cards may add more
# description: One or two sentences about the deck.
# source: "Where the facts come from"    # the source of every card that gives none
cards:
  # basic: a question and its answer.
  - id: example-basic            # optional: a stable id (slug) keeps history when you edit the text
    q: Which command adds a card to a deck of your own?
    a: ec2cards add
    accept: [add, ec2cards add --deck]   # optional: other answers that count when typed in a quiz
    note: It asks for each field, shows the card, then appends it to the deck file.   # optional
    source: ec2cards README      # optional: where the fact comes from
    # topics: [another-topic]    # optional: topics in addition to the deck's topic
    # tags: [cli]                # optional: free-form tags

  # cloze: every {{{{cN::words}}}} (or {{{{cN::words::hint}}}}) becomes a card of its own.
  - id: example-cloze
    kind: cloze
    text: "Decks are {{{{c1::YAML}}}} files; answers go to the {{{{c2::review log::where?}}}}."

  # choice: the options, and the right one (or a list of the right ones).
  - id: example-choice
    kind: choice
    q: Which kind of card asks you to put items in sequence?
    options: [basic, cloze, choice, order]
    answer: order

  # order: the items in the right order; they are shown shuffled.
  - id: example-order
    kind: order
    q: Put the steps of making a deck in order.
    items: [ec2cards deck new NAME, ec2cards add --deck NAME, ec2cards study --deck NAME]
"""


def _pad(value: str, width: int = 26) -> str:
    return " " * max(width - len(value), 2)


def template_text(deck_id: str, title: str, topic: str, path: Path) -> str:
    title_yaml = yaml_scalar(title)
    return TEMPLATE.format(
        deck_id=deck_id,
        title=title.replace("\n", " "),
        title_yaml=title_yaml,
        topic=topic,
        file_name=path.name,
        path=path,
        deck_pad=_pad("deck: " + deck_id),
        title_pad=_pad("title: " + title_yaml),
        topic_pad=_pad("topic: " + topic),
    )


def known_deck_ids(home: Path) -> dict[str, Deck]:
    """Every deck id in use (bundled and user decks that load), to refuse clashes."""
    decks, _problems = load_sources(default_sources(home))
    return {deck.deck_id: deck for deck in decks}


def new_deck(home: Path, name: str, topic: str | None = None, title: str | None = None) -> Deck:
    """Create `<data dir>/decks/NAME.yaml` from the template; never overwrite anything."""
    problem = slug_error(name, "the deck name")
    if problem:
        raise UsageError(problem)
    topic = topic or name
    problem = slug_error(topic, "the topic")
    if problem:
        raise UsageError(problem)
    title = " ".join((title or name.replace("-", " ").capitalize()).split())
    if not title:
        raise UsageError("the title is empty; give one with --title or leave the option out")
    path = user_decks_dir(home) / f"{name}.yaml"
    if path.exists():
        raise UsageError(
            f"{path} already exists; nothing written (edit that file, or choose another NAME)"
        )
    clash = known_deck_ids(home).get(name)
    if clash is not None:
        where = "a bundled deck" if clash.bundled else str(clash.path)
        raise UsageError(f"deck id '{name}' is already used by {where}; choose another NAME")
    text = template_text(name, title, topic, path)
    deck, problems = check_text(text, path)
    if problems:  # a bug in the template or an odd title: say so rather than write a bad deck
        raise DeckError(problems)
    write_text(path, text)
    return deck


# -- add -----------------------------------------------------------------------------------


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
        close = difflib.get_close_matches(name, known, n=1)
        hint = (
            f"did you mean '{close[0]}'?"
            if close
            else "your decks: " + ", ".join(known)
            if known
            else f"create it with: ec2cards deck new {name}"
        )
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


def clean_text(value: str, what: str) -> str:
    value = value.strip()
    if not value:
        raise FieldError(f"the {what} is empty")
    return value


def clean_cloze(value: str) -> str:
    value = clean_text(value, "text")
    if not cloze.deletions(value):
        raise FieldError("no deletion: mark hidden words as {{c1::words}} or {{c1::words::hint}}")
    if cloze.has_stray_braces(value):
        raise FieldError("malformed deletion: write {{c1::words}} or {{c1::words::hint}}")
    empty = [d for d in cloze.deletions(value) if not d.words.strip()]
    if empty:
        raise FieldError(f"deletion c{empty[0].number} is empty")
    return value


def split_list(value: str, separator: str) -> list[str]:
    """Several values typed on one line (alternatives by ';', topics and numbers by ',')."""
    return [part.strip() for part in value.split(separator) if part.strip()]


def clean_topics(values: Iterable[str]) -> list[str]:
    topics = [v.strip() for v in values if v.strip()]
    for topic in topics:
        problem = slug_error(topic, "a topic")
        if problem:
            raise FieldError(problem)
    return list(dict.fromkeys(topics))


def clean_options(options: Sequence[str]) -> list[str]:
    options = [o.strip() for o in options if o.strip()]
    if len(options) < 2:
        raise FieldError("a choice card needs at least two options")
    if len({normalise(o) for o in options}) != len(options):
        raise FieldError("the options must all differ")
    return options


def clean_answer(values: Sequence[str], options: Sequence[str]) -> list[str]:
    """Right options given by number (1-based) or by their text."""
    picked: list[str] = []
    for value in (v.strip() for v in values):
        if not value:
            continue
        if value.isdigit():
            number = int(value)
            if not 1 <= number <= len(options):
                raise FieldError(f"there is no option {number} (1-{len(options)})")
            picked.append(options[number - 1])
        elif value in options:
            picked.append(value)
        else:
            close = difflib.get_close_matches(value, list(options), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise FieldError(f"'{value}' is not one of the options{hint}")
    if not picked:
        raise FieldError("give the right option (its number or its text)")
    return list(dict.fromkeys(picked))


def clean_items(items: Sequence[str]) -> list[str]:
    items = [i.strip() for i in items if i.strip()]
    if len(items) < 2:
        raise FieldError("an order card needs at least two items")
    if len(set(items)) != len(items):
        raise FieldError("the items must all differ")
    return items


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
        if draft.kind is CardKind.CHOICE:
            cleaned.options = clean_options(draft.options)
            cleaned.answer = clean_answer(draft.answer, cleaned.options)
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


def plan_add(deck: Deck, draft: Draft) -> PlannedAdd:
    """Insert the draft into the deck's text and check the result; writes nothing."""
    try:
        original = read_exact(deck.path)
    except OSError as error:
        raise Ec2CardsError(f"{deck.path}: cannot read the deck: {error.strerror}") from None
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
    write_text(plan.deck.path, plan.text)


# -- the interview -------------------------------------------------------------------------


class Prompter(Protocol):
    """Asks one line at a time; `ask` returns '' when the user just presses Enter."""

    def ask(self, label: str) -> str: ...

    def say(self, message: str) -> None: ...


def _until_valid(prompter: Prompter, label: str, check: Callable[[str], Any]) -> Any:
    while True:
        raw = prompter.ask(label)
        try:
            return check(raw)
        except FieldError as error:
            prompter.say(f"  ✗ {error}")


def _list_until_blank(
    prompter: Prompter, label: str, check: Callable[[list[str]], list[str]]
) -> list[str]:
    """One value per prompt until an empty line; the list as a whole is checked at the end."""
    while True:
        values: list[str] = []
        while True:
            raw = prompter.ask(f"{label} {len(values) + 1} (Enter to finish)").strip()
            if not raw:
                break
            if raw in values:
                prompter.say(f"  ✗ '{raw}' is already in the list")
                continue
            values.append(raw)
        try:
            return check(values)
        except FieldError as error:
            prompter.say(f"  ✗ {error}; start the list again")


def interview(deck: Deck, draft: Draft, prompter: Prompter) -> Draft:
    """Ask for every field the draft lacks, checking each answer before the next question."""
    result = replace(draft)

    def unique(kind_text: str) -> Callable[[str], str]:
        def check(raw: str) -> str:
            value = clean_cloze(raw) if kind_text == "text" else clean_text(raw, "question")
            probe = replace(result, text=value) if kind_text == "text" else replace(result, q=value)
            problem = clash(deck, probe)
            if problem:
                raise FieldError(problem)
            return value

        return check

    kind = result.kind
    if kind is CardKind.CLOZE:
        if not result.text:
            prompter.say("Mark each hidden part as {{c1::words}} or {{c1::words::hint}}.")
            result.text = _until_valid(prompter, "Text", unique("text"))
    elif not result.q:
        result.q = _until_valid(prompter, "Question", unique("q"))
    if kind is CardKind.BASIC:
        if not result.a:
            result.a = _until_valid(prompter, "Answer", lambda raw: clean_text(raw, "answer"))
        if not result.accept:
            raw = prompter.ask("Other answers accepted when typed, separated by ';' (Enter: none)")
            result.accept = split_list(raw, ";")
    if kind is CardKind.CHOICE:
        if not result.options:
            result.options = _list_until_blank(prompter, "Option", clean_options)
        if not result.answer:
            for number, option in enumerate(result.options, 1):
                prompter.say(f"  {number}. {option}")
            result.answer = _until_valid(
                prompter,
                "Right option(s): number(s), e.g. 2 or 1,3",
                lambda raw: clean_answer(split_list(raw.replace(";", ","), ","), result.options),
            )
    if kind is CardKind.ORDER and not result.items:
        result.items = _list_until_blank(prompter, "Item, in the right order,", clean_items)
    if not result.topics:
        result.topics = _until_valid(
            prompter,
            f"Topics besides '{deck.topic}', separated by ',' (Enter: none)",
            lambda raw: clean_topics(split_list(raw.replace(";", ","), ",")),
        )
    if not result.source:
        default = f" (Enter: the deck's, {deck.source})" if deck.source else " (Enter: none)"
        result.source = prompter.ask(f"Source{default}").strip()
    if not result.note:
        result.note = prompter.ask("Note shown after the answer (Enter: none)").strip()
    return result
