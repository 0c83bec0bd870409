"""Which card a history in no deck most likely belongs to: a card written without an `id` and
reworded since got a new key (its words make its id), and its history stayed under the old one.
`check` and `study` name the pair, and `ec2cards relink OLD NEW` joins them."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable

from ec2cards.model.cards import Card
from ec2cards.model.text import normalise

_DERIVED_HASH = re.compile(r"-?[0-9a-f]{8}$")  # the digest ending an id made from words
_CLOZE_NUMBER = re.compile(r"-c(\d{1,3})$")  # not a digest that starts with c
LIKE_ENOUGH = 70  # of 100: the old id's words found among the new card's first words


def _id_words(card_id: str) -> tuple[str, int]:
    """The words an id was made of (its digest dropped), and its cloze number (0 for none)."""
    number = _CLOZE_NUMBER.search(card_id)
    base = card_id[: number.start()] if number else card_id
    return _DERIVED_HASH.sub("", base).replace("-", " "), int(number.group(1)) if number else 0


def _first_words(card: Card, count: int = 8) -> str:
    asked = card.cloze_text or card.question
    bare = re.sub(r"\{\{c\d+::|::[^}]*\}\}|\}\}", " ", asked)
    return " ".join(normalise(bare).split()[:count])


def look_alikes(
    orphans: Iterable[str], cards: Iterable[Card], studied: Collection[str]
) -> dict[str, str]:
    """Each orphaned key (history, no card) with the card of its deck that looks most like it:
    one never studied, of the same cloze number, whose first words hold the old id's words.
    Each card is paired once; an orphan with no such card is left out."""
    from rapidfuzz import fuzz

    wanted: dict[str, list[tuple[str, str, int]]] = {}
    for key in orphans:
        deck, _, card_id = key.partition("/")
        words, number = _id_words(card_id)
        if words:
            wanted.setdefault(deck, []).append((key, words, number))
    if not wanted:
        return {}
    fresh: dict[str, list[tuple[Card, str]]] = {}
    for card in cards:
        if card.deck_id in wanted and card.key not in studied:
            fresh.setdefault(card.deck_id, []).append((card, _first_words(card)))
    found: dict[str, str] = {}
    for deck, lost in wanted.items():
        scored = sorted(
            (
                (fuzz.token_set_ratio(words, first), key, card.key)
                for key, words, number in lost
                for card, first in fresh.get(deck, [])
                if card.cloze_number == number
            ),
            reverse=True,
        )
        paired: set[str] = set()
        for score, key, card_key in scored:
            if score >= LIKE_ENOUGH and key not in found and card_key not in paired:
                found[key] = card_key
                paired.add(card_key)
    return dict(sorted(found.items()))
