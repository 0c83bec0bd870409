"""YAML decks in and out: import copies a checked deck as written; export writes cards back.

An imported YAML deck keeps its comments and layout: the file is copied, and only the `deck:`
or `topic:` value is rewritten when --deck or --topic asks for it. An export of one whole deck is
that deck's file as written; any other selection is rendered card by card, with explicit ids so
that review history still matches.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from ec2cards.decks.entries import check_text, deck_text, read_exact
from ec2cards.decks.format import load_deck
from ec2cards.errors import DeckError
from ec2cards.interop.anki_notes import cloze_base
from ec2cards.interop.common import ImportFailed, Incoming, IncomingDeck, slugify
from ec2cards.model.cards import Card, CardKind
from ec2cards.model.decks import Deck


def read_yaml_deck(path: Path) -> Incoming:
    """A deck file, checked first (every problem reported, as `ec2cards check` would)."""
    deck, problems = load_deck(path)
    if deck is None or problems:
        raise DeckError(problems)
    text = read_exact(path)
    incoming = IncomingDeck(
        deck_id=deck.deck_id,
        title=deck.title,
        topic=deck.topic,
        origin=path,
        source=deck.source,
        description=deck.description,
        raw_text=text,
        entries=card_entries(deck.cards, deck.topic, deck.source),
    )
    return Incoming([incoming])


def retarget(text: str, path: Path, deck_id: str | None, topic: str | None) -> str:
    """The deck text with its `deck:` and/or `topic:` value replaced; nothing else touched."""
    import yaml

    root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    if not isinstance(root, yaml.MappingNode):
        raise ImportFailed(f"{path}: not a deck")
    spans: list[tuple[int, int, str]] = []
    for key, value in root.value:
        new = {"deck": deck_id, "topic": topic}.get(str(key.value))
        if new:
            spans.append((value.start_mark.index, value.end_mark.index, new))
    for start, end, new in sorted(spans, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def card_entries(cards: Sequence[Card], deck_topic: str, deck_source: str) -> list[dict[str, Any]]:
    """Loaded cards back as YAML entries (cloze siblings folded), each with its id."""
    entries: list[dict[str, Any]] = []
    done: set[str] = set()
    cloze_accept: dict[str, dict[str, list[str]]] = {}
    for card in cards:
        if card.kind is CardKind.CLOZE and card.accept:
            cloze_accept.setdefault(cloze_base(card), {})[f"c{card.cloze_number}"] = list(
                card.accept
            )
    for card in cards:
        entry: dict[str, Any] = {}
        group = card.group
        if card.kind is CardKind.CLOZE:
            base = cloze_base(card)
            if base in done:
                continue
            done.add(base)
            entry.update(id=base, kind="cloze", text=card.cloze_text)
            if base in cloze_accept:
                entry["accept"] = dict(sorted(cloze_accept[base].items()))
            if group == base:
                group = ""  # a cloze's own group: the default
        elif card.kind is CardKind.BASIC:
            entry.update(id=card.card_id, q=card.question, a=card.answer)
            if card.accept:
                entry["accept"] = list(card.accept)
        elif card.kind is CardKind.CHOICE:
            answer: Any = card.correct[0] if len(card.correct) == 1 else list(card.correct)
            entry.update(
                id=card.card_id, kind="choice", q=card.question, options=list(card.options)
            )
            entry["answer"] = answer
        elif card.kind is CardKind.SCENARIO:
            entry.update(
                id=card.card_id, kind="scenario", q=card.question, options=list(card.options)
            )
            if len(card.correct) == 1:
                entry["answer"] = card.correct[0]
            else:
                entry["answers"] = list(card.correct)
            entry["explain"] = dict(zip(card.options, card.explain, strict=False))
            if card.tests:
                entry["tests"] = list(card.tests)
        else:
            entry.update(id=card.card_id, kind="order", q=card.question, items=list(card.items))
        if card.note:
            entry["note"] = card.note
        if card.source and card.source != deck_source:
            entry["source"] = card.source
        topics = [t for t in card.topics if t != deck_topic]
        if topics:
            entry["topics"] = topics
        if card.tags:
            entry["tags"] = list(card.tags)
        if group:
            entry["group"] = group
        entries.append(entry)
    return entries


def export_text(cards: Sequence[Card], decks: Sequence[Deck], out: Path) -> str:
    """One deck file holding `cards`: a whole deck as written, else rendered card by card."""
    deck_ids = list(dict.fromkeys(card.deck_id for card in cards))
    if len(deck_ids) == 1:
        deck = next(d for d in decks if d.deck_id == deck_ids[0])
        if len(deck.cards) == len(cards):
            return read_exact(deck.path)
    # Cards of several decks may share an id; the deck id in front keeps them apart.
    counts = Counter(card.card_id for card in cards)
    renamed = [card if counts[card.card_id] == 1 else _prefixed(card) for card in cards]
    topic = Counter(card.topic for card in renamed).most_common(1)[0][0]
    deck_id = deck_ids[0] if len(deck_ids) == 1 else slugify(out.stem, "export")
    titles = {d.deck_id: d.title for d in decks}
    title = (
        titles[deck_ids[0]]
        if len(deck_ids) == 1
        else "Export of " + ", ".join(titles.get(d, d) for d in deck_ids)
    )
    text = deck_text(
        deck_id,
        title,
        topic,
        card_entries(renamed, topic, ""),
        header=f"Exported by ec2cards from {', '.join(deck_ids)}.",
    )
    _deck, problems = check_text(text, out)
    if problems:
        raise DeckError(problems)
    return text


def _prefixed(card: Card) -> Card:
    return replace(card, card_id=f"{card.deck_id}-{card.card_id}")
